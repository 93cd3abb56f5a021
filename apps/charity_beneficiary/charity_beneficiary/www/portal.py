"""/portal (R6.1): the beneficiary's home — profile, documents, requests, surveys, complaints."""

import frappe
from charity_beneficiary.portal.home import home_context
from frappe import _
from frappe.utils.jinja_globals import is_rtl

no_cache = 1


def get_context(context):
	if frappe.session.user == "Guest":
		# portal/guest.py sends guests to the sign-up page before this runs; direct callers too
		frappe.redirect("/sign-up?redirect-to=/portal")
	context.no_cache = 1
	context.show_sidebar = False
	context.title = _("My Portal")
	context.rtl = is_rtl()
	context.full_name = frappe.utils.get_fullname(frappe.session.user)
	context.update(home_context(frappe.session.user))
