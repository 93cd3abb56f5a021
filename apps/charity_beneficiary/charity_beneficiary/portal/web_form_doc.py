"""What a portal web form puts in its page of a saved document.

frappe's web form writes the whole document into the page (`frappe.reference_doc = {{ reference_doc |
json }}`), past the field-level read permissions that its REST API applies: a beneficiary viewing
his complaint would receive the officer it is assigned to, and on his request the researcher's
recommendation. Each web form's get_context (which frappe calls after loading the document) keeps
only the fields its user may read, in the document and in its child rows.
"""

import frappe


def keep_readable_fields(context) -> None:
	doc = context.get("reference_doc")
	doctype = context.get("reference_doctype")
	if not doc or not doctype:
		return
	meta = frappe.get_meta(doctype)
	drop_unreadable(doc, meta)
	for table in meta.get_table_fields():
		child_meta = frappe.get_meta(table.options)
		for row in doc.get(table.fieldname) or []:
			drop_unreadable(row, child_meta, parenttype=doctype)


def drop_unreadable(values: dict, meta, parenttype: str | None = None) -> None:
	levels = meta.get_permlevel_access("read", parenttype=parenttype)
	for df in meta.fields:
		if df.permlevel and df.permlevel not in levels:
			values.pop(df.fieldname, None)
