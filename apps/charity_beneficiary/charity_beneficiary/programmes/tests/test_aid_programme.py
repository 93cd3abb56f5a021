"""R6.2 on the real site: a seasonal programme's eligibility, budget, exclusions, committee approval,
batched posting, and a run killed with SIGKILL after its first batch and started again — each
household paid exactly once, the ledger equal to the lines.

The run commits per batch (that is what is tested), so this class commits too and removes what it
made in a class clean-up; what it commits is named for the run (several runs may share the site).

Whatever else is on the site does not matter: every programme here is restricted to a branch made
for the run, so only this class's households can be listed, and what the site says about them
before the tests begin (a duplicate review left by a deleted record whose name the series handed
out again) is cleared when they are made.
"""

import os
import signal
import subprocess
import sys
import threading
import time

import frappe
import pymysql
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, today

from charity_beneficiary.assistance.eligibility import NotEligibleError
from charity_beneficiary.disbursement.balance import NotDisbursableError
from charity_beneficiary.disbursement.defaults import get_defaults
from charity_beneficiary.disbursement.doctype.aid_disbursement.test_aid_disbursement import (
	purge,
	purge_requests,
	stock_qty,
)
from charity_beneficiary.disbursement.report.aid_disbursement_register.aid_disbursement_register import (
	execute as register,
)
from charity_beneficiary.disbursement.setup import setup_disbursement
from charity_beneficiary.programmes import notify, run, season
from charity_beneficiary.programmes.approval import ProgrammeAgendaError
from charity_beneficiary.programmes.doctype.aid_programme.aid_programme import (
	IneligibleLineError,
	ProgrammeError,
	get_beneficiaries,
)
from charity_beneficiary.programmes.report.aid_programme_reach.aid_programme_reach import execute as reach
from charity_beneficiary.programmes.run import ProgrammeNotApprovedError
from charity_beneficiary.tests.factories import (
	TEST_PASSWORD,
	committee_decides,
	make_active_beneficiary,
	make_aid_service,
	make_branch,
	make_disbursement,
	make_item,
	make_request,
	make_stock,
)
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import role_user
from charity_beneficiary.utils.code_owned import CodeOwnedFieldError

RUN = frappe.generate_hash(length=5)
BRANCH = f"فرع البرنامج {RUN}"
SERVICE = f"سلة رمضان النقدية (برنامج {RUN})"
GOODS_SERVICE = f"سلة رمضان الغذائية (برنامج {RUN})"
RICE, OIL = f"PRG-RICE-{RUN}".upper(), f"PRG-OIL-{RUN}".upper()
# distinct people: the registry sends a same name and birth date to the duplicate review (R1.4)
NAMES = iter(
	(
		"نورة سعد عبدالله القحطاني",
		"مريم خالد ناصر الدوسري",
		"هيلة فهد محمد الشمري",
		"سارة تركي سالم العتيبي",
		"لطيفة ماجد علي الغامدي",
		"منيرة بندر سعيد الحربي",
		"عائشة راشد حمد المطيري",
	)
)


def set_household(beneficiary: str, size: int, need: float = 0) -> None:
	# household size is derived from the family table and the need score from research: set directly
	frappe.db.set_value("Beneficiary", beneficiary, {"household_size": size, "need_score": need})


def forget_reviews(beneficiary: str) -> None:
	"""Clear the duplicate reviews naming `beneficiary`, a household of ours just made (the class
	then makes the one review it tests with).

	frappe.delete_doc gives the last name of a series back, and a duplicate review is not deleted
	with its record: another module's deleted beneficiary can leave an open review under the very
	name our household is given next, which would hide that household from every programme. A
	fuzzy match against someone else's leftover (same birth date, similar name) would do the same."""
	review = "Beneficiary Duplicate Review"
	frappe.db.delete(review, {"beneficiary": beneficiary})
	frappe.db.delete(review, {"possible_duplicate": beneficiary})


def leave_the_season(programmes: list[str]) -> None:
	"""A test's programmes, and the requests they paid, leave the season (as cancelled), so that the
	next test's programmes may list the same households again."""
	for name in programmes:
		frappe.db.set_value("Aid Programme", name, "docstatus", 2, update_modified=False)
	paid = frappe.get_all(
		"Aid Programme Line",
		filters={"parent": ("in", programmes or [""]), "assistance_request": ("is", "set")},
		pluck="assistance_request",
	)
	if paid:
		frappe.db.set_value(
			"Assistance Request",
			{"name": ("in", paid)},
			{"docstatus": 2, "workflow_state": "Cancelled"},
			update_modified=False,
		)


class TestAidProgramme(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.company = get_defaults().company
		setup_disbursement(cls.company)
		cls.manager = role_user("Charity Manager")
		cls.committee = role_user("Research Committee Member")
		cls.accountant = role_user("Charity Accountant")
		cls.storekeeper = role_user("Charity Storekeeper")
		cls.officer = role_user("Beneficiary Relations Officer")
		make_branch(BRANCH)
		make_aid_service(SERVICE, max_amount=0)
		make_aid_service(GOODS_SERVICE, delivery_type="In-Kind", max_amount=0)
		cls.fund = get_defaults().default_fund
		cls.warehouse = get_defaults().warehouse
		cls.made = {
			"Aid Programme": [],
			"Beneficiary": [],
			"Research Committee Meeting": [],
			"Stock Entry": [],
		}
		cls.addClassCleanup(cls.clean_up)
		for item, qty, rate in ((RICE, 100, 10), (OIL, 50, 20)):
			make_item(item)
			cls.made["Stock Entry"].append(make_stock(item, cls.warehouse, qty, rate))
		cls.households = [
			cls.beneficiary(size, need) for size, need in ((6, 90), (2, 80), (4, 70), (1, 60), (3, 50))
		]
		cls.inactive = cls.beneficiary(3, 99)
		frappe.db.set_value("Beneficiary", cls.inactive, "status", "Suspended")
		cls.duplicate = cls.beneficiary(3, 99)
		frappe.get_doc(
			{
				"doctype": "Beneficiary Duplicate Review",
				"beneficiary": cls.duplicate,
				"possible_duplicate": cls.households[0],
				"status": "Open",
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()

	@classmethod
	def beneficiary(cls, size, need, **fields):
		born = f"19{60 + len(cls.made['Beneficiary'])}-0{1 + len(cls.made['Beneficiary']) % 9}-15"
		name = make_active_beneficiary(
			branch=BRANCH, beneficiary_name=next(NAMES), date_of_birth=born, **fields
		).name
		cls.made["Beneficiary"].append(name)
		set_household(name, size, need)
		forget_reviews(name)
		return name

	@classmethod
	def clean_up(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		lines = frappe.get_all(
			"Aid Programme Line",
			filters={"parent": ("in", cls.made["Aid Programme"] or [""])},
			fields=["assistance_request", "journal_entry", "stock_entry"],
		)
		for doctype, vouchers in (
			("Journal Entry", {line.journal_entry for line in lines if line.journal_entry}),
			(
				"Stock Entry",
				{line.stock_entry for line in lines if line.stock_entry} | set(cls.made["Stock Entry"]),
			),
		):
			for voucher in vouchers:
				for table in ("GL Entry", "Payment Ledger Entry", "Stock Ledger Entry"):
					frappe.db.delete(table, {"voucher_type": doctype, "voucher_no": voucher})
				purge(doctype, [voucher])
		for item in (RICE, OIL):
			frappe.db.delete("Bin", {"item_code": item})
			purge("Item", [item])
		purge_requests([line.assistance_request for line in lines])
		purge("Research Committee Meeting", cls.made["Research Committee Meeting"])
		purge("Aid Programme", cls.made["Aid Programme"])
		for name in cls.made["Beneficiary"]:
			forget_reviews(name)
		# plain deletes: the series keeps its place, so no later record inherits one of these names
		purge("Beneficiary", cls.made["Beneficiary"])
		purge("Aid Service", [SERVICE, GOODS_SERVICE])
		purge("Branch", [BRANCH])
		frappe.db.commit()

	def setUp(self):
		frappe.set_user("Administrator")

	def tearDown(self):
		# each test's programmes leave the season, so the next test's households are free again
		frappe.set_user("Administrator")
		frappe.db.rollback()
		leave_the_season(self.made["Aid Programme"])
		frappe.db.commit()

	# --- helpers -----------------------------------------------------------------------------------
	def programme(self, **fields):
		frappe.set_user(self.manager)
		doc = frappe.get_doc(
			{
				"doctype": "Aid Programme",
				"title": f"رمضان {RUN}",
				"season": "رمضان 1447",
				"from_date": today(),
				"to_date": add_days(today(), 30),
				"aid_service": SERVICE,
				"charity_fund": self.fund,
				"branches": [{"branch": BRANCH}],
				"entitlement_basis": "Amount per Household Member",
				"amount": 100,
				"batch_size": 2,
				**fields,
			}
		).insert()
		self.made["Aid Programme"].append(doc.name)
		get_beneficiaries(doc.name)
		frappe.db.commit()
		return frappe.get_doc("Aid Programme", doc.name)

	def approve(self, programme, decision="Approved"):
		"""The committee's meeting, with the programme on its agenda, decides it."""
		meeting = committee_decides(
			{"aid_programme": programme, "decision": decision, "reason": "موازنة"},
			made=self.made["Research Committee Meeting"],
		)
		frappe.db.commit()
		return meeting

	def submitted(self, **fields):
		doc = self.programme(**fields)
		frappe.set_user(self.manager)
		doc.submit()
		frappe.db.commit()
		return doc

	def lines(self, programme):
		return frappe.get_all(
			"Aid Programme Line",
			filters={"parent": programme},
			fields=[
				"beneficiary",
				"amount",
				"excluded",
				"beyond_budget",
				"status",
				"journal_entry",
				"stock_entry",
				"assistance_request",
			],
			order_by="idx",
		)

	# --- eligibility, budget, exclusion --------------------------------------------------------------
	def test_only_active_households_without_duplicate_review_in_priority_order(self):
		doc = self.programme()
		listed = [line.beneficiary for line in doc.lines]
		self.assertEqual(listed, self.households)  # by need score, neediest first
		self.assertNotIn(self.inactive, listed)
		self.assertNotIn(self.duplicate, listed)
		self.assertEqual([line.amount for line in doc.lines], [600, 200, 400, 100, 300])
		self.assertEqual(doc.total_amount, 1600)

	def test_household_size_and_need_floor(self):
		doc = self.programme(min_household_size=2, max_household_size=4, min_need_score=55)
		self.assertEqual([line.beneficiary for line in doc.lines], self.households[1:3])

	def test_budget_is_never_exceeded(self):
		doc = self.programme(budget_amount=1000)
		self.assertLessEqual(doc.total_amount, 1000)
		self.assertEqual(doc.total_amount, 900)  # 600 + 200 + 100: 400 and 300 do not fit after them
		over = [line.beneficiary for line in doc.lines if line.beyond_budget]
		self.assertEqual(over, [self.households[2], self.households[4]])
		self.assertTrue(all(not line.amount for line in doc.lines if line.beyond_budget))

	def test_excluded_rows_get_nothing_and_need_a_reason(self):
		doc = self.programme(budget_amount=1000)
		doc.lines[0].excluded = 1
		with self.assertRaises(frappe.MandatoryError):
			doc.save()
		doc.reload()
		doc.lines[0].excluded = 1
		doc.lines[0].exclusion_reason = "انتقل خارج المنطقة"
		doc.save()
		self.assertEqual(doc.lines[0].amount, 0)
		# the budget freed by the exclusion goes to the next households in order: 200 + 400 + 100 + 300
		self.assertEqual(doc.total_amount, 1000)
		self.assertEqual(doc.selected_count, 4)

	def test_a_line_added_by_hand_must_qualify(self):
		doc = self.programme()
		doc.append("lines", {"beneficiary": self.inactive})
		with self.assertRaises(IneligibleLineError):
			doc.save()
		doc.reload()
		doc.lines[1].amount = 99999  # what a line gets is computed, never taken from the user
		with self.assertRaises(CodeOwnedFieldError):
			doc.save()
		doc.reload()
		doc.save()
		self.assertEqual(doc.lines[1].amount, 200)

	def test_served_this_season_by_another_programme_is_not_eligible(self):
		first = self.submitted()
		self.assertEqual(len(first.lines), len(self.households))
		second = self.programme()
		self.assertEqual(second.lines, [])

	def test_a_request_of_his_own_this_season_and_a_programme_never_both_pay(self):
		"""One season, one basket, across the two paths: a household with a request of its own for
		the service in the period is not listed, and one listed cannot file a request for it."""
		own = make_request(self.households[0], SERVICE, submit=True, requested_amount=300).name
		frappe.db.commit()
		try:
			doc = self.programme()
			listed = [line.beneficiary for line in doc.lines]
			self.assertNotIn(self.households[0], listed)
			self.assertEqual(listed, self.households[1:])
			frappe.set_user(self.manager)
			doc.submit()
			frappe.set_user("Administrator")
			with self.assertRaises(NotEligibleError) as ctx:
				make_request(self.households[1], SERVICE, submit=True, requested_amount=300)
			self.assertIn(doc.name, str(ctx.exception))
			frappe.db.rollback()
		finally:
			frappe.set_user("Administrator")
			frappe.db.rollback()
			purge_requests([own])
			frappe.db.commit()

	def test_a_service_at_its_yearly_limit_leaves_the_household_out(self):
		make_aid_service(SERVICE, max_amount=0, max_times_per_year=1)
		own = make_request(self.households[1], SERVICE, submit=True, requested_amount=300).name
		frappe.db.set_value("Assistance Request", own, "received_on", add_days(today(), -1))
		old = make_request(self.households[2], SERVICE, submit=True, requested_amount=300).name
		frappe.db.set_value("Assistance Request", old, "received_on", add_days(today(), -400))
		frappe.db.commit()
		try:
			listed = [line.beneficiary for line in self.programme().lines]
			self.assertNotIn(self.households[1], listed)  # this year's one request: the limit
			self.assertIn(self.households[2], listed)  # last year's does not count
		finally:
			frappe.set_user("Administrator")
			frappe.db.rollback()
			make_aid_service(SERVICE, max_amount=0, max_times_per_year=0)
			purge_requests([own, old])
			frappe.db.commit()

	# --- two programmes of the season at the same instant ------------------------------------------
	def test_two_programmes_submitted_at_once_never_list_the_same_household(self):
		"""This test submits one programme and holds its transaction open while the manager submits the
		other over REST: the second waits for the first to commit, then sees it and is refused. Before,
		both were submitted with the same households (each check read before the other committed)."""
		first, second = self.programme(), self.programme()  # both drafts list every household
		self.assertEqual(len(second.lines), len(self.households))
		server = live_server()
		session = server.session(self.manager, TEST_PASSWORD)
		result = {}

		def submit():
			result["response"] = session.post(
				f"{server.url}/api/method/frappe.client.submit",
				data={"doc": frappe.as_json(second.as_dict())},
				timeout=120,
			)

		frappe.set_user(self.manager)
		first.submit()  # not committed: it holds the season lock
		thread = threading.Thread(target=submit)
		thread.start()
		try:
			self.wait_for_the_season_lock(lambda: "response" in result and result["response"].text[:500])
		finally:
			frappe.db.commit()
			thread.join(120)
		response = result["response"]
		self.assertEqual(response.status_code, 417, response.text[:500])
		self.assertEqual(response.json()["exc_type"], "IneligibleLineError")
		self.assertIn(first.name, response.text)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Aid Programme", second.name, "docstatus"), 0)

	def test_two_runs_at_once_pay_a_household_once(self):
		"""Two approved programmes listing the same households (as submitted before the season check):
		this test pays the first's batch and holds it uncommitted while a worker runs the second. The
		worker waits, then sets every household aside as paid by the first. Before, both paid them."""
		first, second = self.programme(batch_size=10), self.programme(batch_size=10)
		frappe.set_user(self.manager)
		first.submit()
		# the second is submitted while the first is out of the season, as before the season check
		frappe.db.set_value("Aid Programme", first.name, "docstatus", 2, update_modified=False)
		second.submit()
		frappe.db.set_value("Aid Programme", first.name, "docstatus", 1, update_modified=False)
		frappe.db.commit()
		self.approve(first.name)
		self.approve(second.name)
		frappe.set_user(self.accountant)
		self.assertTrue(run.run_batch(frappe.get_doc("Aid Programme", first.name)))  # not committed
		worker = self.start_worker(second.name)
		try:
			self.wait_for_the_season_lock(lambda: worker.poll() is not None and worker.stderr.read())
		finally:
			frappe.db.commit()
			_out, err = worker.communicate(timeout=180)
		self.assertEqual(worker.returncode, 0, err)
		run.execute(first.name)  # nothing left: Completed
		frappe.set_user("Administrator")
		self.assert_paid_once(first.name)
		lines = self.lines(second.name)
		self.assertEqual({line.beneficiary for line in lines}, set(self.households))
		for line in lines:
			self.assertEqual((line.status, line.excluded, line.journal_entry), ("Pending", 1, None))
		reasons = frappe.get_all(
			"Aid Programme Line", {"parent": second.name}, pluck="exclusion_reason", distinct=True
		)
		self.assertEqual(
			reasons,
			[frappe._("Not paid: programme {0} has paid the beneficiary this season").format(first.name)],
		)
		self.assertFalse(frappe.db.get_value("Aid Programme", second.name, "paid_count"))

	def wait_for_the_season_lock(self, gone, timeout: float = 60) -> None:
		"""Until another connection waits for the season lock this transaction holds (MariaDB's process
		list, read outside any snapshot); fails if none does, or if `gone()` says the competitor ended."""
		lock = f"%{frappe.conf.db_name}:aid-programme-season%"
		deadline = time.monotonic() + timeout
		while time.monotonic() < deadline:
			if frappe.db.sql(
				"select count(*) from information_schema.processlist where state = 'User lock' and info like %s",
				(lock,),
			)[0][0]:
				return
			if ended := gone():
				self.fail(f"the competing submit or run ended without waiting: {ended}")
			time.sleep(0.1)
		self.fail("the competing submit or run did not wait for the season lock")

	def test_the_season_lock_is_held_to_the_commit_and_refused_after_its_wait(self):
		"""A submit that cannot have the lock in time is refused with a clear message."""
		frappe.set_user("Administrator")
		name = f"{frappe.conf.db_name}:aid-programme-season"
		season.hold_lock()
		self.assertTrue(frappe.db.sql("select is_used_lock(%s) <=> connection_id()", (name,))[0][0])
		other = pymysql.connect(
			host=frappe.conf.db_host or "127.0.0.1",
			port=int(frappe.conf.db_port or 3306),
			user=frappe.conf.db_user or frappe.conf.db_name,
			password=frappe.conf.db_password,
		)
		try:
			cursor = other.cursor()
			cursor.execute("select get_lock(%s, 0)", (name,))
			self.assertEqual(cursor.fetchone()[0], 0)  # held by this test's transaction
			frappe.db.commit()  # and released with it
			cursor.execute("select get_lock(%s, 0)", (name,))
			self.assertEqual(cursor.fetchone()[0], 1)
			with self.assertRaises(season.SeasonBusyError):
				season.hold_lock(timeout=1)
		finally:
			other.close()  # frees its lock

	# --- approval and the run ---------------------------------------------------------------------
	def test_households_that_stopped_qualifying_are_not_paid(self):
		"""Suspended, or served by a request of his own, after the committee approved the list: the
		run sets the line aside with the reason and pays the others."""
		doc = self.submitted()
		self.approve(doc.name)
		suspended, requested = self.households[1], self.households[3]
		frappe.set_user("Administrator")
		frappe.db.set_value("Beneficiary", suspended, "status", "Suspended")
		# approved since (filed before the list was, or today's eligibility would refuse it)
		own = make_request(requested, SERVICE, requested_amount=300)
		frappe.db.set_value("Assistance Request", own.name, {"docstatus": 1, "workflow_state": "Approved"})
		frappe.db.commit()
		try:
			frappe.set_user(self.accountant)
			run.execute(doc.name)
			frappe.set_user("Administrator")
			lines = {line.beneficiary: line for line in self.lines(doc.name)}
			for name in (suspended, requested):
				self.assertEqual((lines[name].status, lines[name].excluded), ("Pending", 1))
				self.assertFalse(lines[name].journal_entry)
			paid = [name for name, line in lines.items() if line.status == "Paid"]
			self.assertEqual(sorted(paid), sorted(set(self.households) - {suspended, requested}))
			reasons = dict(
				frappe.get_all(
					"Aid Programme Line",
					{"parent": doc.name, "excluded": 1},
					["beneficiary", "exclusion_reason"],
					as_list=True,
				)
			)
			self.assertIn(frappe._("Suspended"), reasons[suspended])
			header = frappe.db.get_value(
				"Aid Programme",
				doc.name,
				["selected_count", "total_amount", "paid_count", "paid_amount", "run_status"],
				as_dict=True,
			)
			self.assertEqual(header.selected_count, header.paid_count)
			self.assertEqual(flt(header.total_amount), flt(header.paid_amount))
			self.assertEqual(header.run_status, "Completed")
		finally:
			frappe.set_user("Administrator")
			frappe.db.rollback()
			frappe.db.set_value("Beneficiary", suspended, "status", "Active")
			purge_requests([own.name])
			frappe.db.commit()

	def test_fund_utilisation_types_a_programme_by_what_it_paid(self):
		"""A cash programme of a service with its own expense account is Cash aid, not the type whose
		account that is."""
		from charity_beneficiary.disbursement.report.aid_disbursement_register.test_aid_disbursement_register import (
			make_fund,
		)
		from charity_beneficiary.disbursement.report.fund_utilisation.fund_utilisation import (
			execute as fund_utilisation,
		)

		frappe.set_user("Administrator")
		own_account = frappe.db.get_single_value("Charity Settings", "service_expense_account")
		make_aid_service(SERVICE, max_amount=0, expense_account=own_account)
		fund = make_fund()
		frappe.db.commit()
		try:
			doc = self.submitted(charity_fund=fund)
			self.approve(doc.name)
			frappe.set_user(self.accountant)
			run.execute(doc.name)
			frappe.set_user("Administrator")
			paid = sum(flt(line.amount) for line in self.lines(doc.name) if line.status == "Paid")
			_columns, rows, *_rest = fund_utilisation(
				{"company": self.company, "fund": fund, "from_date": today(), "to_date": today()}
			)
			self.assertEqual((flt(rows[0]["cash"]), flt(rows[0]["provider_service"])), (paid, 0))
		finally:
			frappe.set_user("Administrator")
			frappe.db.rollback()
			make_aid_service(SERVICE, max_amount=0, expense_account=None)
			frappe.db.commit()

	def test_a_fund_closed_after_the_approval_pays_nothing_more(self):
		doc = self.submitted()
		self.approve(doc.name)
		frappe.set_user("Administrator")
		frappe.db.set_value("Charity Fund", self.fund, "is_active", 0)
		frappe.clear_document_cache("Charity Fund", self.fund)
		frappe.db.commit()
		try:
			frappe.set_user(self.accountant)
			with self.assertRaises(ProgrammeError):
				run.run_programme(doc.name)
			frappe.db.rollback()
			with self.assertRaises(ProgrammeError):
				run.execute(doc.name)
			frappe.db.rollback()
			self.assertFalse(frappe.db.get_value("Aid Programme", doc.name, "paid_count"))
		finally:
			frappe.set_user("Administrator")
			frappe.db.rollback()
			frappe.db.set_value("Charity Fund", self.fund, "is_active", 1)
			frappe.clear_document_cache("Charity Fund", self.fund)
			frappe.db.commit()

	def test_a_programme_is_run_only_after_the_committee_approves_it(self):
		doc = self.submitted()
		self.assertEqual(doc.approval_status, "Pending Committee")
		frappe.set_user(self.accountant)
		with self.assertRaises(ProgrammeNotApprovedError):
			run.run_programme(doc.name)
		frappe.set_user(self.manager)
		doc.reload()
		doc.approval_status = "Approved"  # a user cannot approve it himself
		with self.assertRaises(CodeOwnedFieldError):
			doc.save()
		frappe.db.rollback()
		meeting = self.approve(doc.name)
		doc.reload()
		self.assertEqual((doc.approval_status, doc.committee_meeting), ("Approved", meeting.name))
		frappe.set_user(self.officer)
		with self.assertRaises(frappe.PermissionError):
			run.run_programme(doc.name)

	def test_partial_approval_of_a_programme_is_refused(self):
		doc = self.submitted()
		with self.assertRaises(ProgrammeAgendaError):
			self.approve(doc.name, decision="Partly Approved")
		frappe.db.rollback()

	def test_run_posts_one_journal_entry_per_batch_and_pays_each_once(self):
		doc = self.submitted(budget_amount=1300)
		self.approve(doc.name)
		frappe.set_user(self.accountant)
		run.execute(doc.name)
		self.assert_paid_once(doc.name)
		lines = [line for line in self.lines(doc.name) if not line.beyond_budget]
		self.assertEqual(len({line.journal_entry for line in lines}), 2)  # 4 households, batches of 2
		_columns, rows, _message, _chart, totals = reach({"programme": doc.name})
		# the report's totals count each household once (frappe's total row added the detail rows)
		self.assertEqual([t["value"] for t in totals[:3]], [5, 4, 4])
		self.assertEqual(
			(
				rows[0]["eligible"],
				rows[0]["reached"],
				flt(rows[0]["paid_amount"]),
				rows[0]["unsigned_receipts"],
			),
			(5, 4, 1300, 4),
		)
		self.assert_in_the_register(doc.name, self.accountant)
		request = frappe.get_doc("Assistance Request", lines[0].assistance_request)
		self.assertEqual((request.workflow_state, request.decision), ("Disbursed", "Approved"))
		self.assertEqual(flt(request.approved_amount), flt(lines[0].amount))
		self.assertEqual(flt(request.remaining_amount), 0)
		frappe.set_user("Administrator")
		with self.assertRaises(NotDisbursableError):  # never more than approved: no second payment
			make_disbursement(request.name, amount=1)
		frappe.db.rollback()
		# running it again pays nobody again
		frappe.set_user(self.accountant)
		with self.assertRaises(frappe.ValidationError):
			run.run_programme(doc.name)
		run.execute(doc.name)
		self.assert_paid_once(doc.name)

	def test_the_queued_notices_invite_each_paid_household_once(self):
		doc = self.submitted()
		self.approve(doc.name)
		frappe.set_user(self.accountant)
		run.execute(doc.name)  # the notices are queued, not sent by the run (no worker in tests)
		frappe.set_user("Administrator")
		paid = frappe.get_all(
			"Aid Programme Line",
			filters={"parent": doc.name, "status": "Paid"},
			fields=["name", "assistance_request", "notified"],
		)
		self.assertTrue(paid)
		self.assertFalse(any(line.notified for line in paid))
		self.assertEqual(notify.notify_programme(doc.name), len(paid))  # the job
		self.assertEqual(notify.notify_programme(doc.name), 0)  # a second job tells nobody again
		requests = [line.assistance_request for line in paid]
		invited = frappe.get_all(
			"Survey Invitation", filters={"assistance_request": ("in", requests)}, pluck="assistance_request"
		)
		self.assertEqual(sorted(invited), sorted(requests))  # one invitation per household
		self.assertTrue(
			all(
				frappe.get_all("Aid Programme Line", {"parent": doc.name, "status": "Paid"}, pluck="notified")
			)
		)

	def test_killed_run_resumes_without_paying_twice(self):
		doc = self.submitted(batch_size=1)
		self.approve(doc.name)
		self.kill_after_first_batch(doc.name, self.accountant)
		resumed = self.start_worker(doc.name)
		# communicate, not wait: a worker blocked on a full stderr pipe would never end
		_out, errors = resumed.communicate(timeout=300)
		self.assertEqual(resumed.returncode, 0, errors)
		frappe.db.rollback()
		self.assert_paid_once(doc.name)

	# --- goods: one Material Issue per batch -------------------------------------------------------
	def goods_programme(self, batch_size=2):
		"""2 rice and 1 oil per household; 7 rice in the budget: the three neediest households."""
		doc = self.submitted(
			aid_service=GOODS_SERVICE,
			entitlement_basis="Items per Household",
			amount=0,
			items=[{"item_code": RICE, "qty": 2, "budget_qty": 7}, {"item_code": OIL, "qty": 1}],
			batch_size=batch_size,
		)
		self.assertEqual([line.beneficiary for line in self.selected(doc.name)], self.households[:3])
		self.approve(doc.name)
		return doc

	def assert_in_the_register(self, programme: str, as_user: str) -> None:
		"""R4.4: every household the programme paid is a row of the Aid Disbursement Register, with
		its request and its batch's document, and the register equals the ledger."""
		frappe.set_user(as_user)
		_columns, data, _message, _chart, summary = register(
			{"company": self.company, "branch": BRANCH, "from_date": today(), "to_date": today()}
		)
		frappe.set_user("Administrator")
		paid = {line.assistance_request: line for line in self.lines(programme) if line.status == "Paid"}
		rows = {row.assistance_request: row for row in data if row.aid_programme == programme}
		self.assertEqual(set(rows), set(paid))
		for request, row in rows.items():
			self.assertEqual(row.voucher_no, paid[request].journal_entry or paid[request].stock_entry)
			self.assertEqual(row.beneficiary, paid[request].beneficiary)
			self.assertAlmostEqual(flt(row.difference), 0, places=2)
		self.assertFalse([row for row in data if row.get("unmatched")])
		self.assertEqual(flt(summary[3]["value"]), 0)  # the difference
		# one household of a batch shown alone: the batch counts for his part only
		first = next(iter(paid.values()))
		frappe.set_user(as_user)
		_columns, alone, _message, _chart, summary = register(
			{
				"company": self.company,
				"beneficiary": first.beneficiary,
				"from_date": today(),
				"to_date": today(),
			}
		)
		frappe.set_user("Administrator")
		self.assertEqual(
			[row.assistance_request for row in alone if row.aid_programme], [first.assistance_request]
		)
		self.assertEqual(flt(summary[3]["value"]), 0)

	def selected(self, programme):
		return [line for line in self.lines(programme) if not (line.excluded or line.beyond_budget)]

	def test_goods_run_issues_one_material_issue_per_batch_within_the_budget(self):
		doc = self.goods_programme()
		rice, oil = stock_qty(RICE, self.warehouse), stock_qty(OIL, self.warehouse)
		frappe.set_user(self.accountant)  # goods are the storekeeper's (and the manager's)
		with self.assertRaises(frappe.PermissionError):
			run.execute(doc.name)
		frappe.db.rollback()
		frappe.set_user(self.storekeeper)
		run.execute(doc.name)
		frappe.set_user("Administrator")
		lines = self.selected(doc.name)
		self.assertEqual(len({line.stock_entry for line in lines}), 2)  # 3 households, batches of 2
		self.assert_issued_once(doc.name, rice_each=2, oil_each=1)
		# never more than the budget in quantities: 6 of the 7 rice budgeted
		self.assertEqual(stock_qty(RICE, self.warehouse), rice - 6)
		self.assertEqual(stock_qty(OIL, self.warehouse), oil - 3)
		value = sum(
			flt(frappe.db.get_value("Stock Entry", se, "total_outgoing_value"))
			for se in {line.stock_entry for line in lines}
		)
		self.assertEqual(flt(value), 6 * 10 + 3 * 20)
		self.assert_in_the_register(doc.name, self.manager)
		# what was paid is the baskets' value (their lines carry no amount)
		self.assertEqual(flt(reach({"programme": doc.name})[1][0]["paid_amount"]), 6 * 10 + 3 * 20)
		for line in lines:
			request = frappe.get_doc("Assistance Request", line.assistance_request)
			self.assertEqual((request.beneficiary, request.workflow_state), (line.beneficiary, "Disbursed"))
			self.assertEqual(flt(request.remaining_amount), 0)
			self.assertEqual(
				sorted((row.item_code, row.qty, row.disbursed_qty) for row in request.approved_items),
				sorted([(RICE, 2, 2), (OIL, 1, 1)]),
			)
		with self.assertRaises(NotDisbursableError):  # the household's items cannot be issued again
			make_disbursement(lines[0].assistance_request, items=[{"item_code": RICE, "qty": 1}])
		frappe.db.rollback()

	def test_killed_goods_run_resumes_without_issuing_twice(self):
		doc = self.goods_programme(batch_size=1)
		rice = stock_qty(RICE, self.warehouse)
		self.kill_after_first_batch(doc.name, self.storekeeper)
		resumed = self.start_worker(doc.name, user=self.storekeeper)
		_out, errors = resumed.communicate(timeout=300)
		self.assertEqual(resumed.returncode, 0, errors)
		frappe.db.rollback()
		self.assert_issued_once(doc.name, rice_each=2, oil_each=1)
		self.assertEqual(stock_qty(RICE, self.warehouse), rice - 6)

	def assert_issued_once(self, programme: str, rice_each: float, oil_each: float):
		"""Every selected line Paid with its own Material Issue; the programme's stock entries are
		exactly the lines' (a batch lost to a kill left none), each issuing its households' share
		from the fund."""
		lines = self.selected(programme)
		self.assertTrue(lines and all(line.status == "Paid" and line.stock_entry for line in lines))
		entries = set(
			frappe.get_all(
				"Stock Entry",
				filters={"remarks": ("like", f"%{programme}%"), "docstatus": 1},
				pluck="name",
			)
		)
		self.assertEqual(entries, {line.stock_entry for line in lines})
		issued = {}
		for se in entries:
			doc = frappe.get_doc("Stock Entry", se)
			households = sum(1 for line in lines if line.stock_entry == se)
			self.assertEqual((doc.purpose, doc.charity_fund), ("Material Issue", self.fund))
			for row in doc.items:
				self.assertEqual(row.charity_fund, self.fund)
				issued[row.item_code] = issued.get(row.item_code, 0) + row.qty
			self.assertEqual(
				sorted((row.item_code, row.qty) for row in doc.items),
				sorted([(RICE, rice_each * households), (OIL, oil_each * households)]),
			)
		self.assertEqual(issued, {RICE: rice_each * len(lines), OIL: oil_each * len(lines)})
		requests = frappe.get_all(
			"Assistance Request",
			filters={"name": ("in", [line.assistance_request for line in lines])},
			fields=["name", "beneficiary"],
		)
		self.assertEqual(
			{row.name: row.beneficiary for row in requests},
			{line.assistance_request: line.beneficiary for line in lines},
		)
		self.assertEqual(frappe.db.get_value("Aid Programme", programme, "run_status"), "Completed")

	def kill_after_first_batch(self, programme: str, user: str):
		"""A worker paying one line a second, killed with SIGKILL once its first batch is committed."""
		worker = self.start_worker(programme, pause=1, user=user)
		deadline = time.monotonic() + 120
		while time.monotonic() < deadline:
			frappe.db.rollback()  # a fresh snapshot
			if frappe.db.get_value("Aid Programme", programme, "paid_count"):
				break
			if worker.poll() is not None:  # it died before its first batch: say why, not "0 paid"
				self.fail(f"the worker exited with {worker.returncode}: {worker.stderr.read()}")
			time.sleep(0.05)
		os.kill(worker.pid, signal.SIGKILL)
		worker.communicate()
		frappe.db.rollback()
		paid = frappe.db.get_value("Aid Programme", programme, "paid_count")
		self.assertGreaterEqual(paid, 1)
		self.assertLess(paid, len(self.selected(programme)), "the run ended before it could be killed")

	def start_worker(self, programme: str, pause: float = 0, user: str | None = None):
		"""A separate process on this very site: the sites folder is the one this process runs on,
		never one derived from this file's path (a bench may share the app through a symlink, and
		its sites are then not next to the file's real place)."""
		sites = os.path.abspath(frappe.local.sites_path)
		code = (
			"import frappe;"
			f"frappe.init(site={frappe.local.site!r}, sites_path={sites!r});frappe.connect();"
			f"frappe.set_user({(user or self.accountant)!r});"
			"from charity_beneficiary.programmes.run import execute;"
			f"execute({programme!r}, pause={pause!r});frappe.destroy()"
		)
		return subprocess.Popen([sys.executable, "-c", code], cwd=sites, stderr=subprocess.PIPE, text=True)

	def assert_paid_once(self, programme: str):
		lines = [line for line in self.lines(programme) if not (line.excluded or line.beyond_budget)]
		self.assertTrue(lines)
		self.assertTrue(all(line.status == "Paid" for line in lines))
		vouchers = sorted({line.journal_entry for line in lines})
		gl = frappe.get_all(
			"GL Entry",
			filters={"voucher_type": "Journal Entry", "voucher_no": ("in", vouchers), "is_cancelled": 0},
			fields=["party", "debit", "charity_fund"],
		)
		paid = {}
		for row in gl:
			if row.party and row.debit:
				paid[row.party] = paid.get(row.party, 0) + flt(row.debit)
				self.assertEqual(row.charity_fund, self.fund)
		self.assertEqual(paid, {line.beneficiary: flt(line.amount) for line in lines})
		self.assertEqual(flt(sum(paid.values())), flt(sum(line.amount for line in lines)))
		requests = frappe.get_all(
			"Assistance Request",
			filters={
				"beneficiary": ("in", list(paid)),
				"committee_meeting": frappe.db.get_value("Aid Programme", programme, "committee_meeting"),
			},
			fields=["name", "beneficiary"],
		)
		self.assertEqual(len(requests), len(lines))  # one request per household, never two
		# and each line names its own household's request
		self.assertEqual(
			{line.assistance_request: line.beneficiary for line in lines},
			{row.name: row.beneficiary for row in requests},
		)
		self.assertEqual(frappe.db.get_value("Aid Programme", programme, "run_status"), "Completed")
