"""The beneficiary's portal home (R6.1): his profile, documents, requests, surveys and feedback.

Everything is read for the logged-in portal user only: his Beneficiary record is found by its `user`
link, and lists go through frappe.get_list so the permission hooks apply as well. A renewed document
is uploaded here even once his registration is being processed (the registration form is then
read-only): the new row is unverified until an officer checks it.
"""

from mimetypes import guess_type
from urllib.parse import urlencode

import frappe
from frappe import _
from frappe.utils import add_days, getdate, today

from charity_beneficiary.assistance.states import (
	DISBURSABLE_STATES,
	DISBURSED_STATE,
	PENDING_STATES,
	REASONED_STATES,
)
from charity_beneficiary.beneficiaries.doctype.beneficiary.beneficiary import DOCUMENT_RENEWAL_FLAG
from charity_beneficiary.beneficiaries.portal import own_beneficiary
from charity_beneficiary.service_quality.survey import pending_invitations, survey_url
from charity_beneficiary.utils import code_owned
from charity_beneficiary.utils.jinja import hijri

REGISTRATION_ROUTE = "/beneficiary-registration/new"
# A document this close to its expiry is shown as "expiring soon", so he renews it in time.
EXPIRY_WARNING_DAYS = 30
# What the upload form offers (a scan or a photo of the document). frappe narrows a portal user's
# uploads only to its own wider list (Word, text, video…), and a desk user's not at all.
DOCUMENT_MIMETYPES = frozenset({"application/pdf", "image/jpeg", "image/png"})
REQUEST_FIELDS = (
	"name",
	"docstatus",
	"workflow_state",
	"aid_service",
	"received_on",
	"expected_decision_date",
	"expected_decision_date_hijri",
	"approved_amount",
	"decision_reason",
	"decided_on",
)
STATE_COLORS = {
	"Draft": "gray",
	"Pending Verification": "blue",
	"Under Research": "blue",
	"Pending Committee": "blue",
	"Returned": "orange",
	"Approved": "green",
	"Partly Approved": "green",
	"Disbursed": "green",
	"Rejected": "red",
	"Cancelled": "gray",
}
PROFILE_FIELDS = (
	"name",
	"beneficiary_name",
	"id_type",
	"id_number",
	"mobile_no",
	"email_id",
	"status",
	"branch",
)
FEEDBACK_FIELDS = ("name", "feedback_type", "subject", "status", "creation", "response", "responded_on")


class DocumentUploadError(frappe.ValidationError):
	"""The renewed document cannot be recorded (no file, unknown type, bad date, no registration)."""


def home_context(user: str) -> frappe._dict:
	beneficiary = own_beneficiary(user, PROFILE_FIELDS)  # his record and the profile card, read once
	context = frappe._dict(
		beneficiary=beneficiary,
		registration_route=registration_link(user),
		surveys=[frappe._dict(row, url=survey_url(row.token)) for row in pending_invitations(user)],
	)
	if beneficiary:
		context.profile = beneficiary
		context.documents = document_rows(beneficiary.name)
		context.document_types = frappe.get_all("Beneficiary Document Type", pluck="name", order_by="name")
		context.requests = request_rows(beneficiary.name)
		context.feedback = feedback_rows(beneficiary.name)
		context.can_apply = beneficiary.status == "Active"
	return context


def registration_link(user: str) -> str:
	"""The registration form, filled in with what he gave at sign-up (the form reads the query)."""
	details = frappe.db.get_value("User", user, ["full_name", "username", "phone", "email"], as_dict=True)
	if not details:
		return REGISTRATION_ROUTE
	query = {
		"beneficiary_name": details.full_name,
		"id_number": details.username,
		"mobile_no": details.phone,
		"email_id": details.email,
	}
	return REGISTRATION_ROUTE + "?" + urlencode({k: v for k, v in query.items() if v})


def document_rows(beneficiary: str) -> list[frappe._dict]:
	rows = frappe.get_all(
		"Beneficiary Document",
		filters={"parent": beneficiary, "parenttype": "Beneficiary"},
		fields=["document_type", "attachment", "issue_date", "expiry_date", "verified"],
		order_by="idx asc",
	)
	soon = getdate(add_days(today(), EXPIRY_WARNING_DAYS))
	for row in rows:
		expiry = getdate(row.expiry_date) if row.expiry_date else None
		row.expiry_hijri = hijri(expiry) if expiry else ""
		row.expired = bool(expiry and expiry < getdate(today()))
		row.expiring = bool(expiry and not row.expired and expiry <= soon)
	return rows


def own_rows(doctype: str, beneficiary: str, fields) -> list[frappe._dict]:
	"""His beneficiary's rows of `doctype`, newest first, read as him: the permission hooks apply too."""
	return frappe.get_list(
		doctype, filters={"beneficiary": beneficiary}, fields=list(fields), order_by="creation desc"
	)


def request_rows(beneficiary: str) -> list[frappe._dict]:
	"""His assistance requests as the portal home and /my-requests show them."""
	rows = own_rows("Assistance Request", beneficiary, REQUEST_FIELDS)
	for row in rows:
		state = row.workflow_state if row.docstatus else "Draft"
		row.state = state
		row.state_label = _("Not sent") if state == "Draft" else _(state)
		row.color = STATE_COLORS.get(state, "gray")
		row.waiting = state in PENDING_STATES
		row.route = f"/assistance-request/{row.name}" + ("/edit" if state == "Draft" else "")
		row.show_reason = state in REASONED_STATES and bool(row.decision_reason)
		row.show_amount = state in (*DISBURSABLE_STATES, DISBURSED_STATE) and bool(row.approved_amount)
	return rows


def feedback_rows(beneficiary: str) -> list[frappe._dict]:
	rows = own_rows("Beneficiary Feedback", beneficiary, FEEDBACK_FIELDS)
	for row in rows:
		row.type_label = _(row.feedback_type)
		row.status_label = _(row.status)
	return rows


@frappe.whitelist(methods=["POST"])
def upload_document() -> dict:
	"""Called by frappe's upload_file (`method=`): the uploaded file becomes a new, unverified
	document row of his own registration."""
	beneficiary = own_beneficiary()
	if not beneficiary:
		frappe.throw(_("Please register your data first."), DocumentUploadError)
	# set by frappe's upload_file; absent when the method is called directly
	content = getattr(frappe.local, "uploaded_file", None)
	filename = getattr(frappe.local, "uploaded_filename", None)
	if not content:
		frappe.throw(_("Please choose the file of the document."), DocumentUploadError)
	if guess_type(filename or "")[0] not in DOCUMENT_MIMETYPES:
		frappe.throw(_("Please upload the document as a PDF, JPG or PNG file."), DocumentUploadError)
	document_type = frappe.form_dict.get("document_type")
	if not document_type or not frappe.db.exists("Beneficiary Document Type", document_type):
		frappe.throw(_("Please choose the type of the document."), DocumentUploadError)
	expiry = _optional_date(frappe.form_dict.get("expiry_date"))

	# As the system: his record is no longer his to write once it is being processed (beneficiaries/
	# portal.py), and the record is his own one, found by his session, never a name he sends. The
	# File's size is still checked by frappe, and the row is added unverified.
	doc = frappe.get_doc("Beneficiary", beneficiary.name)
	file = frappe.get_doc(
		{
			"doctype": "File",
			"file_name": filename,
			"content": content,
			"is_private": 1,
			"attached_to_doctype": "Beneficiary",
			"attached_to_name": doc.name,
		}
	).insert(ignore_permissions=True)
	doc.append(
		"documents", {"document_type": document_type, "attachment": file.file_url, "expiry_date": expiry}
	)
	# an Active beneficiary renews a document: the activation is not checked again for this row
	# (beneficiary.py is_document_renewal), or an expired identity would refuse its renewal
	doc.flags[DOCUMENT_RENEWAL_FLAG] = True
	with code_owned.owner_writes(code_owned.REGISTRATION):
		doc.save(ignore_permissions=True)
	return {"message": _("Your document was received; the association will verify it.")}


def _optional_date(value: str | None):
	if not value:
		return None
	try:
		return getdate(value)
	except (ValueError, TypeError, frappe.ValidationError):
		frappe.throw(_("Please enter the expiry date as a date."), DocumentUploadError)
