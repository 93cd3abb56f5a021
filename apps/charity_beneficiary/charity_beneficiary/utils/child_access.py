"""A child table's rows are read with their parent record, never past it (R8.2).

frappe lists a child table (`/api/resource/Beneficiary Family Member?parent=Beneficiary`,
`frappe.client.get_value`, `frappe.desk.reportview.get`, a number card's count or sum) for anyone who
may read the parent DocType at all: it checks the parent's role permissions, not which parents he may
read, and runs the child table's own query conditions, of which it has none. A branch representative
listed the family members (names, ID numbers) of every branch, a researcher summed the incomes of
beneficiaries he may not open.

`query_conditions` (hooked for "*") gives the app's child tables those conditions: a row is listed only
when its parent is one the user may list (the very query of the parent's list, with its branch,
researcher, committee and portal conditions) and the table is one he may read on that parent (its
permission level: the incomes of the level-1 table are not the branch representative's). Other
DocTypes are left alone."""

import frappe

from charity_beneficiary.utils.file_access import listable_records
from charity_beneficiary.utils.input_guard import app_modules

TABLE_FIELDTYPES = ("Table", "Table MultiSelect")
NOTHING = "1 = 0"


def query_conditions(user: str | None = None, doctype: str | None = None) -> str | None:
	"""permission_query_conditions for "*": the rows of an app child table the user may list."""
	if not doctype or not is_app_child_table(doctype):
		return None
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	table = f"`tab{doctype}`"
	allowed = []
	for parent, fieldname, permlevel in tables_using(doctype):
		if permlevel not in frappe.get_meta(parent).get_permlevel_access("read", user=user):
			continue
		records = listable_records(parent, user)
		if not records:
			continue
		allowed.append(
			f"({table}.`parenttype` = {frappe.db.escape(parent)}"
			f" and {table}.`parentfield` = {frappe.db.escape(fieldname)}"
			f" and {table}.`parent` in ({records}))"
		)
	return "(" + " or ".join(allowed) + ")" if allowed else NOTHING


def is_app_child_table(doctype: str) -> bool:
	try:
		meta = frappe.get_meta(doctype)
	except frappe.DoesNotExistError:
		return False
	return bool(meta.istable) and meta.module in app_modules()


@frappe.request_cache  # asked once per list query; a request may list the same table again
def tables_using(doctype: str) -> list[tuple[str, str, int]]:
	"""(parent DocType, table field, its permission level) of every table field of `doctype`'s rows."""
	rows = frappe.get_all(
		"DocField",
		filters={"fieldtype": ("in", TABLE_FIELDTYPES), "options": doctype, "parenttype": "DocType"},
		fields=["parent", "fieldname", "permlevel"],
	)
	rows += frappe.get_all(
		"Custom Field",
		filters={"fieldtype": ("in", TABLE_FIELDTYPES), "options": doctype},
		fields=["dt as parent", "fieldname", "permlevel"],
	)
	return [(row.parent, row.fieldname, row.permlevel or 0) for row in rows]
