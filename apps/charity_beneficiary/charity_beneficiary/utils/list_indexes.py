"""The indexes a DocType's desk list needs at a charity's size (100k+ rows).

A list sorts on `creation` by default and filters on a status or a branch: without an index
starting with the filtered column and ending with `creation`, MariaDB sorts every matching row
for each page. Called from the controllers' `on_doctype_update` (install and migrate)."""

import frappe


def add_list_indexes(doctype: str, filtered_columns: tuple[str, ...]) -> None:
	"""(creation), and (column, creation) for each column the list is commonly filtered on."""
	# frappe names its own creation index `creation`: the same name keeps this a no-op there
	frappe.db.add_index(doctype, ["creation"], "creation")
	for column in filtered_columns:
		frappe.db.add_index(doctype, [column, "creation"], f"{column}_creation_index")
