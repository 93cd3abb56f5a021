"""Input guard (R8.3): every value given to a DocType of this app has its field's type, length and range
before frappe or a controller works with it, so bad input gets a clear translated error, never a 500.

The fields come from the DocType meta (new fields are covered without new code); the checks themselves
are framework-free (`verification.field_values`). One check, two places:

- `check_request` (hook `before_request`): the payload of frappe's document endpoints (REST, frappe.client,
  the desk's save, web form accept) is checked before frappe builds a document from it. Some junk never
  reaches a document hook: a scalar where a child table is expected breaks frappe's document constructor,
  and a Link given an object is run as a query by frappe's link validation (naming other people's
  records in its error) — both before `before_validate`.
- `guard_document` (doc_events "*": `before_validate`): whatever other path set the values (server code,
  data import), they are normalised (Arabic-Indic digits, numbers given for text) and checked before the
  controller's `validate`.
"""

import inspect
import json
from functools import cache
from urllib.parse import unquote

import frappe
from frappe import _
from frappe.model.base_document import get_controller

from charity_beneficiary.verification import VerificationError
from charity_beneficiary.verification.digits import to_ascii_digits
from charity_beneficiary.verification.field_values import (
	TABLE_TYPES,
	VARCHAR_LENGTH,
	check_int,
	check_rows,
	check_value,
	check_varchar,
)

APP = "charity_beneficiary"

# Standard columns a payload may carry (frappe reads `name` as filters when it is an object).
STANDARD_FIELDS = {
	"name": lambda value: check_varchar(value, VARCHAR_LENGTH),
	"parent": lambda value: check_varchar(value, VARCHAR_LENGTH),
	"parenttype": lambda value: check_varchar(value, VARCHAR_LENGTH),
	"docstatus": lambda value: check_int(value, (0, 2)),
	"idx": check_int,
}


class InvalidInputError(frappe.ValidationError):
	"""A value does not fit its field (type, length, range, format); HTTP 417."""


# --- the check over a DocType's meta -------------------------------------------------------------------
@cache
def app_modules() -> frozenset[str]:
	"""The app's modules (its modules.txt), read once per process: the one test of "a DocType of the app"."""
	return frozenset(frappe.get_module_list(APP))


def is_app_doctype(doctype: object) -> bool:
	if not isinstance(doctype, str) or not doctype:
		return False
	module = frappe.db.get_value("DocType", doctype, "module", cache=True)
	return module in app_modules()


def check_values(doctype: str, values: dict, row: str = "") -> None:
	"""Check the fields of `doctype` present in `values` (a payload); child rows recursively."""
	meta = frappe.get_meta(doctype)
	for fieldname, value in values.items():
		df = meta.get_field(fieldname)
		if df and df.fieldtype in TABLE_TYPES:
			for idx, child in enumerate(checked(check_rows, value, label=label(df, row)), start=1):
				check_values(df.options, child, row=row_label(df, idx))
		elif df:
			checked(check_field, df, value, label=label(df, row))
		elif fieldname in STANDARD_FIELDS and value is not None:
			checked(STANDARD_FIELDS[fieldname], value, label=fieldname)
		elif shadows_controller(doctype, fieldname):
			frappe.throw(
				_("{0} is not a field of {1}").format(fieldname, _(doctype)),
				exc=InvalidInputError,
				title=_("Invalid Input"),
			)


def shadows_controller(doctype: str, key: str) -> bool:
	"""frappe sets every key of a payload on the document, fields or not: a key named like a method or
	property of the controller would replace it (and break the save with a TypeError)."""
	if key in frappe.model.default_fields or key in frappe.model.child_table_fields:
		return False
	return hasattr(get_controller(doctype), key)


def check_field(df, value):
	options = tuple((df.options or "").split("\n")) if df.fieldtype == "Select" else ()
	return check_value(
		df.fieldtype,
		value,
		length=df.length or 0,
		options=options,
		non_negative=bool(df.get("non_negative")),
	)


def label(df, row: str = "") -> str:
	return _("{0}, {1}").format(row, _(df.label)) if row else _(df.label)


def row_label(table_df, idx: int) -> str:
	"""Errors inside a child row name the row and its table ("Row 2 of Family Members, Date of Birth")."""
	return _("Row {0} of {1}").format(idx, _(table_df.label))


def checked(check, *args, label: str):
	"""Run a plain check; on failure throw its translated message prefixed by the field's label."""
	try:
		return check(*args)
	except VerificationError as error:
		frappe.throw(
			_("{0}: {1}").format(label, error.render(_)), exc=InvalidInputError, title=_("Invalid Input")
		)


# --- doc_events "*": before_validate ----------------------------------------------------------------
def guard_document(doc, method=None) -> None:
	"""Normalise and check every field of an app document (and of its child rows) before validate."""
	if doc.meta.module not in app_modules():
		return
	guard_fields(doc)


# --- doc_events "*": before_update_after_submit ------------------------------------------------------
def guard_submitted_document(doc, method=None) -> None:
	"""A submitted document changes only in its fields allowed on submit (a researcher's answer, a
	return's reason): those are checked as a save checks them; frappe refuses changes to the others."""
	if doc.meta.module not in app_modules():
		return
	guard_fields(doc, submitted=True)


def guard_fields(doc, row: str = "", submitted: bool = False) -> None:
	"""`submitted`: only the fields that may change after submission."""
	for df in doc.meta.fields:
		if submitted and not df.allow_on_submit and df.fieldtype not in TABLE_TYPES:
			continue  # frappe refuses a change to it
		value = doc.get(df.fieldname)
		if df.fieldtype in TABLE_TYPES:
			# the rows of a table allowed on submit may change in every field
			in_rows = submitted and not df.allow_on_submit
			for child in value or []:
				guard_fields(child, row=row_label(df, child.idx), submitted=in_rows)
		elif value is not None and df.fieldtype in frappe.model.data_fieldtypes:
			normalised = checked(check_field, df, value, label=label(df, row))
			if type(normalised) is not type(value) or normalised != value:
				doc.set(df.fieldname, normalised)
			check_fetching_link(doc, df, row)


def check_fetching_link(doc, df, row: str = "") -> None:
	"""frappe's link check passes a link to a record that does not exist when the link fetches values
	from it (base_document.get_invalid_links reads the fetched values, none, as nothing to check): a
	request was saved for a beneficiary that is not there, and its submission failed with a 500."""
	value = doc.get(df.fieldname)
	if df.fieldtype != "Link" or not value or not isinstance(value, str) or not df.options:
		return
	if doc.meta.get_fields_to_fetch(df.fieldname) and not frappe.db.exists(df.options, value):
		frappe.throw(
			_("{0}: {1} {2} does not exist").format(label(df, row), _(df.options), value),
			exc=frappe.LinkValidationError,
			title=_("Invalid Input"),
		)


# --- hooks before_request: the payload of frappe's document endpoints --------------------------------
def check_request() -> None:
	"""Refuse a payload for an app DocType whose values do not fit, before frappe builds the document."""
	request = getattr(frappe.local, "request", None)
	if not request or request.method == "OPTIONS":
		return
	path = request.path
	for prefix in ("/api/resource/", "/api/v2/document/"):
		if path.startswith(prefix) and request.method in ("POST", "PUT", "PATCH"):
			return check_resource_payload(unquote(path[len(prefix) :].split("/")[0]))
	method = rpc_method(path)
	if method in METHOD_PAYLOADS:
		METHOD_PAYLOADS[method](frappe.form_dict)
	elif isinstance(method, str) and method.startswith(f"{APP}."):
		check_arguments(method, frappe.form_dict)


def check_arguments(method: str, form: dict) -> None:
	"""An app method called without a required argument, or with one of the wrong type, is refused with
	a translated message (frappe answers the first with a 500, the second in English). Staff are told
	which argument; a guest is not (bad_arguments)."""
	try:
		fn = frappe.get_attr(method)
	except (AttributeError, ImportError, ValueError):
		return  # frappe answers an unknown method itself
	if fn not in frappe.whitelisted:
		return
	fn = inspect.unwrap(fn)
	for name, param in inspect.signature(fn).parameters.items():
		if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
			continue
		if name not in form:
			if param.default is param.empty:
				bad_arguments(_("{0} is required").format(name))
			continue
		if not fits(fn, name, form[name]):
			# a number typed on an Arabic keyboard (٥٠) is a number: the method gets it in ASCII digits
			ascii_value = to_ascii_digits(form[name]) if isinstance(form[name], str) else form[name]
			if ascii_value == form[name] or not fits(fn, name, ascii_value):
				bad_arguments(_("{0} has a value of the wrong type").format(name))
			form[name] = ascii_value


def fits(fn, name: str, value) -> bool:
	"""The value passes frappe's check of the argument's type hint."""
	from frappe.exceptions import FrappeTypeError
	from frappe.utils.typing_validations import transform_parameter_types

	try:
		transform_parameter_types(fn, (), {name: value})
	except FrappeTypeError:
		return False
	return True


def bad_arguments(detail: str) -> None:
	"""Refuse a call whose arguments do not fit. The names of a method's arguments describe the app's
	inside: staff may read them to report a fault; a guest or a beneficiary on the portal gets a
	generic message (R8.2)."""
	from charity_beneficiary.beneficiaries.portal import is_portal_user

	if frappe.session.user == "Guest" or is_portal_user():
		throw_invalid(_("The request is missing a value or has a value of the wrong type."))
	throw_invalid(detail)


def throw_invalid(message: str) -> None:
	frappe.throw(message, exc=InvalidInputError, title=_("Invalid Input"))


def rpc_method(path: str) -> str | None:
	for prefix in ("/api/method/", "/api/v2/method/"):
		if path.startswith(prefix):
			return path[len(prefix) :].split("/")[0]
	return frappe.form_dict.get("cmd")


def check_resource_payload(doctype: str) -> None:
	if not is_app_doctype(doctype):
		return
	from frappe.api.v1 import get_request_form_data

	payload = (
		get_request_form_data() if frappe.request.path.startswith("/api/resource/") else frappe.form_dict
	)
	check_values(doctype, as_object(payload, _("The request body")))


def check_doc_param(form: dict, key: str = "doc") -> None:
	"""`doc` of frappe.client.insert/save/submit and the desk's savedocs: an object with its doctype."""
	if key in form:
		check_doc(as_object(form.get(key), key))


def check_doc(doc: dict) -> None:
	if is_app_doctype(doc.get("doctype")):
		check_values(doc["doctype"], doc)


def check_docs_param(form: dict) -> None:
	"""`docs` of frappe.client.insert_many / bulk_update and run_doc_method: one object or a list of them."""
	if "docs" not in form:
		return
	docs = parsed(form.get("docs"))
	for doc in docs if isinstance(docs, list) else [docs]:
		check_doc(as_object(doc, "docs"))


def check_set_value(form: dict) -> None:
	"""frappe.client.set_value: `fieldname` is a field name with `value`, or an object of values."""
	doctype = form.get("doctype")
	if not is_app_doctype(doctype):
		return
	fieldname, value = form.get("fieldname"), form.get("value")
	if value in (None, ""):
		values = parsed(fieldname) if isinstance(fieldname, str) and fieldname[:1] == "{" else fieldname
		values = values if isinstance(values, dict) else {}
	elif isinstance(fieldname, str):
		values = {fieldname: value}
	else:
		values = {}
	check_values(doctype, values)


def check_web_form(form: dict) -> None:
	"""frappe's web form accept: `data` must be an object of the form's values, its name a plain string."""
	web_form = form.get("web_form")
	doctype = isinstance(web_form, str) and frappe.db.get_value("Web Form", web_form, "doc_type")
	if not is_app_doctype(doctype):
		return
	check_values(doctype, as_object(form.get("data"), _("The form data")))


def parsed(value):
	if not isinstance(value, str):
		return value
	try:
		return json.loads(value)
	except ValueError:
		frappe.throw(_("The request is not valid JSON"), exc=InvalidInputError, title=_("Invalid Input"))


def as_object(value, what: str) -> dict:
	value = parsed(value)
	if not isinstance(value, dict):
		frappe.throw(
			_("{0} must be a JSON object").format(what), exc=InvalidInputError, title=_("Invalid Input")
		)
	return value


# frappe's web list reads one more row than it shows; a page larger than this is no page
MAX_LIST_PAGE = 1000


def check_workflow_action(form: dict) -> None:
	"""frappe.model.workflow.apply_workflow: `doc` names the document whose state changes (frappe loads
	it); text that is no JSON object, or one naming no document, was a 500."""
	if "doc" not in form:
		return
	doc = as_object(form.get("doc"), "doc")
	if not all(isinstance(doc.get(key), str) and doc.get(key) for key in ("doctype", "name")):
		throw_invalid(_("{0} must name a document").format("doc"))
	check_doc(doc)


def check_list_page(form: dict) -> None:
	"""frappe's web list (`frappe.www.list.get`, open to guests) adds 1 to `limit` as it comes: a number
	sent over HTTP is text, and the page's "more" answered 500. The paging arguments are whole numbers
	here (Arabic-Indic digits too) or the call is refused clearly."""
	for key in ("limit", "limit_start"):
		if key not in form:
			continue
		value = to_ascii_digits(str(form[key])).strip()
		if not value.isascii() or not value.isdigit() or int(value) > MAX_LIST_PAGE:
			bad_arguments(_("{0} must be a whole number from 0 to {1}").format(key, MAX_LIST_PAGE))
		form[key] = int(value)


METHOD_PAYLOADS = {
	"frappe.client.insert": check_doc_param,
	"frappe.client.save": check_doc_param,
	"frappe.client.submit": check_doc_param,
	"frappe.desk.form.save.savedocs": check_doc_param,
	"frappe.client.insert_many": check_docs_param,
	"frappe.client.bulk_update": check_docs_param,
	"run_doc_method": check_docs_param,
	"frappe.handler.run_doc_method": check_docs_param,
	"frappe.client.set_value": check_set_value,
	"frappe.website.doctype.web_form.web_form.accept": check_web_form,
	"frappe.www.list.get": check_list_page,
	"frappe.model.workflow.apply_workflow": check_workflow_action,
}


def card_filters(doctype: str, filters) -> list[list]:
	"""The extra filters a number card sends (a JSON list of conditions, or an object of field: value),
	as frappe.get_list conditions of `doctype`; anything else is refused with a clear message."""
	extra = parsed(filters) if filters else []
	if isinstance(extra, dict):
		extra = [[doctype, field, "=", value] for field, value in extra.items()]
	if not isinstance(extra, list) or not all(is_condition(doctype, condition) for condition in extra):
		throw_invalid(_("The filters must be a list of conditions"))
	# a card counts what it is asked to: filtering on a field the user cannot read would tell it
	from charity_beneficiary.utils.list_guard import check_query

	check_query(doctype, {"filters": extra})
	return extra


def is_condition(doctype: str, condition) -> bool:
	"""[doctype, field, operator, value] or [field, operator, value], on a field of `doctype` or of one of
	its child tables (an unknown column would reach MariaDB)."""
	if not isinstance(condition, list) or len(condition) not in (3, 4):
		return False
	if len(condition) == 3:
		condition = [doctype, *condition]
	target, field, operator = condition[:3]
	if not all(isinstance(part, str) for part in (target, field, operator)):
		return False
	meta = frappe.get_meta(doctype)
	tables = {doctype, *(df.options for df in meta.get_table_fields())}
	if target not in tables:
		return False
	return field in frappe.model.default_fields or frappe.get_meta(target).has_field(field)
