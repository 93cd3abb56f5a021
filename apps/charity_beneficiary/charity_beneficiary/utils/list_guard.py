"""No list query may filter, sort or group on a field the user cannot read (R8.2).

Frappe removes the fields a user may not read from what a list returns, but not from what it
filters, sorts or groups on: a Branch Representative who may not read `bank_iban` can still ask for
the Beneficiaries whose `bank_iban like "SA03%"`, and learn the IBAN a character at a time; the
counts of a group-by on it tell the same. This guard refuses such a query (HTTP 403) for the app's
DocTypes (and their child tables).

Where it is enforced, and why there:
- Every permission-checked list query of frappe v15 (`/api/resource` and `/api/v2/document` lists,
  `frappe.client.get_list` / `get_value`, `frappe.desk.reportview.get` / `get_list` / `get_count`,
  the sidebar's `get_group_by_count` and `get_stats`, link searches) runs `DatabaseQuery`, which calls
  the `permission_query_conditions` hooks and nothing else of the app. That hook cannot see the
  query, but it runs inside the request that asked for it, and the request's parameters are what the
  user chose. So `query_conditions` (hooked for "*", adding no condition) checks the parameters of
  the request when they are a list request for the same DocType. One hook covers every path, the
  REST list included (`/api/resource` calls `frappe.client.get_list` directly, past any
  `override_whitelisted_methods`), and new list endpoints of frappe are covered as long as they use
  `frappe.get_list`.
- `frappe.client.get_count` is the one list path that does not run `DatabaseQuery` in v15.75: it
  counts with `frappe.db.count`, without any permission. `get_count` below replaces it (through
  `override_whitelisted_methods`) for the app's DocTypes by a permission-aware count; other DocTypes
  keep frappe's.

Only what the user sends is judged; the app's own queries (and frappe's internal ones) are not.
"""

import json

import frappe
from frappe import _
from frappe.utils import cint, escape_html

from charity_beneficiary.utils.input_guard import InvalidInputError, app_modules, parsed

# Request parameters holding filters ({field: value}, [[field, op, value]], [[doctype, field, …]]).
FILTER_PARAMS = ("filters", "or_filters", "current_filters")
# Request parameters holding SQL-like sort or group expressions.
ORDER_PARAMS = ("order_by", "group_by")
# Whitelisted methods whose own parameter is the field they group and count on.
GROUPING_PARAMS = {
	"frappe.desk.listview.get_group_by_count": "field",
	"frappe.desk.reportview.get_stats": "stats",
	"frappe.desk.reportview.get_sidebar_stats": "stats",
}
SORT_WORDS = {"asc", "desc"}


class HiddenFieldQueryError(frappe.PermissionError):
	"""A list was asked to filter, sort or group on a field above the user's permission level."""


# --- the hooks -----------------------------------------------------------------------------------
def query_conditions(user: str | None = None, doctype: str | None = None) -> None:
	"""permission_query_conditions for "*": refuses the request, never narrows the query."""
	if not doctype or not is_guarded(doctype, with_hidden_fields=False):
		return
	params = frappe.local.form_dict if requested_doctype() == doctype else card_or_chart_query(doctype)
	if params is None:
		return
	check_staff_columns(doctype, params, user)
	if is_guarded(doctype):
		check_query(doctype, params, user)


@frappe.whitelist()
def get_dashboard_chart(
	chart_name=None,
	chart=None,
	no_cache=None,
	filters=None,
	from_date=None,
	to_date=None,
	timespan=None,
	time_interval=None,
	heatmap_year=None,
	refresh=None,
):
	"""frappe's dashboard chart data, but no heatmap of the app's DocTypes: frappe reads a heatmap
	with frappe.get_all, past every permission (any desk user could count any branch's records by any
	filter). The app ships none; its other charts are lists, guarded by query_conditions."""
	from frappe.desk.doctype.dashboard_chart.dashboard_chart import get

	if not isinstance(chart_name or "", str) or not isinstance(chart or "", str | dict):
		refuse_chart()
	sent = sent_chart(chart_name, chart)
	if sent.get("type") == "Heatmap" and is_guarded(
		sent.get("document_type") or "", with_hidden_fields=False
	):
		frappe.throw(
			_("A heatmap of {0} is not available: it would count records you may not read").format(
				_(sent.get("document_type"))
			),
			exc=frappe.PermissionError,
			title=_("Not Permitted"),
		)
	try:
		return get(
			chart_name=chart_name,
			chart=chart,
			no_cache=no_cache,
			filters=filters,
			from_date=from_date,
			to_date=to_date,
			timespan=timespan,
			time_interval=time_interval,
			heatmap_year=heatmap_year,
			refresh=refresh,
		)
	except (AttributeError, TypeError, ValueError, KeyError, IndexError):
		refuse_chart()  # frappe draws what it is sent as it comes: a chart or filters of the wrong shape
	except Exception as e:
		if not frappe.db.is_missing_column(e):
			raise
		refuse_chart()  # a field the DocType does not have


def refuse_chart():
	frappe.throw(
		_("The chart could not be drawn from what was sent"), exc=InvalidInputError, title=_("Invalid Input")
	)


@frappe.whitelist()
def get_count(doctype: str, filters=None, debug: bool = False, cache: bool = False) -> int:
	"""frappe.client.get_count, counting only what the user may list for the app's DocTypes."""
	from frappe.client import get_count as frappe_get_count

	if not is_guarded(doctype, with_hidden_fields=False):
		return frappe_get_count(doctype, filters=filters, debug=debug, cache=cache)
	filters = parsed(filters)  # not JSON: a clear refusal, not a server error
	check_query(doctype, {"filters": filters})
	try:
		rows = frappe.get_list(doctype, filters=filters, fields=["count(*) as total"], order_by=None)
	except (TypeError, ValueError, AttributeError, KeyError, IndexError) as e:
		refuse_filters(e)  # a condition of the wrong shape (frappe reads it as it comes)
	except Exception as e:
		if not frappe.db.is_missing_column(e):
			raise
		refuse_filters(e)  # a field the DocType does not have
	return rows[0].total if rows else 0


# --- link searches -------------------------------------------------------------------------------
# frappe's search_widget lists with ignore_permissions=True when it is sent ignore_user_permissions and
# the user has any read on the DocType: no permission_query_conditions (branch, researcher, committee,
# portal), no field levels, no check of this guard. Any user could list every beneficiary with his ID
# number and IBAN (filter_fields) and filter on the IBAN. For the app's DocTypes the search is the
# user's own list: ignore_user_permissions is off, its filters are checked here, and the fields it asks
# for (filter_fields, searchfield) are those the user may read, the others dropped as frappe's lists do.
@frappe.whitelist()
def search_widget(
	doctype: str,
	txt: str,
	query: str | None = None,
	searchfield: str | None = None,
	start: int = 0,
	page_length: int = 10,
	filters=None,
	filter_fields=None,
	as_dict: bool = False,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	"""frappe.desk.search.search_widget, within the user's permissions for the app's DocTypes."""
	from frappe.desk.search import search_widget as frappe_search_widget

	check_doctype(doctype)
	if not isinstance(txt, str):
		txt = ""
	if is_guarded(doctype, with_hidden_fields=False):
		if query:
			# frappe calls any whitelisted method as the query, with the search's text as its second
			# argument (frappe.client.get_list took it as the fields: an IBAN, a character at a time);
			# the app's DocTypes set no query of their own
			frappe.throw(
				_("A search of {0} cannot use another query").format(_(doctype)),
				exc=frappe.PermissionError,
				title=_("Not Permitted"),
			)
		ignore_user_permissions = False
		filters, filter_fields, searchfield = checked_search(
			doctype, filters, filter_fields, searchfield, reference_doctype
		)
	return frappe_search_widget(
		doctype,
		txt,
		query=query,
		searchfield=searchfield,
		start=start,
		page_length=page_length,
		filters=filters,
		filter_fields=filter_fields,
		as_dict=as_dict,
		reference_doctype=reference_doctype,
		ignore_user_permissions=ignore_user_permissions,
	)


@frappe.whitelist()
def search_link(
	doctype: str,
	txt: str,
	query: str | None = None,
	filters=None,
	page_length: int = 10,
	searchfield: str | None = None,
	reference_doctype: str | None = None,
	ignore_user_permissions: bool = False,
):
	"""frappe.desk.search.search_link (the Link field's search), through search_widget above."""
	from frappe.desk.search import build_for_autosuggest

	check_doctype(doctype)
	if not isinstance(txt, str):
		txt = ""
	results = search_widget(
		doctype,
		txt.strip(),
		query,
		searchfield=searchfield,
		page_length=page_length,
		filters=filters,
		reference_doctype=reference_doctype,
		ignore_user_permissions=ignore_user_permissions,
	)
	return build_for_autosuggest(results, doctype=doctype)


def checked_search(doctype: str, filters, filter_fields, searchfield, reference_doctype):
	"""A search's filters refused on fields the user cannot read; its extra fields kept to those he
	can (as JSON, the way frappe reads them)."""
	from frappe.model import get_permitted_fields

	filters = parsed(filters)
	if filters is not None and not isinstance(filters, dict | list):
		refuse_filters(ValueError(filters))
	meta = frappe.get_meta(doctype)
	parent = reference_doctype if meta.istable and isinstance(reference_doctype, str) else None
	params = {"filters": filters, "parent": parent}
	check_staff_columns(doctype, params)
	check_query(doctype, params)

	readable = set(get_permitted_fields(doctype, parenttype=parent, ignore_virtual=True))
	if frappe.get_cached_value("User", frappe.session.user, "user_type") == "Website User":
		readable -= set(STAFF_COLUMNS)
	asked = parsed(filter_fields)
	if asked is not None and not (isinstance(asked, list) and all(isinstance(field, str) for field in asked)):
		frappe.throw(
			_("The fields to show must be a list of field names"),
			exc=InvalidInputError,
			title=_("Invalid Input"),
		)
	kept = [field.strip() for field in asked or [] if field.strip() in readable]
	if not isinstance(searchfield, str) or searchfield.strip() not in readable:
		searchfield = None
	return filters, json.dumps(kept) if kept else None, searchfield


# --- the sidebar's "Assigned To" counts --------------------------------------------------------------
@frappe.whitelist()
def get_group_by_count(doctype: str, current_filters: str, field: str) -> list[dict]:
	"""frappe.desk.listview.get_group_by_count, counting only what the user may list for the app's
	DocTypes. frappe counts the assignments ("assigned_to") of the records its query builder selects
	with the caller's filters, without any permission: anyone, even a user who may not read the
	DocType, learnt whether a given record's IBAN starts with "SA44". Here the records counted are the
	user's own list (frappe.get_list, with its permission conditions and this guard)."""
	from frappe.desk.listview import get_group_by_count as frappe_get_group_by_count
	from frappe.model import is_default_field

	check_doctype(doctype)
	if not is_guarded(doctype, with_hidden_fields=False):
		return frappe_get_group_by_count(doctype, current_filters, field)
	if not isinstance(field, str) or not (
		field == "assigned_to" or frappe.get_meta(doctype).has_field(field) or is_default_field(field)
	):
		frappe.throw(
			_("{0} has no field {1} to count by").format(_(doctype), escape_html(str(field)[:140])),
			exc=InvalidInputError,
			title=_("Invalid Input"),
		)
	if not frappe.has_permission(doctype, "read"):
		frappe.throw(
			_("You may not read the records of {0}").format(_(doctype)),
			exc=frappe.PermissionError,
			title=_("Not Permitted"),
		)
	filters = parsed(current_filters)
	if filters is not None and not isinstance(filters, dict | list):
		refuse_filters(ValueError(filters))
	params = {"current_filters": filters, "fields": [field]}
	if field == "assigned_to":
		params["fields"].append("_assign")  # the staff's assignments: not a portal user's business
	check_staff_columns(doctype, params)
	check_query(doctype, {"current_filters": filters, "group_by": field if isinstance(field, str) else None})
	if field != "assigned_to":
		return frappe_get_group_by_count(doctype, filters, field)  # frappe.get_list: guarded
	try:
		listed = frappe.get_list(doctype, filters=filters, fields=["name"], order_by=None, run=0)
		# the subquery is frappe.get_list's own, its values escaped (no driver parameters: a like's %)
		# sql-ok: frappe.get_list(run=0) built and escaped it
		return frappe.db.sql(
			f"""select todo.allocated_to as name, count(*) as count
			from `tabToDo` todo join `tabUser` user on user.name = todo.allocated_to
			where todo.status != 'Cancelled' and user.user_type = 'System User'
				and todo.reference_type = {frappe.db.escape(doctype)} and todo.reference_name in ({listed})
			group by todo.allocated_to order by count desc limit 50""",
			as_dict=True,
		)
	except (TypeError, ValueError, AttributeError, KeyError, IndexError) as e:
		refuse_filters(e)  # a condition of the wrong shape (frappe reads it as it comes)
	except Exception as e:
		if not frappe.db.is_missing_column(e):
			raise
		refuse_filters(e)  # a field the DocType does not have


# --- the form's next and previous record -------------------------------------------------------------
@frappe.whitelist()
def get_next(doctype, value, prev, filters=None, sort_order="desc", sort_field="modified"):
	"""frappe.desk.form.utils.get_next, which sorts on any field it is sent: for the app's DocTypes
	the sort field is checked like a list's order_by (one the user cannot read is refused)."""
	from frappe.desk.form.utils import get_next as frappe_get_next
	from frappe.model import is_default_field

	check_doctype(doctype)
	prev = cint(prev) if isinstance(prev, str | int | float | bool) else 0
	if is_guarded(doctype, with_hidden_fields=False):
		if not isinstance(value, str) or not value:
			frappe.throw(
				_("Please give the document's type and name"), exc=InvalidInputError, title=_("Invalid Input")
			)
		if not isinstance(sort_order, str) or sort_order.lower() not in SORT_WORDS:
			frappe.throw(
				_("The sort order must be asc or desc"), exc=InvalidInputError, title=_("Invalid Input")
			)
		if not isinstance(sort_field, str) or not (
			frappe.get_meta(doctype).has_field(sort_field) or is_default_field(sort_field)
		):
			frappe.throw(
				_("{0} has no field {1} to sort by").format(_(doctype), escape_html(str(sort_field)[:140])),
				exc=InvalidInputError,
				title=_("Invalid Input"),
			)
		filters = parsed(filters)
		if filters is not None and not isinstance(filters, list):
			refuse_filters(ValueError(filters))
		params = {"filters": filters, "fields": [sort_field], "order_by": sort_field}
		check_staff_columns(doctype, params)
		check_query(doctype, params)
		# the record it starts from is one the user may read
		frappe.has_permission(doctype, "read", doc=value, throw=True)
	return frappe_get_next(
		doctype, value, prev, filters=filters, sort_order=sort_order, sort_field=sort_field
	)


def check_doctype(doctype) -> None:
	"""A DocType's name, else a 404 (frappe's own endpoints answer a missing one with a server error)."""
	if not isinstance(doctype, str) or not doctype or not frappe.db.exists("DocType", doctype):
		frappe.throw(
			_("The document type {0} does not exist").format(escape_html(str(doctype or "")[:140])),
			frappe.DoesNotExistError,
		)


def refuse_filters(error: Exception):
	frappe.throw(
		_("The filters could not be read: each is a field of the list, an operator and a value"),
		exc=InvalidInputError,
		title=_("Invalid Input"),
	)


# --- the desk's own columns ------------------------------------------------------------------------
# frappe's columns of the desk's collaboration on a record: its comments (staff's internal notes),
# assignments, likes, tags and who saw it. A list returns them to whoever asks for them.
STAFF_COLUMNS = ("_comments", "_assign", "_liked_by", "_seen", "_user_tags")


def check_staff_columns(doctype: str, params: dict, user: str | None = None) -> None:
	"""A portal user (a beneficiary) lists his own records, not the staff's notes and assignments on
	them (the comment on a complaint, the manager it was given to)."""
	user = user or frappe.session.user
	if frappe.get_cached_value("User", user, "user_type") != "Website User":
		return
	asked = as_list(parse(params.get("fields"))) + as_list(parse(params.get("fieldname")))
	# filtering or sorting on them tells them a letter at a time
	asked += [fieldname for _table, fieldname in queried_fields(doctype, params)]
	if any(isinstance(field, str) and column in field for field in asked for column in STAFF_COLUMNS):
		frappe.throw(
			_("These details of {0} are for the association's staff").format(_(doctype)),
			exc=HiddenFieldQueryError,
			title=_("Not Permitted"),
		)


# --- number cards and dashboard charts ------------------------------------------------------------
# They list the DocType named in the card or chart they are sent (its filters, and the fields it sums,
# dates or groups by), not in a `doctype` parameter.
CARD_METHOD = "frappe.desk.doctype.number_card.number_card.get_result"
# the card's change over a period: it runs get_result with the caller's filters on a saved card
CARD_CHANGE_METHOD = "frappe.desk.doctype.number_card.number_card.get_percentage_difference"
CARD_FIELDS = ("document_type", "parent_document_type", "aggregate_function_based_on", "filters_json")
CHART_METHOD = "frappe.desk.doctype.dashboard_chart.dashboard_chart.get"
CHART_FIELDS = ("aggregate_function_based_on", "value_based_on", "based_on", "group_by_based_on")


def card_or_chart_query(doctype: str) -> dict | None:
	"""What the current request's number card or dashboard chart filters and aggregates `doctype` on;
	None when it is not such a request for that DocType."""
	form = frappe.local.form_dict
	cmd = form.get("cmd")
	if not getattr(frappe.local, "request", None) or cmd not in (
		CARD_METHOD,
		CARD_CHANGE_METHOD,
		CHART_METHOD,
	):
		return None
	if cmd == CHART_METHOD:
		sent = sent_chart(form.get("chart_name"), form.get("chart"))
	else:  # the change is always the saved card's, whatever else the request sends of it
		sent = sent_card(form.get("doc"), saved=cmd == CARD_CHANGE_METHOD)
	if sent.get("document_type") != doctype:
		return None
	return {
		"filters": form.get("filters") or sent.get("filters_json"),
		"aggregated": [sent.get(field) for field in CHART_FIELDS if isinstance(sent.get(field), str)],
		"parent": sent.get("parent_document_type"),
	}


def sent_card(doc, saved: bool = False) -> dict:
	"""The number card a request sends (as JSON), or the saved one it names."""
	sent = parse(doc)
	if not isinstance(sent, dict):
		return {}
	if (saved or not sent.get("document_type")) and isinstance(sent.get("name"), str):
		return frappe.db.get_value("Number Card", sent["name"], list(CARD_FIELDS), as_dict=True) or {}
	return sent


def sent_chart(chart_name=None, chart=None) -> dict:
	"""The dashboard chart a request names (saved) or sends (as JSON)."""
	if chart_name and isinstance(chart_name, str):
		saved = frappe.db.get_value(
			"Dashboard Chart",
			chart_name,
			["document_type", "type", "filters_json", *CHART_FIELDS],
			as_dict=True,
		)
		return saved or {}
	sent = parse(chart)
	return sent if isinstance(sent, dict) else {}


# --- what is guarded -----------------------------------------------------------------------------
def is_guarded(doctype: str, with_hidden_fields: bool = True) -> bool:
	"""A DocType of the app (with a field above level 0, or one in its child tables)."""
	if not isinstance(doctype, str) or not doctype:
		return False
	meta = meta_of(doctype)
	if not meta or meta.module not in app_modules():
		return False
	if not with_hidden_fields:
		return True
	return bool(meta.get_high_permlevel_fields()) or any(
		frappe.get_meta(table.options).get_high_permlevel_fields() for table in meta.get_table_fields()
	)


def meta_of(doctype: str):
	try:
		return frappe.get_meta(doctype)
	except frappe.DoesNotExistError:
		return None


def requested_doctype() -> str | None:
	"""The DocType the current HTTP request lists: its `doctype` parameter or its REST path."""
	request = getattr(frappe.local, "request", None)
	if not request:
		return None
	doctype = frappe.local.form_dict.get("doctype")
	if doctype:
		return doctype
	from frappe.api import API_URL_MAP, v1, v2
	from werkzeug.exceptions import HTTPException

	try:
		endpoint, arguments = API_URL_MAP.bind_to_environ(request.environ).match()
	except HTTPException:
		return None
	return arguments.get("doctype") if endpoint in (v1.document_list, v2.document_list) else None


# --- the check -----------------------------------------------------------------------------------
def check_query(doctype: str, params: dict, user: str | None = None) -> None:
	"""Refuse a query whose filters, sort keys or groupings name a field the user cannot read."""
	parent = params.get("parent") or params.get("parent_doctype")  # a child table listed by itself
	hidden = hidden_fields(
		doctype, queried_fields(doctype, params), user, parent if isinstance(parent, str) else None
	)
	if hidden:
		frappe.throw(
			_("You cannot filter, sort or group {0} by {1}: you may not read it").format(
				_(doctype), ", ".join(hidden)
			),
			exc=HiddenFieldQueryError,
			title=_("Not Permitted"),
		)


def queried_fields(doctype: str, params: dict) -> list[tuple[str, str]]:
	"""(doctype, fieldname) of every field the request filters, sorts or groups on."""
	fields = []
	for param in FILTER_PARAMS:
		fields += filter_fields(doctype, parse(params.get(param)))
	for param in ORDER_PARAMS:
		fields += expression_fields(doctype, params.get(param))
	grouping = GROUPING_PARAMS.get(frappe.local.form_dict.get("cmd") or "")
	if grouping and params is frappe.local.form_dict:
		value = parse(params.get(grouping))
		for fieldname in value if isinstance(value, list) else [value]:
			fields += expression_fields(doctype, fieldname)
	for expression in as_list(params.get("aggregated")):
		fields += expression_fields(doctype, expression)
	if params.get("aggregate_on_field"):
		fields.append((params.get("aggregate_on_doctype") or doctype, params.get("aggregate_on_field")))
	# a plain field the user may not read is dropped by frappe; one inside an expression is not
	for field in as_list(parse(params.get("fields"))):
		if isinstance(field, str) and "(" in field:
			fields += expression_fields(doctype, field)
	return fields


def parse(value):
	if isinstance(value, str) and value[:1] in ("[", "{", '"'):
		try:
			return json.loads(value)
		except ValueError:
			return value
	return value


def as_list(value) -> list:
	if not value:
		return []
	return value if isinstance(value, list | tuple) else [value]


def filter_fields(doctype: str, filters) -> list[tuple[str, str]]:
	if not filters:
		return []
	if isinstance(filters, dict):
		return [column(doctype, str(key)) for key in filters]
	if isinstance(filters, list | tuple):
		if filters and all(isinstance(part, str) for part in filters) and len(filters) in (3, 4):
			filters = [filters]  # one condition given flat
		fields = []
		for condition in filters:
			if isinstance(condition, dict):
				fields += filter_fields(doctype, condition)
			elif isinstance(condition, list | tuple) and len(condition) >= 4:
				fields.append(column(str(condition[0]), str(condition[1])))
			elif isinstance(condition, list | tuple) and condition:
				fields.append(column(doctype, str(condition[0])))
		return fields
	return []


def expression_fields(doctype: str, expression) -> list[tuple[str, str]]:
	"""The columns of an ORDER BY / GROUP BY expression (``a desc, `tabX`.`b` asc``)."""
	from frappe.desk.reportview import extract_fieldnames

	if not expression or not isinstance(expression, str):
		return []
	fields = []
	for term in expression.split(","):
		words = [word for word in term.split() if word.lower() not in SORT_WORDS]
		if not words:
			continue
		for name in extract_fieldnames(" ".join(words)):
			if name and name != "*":
				fields.append(column(doctype, name))
	return fields


def column(doctype: str, name: str) -> tuple[str, str]:
	"""("tabX.field" | "`tabX`.`field`" | "field") -> (doctype, fieldname)."""
	name = name.replace("`", "").strip()
	if "." in name:
		table, name = name.split(".", 1)
		doctype = table.removeprefix("tab")
	return doctype, name


def hidden_fields(
	doctype: str, fields: list[tuple[str, str]], user: str | None = None, parent_doctype: str | None = None
) -> list[str]:
	"""Labels of the fields above the permission levels the user may read. A child table's levels are
	its parent's: the listed DocType's, or the parent named for a child table listed by itself."""
	hidden = []
	for table, fieldname in dict.fromkeys(fields):
		meta = meta_of(table)
		df = meta and meta.get_field(fieldname)
		if not df or not df.permlevel:
			continue
		parent = (parent_doctype if table == doctype else doctype) if meta.istable else None
		if df.permlevel not in meta.get_permlevel_access("read", parenttype=parent, user=user):
			hidden.append(_(df.label or fieldname))
	return hidden
