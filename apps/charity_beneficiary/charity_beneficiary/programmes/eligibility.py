"""Who a programme reaches (R6.2): the eligible households, found with one query over the register.

Always applied, whatever the criteria: the beneficiary is Active; he is not the newer record of an
open or confirmed duplicate review (beneficiaries/duplicates.py sends fuzzy matches there, and the
review's `beneficiary` is the record that may be the copy); and no other submitted programme of the
same aid service whose period overlaps this one lists him (excluded rows aside), and he has no
request of his own for the service received in the programme's period, nor as many in its year as
the service allows (`served_by_requests`) — one season, one basket. Then the programme's own
criteria: categories, branches, need-score floor, household size.

The query returns the candidates in priority order (the neediest first, then the larger household);
the budget is fitted afterwards, in plain Python (rules.fit_budget). At submit and at payment the
season is read again with locking reads, under the season lock (listed_elsewhere, season.py): a
programme submitted or paid at the same instant is not in this query's snapshot.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.query_builder.functions import Coalesce, Count, GroupConcat
from frappe.query_builder.terms import ValueWrapper
from frappe.utils import get_year_ending, get_year_start
from pypika import CustomFunction

from charity_beneficiary.assistance.states import COUNTED_STATES

ACTIVE = "Active"
DUPLICATE_STATES = ("Open", "Confirmed Duplicate")
Greatest = CustomFunction("GREATEST", ["a", "b"])


def eligible_households(programme, only: list[str] | None = None) -> list[frappe._dict]:
	"""Beneficiaries who qualify for `programme`: name, beneficiary_name, branch, household_size,
	need_score. `only` restricts the answer to those names (to re-check a saved list)."""
	ben = DocType("Beneficiary")
	size = Greatest(Coalesce(ben.household_size, 0), ValueWrapper(1))
	query = (
		frappe.qb.from_(ben)
		.select(
			ben.name,
			ben.beneficiary_name,
			ben.branch,
			size.as_("household_size"),
			Coalesce(ben.need_score, 0).as_("need_score"),
		)
		.where(ben.status == ACTIVE)
		.where(ben.name.notin(duplicate_records()))
		.where(ben.name.notin(served_this_season(programme)))
		.orderby(ben.need_score, order=frappe.qb.desc)
		.orderby(size, order=frappe.qb.desc)
		.orderby(ben.name)
	)
	for served in served_by_requests(programme):
		query = query.where(ben.name.notin(served))
	if only is not None:
		if not only:
			return []
		query = query.where(ben.name.isin(only))
	categories = [row.category for row in programme.categories if row.category]
	if categories:
		query = query.where(ben.name.isin(in_categories(categories)))
	branches = [row.branch for row in programme.branches if row.branch]
	if branches:
		query = query.where(ben.branch.isin(branches))
	if programme.min_need_score:
		query = query.where(Coalesce(ben.need_score, 0) >= programme.min_need_score)
	if programme.min_household_size:
		query = query.where(size >= programme.min_household_size)
	if programme.max_household_size:
		query = query.where(size <= programme.max_household_size)
	return query.run(as_dict=True)


def unpayable(programme, beneficiaries: list[str]) -> dict[str, str]:
	"""At payment, the households of a batch who no longer qualify whatever the criteria, with the
	reason: suspended, made inactive or rejected, sent to a duplicate review, or served by a request
	of their own since the committee approved the list, or paid by another programme of the season.
	Called under season.hold_lock (run.run_batch). The criteria themselves (need score, size)
	are the committee's decision and are not re-judged."""
	ben = DocType("Beneficiary")
	of_batch = frappe.qb.from_(ben).select(ben.name).where(ben.name.isin(beneficiaries))
	reasons = {
		row.name: _("Not paid: the beneficiary was {0} when the programme paid").format(_(row.status))
		for row in of_batch.select(ben.status).run(as_dict=True)
		if row.status != ACTIVE
	}
	# another programme of the season that paid him (its run committed while this one waited)
	for name, other in listed_elsewhere(programme, beneficiaries, paid_only=True).items():
		reasons.setdefault(
			name, _("Not paid: programme {0} has paid the beneficiary this season").format(other)
		)
	checks = [(duplicate_records(), _("Not paid: the beneficiary is under a duplicate review"))]
	checks += [
		(served, _("Not paid: the beneficiary has a request of his own for the service this season"))
		for served in served_by_requests(programme)
	]
	for subquery, reason in checks:
		for name in of_batch.where(ben.name.isin(subquery)).run(pluck=True):
			reasons.setdefault(name, reason)
	return reasons


def in_categories(categories: list[str]):
	row = DocType("Beneficiary Category Row")
	return (
		frappe.qb.from_(row)
		.select(row.parent)
		.where(row.parenttype == "Beneficiary")
		.where(row.category.isin(categories))
	)


def duplicate_records():
	review = DocType("Beneficiary Duplicate Review")
	return (
		frappe.qb.from_(review)
		.select(review.beneficiary)
		.where(review.status.isin(DUPLICATE_STATES))
		.where(review.beneficiary.isnotnull())
	)


def served_this_season(programme):
	"""Beneficiaries on another submitted programme of the same service whose period overlaps."""
	lines, line, _other = season_lines(
		programme.aid_service, programme.from_date, programme.to_date, other_than=programme.name
	)
	return lines.select(line.beneficiary)


def season_lines(aid_service: str, from_date, to_date, other_than: str | None = None):
	"""(query, line, programme): the lines that serve their household in a season — of a submitted,
	not refused programme of `aid_service` whose period overlaps `from_date`..`to_date`, neither
	excluded nor beyond the budget. Also the single request's rule (assistance/eligibility.py)."""
	line, programme = DocType("Aid Programme Line"), DocType("Aid Programme")
	query = (
		frappe.qb.from_(line)
		.join(programme)
		.on(programme.name == line.parent)
		.where(line.parenttype == "Aid Programme")
		.where(programme.name != (other_than or ""))
		.where(in_season(programme, aid_service, from_date, to_date))
		.where(serves(line))
	)
	return query, line, programme


def in_season(programme, aid_service: str, from_date, to_date):
	"""The programme (header) is submitted, not refused, of `aid_service`, its period overlapping."""
	return (
		(programme.docstatus == 1)
		& (programme.aid_service == aid_service)
		& (programme.from_date <= to_date)
		& (programme.to_date >= from_date)
		& (Coalesce(programme.approval_status, "") != "Rejected")
	)


def serves(line):
	return (line.excluded == 0) & (line.beyond_budget == 0)


def listed_elsewhere(programme, beneficiaries: list[str], paid_only: bool = False) -> dict[str, str]:
	"""beneficiary -> the other programme of the season that lists him (`paid_only`: that paid him).

	Read with locking reads, under season.hold_lock: the latest committed rows, whatever snapshot
	the transaction holds (served_this_season and served_by_requests read that snapshot, and MariaDB
	reads the subqueries of a locking read from it too). So two flat reads: the lines — of submitted
	programmes only, never the draft lines of one being submitted — then the headers of their
	programmes alone, by name, rather than a join that could lock every programme's row."""
	if not beneficiaries:
		return {}
	line = DocType("Aid Programme Line")
	query = (
		frappe.qb.from_(line)
		.select(line.beneficiary, line.parent)
		.where(line.parenttype == "Aid Programme")
		.where(line.beneficiary.isin(beneficiaries))
		.where(line.parent != (programme.name or ""))
		.where(line.docstatus == 1)
		.where(serves(line))
		.orderby(line.parent)
	)
	if paid_only:
		query = query.where(line.status == "Paid")
	lines = query.for_update().run(as_dict=True)
	if not lines:
		return {}
	header = DocType("Aid Programme")
	of_season = set(
		frappe.qb.from_(header)
		.select(header.name)
		.where(header.name.isin({row.parent for row in lines}))
		.where(in_season(header, programme.aid_service, programme.from_date, programme.to_date))
		.for_update()
		.run(pluck=True)
	)
	listed = {}
	for row in lines:
		if row.parent in of_season:
			listed.setdefault(row.beneficiary, row.parent)
	return listed


def served_by_requests(programme) -> list:
	"""Subqueries of the beneficiaries whose own requests for the programme's service already serve
	them: one received in the programme's period, or as many in its year as the service allows.
	Requests still undecided count too, as they do for the service's yearly limits: approved after
	the programme paid, they would pay the season twice. The programme's own requests do not count."""
	req = DocType("Assistance Request")
	counted = (
		frappe.qb.from_(req)
		.select(req.beneficiary)
		.where(req.aid_service == programme.aid_service)
		.where(req.docstatus == 1)
		.where(req.workflow_state.isin(COUNTED_STATES))
		.where(req.name.notin(requests_of(programme)))
	)
	served = [counted.where(req.received_on[programme.from_date : programme.to_date])]
	per_year = frappe.get_cached_value("Aid Service", programme.aid_service, "max_times_per_year")
	if per_year:
		year = get_year_start(programme.from_date), get_year_ending(programme.from_date)
		served.append(
			counted.where(req.received_on[year[0] : year[1]])
			.groupby(req.beneficiary)
			.having(Count(req.name) >= per_year)
		)
	return served


def requests_of(programme):
	line = DocType("Aid Programme Line")
	return (
		frappe.qb.from_(line)
		.select(line.assistance_request)
		.where(line.parent == (programme.name or ""))
		.where(line.parenttype == "Aid Programme")
		.where(line.assistance_request.isnotnull())
	)


def categories_of(beneficiaries: list[str]) -> dict[str, str]:
	"""beneficiary -> its categories, comma separated (one query for all)."""
	if not beneficiaries:
		return {}
	row = DocType("Beneficiary Category Row")
	rows = (
		frappe.qb.from_(row)
		.select(row.parent, GroupConcat(row.category).as_("categories"))
		.where(row.parenttype == "Beneficiary")
		.where(row.parent.isin(beneficiaries))
		.groupby(row.parent)
		.run()
	)
	return dict(rows)
