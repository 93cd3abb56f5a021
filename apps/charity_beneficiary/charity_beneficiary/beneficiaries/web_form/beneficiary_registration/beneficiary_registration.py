"""Portal registration (R6.1): a logged-in website user registers himself as a Beneficiary.

The web form inserts and updates with ignore_permissions; `beneficiaries/portal.py` (called by the
controller) links the record to the user, keeps it an Applicant and resets every officer field. This
module only shapes the form: the columns of its child tables, a read-only view once the registration
is being processed, and the Arabic texts the portal page needs.
"""

import frappe
from frappe import _

from charity_beneficiary.beneficiaries.portal import (
	DOCUMENT_OFFICER_FIELDS,
	OFFICER_FIELDS,
	own_beneficiary_name,
)
from charity_beneficiary.portal.web_form_doc import keep_readable_fields
from charity_beneficiary.portal.web_form_texts import script_messages

# Columns of each child table in the form. Without this, frappe shows only the child's in-list-view
# fields plus a "Name" column, and the documents table would show the officer's "Verified" check.
TABLE_FIELDS = {
	"categories": ("category",),
	"family_members": (
		"member_name",
		"relation",
		"id_type",
		"id_number",
		"date_of_birth",
		"date_of_birth_hijri",
		"gender",
		"is_dependent",
		"monthly_income",
		"health_status",
		"education_status",
	),
	"income_sources": ("income_type", "monthly_amount", "proof"),
	"documents": ("document_type", "attachment", "issue_date", "expiry_date", "expiry_date_hijri"),
}

# Link columns offer only these records (frappe's link search applies `get_query` given as filters).
LINK_FILTERS = {("categories", "category"): {"is_active": 1}}

# Never offered to the applicant, whatever the child tables' metadata says.
HIDDEN_TABLE_FIELDS = frozenset(DOCUMENT_OFFICER_FIELDS)


def get_context(context):
	redirect_to_own_registration(context)
	keep_readable_fields(context)  # frappe puts the whole document in the page
	set_table_columns(context.web_form_doc)
	show_registration_state(context)

	context.introduction_text = _(
		"Register with the association to apply for its assistance. Enter your data as it appears on "
		"your identity documents, add your family members and attach your documents. The association "
		"verifies your registration and contacts you."
	)
	context.success_title = _("Registration Received")
	context.success_message = _(
		"Thank you. Your registration has been received; the association will review it and contact you."
	)
	add_translations(context)


def redirect_to_own_registration(context) -> None:
	"""One registration per user: "new" opens his record when he already has one (frappe itself only
	finds records he created, not one an officer registered for him and linked to his user)."""
	user = frappe.session.user
	if user == "Guest" or not frappe.form_dict.is_new:
		return
	name = own_beneficiary_name(user)
	if name:
		frappe.redirect(f"/{context.web_form_doc.route}/{name}")


def set_table_columns(web_form_doc) -> None:
	for field in web_form_doc.web_form_fields:
		if field.fieldtype == "Table" and field.fieldname in TABLE_FIELDS:
			field.fields = table_columns(field.fieldname, field.options)


def table_columns(table_fieldname: str, child_doctype: str) -> list[dict]:
	meta = frappe.get_meta(child_doctype)
	columns = []
	for fieldname in TABLE_FIELDS[table_fieldname]:
		df = meta.get_field(fieldname)
		if not df or fieldname in HIDDEN_TABLE_FIELDS or fieldname in OFFICER_FIELDS:
			continue
		column = df.as_dict(no_default_fields=True)
		if (table_fieldname, fieldname) in LINK_FILTERS:
			column["get_query"] = {"filters": LINK_FILTERS[(table_fieldname, fieldname)]}
		columns.append(column)
	return columns


def show_registration_state(context) -> None:
	"""Once an officer processes the registration it is shown read-only (portal.py refuses changes)."""
	doc = context.reference_doc
	if not doc or not doc.get("name"):
		return
	status = doc.get("status")
	if status == "Applicant":
		message = _(
			"Your registration is waiting for review. You can correct it until the association starts processing it."
		)
		color = "blue"
	else:
		message = _(
			"Your registration is being processed (status: {0}). To correct it, please contact the association."
		).format(_(status))
		color = "yellow"
		for target in (context, context.web_form_doc):
			target.in_edit_mode = False
			target.in_view_mode = True
			target.allow_edit = 0
	context.web_form_doc.registration_message = message
	context.web_form_doc.registration_message_color = color


def add_translations(context) -> None:
	"""The child tables' labels and options and this form's script messages, which frappe does not
	send translated; the form's script adds them to frappe's before the form is drawn."""
	extra = [
		"Please accept the declaration",
		"Please sign the declaration",
		"Declaration",
	]
	for field in context.web_form_doc.web_form_fields:
		for column in field.get("fields") or []:
			extra.extend([column.get("label"), column.get("description")])
			if column.get("fieldtype") == "Select" and column.get("options"):
				extra.extend(column["options"].split("\n"))
	context.web_form_doc.script_messages = script_messages(extra)
