"""/sign-up (R6.1): a guest opens his portal account (portal/signup.py does the work)."""

import frappe
from charity_beneficiary.portal import branding
from charity_beneficiary.portal.redirects import local_path
from charity_beneficiary.portal.signup import HOME_ROUTE, ID_TYPES, sign_up_open
from frappe import _
from frappe.utils.jinja_globals import is_rtl

no_cache = 1


def get_context(context):
	redirect_to = local_path(frappe.form_dict.get("redirect-to"), HOME_ROUTE)
	if frappe.session.user != "Guest":
		frappe.redirect(redirect_to)

	context.no_cache = 1
	context.title = _("Open your account")
	context.rtl = is_rtl()
	context.charity = branding.charity_name()
	context.sign_up_open = sign_up_open()
	context.id_types = [(value, _(value)) for value in ID_TYPES]
	context.login_url = "/login?" + frappe.utils.urlencode({"redirect-to": redirect_to})
