# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""Aid Programme (R6.2): one decision that reaches many households in a season.

Draft: the manager sets the criteria, the entitlement and the budget, "Get Beneficiaries" lists the
eligible households with what each would get (eligibility.py, one query), and staff exclude rows
with a reason. Every save checks the list again on the server — a line added by hand must qualify,
and what each line gets is computed here, never taken from the user — and fits it into the budget
(rules.fit_budget): lines the budget cannot cover are marked `beyond_budget` and get nothing.

Submit sends the programme to the Research Committee (approval_status "Pending Committee"); the
committee's meeting decides it like a request, with quorum and votes (approval.py). An approved
programme is run by the accountant or the storekeeper in batches (run.py).
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import flt, getdate

from charity_beneficiary.disbursement.accounts import check_paid_from_account
from charity_beneficiary.disbursement.defaults import get_defaults
from charity_beneficiary.programmes import eligibility, rules, season
from charity_beneficiary.utils import code_owned

DELIVERY_TYPES = ("Cash", "In-Kind")
PENDING_COMMITTEE = "Pending Committee"


class ProgrammeError(frappe.ValidationError):
	pass


class IneligibleLineError(ProgrammeError):
	pass


class OverBudgetError(ProgrammeError):
	pass


class ProgrammePaidError(ProgrammeError):
	pass


class AidProgramme(Document):
	# begin: auto-generated types
	# end: auto-generated types

	def before_validate(self):
		code_owned.refuse_user_changes(self)

	def validate(self):
		self.validate_period()
		self.validate_service()
		self.set_defaults()
		if self.delivery_type == "Cash":
			check_paid_from_account(self.paid_from_account, self.company)
		self.validate_fund()
		self.validate_entitlement()
		self.validate_batch_size()
		self.validate_lines()
		self.set_totals()

	@frappe.whitelist()
	def submit(self):
		# the season lock before frappe locks this programme's row and lines (check_if_latest): waiting
		# for it, a submit then holds nothing that the holder's check reads (season.py)
		season.hold_lock()
		return super().submit()

	def before_submit(self):
		if not self.selected_count:
			frappe.throw(
				_("Please get the beneficiaries of the programme before submitting it"), exc=ProgrammeError
			)
		self.check_season()
		self.approval_status = PENDING_COMMITTEE
		self.run_status = "Not Started"

	def before_update_after_submit(self):
		code_owned.refuse_user_changes(self)

	def before_cancel(self):
		if any(line.status == "Paid" for line in self.lines):
			frappe.throw(
				_("Programme {0} has paid beneficiaries and cannot be cancelled").format(self.name),
				exc=ProgrammePaidError,
			)

	# --- header ------------------------------------------------------------------------------------
	def validate_period(self):
		if getdate(self.to_date) < getdate(self.from_date):
			frappe.throw(_("The programme ends before it starts"), exc=ProgrammeError)

	def validate_service(self):
		service = frappe.get_cached_value(
			"Aid Service", self.aid_service, ["delivery_type", "is_active"], as_dict=True
		)
		if not service or not service.is_active:
			frappe.throw(_("The aid service {0} is not active").format(self.aid_service), exc=ProgrammeError)
		if service.delivery_type not in DELIVERY_TYPES:
			frappe.throw(
				_("A programme delivers cash or in-kind aid; {0} is delivered by a provider").format(
					self.aid_service
				),
				exc=ProgrammeError,
			)
		self.delivery_type = service.delivery_type
		cash = self.delivery_type == "Cash"
		if cash == (self.entitlement_basis == rules.ITEMS):
			frappe.throw(
				_("The entitlement {0} does not suit a {1} service").format(
					_(self.entitlement_basis), _(self.delivery_type)
				),
				exc=ProgrammeError,
			)

	def set_defaults(self):
		defaults = get_defaults(self.company)
		self.company = self.company or defaults.company
		if not self.company:
			frappe.throw(_("Please set the default company in Charity Settings"), exc=frappe.MandatoryError)
		if self.delivery_type == "Cash":
			self.paid_from_account = self.paid_from_account or defaults.paid_from_account
		else:
			self.paid_from_account = None
		for row in self.items:
			row.uom = row.uom or frappe.get_cached_value("Item", row.item_code, "stock_uom")

	def validate_fund(self):
		fund = frappe.get_cached_value(
			"Charity Fund", self.charity_fund, ["is_active", "restricted_to_service"], as_dict=True
		)
		if not fund or not fund.is_active:
			frappe.throw(_("The fund {0} is not active").format(self.charity_fund), exc=ProgrammeError)
		if fund.restricted_to_service and fund.restricted_to_service != self.aid_service:
			frappe.throw(
				_("The fund {0} is restricted to the service {1}").format(
					self.charity_fund, fund.restricted_to_service
				),
				exc=ProgrammeError,
			)

	def validate_entitlement(self):
		self.entitlement_for(1)  # raises on an incomplete entitlement

	def validate_batch_size(self):
		try:
			self.batch_size = rules.batch_size(self.batch_size)
		except rules.ProgrammeRuleError as e:
			throw_rule(e)

	def entitlement_for(self, household_size: int) -> rules.Entitlement:
		try:
			return rules.entitlement(
				self.entitlement_basis, household_size, amount=flt(self.amount), items=self.item_quantities()
			)
		except rules.ProgrammeRuleError as e:
			throw_rule(e)

	def item_quantities(self) -> dict[str, float]:
		qty = {}
		for row in self.items:
			qty[row.item_code] = qty.get(row.item_code, 0) + flt(row.qty)
		return qty

	def item_budget(self) -> dict[str, float]:
		return {row.item_code: flt(row.budget_qty) for row in self.items if flt(row.budget_qty)}

	# --- the lines ---------------------------------------------------------------------------------
	def fill_lines(self) -> None:
		"""Replace the lines with every eligible household; staff exclusions of households still
		eligible are kept. Saved by the caller, which runs validate_lines."""
		kept = {line.beneficiary: line for line in self.lines if line.excluded}
		self.set("lines", [])
		for row in eligibility.eligible_households(self):
			line = self.append("lines", {"beneficiary": row.name})
			if row.name in kept:
				line.excluded, line.exclusion_reason = 1, kept[row.name].exclusion_reason

	def validate_lines(self):
		"""Each line qualifies, once; its details and what it gets are computed here; budget fitted."""
		names = [line.beneficiary for line in self.lines]
		eligible = {row.name: row for row in eligibility.eligible_households(self, only=names)}
		categories = eligibility.categories_of(list(eligible))
		seen = set()
		for line in self.lines:
			if line.beneficiary in seen:
				frappe.throw(
					_("Row {0}: beneficiary {1} is listed more than once").format(line.idx, line.beneficiary),
					exc=IneligibleLineError,
				)
			seen.add(line.beneficiary)
			row = eligible.get(line.beneficiary)
			if not row:
				frappe.throw(
					_(
						"Row {0}: beneficiary {1} does not qualify for the programme (inactive, under duplicate review, already served this season or outside the criteria)"
					).format(line.idx, line.beneficiary),
					exc=IneligibleLineError,
				)
			if line.excluded and not (line.exclusion_reason or "").strip():
				frappe.throw(
					_("Row {0}: please give the reason for excluding {1}").format(line.idx, line.beneficiary),
					exc=frappe.MandatoryError,
				)
			self.set_line_details(line, row, categories.get(line.beneficiary))
		self.fit_budget()

	def set_line_details(self, line, row, categories: str | None):
		line.beneficiary_name = row.beneficiary_name
		line.branch = row.branch
		line.household_size = row.household_size
		line.need_score = row.need_score
		line.categories = categories
		if not line.excluded:
			line.exclusion_reason = None

	def fit_budget(self):
		candidates = []
		for line in self.lines:
			candidate = rules.Candidate(
				line.beneficiary,
				line.household_size,
				line.need_score,
				self.entitlement_for(line.household_size),
			)
			candidate.excluded_reason = "excluded" if line.excluded else None
			candidates.append(candidate)
		rules.fit_budget(candidates, flt(self.budget_amount), self.item_budget())
		for line, candidate in zip(self.lines, candidates, strict=True):
			line.beyond_budget = int(candidate.excluded_reason == rules.BEYOND_BUDGET)
			gets = not (line.excluded or line.beyond_budget)
			line.amount = candidate.entitlement.amount if gets else 0
			line.items_summary = items_summary(candidate.entitlement.items) if gets else None

	def check_season(self):
		"""No other programme of the season lists the households, as committed now: validate_lines read
		a snapshot, and another programme may be submitted at the same instant (season.py)."""
		season.hold_lock()  # already held through submit(); not if saved with docstatus 1
		selected = self.selected_lines()
		listed = eligibility.listed_elsewhere(self, [line.beneficiary for line in selected])
		for line in selected:
			if other := listed.get(line.beneficiary):
				frappe.throw(
					_("Row {0}: beneficiary {1} is already listed by programme {2} this season").format(
						line.idx, line.beneficiary, other
					),
					exc=IneligibleLineError,
				)

	def selected_lines(self) -> list:
		return [line for line in self.lines if not (line.excluded or line.beyond_budget)]

	def set_totals(self):
		selected = self.selected_lines()
		total = rules.totals(self.entitlement_for(line.household_size) for line in selected)
		over = rules.over_budget(total, flt(self.budget_amount), self.item_budget())
		if over:  # fit_budget makes this impossible; kept as the last guard before money moves
			frappe.throw(_("The programme exceeds its budget: {0}").format(over), exc=OverBudgetError)
		self.eligible_count = len(self.lines)
		self.selected_count = len(selected)
		self.total_amount = total.amount


def items_summary(items: dict[str, float]) -> str:
	return ", ".join(f"{code} × {qty:g}" for code, qty in items.items())


def throw_rule(e: rules.ProgrammeRuleError):
	frappe.throw(_(e.template).format(*e.args_), exc=ProgrammeError)


@frappe.whitelist(methods=["POST"])
def get_beneficiaries(programme: str) -> dict:
	"""Fill the draft programme with the eligible households and what each would get (R6.2)."""
	doc = frappe.get_doc("Aid Programme", programme)
	doc.check_permission("write")
	if doc.docstatus != 0:
		frappe.throw(_("The beneficiaries of a submitted programme cannot change"), exc=ProgrammeError)
	doc.fill_lines()
	doc.save()
	return {
		"eligible": doc.eligible_count,
		"selected": doc.selected_count,
		"total_amount": doc.total_amount,
		"budget_amount": flt(doc.budget_amount),
	}
