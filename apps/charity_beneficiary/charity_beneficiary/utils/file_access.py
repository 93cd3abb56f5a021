"""Who may list the files attached to the app's records (R8.2).

frappe lets a user list every file attached to any record of a DocType he may read: a branch
representative listed the ID copies of other branches' beneficiaries (names, paths, records), a
researcher those of requests not his. A file attached to a record holding personal data is listed
only with a record the user may list himself — the very conditions of that DocType's own list
(branches, assigned researcher, the portal user's own). The files' contents were already checked
record by record by frappe.

Such a file is also always private (`keep_personal_files_private`, a File `on_update` doc event, and
the patch make_personal_files_private for the files of before): frappe serves a public file to anyone
at /files/…, guests included, reads it to whoever asks (File.has_permission) and lists it to every
desk user, because its own list condition, `is_private = 0 or … or attached to a readable DocType`, has
no outer parentheses, so the condition below, joined to it with `and`, binds to its last term only and
cannot hold back a public file. A private file is out of the first two terms, so the last term and
this condition decide alone."""

import frappe
from frappe import _
from frappe.utils import cint

# the app's DocTypes whose attachments are a person's: ID copies, proofs, research photos, receipts
PERSONAL = (
	"Beneficiary",
	"Assistance Request",
	"Research Report",
	"Aid Disbursement",
	"Beneficiary Feedback",
)


def query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions of File."""
	user = user or frappe.session.user
	if user == "Administrator":
		return ""
	attached = "`tabFile`.`attached_to_doctype`"
	listed = [
		f"({attached} = {frappe.db.escape(reference)} and `tabFile`.`attached_to_name` in ({records}))"
		for reference in PERSONAL
		if (records := listable_records(reference, user))
	]
	others = f"ifnull({attached}, '') not in ({', '.join(frappe.db.escape(dt) for dt in PERSONAL)})"
	return "(" + " or ".join([others, *listed]) + ")"


def listable_records(doctype: str, user: str) -> str | None:
	"""The query of the records of `doctype` the user may list; None when he may list none."""
	if not frappe.has_permission(doctype, "read", user=user):
		return None
	return frappe.get_list(doctype, fields=["name"], run=0, order_by=None, user=user).strip()


def is_personal(file) -> bool:
	return bool(file.get("attached_to_doctype") in PERSONAL and not cint(file.get("is_folder")))


def keep_personal_files_private(doc, method: str | None = None) -> None:
	"""hooks.py doc_events File `on_update` (after an insert too): a file attached to a person's record
	is made private, by File's own mechanism (the file moves to private/files and the record's field
	and the other File records of the same content follow), whoever uploaded it public."""
	if cint(doc.is_private) or not is_personal(doc):
		return
	make_private(doc)


def make_private(file) -> None:
	file.is_private = 1
	try:
		file.save(ignore_permissions=True)
	except FileExistsError:
		frappe.clear_last_message()  # frappe's own, with the site's path
		frappe.throw(
			_("A private file named {0} already exists: rename the file and attach it again").format(
				file.file_name
			),
			exc=frappe.DuplicateEntryError,
			title=_("File Not Attached"),
		)
