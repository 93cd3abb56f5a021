# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""The social researcher's report on an assistance request (R3.1).

The assigned researcher (or a manager on his behalf) writes it while the request is Under Research:
findings, the verified income and expenses, housing, health, photos, a need score from the
configurable rubric (Need Criterion), explained criterion by criterion, and a recommendation.
Submitting it puts the report, the score and the recommendation on the request (which the
Assistance Request needs before it goes to the committee) and the score on the beneficiary.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, get_fullname, getdate, today

from charity_beneficiary.assistance.scoring import ScoringError, explanation_lines, score_rubric
from charity_beneficiary.assistance.states import (
	APPROVAL_STATES,
	COMMITTEE_STATE,
	DISBURSED_STATE,
	REJECTED_STATE,
	RESEARCH_STATE,
)
from charity_beneficiary.beneficiaries import reminders
from charity_beneficiary.utils import audit
from charity_beneficiary.utils.money import format_money
from charity_beneficiary.verification import VerificationError, hijri_display

# Once the committee has the request (or has decided it), its research report stands.
LOCKED_STATES = (COMMITTEE_STATE, *APPROVAL_STATES, DISBURSED_STATE, REJECTED_STATE)
# Roles that may write a report on behalf of the assigned researcher.
ON_BEHALF_ROLES = {"Charity Manager", "System Manager"}
REQUEST_FIELDS = (
	"name",
	"docstatus",
	"workflow_state",
	"researcher",
	"beneficiary",
	"beneficiary_name",
	"aid_service",
	"requested_amount",
	"research_report",
	"received_on",
)


class ResearchStateError(frappe.ValidationError):
	"""The request is not at the research step."""


class ResearcherNotAssignedError(frappe.ValidationError):
	"""The report's researcher is not the request's assigned researcher."""


class NotTheResearcherError(frappe.PermissionError):
	"""Somebody other than the report's researcher (and not a manager) writes it."""


class DuplicateResearchReportError(frappe.ValidationError):
	"""The request already has a submitted research report."""


class InvalidNeedScoreError(frappe.ValidationError):
	"""The rubric is not scored correctly."""


class RecommendationError(frappe.ValidationError):
	"""The recommended amount does not fit the recommendation or the request."""


class ResearchReportLockedError(frappe.ValidationError):
	"""The request is with the committee or decided: its report can no longer be cancelled."""


class VisitDateError(frappe.ValidationError):
	"""The visit date is in the future or not a date the Hijri calendar can show."""


class FinancialLineError(frappe.ValidationError):
	"""A line of income or expenses has a negative monthly amount."""


class ResearchReport(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from charity_beneficiary.assistance.doctype.research_financial_line.research_financial_line import (
			ResearchFinancialLine,
		)
		from charity_beneficiary.assistance.doctype.research_photo.research_photo import ResearchPhoto
		from charity_beneficiary.assistance.doctype.research_score.research_score import ResearchScore

		aid_service: DF.Link | None
		amended_from: DF.Link | None
		assistance_request: DF.Link
		beneficiary: DF.Link | None
		beneficiary_name: DF.Data | None
		financials: DF.Table[ResearchFinancialLine]
		findings: DF.TextEditor
		health_notes: DF.SmallText | None
		housing_condition: DF.Literal["", "Good", "Acceptable", "Poor", "Unfit for Living"]
		monthly_balance: DF.Currency
		monthly_expenses: DF.Currency
		naming_series: DF.Literal["RSR-.YYYY.-.#####"]
		need_score: DF.Float
		photos: DF.Table[ResearchPhoto]
		recommendation: DF.Literal["", "Approve", "Partly Approve", "Reject"]
		recommendation_notes: DF.SmallText | None
		recommended_amount: DF.Currency
		requested_amount: DF.Currency
		researcher: DF.Link
		score_explanation: DF.SmallText | None
		scores: DF.Table[ResearchScore]
		verified_monthly_income: DF.Currency
		visit_date: DF.Date
		visit_date_hijri: DF.Data | None
		visit_type: DF.Literal["Home Visit", "Phone", "Office"]
	# end: auto-generated types

	def before_validate(self):
		self.write_on_behalf_of_assigned_researcher()

	def validate(self):
		request = self.get_request()
		self.copy_request_fields(request)
		if self.is_new() or self.has_value_changed("assistance_request"):
			self.validate_request_state(request)
		self.validate_researcher(request)
		self.validate_single_submitted_report()
		self.validate_visit_date(request)
		self.compute_financials()
		self.compute_need_score()
		self.validate_recommendation(request)

	def before_submit(self):
		request = self.get_request(for_update=True)  # one submission per request at a time
		self.validate_request_state(request)
		self.validate_single_submitted_report()

	def on_submit(self):
		# the request is submitted and these fields are the report's: written past its save, audited
		audit.set_values(
			"Assistance Request",
			self.assistance_request,
			{
				"research_report": self.name,
				"need_score": self.need_score,
				"recommendation": self.recommendation,
			},
		)
		if self.beneficiary:
			audit.set_values("Beneficiary", self.beneficiary, {"need_score": self.need_score})
			reminders.reviewed(self.beneficiary)  # the report is his periodic review (R6.2)
		frappe.get_doc("Assistance Request", self.assistance_request).add_comment(
			"Info",
			_("Research report {0} submitted: need score {1}, recommendation {2}").format(
				self.name, self.need_score, _(self.recommendation)
			),
		)

	def before_cancel(self):
		# the request links back to its report: cancelling the report neither needs nor cancels it
		self.ignore_linked_doctypes = ("Assistance Request",)
		state = frappe.db.get_value("Assistance Request", self.assistance_request, "workflow_state")
		if state in LOCKED_STATES:
			frappe.throw(
				_(
					"The request is already at the state {0}: its research report can no longer be cancelled. "
					"The committee can return the request first."
				).format(_(state)),
				exc=ResearchReportLockedError,
			)

	def on_cancel(self):
		if frappe.db.get_value("Assistance Request", self.assistance_request, "research_report") == self.name:
			audit.set_values(
				"Assistance Request",
				self.assistance_request,
				{"research_report": None, "need_score": 0, "recommendation": None},
			)
		if self.beneficiary and not self.flags.superseded:
			# the beneficiary keeps the score of his latest report still standing (a report superseded
			# by a return keeps it too: the new research replaces it)
			latest = frappe.get_all(
				"Research Report",
				filters={"beneficiary": self.beneficiary, "docstatus": 1, "name": ("!=", self.name)},
				pluck="need_score",
				order_by="modified desc",
				limit=1,
			)
			audit.set_values("Beneficiary", self.beneficiary, {"need_score": latest[0] if latest else 0})

	# --- the request ------------------------------------------------------------------------------
	def get_request(self, for_update: bool = False) -> frappe._dict:
		request = (
			frappe.db.get_value(
				"Assistance Request",
				self.assistance_request,
				REQUEST_FIELDS,
				as_dict=True,
				for_update=for_update,
			)
			if self.assistance_request
			else None
		)
		if not request:
			frappe.throw(
				_("Assistance Request {0} does not exist").format(frappe.bold(self.assistance_request or "")),
				exc=frappe.DoesNotExistError,
			)
		return request

	def copy_request_fields(self, request):
		"""The report is about the request's beneficiary and service, whatever was sent."""
		self.beneficiary = request.beneficiary
		self.beneficiary_name = request.beneficiary_name
		self.aid_service = request.aid_service
		self.requested_amount = request.requested_amount

	def validate_request_state(self, request):
		if request.docstatus != 1 or request.workflow_state != RESEARCH_STATE:
			frappe.throw(
				_(
					"A research report can only be written for a request under research; request {0} is at the state {1}"
				).format(frappe.bold(request.name), _(request.workflow_state or "Draft")),
				exc=ResearchStateError,
			)

	# --- the researcher ---------------------------------------------------------------------------
	def write_on_behalf_of_assigned_researcher(self):
		"""A manager opening a report for someone else's request writes it for the assigned researcher
		(the researcher field defaults to whoever opens the form)."""
		if not self.is_new() or not self.assistance_request:
			return
		assigned = frappe.db.get_value("Assistance Request", self.assistance_request, "researcher")
		user = frappe.session.user
		if not self.researcher or (
			self.researcher == user and assigned and assigned != user and can_write_on_behalf(user)
		):
			self.researcher = assigned

	def validate_researcher(self, request):
		if not request.researcher:
			frappe.throw(
				_(
					"Request {0} has no assigned researcher: assign one before writing its research report"
				).format(frappe.bold(request.name)),
				exc=ResearcherNotAssignedError,
			)
		if self.researcher != request.researcher:
			frappe.throw(
				_("The researcher of this report must be the researcher assigned to request {0}: {1}").format(
					frappe.bold(request.name), frappe.bold(get_fullname(request.researcher))
				),
				exc=ResearcherNotAssignedError,
			)
		user = frappe.session.user
		if user != self.researcher and not can_write_on_behalf(user):
			frappe.throw(
				_("Only the assigned researcher {0} or a manager can write this research report").format(
					frappe.bold(get_fullname(self.researcher))
				),
				exc=NotTheResearcherError,
			)

	def validate_single_submitted_report(self):
		other = frappe.db.get_value(
			"Research Report",
			{"assistance_request": self.assistance_request, "docstatus": 1, "name": ("!=", self.name)},
		)
		if other:
			frappe.throw(
				_(
					"Request {0} already has a submitted research report, {1}; cancel it first to replace it"
				).format(frappe.bold(self.assistance_request), frappe.bold(other)),
				exc=DuplicateResearchReportError,
			)

	# --- the visit --------------------------------------------------------------------------------
	def validate_visit_date(self, request: frappe._dict):
		if not self.visit_date:
			self.visit_date_hijri = None
			return
		if getdate(self.visit_date) > getdate(today()):
			frappe.throw(_("The visit date cannot be in the future"), exc=VisitDateError)
		# the research of this request: a visit before the request was received is another's
		if request.received_on and getdate(self.visit_date) < getdate(request.received_on):
			frappe.throw(
				_("The visit date cannot be before the request was received ({0})").format(
					frappe.format(getdate(request.received_on), "Date")
				),
				exc=VisitDateError,
			)
		try:
			self.visit_date_hijri = hijri_display(getdate(self.visit_date), lang=frappe.local.lang or "ar")
		except VerificationError as error:
			frappe.throw(_("{0}: {1}").format(_("Visit Date"), error.render(_)), exc=VisitDateError)

	# --- income and expenses ----------------------------------------------------------------------
	def compute_financials(self):
		"""Only what the researcher verified counts: verified income, verified expenses, the balance."""
		income = expenses = 0.0
		for line in self.financials:
			if flt(line.monthly_amount) < 0:
				frappe.throw(
					_("Row {0} of Income and Expenses: the monthly amount cannot be negative").format(
						line.idx
					),
					exc=FinancialLineError,
				)
			if not cint(line.verified):
				continue
			if line.line_type == "Income":
				income += flt(line.monthly_amount)
			elif line.line_type == "Expense":
				expenses += flt(line.monthly_amount)
		self.verified_monthly_income = flt(income, self.precision("verified_monthly_income"))
		self.monthly_expenses = flt(expenses, self.precision("monthly_expenses"))
		self.monthly_balance = flt(income - expenses, self.precision("monthly_balance"))

	# --- need score -------------------------------------------------------------------------------
	def compute_need_score(self):
		"""Weights come from the rubric (Need Criterion) at every save of the draft, so the submitted
		report keeps the weights it was scored with; every active criterion must be scored."""
		criteria = {
			c.name: c
			for c in frappe.get_all(
				"Need Criterion", fields=["name", "criterion_name_en", "weight", "is_active"]
			)
		}
		for row in self.scores:
			criterion = criteria.get(row.criterion)
			if criterion and not criterion.is_active:
				frappe.throw(
					_(
						"{0} is no longer an active need criterion; please remove its row from the scores"
					).format(frappe.bold(row.criterion)),
					exc=InvalidNeedScoreError,
				)
			row.weight = flt(criterion.weight) if criterion else 0
		scored = {row.criterion for row in self.scores}
		missing = [name for name, c in criteria.items() if c.is_active and name not in scored]
		if missing:
			frappe.throw(
				_("Please score every need criterion; not scored: {0}").format(", ".join(missing)),
				exc=InvalidNeedScoreError,
			)
		try:
			result = score_rubric(
				{"criterion": row.criterion, "score": row.score, "weight": row.weight} for row in self.scores
			)
		except ScoringError as error:
			frappe.throw(error.render(_), exc=InvalidNeedScoreError)
		for row, scored_row in zip(self.scores, result.rows, strict=True):
			row.contribution = scored_row.contribution
		self.need_score = result.score
		labels = (
			{}
			if (frappe.local.lang or "ar").startswith("ar")
			else {name: c.criterion_name_en for name, c in criteria.items() if c.criterion_name_en}
		)
		self.score_explanation = "\n".join(explanation_lines(result, _, labels))

	# --- recommendation ---------------------------------------------------------------------------
	def validate_recommendation(self, request):
		requested = flt(request.requested_amount)
		amount = flt(self.recommended_amount)
		if amount < 0:
			frappe.throw(_("The recommended amount cannot be negative"), exc=RecommendationError)
		if self.recommendation == "Reject":
			self.recommended_amount = 0
			return
		if self.recommendation == "Approve" and not amount:
			self.recommended_amount = amount = requested
		if self.recommendation == "Partly Approve":
			if requested and not amount:
				frappe.throw(
					_("Please enter the recommended amount of the partial approval"),
					exc=frappe.MandatoryError,
				)
			if not requested and not (self.recommendation_notes or "").strip():
				# an in-kind request has no amount: the notes say which part to approve
				frappe.throw(
					_("Please write in the recommendation notes which part of the request to approve"),
					exc=frappe.MandatoryError,
				)
		if requested and amount > requested:
			frappe.throw(
				_("The recommended amount {0} exceeds the requested amount {1}").format(
					format_money(amount), format_money(requested)
				),
				exc=RecommendationError,
			)


def can_write_on_behalf(user: str) -> bool:
	return user == "Administrator" or bool(ON_BEHALF_ROLES & set(frappe.get_roles(user)))


@frappe.whitelist()
def get_rubric() -> list[dict]:
	"""The active need criteria, in a stable order, for a new report's scores table."""
	return frappe.get_list(
		"Need Criterion",
		filters={"is_active": 1},
		fields=["name", "criterion_name_en", "weight", "guidance"],
		order_by="weight desc, creation asc",
	)


@frappe.whitelist()
def make_research_report(source_name: str, target_doc=None):
	"""A new report for the request, ready to fill: for the "Research Report" button of the Assistance
	Request form (frappe.model.open_mapped_doc)."""
	request = frappe.get_doc("Assistance Request", source_name)
	request.check_permission("read")
	doc = frappe.new_doc("Research Report")
	doc.update(
		{
			"assistance_request": request.name,
			"beneficiary": request.beneficiary,
			"beneficiary_name": request.beneficiary_name,
			"aid_service": request.aid_service,
			"requested_amount": request.requested_amount,
			"researcher": request.researcher or frappe.session.user,
		}
	)
	for criterion in get_rubric():
		doc.append("scores", {"criterion": criterion.name, "weight": criterion.weight, "score": 0})
	return doc
