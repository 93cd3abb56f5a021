"""Portal assistance request (R2.1, R6.1): a beneficiary asks for one of the services he is eligible for.

The web form inserts a Draft with ignore_permissions (the controller makes it his own, channel
Website); its script then sends it with `assistance.portal.submit_portal_request` and shows the
reference number and the answer date. This module only shapes the page: the services offered (the
eligible ones, not every Aid Service), the items of in-kind services, a notice when he cannot apply,
a read-only view of a sent request, and the Arabic texts the page needs.
"""

import frappe
from frappe import _

from charity_beneficiary.assistance.portal import (
	IN_KIND,
	PORTAL_FIELDS,
	eligible_services,
)
from charity_beneficiary.assistance.states import APPROVAL_STATES, DECIDED_STATES, REASONED_STATES
from charity_beneficiary.beneficiaries.portal import own_beneficiary
from charity_beneficiary.portal.web_form_doc import keep_readable_fields
from charity_beneficiary.portal.web_form_texts import script_messages
from charity_beneficiary.utils.money import company_currency, currency_options

REGISTRATION_ROUTE = "/beneficiary-registration"
MY_REQUESTS_ROUTE = "/my-requests"
# Columns of the requested items: items are chosen among the service's, never searched (the
# Beneficiary role cannot read Item); the name and unit are fetched when the request is saved.
ITEM_COLUMNS = ("item_code", "qty")

# Texts of the form's script, sent translated with the page.
SCRIPT_MESSAGES = (
	"Request Received",
	"Reference Number",
	"Expected Answer Date",
	"Follow my requests",
	"Send another request",
	"Your request is saved but not sent yet. Please correct it and send it again.",
	"Up to {0} per request",
)


def get_context(context):
	web_form_doc = context.web_form_doc
	keep_readable_fields(context)  # frappe puts the whole document in the page
	beneficiary = own_beneficiary()
	services = eligible_services() if beneficiary and beneficiary.status == "Active" else []

	set_service_options(web_form_doc, services)
	set_item_columns(web_form_doc, services)
	web_form_doc.in_kind_services = frappe.get_all(
		"Aid Service", filters={"delivery_type": IN_KIND}, pluck="name"
	)
	web_form_doc.my_requests_route = MY_REQUESTS_ROUTE
	web_form_doc.currency = company_currency()

	if context.reference_doc:
		show_request_state(context)
	else:
		set_notice(web_form_doc, beneficiary, services)

	context.introduction_text = _(
		"Choose the service you need and describe your situation. Your request goes to the research "
		"committee, and you are told the date by which you will receive the answer."
	)
	context.success_title = _("Request Received")
	context.success_message = _("Your request has been received.")
	add_translations(context)


def set_service_options(web_form_doc, services: list[dict]) -> None:
	"""frappe turns the Link into an Autocomplete of every record the user may read: offer only the
	eligible services instead, with their description and limit."""
	for field in web_form_doc.web_form_fields:
		if field.fieldname == "aid_service":
			field.options = [
				{"value": s.name, "label": s.service_name or s.name, "description": s.description or ""}
				for s in services
			]
	web_form_doc.eligible_services = [
		{
			"name": s.name,
			"delivery_type": s.delivery_type,
			"max_amount": s.max_amount or 0,
			"items": [{"value": i.item_code, "label": i.item_name or i.item_code} for i in s["items"]],
		}
		for s in services
	]


def set_item_columns(web_form_doc, services: list[dict]) -> None:
	items = {}
	for service in services:
		for item in service["items"]:
			items.setdefault(item.item_code, item.item_name or item.item_code)
	meta = frappe.get_meta("Assistance Request Item")
	for field in web_form_doc.web_form_fields:
		if field.fieldname != "requested_items":
			continue
		columns = []
		for fieldname in ITEM_COLUMNS:
			column = meta.get_field(fieldname).as_dict(no_default_fields=True)
			column["in_list_view"] = 1
			if fieldname == "item_code":
				column["fieldtype"] = "Autocomplete"
				column["options"] = [{"value": code, "label": label} for code, label in items.items()]
			columns.append(column)
		field.fields = columns


def set_notice(web_form_doc, beneficiary, services: list[dict]) -> None:
	"""A new request: tell him why he cannot apply, if he cannot (the script then hides the form)."""
	link = f'<a href="{REGISTRATION_ROUTE}">{_("Beneficiary Registration")}</a>'
	if not beneficiary:
		notice = _("To request assistance, please register as a beneficiary first: {0}").format(link)
	elif beneficiary.status != "Active":
		notice = _(
			"Your registration is not active (status: {0}). You can request assistance once the "
			"association has approved it: {1}"
		).format(_(beneficiary.status), link)
	elif not services:
		notice = _("No assistance service is open to you at present. Please contact the association.")
	else:
		return
	web_form_doc.portal_notice = notice
	web_form_doc.portal_notice_color = "yellow"
	web_form_doc.block_form = 1


def show_request_state(context) -> None:
	"""An existing request: a sent one is shown read-only with its state and answer date; an unsent
	draft stays editable so he can correct it and send it again. The page carries only the fields a
	beneficiary may see."""
	doc = context.reference_doc
	web_form_doc = context.web_form_doc
	if doc.get("docstatus") == 0:
		web_form_doc.portal_notice = _(
			"Your request is saved but not sent yet. Please correct it and send it again."
		)
		web_form_doc.portal_notice_color = "orange"
	else:
		for target in (context, web_form_doc):
			target.in_edit_mode = False
			target.in_view_mode = True
			target.allow_edit = 0
		parts = [
			_("Reference Number: {0}").format(doc.get("name")),
			_("Status: {0}").format(_(doc.get("workflow_state"))),
		]
		if doc.get("expected_decision_date") and doc.get("workflow_state") not in DECIDED_STATES:
			parts.append(
				_("Expected answer date: {0} ({1})").format(
					frappe.format(doc.get("expected_decision_date"), {"fieldtype": "Date"}),
					doc.get("expected_decision_date_hijri") or "",
				)
			)
		if doc.get("workflow_state") in APPROVAL_STATES and doc.get("approved_amount"):
			parts.append(
				_("Approved amount: {0}").format(
					frappe.format(doc.get("approved_amount"), currency_options())
				)
			)
		if doc.get("workflow_state") in REASONED_STATES and doc.get("decision_reason"):
			parts.append(_("Reason: {0}").format(frappe.utils.escape_html(doc.get("decision_reason"))))
		web_form_doc.portal_notice = "<br>".join(parts)
		web_form_doc.portal_notice_color = "blue"
	context.reference_doc = {key: doc.get(key) for key in PORTAL_FIELDS if key in doc}


def add_translations(context) -> None:
	"""frappe sends the page translations only for the form's own labels, and sets them after this
	get_context runs: the script's messages and the item columns' labels travel with the form and
	the script adds them to frappe's."""
	extra = list(SCRIPT_MESSAGES)
	for field in context.web_form_doc.web_form_fields:
		for column in field.get("fields") or []:
			extra.extend([column.get("label"), column.get("description")])
	context.web_form_doc.script_messages = script_messages(extra)
