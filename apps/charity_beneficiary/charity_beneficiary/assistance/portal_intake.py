"""A beneficiary files an assistance request from the portal in one call (R2.1, R3.2, R6.1, R6.3; issue 14).

The web form used to save a Draft (frappe's `web_form.accept`) and its script then submitted it
(`portal.submit_portal_request`): two HTTP round-trips and two saves, Workflow Actions built on
both, every Notification of the request evaluated on both, and a Comment repeating the version
history. `file_request` inserts the request already submitted, in one save through the same
controller: before_validate makes it his own on the Website channel, validate checks what he asks
for, before_submit checks his eligibility and sets the answer date, and the workflow moves it from
Draft to its first submitted state. A refusal rolls everything back (no draft is left to clean up);
the form keeps what he typed, and he sends it again.

The notices of receipt (the Submit notifications) are evaluated after the commit, on the short
queue, and only on the channels that are set up (an SMS gateway and a mobile number; an outgoing
e-mail account and an address): frappe would otherwise load and render each of them inside the
request's transaction, and drop the unusable ones only then.

Rate: frappe limits `web_form.accept` to 10 calls a minute per client address and form, which a
charity's season exceeds where beneficiaries file from the association's hall or one mobile
operator's address. This endpoint allows `charity_portal_requests_per_hour` (site config, default
REQUESTS_PER_HOUR) per client address: frappe's `request_ip`, which behind our nginx is the real
client (config/production/nginx.conf.in replaces X-Forwarded-For with it).
"""

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import cint, flt

from charity_beneficiary.assistance.portal import DOCTYPE, received_summary
from charity_beneficiary.beneficiaries.portal import is_portal_user, own_beneficiary
from charity_beneficiary.utils import channels

# Requests one client address may file in an hour: a season's rush through one address (the
# association's hall, a mobile operator's NAT), with room to spare; bots are stopped well before.
REQUESTS_PER_HOUR = 3000
ITEM_FIELDS = ("item_code", "qty")
RECEIVED_EVENT = "Submit"


def requests_per_hour() -> int:
	return cint(frappe.conf.get("charity_portal_requests_per_hour")) or REQUESTS_PER_HOUR


@frappe.whitelist(methods=["POST"])
@rate_limit(limit=requests_per_hour, seconds=60 * 60)
def file_request(
	aid_service: str | None = None,
	description: str | None = None,
	requested_amount: float | None = None,
	requested_items: str | list | None = None,
	beneficiary: str | None = None,
) -> dict:
	"""File the session user's request, submitted, for his own beneficiary record; returns what the
	portal tells him (reference number, state, answer date). `beneficiary`, when sent, must be his.
	Nothing is required here: a missing service or description is the controller's translated refusal."""
	own = own_portal_beneficiary()
	if beneficiary and beneficiary != own:
		frappe.throw(_("You can only send your own assistance requests"), frappe.PermissionError)

	doc = frappe.get_doc(
		{
			"doctype": DOCTYPE,
			"beneficiary": own,
			"aid_service": aid_service,
			"description": description,
			"requested_amount": flt(requested_amount),
			"requested_items": item_rows(requested_items),
		}
	)
	clean_typed_text(doc)
	doc.docstatus = 1
	# The Beneficiary role cannot take the workflow's Submit action: the request is inserted as the
	# system, as the web form's accept and submit_portal_request do; every rule is the controller's.
	doc.flags.ignore_permissions = True
	doc.flags.notifications = []  # none inside the transaction: send_received_notices, after the commit
	doc.insert()
	frappe.enqueue(send_received_notices, queue="short", enqueue_after_commit=True, request=doc.name)
	return received_summary(doc)


def clean_typed_text(doc) -> None:
	"""frappe's XSS filter (sanitize_html of every text field) skips a document saved as submitted:
	it trusts what was cleaned when it was a draft. This request never is one, so what the applicant
	typed is cleaned here, on the draft, as on every other way of filing (his description is shown to
	staff in the desk and in print)."""
	for row in (doc, *doc.get_all_children()):
		row._sanitize_content()


def own_portal_beneficiary() -> str:
	"""The session user's beneficiary record; a portal user without one, or anyone else, is refused."""
	if not is_portal_user():
		frappe.throw(_("You can only send your own assistance requests"), frappe.PermissionError)
	own = own_beneficiary(fields=("name",))
	if not own:
		frappe.throw(_("Please register as a beneficiary before applying"), frappe.PermissionError)
	return own.name


def item_rows(requested_items: str | list | None) -> list[dict]:
	"""The requested items as the form sends them (a list, or its JSON): only the item and its
	quantity are taken from him; the controller fills the rest."""
	if not requested_items:
		return []
	try:
		rows = frappe.parse_json(requested_items) if isinstance(requested_items, str) else requested_items
	except ValueError:
		rows = None
	if not isinstance(rows, list) or not all(isinstance(row, dict) for row in rows):
		frappe.throw(_("The requested items could not be read"), frappe.ValidationError)
	items = []
	for idx, row in enumerate(rows, start=1):
		item_code, qty = row.get("item_code"), row.get("qty")
		if not item_code and not qty:
			continue  # an empty row of the form's grid
		if not isinstance(item_code, str) or not item_code or not is_positive_number(qty):
			frappe.throw(
				_("Row {0}: please choose the item and a quantity greater than zero").format(idx),
				frappe.ValidationError,
			)
		items.append({"item_code": item_code, "qty": flt(qty)})
	return items


def is_positive_number(value) -> bool:
	if isinstance(value, bool):
		return False
	try:
		return float(value) > 0
	except (TypeError, ValueError):
		return False


# --- the notices of receipt (R6.3) ----------------------------------------------------------------
def send_received_notices(request: str) -> None:
	"""The queued job of file_request: the request's Submit notifications on the channels set up."""
	doc = frappe.get_doc(DOCTYPE, request)
	doc.flags.notifications = notifications_to_send(doc, RECEIVED_EVENT)
	if doc.flags.notifications:
		doc.run_notifications("on_submit")


def notifications_to_send(doc, event: str) -> list[frappe._dict]:
	"""The request's enabled notifications of `event` whose channel can reach the beneficiary now.
	A missing e-mail account is noted for the manager (channels.note_missing), as
	portal.notification_context does for the notifications frappe evaluates itself."""
	contact = (
		frappe.db.get_value("Beneficiary", doc.beneficiary, ["email_id", "mobile_no"], as_dict=True)
		or frappe._dict()
	)
	email = contact.email_id or doc.get("contact_email")
	mobile = contact.mobile_no or doc.get("contact_mobile")
	to_send = []
	for alert in frappe.get_all(
		"Notification",
		filters={"enabled": 1, "document_type": DOCTYPE, "event": event},
		fields=["name", "event", "method", "channel"],
	):
		if alert.channel == "SMS" and not (mobile and channels.sms_configured()):
			continue
		if alert.channel == "Email":
			if not email:
				continue
			if not channels.email_configured(DOCTYPE):
				channels.note_missing(channels.NO_EMAIL_ACCOUNT, DOCTYPE, doc.name)
				continue
		to_send.append(alert)
	return to_send
