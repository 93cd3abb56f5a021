"""Who may list the files attached to the app's records (R8.2).

frappe lets a user list every file attached to any record of a DocType he may read: a branch
representative listed the ID copies of other branches' beneficiaries (names, paths, records), a
researcher those of requests not his. A file attached to a record holding personal data is listed
only with a record the user may list himself — the very conditions of that DocType's own list
(branches, assigned researcher, the portal user's own). The files' contents were already checked
record by record by frappe."""

import frappe

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
