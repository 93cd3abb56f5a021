"""What a portal web form puts in its page of a saved document.

frappe's web form writes the whole document into the page (`frappe.reference_doc = {{ reference_doc |
json }}`), past the field-level read permissions that its REST API applies: a beneficiary viewing
his complaint would receive the officer it is assigned to, and on his request the researcher's
recommendation. Each web form's get_context (which frappe calls after loading the document) puts
the document there again as frappe's REST read gives it: `apply_fieldlevel_read_permissions`, in the
document and its child rows.
"""

import frappe


def keep_readable_fields(context) -> None:
	if not context.get("reference_doc") or not context.get("reference_doctype"):
		return
	doc = frappe.get_doc(context.reference_doctype, context.reference_name)
	doc.apply_fieldlevel_read_permissions()
	context.reference_doc = doc.as_dict(no_nulls=True)
