"""Writes that bypass a document's save and still leave an audit entry (R8.2).

A balance after a disbursement, the results of a research report or the closure of a complaint are
written with `frappe.db.set_value` (the document is submitted, or its own save would run rules
that do not apply). frappe records a Version only when a document is saved; `set_values` writes
the same Version itself, so the record's timeline names who changed what, from what, and when.
"""

from __future__ import annotations

import frappe


def set_values(
	doctype: str, name: str, values: dict, update_modified: bool = True, old: dict | None = None
) -> list:
	"""`frappe.db.set_value(doctype, name, values)` plus a Version of the fields that changed.

	`old`: the stored values, when the caller read them with a locking read; a plain read here may
	return the transaction's older snapshot (REPEATABLE READ) and take a real change for none.
	Returns the changes as [fieldname, old, new] rows (empty when nothing changed)."""
	if old is None:
		old = frappe.db.get_value(doctype, name, list(values), as_dict=True) or {}
	changed = [
		[field, old.get(field), value]
		for field, value in values.items()
		if _comparable(old.get(field)) != _comparable(value)
	]
	if not changed:
		return []
	frappe.db.set_value(doctype, name, values, update_modified=update_modified)
	record_version(doctype, name, changed)
	return changed


def record_version(doctype: str, name: str, changed: list) -> None:
	"""A Version with frappe's own "changed" format, shown in the form's timeline."""
	frappe.get_doc(
		{
			"doctype": "Version",
			"ref_doctype": doctype,
			"docname": name,
			"data": frappe.as_json({"added": [], "changed": changed, "removed": [], "row_changed": []}),
		}
	).insert(ignore_permissions=True)


def _comparable(value):
	if value in (None, ""):
		return None
	if isinstance(value, bool):
		return int(value)
	if isinstance(value, int | float):
		return float(value)
	return str(value)
