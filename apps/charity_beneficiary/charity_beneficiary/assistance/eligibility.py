"""Eligibility of a beneficiary for a service at submission (R2.2): each refusal is a clear,
translated reason, and all of them are reported at once."""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Count, Sum
from frappe.utils import flt, get_year_ending, get_year_start, getdate

from charity_beneficiary.assistance.states import COUNTED_STATES
from charity_beneficiary.programmes.eligibility import season_lines
from charity_beneficiary.verification import is_expired


class NotEligibleError(frappe.ValidationError):
	pass


def check_eligibility(request) -> None:
	problems = eligibility_problems(request)
	if problems:
		frappe.throw(
			_("The request cannot be submitted:") + "<ul><li>" + "</li><li>".join(problems) + "</li></ul>",
			exc=NotEligibleError,
			title=_("Not Eligible"),
		)


def eligibility_problems(request) -> list[str]:
	service = frappe.get_cached_doc("Aid Service", request.aid_service)
	beneficiary = beneficiary_facts(request.beneficiary, service)
	problems = []
	if beneficiary.status != "Active":
		problems.append(_("the beneficiary is not active (status {0})").format(_(beneficiary.status)))
	if not service.is_active:
		problems.append(_("the service {0} is not offered at present").format(service.name))
	problems += category_problems(beneficiary, service)
	if service.min_need_score and flt(beneficiary.need_score) < flt(service.min_need_score):
		problems.append(
			_("the need score {0} is below the service's minimum of {1}").format(
				flt(beneficiary.need_score), flt(service.min_need_score)
			)
		)
	problems += limit_problems(request, service)
	problems += programme_problems(request)
	problems += document_problems(beneficiary, service, getdate(request.received_on))
	return problems


def beneficiary_facts(name: str, service) -> frappe._dict:
	"""Only what the checks read: his status and need score, his categories when the service is for
	some, his attached documents of the types it requires. Every request is checked on submission
	(the portal's too), and the whole Beneficiary with its four child tables cost several queries."""
	facts = frappe.db.get_value("Beneficiary", name, ["status", "need_score"], as_dict=True) or frappe._dict()
	facts.categories = set()
	if service.eligible_categories:
		facts.categories = set(
			frappe.get_all(
				"Beneficiary Category Row",
				filters={"parent": name, "parenttype": "Beneficiary", "parentfield": "categories"},
				pluck="category",
			)
		)
	facts.documents = []
	required = [row.document_type for row in service.required_document_types]
	if required:
		facts.documents = frappe.get_all(
			"Beneficiary Document",
			filters={
				"parent": name,
				"parenttype": "Beneficiary",
				"parentfield": "documents",
				"document_type": ("in", required),
				"attachment": ("is", "set"),
			},
			fields=["document_type", "expiry_date", "verified"],
			order_by="idx asc",
		)
	return facts


def category_problems(beneficiary, service) -> list[str]:
	allowed = {row.category for row in service.eligible_categories}
	if not allowed or allowed & beneficiary.categories:
		return []
	return [_("the service is only for the categories: {0}").format(", ".join(_(c) for c in sorted(allowed)))]


def limit_problems(request, service) -> list[str]:
	problems = []
	amount = flt(request.requested_amount)
	if service.max_amount and amount > flt(service.max_amount):
		problems.append(
			_("the requested amount {0} exceeds the service's limit of {1} per request").format(
				amount, flt(service.max_amount)
			)
		)
	count, total = requests_this_year(request)
	if service.max_times_per_year and count >= service.max_times_per_year:
		problems.append(
			_("the beneficiary already has {0} requests for this service this year; the limit is {1}").format(
				count, service.max_times_per_year
			)
		)
	if service.max_amount_per_year and total + amount > flt(service.max_amount_per_year):
		problems.append(
			_("this year's requests for this service would total {0}, above the yearly limit of {1}").format(
				total + amount, flt(service.max_amount_per_year)
			)
		)
	return problems


def requests_this_year(request) -> tuple[int, float]:
	"""Count and amount (approved, or requested while undecided) of the beneficiary's other
	requests for the same service in the calendar year of this one."""
	req = DocType("Assistance Request")
	received = getdate(request.received_on)
	amount = (
		frappe.qb.terms.Case().when(req.approved_amount > 0, req.approved_amount).else_(req.requested_amount)
	)
	row = (
		frappe.qb.from_(req)
		.select(Count(req.name), Sum(amount))
		.where(
			(req.beneficiary == request.beneficiary)
			& (req.aid_service == request.aid_service)
			& (req.docstatus == 1)
			& (req.workflow_state.isin(COUNTED_STATES))
			& (req.name != (request.name or ""))
			& (req.received_on[get_year_start(received) : get_year_ending(received)])
		)
		.run()
	)[0]
	return row[0] or 0, flt(row[1])


def programme_problems(request) -> list[str]:
	"""One season, one basket: a household a seasonal programme of the service serves in a period
	covering the request's date is served by it (programmes/eligibility.py: the same lines, the same
	rule the other way)."""
	received = getdate(request.received_on)
	lines, line, programme = season_lines(request.aid_service, received, received)
	listed = (
		lines.select(programme.name)
		.where(line.beneficiary == request.beneficiary)
		.where(line.assistance_request.isnull() | (line.assistance_request != (request.name or "")))
		.limit(1)
		.run(pluck=True)
	)
	if not listed:
		return []
	return [
		_(
			"the beneficiary is served by the seasonal programme {0} of this service in the same period"
		).format(listed[0])
	]


def document_problems(beneficiary, service, on_date) -> list[str]:
	"""Each document the service requires, verified and unexpired on the request's date in one of its
	copies (a renewed copy waiting for verification stands beside the verified one): the officer's
	check at submission (R1.1, R1.3), as the registration's own (Beneficiary.missing_documents). An
	unverified copy counted, and a later expired copy hid a valid one."""
	problems = []
	for row in service.required_document_types:
		copies = [d for d in beneficiary.documents if d.document_type == row.document_type]
		current = [d for d in copies if not (d.expiry_date and is_expired(getdate(d.expiry_date), on_date))]
		if not copies:
			problems.append(_("the document {0} is missing").format(_(row.document_type)))
		elif any(d.verified for d in current):
			continue
		elif current:  # what is left to do is the officer's verification
			problems.append(_("the document {0} is not verified").format(_(row.document_type)))
		else:
			problems.append(_("the document {0} has expired").format(_(row.document_type)))
	return problems
