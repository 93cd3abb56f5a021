"""Fields above a user's read level stay hidden wherever frappe shows a document, not only in its
form and its REST read.

frappe applies field-level read permissions to `getdoc` and `/api/resource`, but not to:
- a Jinja print format, rendered with the whole document (the beneficiary file printed his IBAN and
  income for a branch representative who may not read them): `before_print` (hooked for every
  DocType, frappe runs it before rendering) removes them for the app's DocTypes;
- the form's timeline: the Versions in `docinfo` carry every change, old and new values (an IBAN
  changed, a question referred to a researcher): `getdoc` and `get_docinfo` are frappe's, then the
  changes to fields the user may not read are dropped from the Versions they return.
A portal user (Website User) has no desk: he reads his records through the portal, and the desk's
form loaders (with the staff's comments in their timeline) answer him 403 for the app's DocTypes.
"""

import json

import frappe
from frappe import _
from frappe.utils import escape_html

from charity_beneficiary.beneficiaries.portal import is_portal_user
from charity_beneficiary.utils.input_guard import is_app_doctype


# --- doc_events "*": before_print -------------------------------------------------------------------
def drop_unreadable_before_print(doc, method=None, *args, **kwargs) -> None:
	if is_app_doctype(doc.doctype):
		doc.apply_fieldlevel_read_permissions()


# --- override_whitelisted_methods: the form's loaders -------------------------------------------------
@frappe.whitelist()
def getdoc(doctype: str, name: str):
	"""frappe.desk.form.load.getdoc, its timeline's Versions without the unreadable fields."""
	from frappe.desk.form.load import getdoc as frappe_getdoc

	refuse_portal_user(doctype)
	check_doctype(doctype)
	frappe_getdoc(doctype, name)
	hide_unreadable_changes(doctype)


@frappe.whitelist()
def get_docinfo(doctype: str | None = None, name: str | None = None, **kwargs):
	"""frappe.desk.form.load.get_docinfo over HTTP (by type and name: a Document is not sent over
	HTTP), likewise."""
	from frappe.desk.form.load import get_docinfo as frappe_get_docinfo

	if not (doctype and name):
		frappe.throw(_("Please give the document's type and name"), exc=frappe.MandatoryError)
	refuse_portal_user(doctype)
	check_doctype(doctype)
	frappe_get_docinfo(doctype=doctype, name=name)
	hide_unreadable_changes(doctype)


def check_doctype(doctype: str) -> None:
	"""frappe imports the controller of the type named before anything else: a name that is no
	DocType was a 500 (No module named …); it is a 404 like a missing document."""
	if not frappe.db.exists("DocType", doctype):
		frappe.throw(
			_("The document type {0} does not exist").format(escape_html(doctype[:140])),
			frappe.DoesNotExistError,
		)


def refuse_portal_user(doctype: str | None) -> None:
	if is_portal_user() and is_app_doctype(doctype):
		frappe.throw(
			_("The desk's forms are for staff; please use the portal"),
			exc=frappe.PermissionError,
			title=_("Not Permitted"),
		)


def hide_unreadable_changes(doctype: str | None) -> None:
	docinfo = frappe.response.get("docinfo")
	if not docinfo or not is_app_doctype(doctype) or frappe.session.user == "Administrator":
		return
	hidden = unreadable_fields(doctype)
	if not any(hidden.values()):
		return
	for version in docinfo.get("versions") or []:
		version["data"] = without_hidden(version.get("data"), doctype, hidden)


def unreadable_fields(doctype: str) -> dict[str, set[str]]:
	"""DocType (the document's and its tables') -> its fields above the user's read levels."""
	meta = frappe.get_meta(doctype)
	levels = meta.get_permlevel_access("read")
	hidden = {doctype: {df.fieldname for df in meta.fields if df.permlevel and df.permlevel not in levels}}
	for table in meta.get_table_fields():
		child = frappe.get_meta(table.options)
		hidden[table.options] = {
			df.fieldname for df in child.fields if df.permlevel and df.permlevel not in levels
		}
	return hidden


def without_hidden(data: str | None, doctype: str, hidden: dict[str, set[str]]) -> str | None:
	"""A Version's data ({"changed", "added", "removed", "row_changed"}) without the hidden fields."""
	try:
		changes = json.loads(data or "{}")
	except ValueError:
		return data
	own = hidden[doctype]
	tables = {df.fieldname: df.options for df in frappe.get_meta(doctype).get_table_fields()}

	def row_hidden(table: str) -> set[str]:
		return hidden.get(tables.get(table), set())

	changes["changed"] = [row for row in changes.get("changed") or [] if row and row[0] not in own]
	for key in ("added", "removed"):
		rows = []
		for table, row in changes.get(key) or []:
			if table in own:
				continue
			if isinstance(row, dict):
				row = {field: value for field, value in row.items() if field not in row_hidden(table)}
			rows.append([table, row])
		changes[key] = rows
	row_changed = []
	for table, idx, row_name, fields in changes.get("row_changed") or []:
		if table in own:
			continue
		fields = [field for field in fields if field and field[0] not in row_hidden(table)]
		if fields:
			row_changed.append([table, idx, row_name, fields])
	changes["row_changed"] = row_changed
	return json.dumps(changes, ensure_ascii=False)


# --- override_whitelisted_methods: the print view's renderers ----------------------------------------
# frappe prints the document it is sent as JSON when no name comes with it, after checking the
# permission on that document as sent: a storekeeper printed a disbursement he made up, naming another
# beneficiary, and the voucher fetched and showed that beneficiary's ID number. A document of the app
# is printed as it is stored, by name, with the permission on the stored record.
@frappe.whitelist()
def get_html_and_style(
	doc: str,
	name: str | None = None,
	print_format: str | None = None,
	no_letterhead: bool | None = None,
	letterhead: str | None = None,
	trigger_print: bool = False,
	style: str | None = None,
	settings: str | None = None,
):
	"""frappe.www.printview.get_html_and_style, of the stored record for the app's DocTypes."""
	from frappe.www.printview import get_html_and_style as frappe_get_html_and_style

	doc, name = stored_record(doc, name)
	return frappe_get_html_and_style(
		doc,
		name=name,
		print_format=print_format,
		no_letterhead=no_letterhead,
		letterhead=letterhead,
		trigger_print=trigger_print,
		style=style,
		settings=settings,
	)


@frappe.whitelist()
def get_rendered_raw_commands(doc: str, name: str | None = None, print_format: str | None = None):
	"""frappe.www.printview.get_rendered_raw_commands, likewise."""
	from frappe.www.printview import get_rendered_raw_commands as frappe_get_rendered_raw_commands

	doc, name = stored_record(doc, name)
	return frappe_get_rendered_raw_commands(doc, name=name, print_format=print_format)


def stored_record(doc, name):
	"""(doc, name) as frappe reads them; for a document of the app sent as JSON, its DocType and the
	name of the stored record (which frappe then loads and checks)."""
	if isinstance(name, str):
		return doc, name
	from charity_beneficiary.utils.input_guard import InvalidInputError, parsed

	sent = parsed(doc) if isinstance(doc, str) else doc
	if not isinstance(sent, dict) or not isinstance(sent.get("doctype"), str):
		frappe.throw(
			_("Please give the document's type and name"), exc=InvalidInputError, title=_("Invalid Input")
		)
	doctype = sent["doctype"]
	if not is_app_doctype(doctype):
		return doc, name
	stored = sent.get("name")
	if not isinstance(stored, str) or not stored or not frappe.db.exists(doctype, stored):
		frappe.throw(
			_("Only a saved document can be printed: {0} {1} was not found").format(
				_(doctype), escape_html(str(stored or "")[:140])
			),
			exc=frappe.DoesNotExistError,
		)
	return doctype, stored
