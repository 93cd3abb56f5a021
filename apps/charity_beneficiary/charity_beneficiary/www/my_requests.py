"""/my-requests (R6.1): the beneficiary follows his assistance requests and their answer dates.

Read as the user with frappe.get_list, so the permission hooks of assistance/portal.py apply; the
page asks only for his own beneficiary's requests as well, so it shows nothing else either way.
"""

import frappe
from charity_beneficiary.beneficiaries.portal import own_beneficiary
from charity_beneficiary.portal.home import request_rows
from charity_beneficiary.utils.money import company_currency
from frappe import _
from frappe.utils.jinja_globals import is_rtl

no_cache = 1

ROUTE = "my-requests"
NEW_REQUEST_ROUTE = "/assistance-request/new"
REGISTRATION_ROUTE = "/beneficiary-registration"


def get_context(context):
	if frappe.session.user == "Guest":
		frappe.redirect(f"/login?redirect-to=/{ROUTE}")

	context.no_cache = 1
	context.show_sidebar = True
	context.title = _("My Assistance Requests")
	context.rtl = is_rtl()
	context.currency = company_currency()
	context.new_request_route = NEW_REQUEST_ROUTE
	context.registration_route = REGISTRATION_ROUTE

	beneficiary = own_beneficiary()
	context.beneficiary = beneficiary
	context.can_apply = bool(beneficiary and beneficiary.status == "Active")
	context.requests = request_rows(beneficiary.name) if beneficiary else []
