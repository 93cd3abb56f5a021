"""Guests who open a page of the beneficiary's portal are sent to the sign-up page (R6.1, R8.1).

Without this, frappe answers a guest on a web form that needs a login with an English 403 "Not
Permitted — you must be logged in", and /my-requests with frappe's login page. The sign-up page is in
the guest's language (Arabic on an Arabic site or browser), explains what to do, and links to the
login for those who already have an account; both bring him back to the page he asked for.
"""

import frappe
from werkzeug.exceptions import HTTPException
from werkzeug.utils import redirect

from charity_beneficiary.portal.redirects import sign_up_path

# The first segment of the portal's pages that only a logged-in beneficiary can use.
MEMBER_ROUTES = frozenset(
	{"portal", "my-requests", "beneficiary-registration", "assistance-request", "feedback"}
)


def needs_account(path: str) -> bool:
	first = (path or "").strip("/").split("/")[0]
	return first in MEMBER_ROUTES


def redirect_guests() -> None:
	"""`before_request` hook: a guest's GET of a member page becomes a redirect to the sign-up page."""
	request = getattr(frappe.local, "request", None)
	if not request or request.method != "GET" or frappe.session.user != "Guest":
		return
	if not needs_account(request.path):
		return
	target = sign_up_path(request.full_path.rstrip("?"))
	# frappe's application returns a werkzeug HTTPException as the response
	raise HTTPException(response=redirect(target, code=302))
