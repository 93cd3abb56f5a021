# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""R4, R4.1 on the real test site and its ERPNext company: cash, in-kind and provider disbursements
post the right GL and stock ledger entries (amounts, accounts, party, fund) and cancelling reverses
them; the approval is never exceeded, also by two submissions at the same moment from two database
connections; missing stock is refused with nothing posted; wrong roles are refused through REST.

The in-process classes roll back at their end. The concurrency and REST classes commit (other
connections and the HTTP server must see their data) and remove what they made in a class clean-up.
"""

import os
import threading
import time
from unittest.mock import patch

import frappe
from frappe import _
from frappe.tests.utils import FrappeTestCase, change_settings
from frappe.utils import flt, get_year_ending, get_year_start, today

from charity_beneficiary.beneficiaries.duplicates import remove_reviews
from charity_beneficiary.disbursement import balance
from charity_beneficiary.disbursement.accounts import AccountError
from charity_beneficiary.disbursement.balance import (
	BeneficiaryNotActiveError,
	NotDisbursableError,
	OverDisbursementError,
)
from charity_beneficiary.disbursement.doctype.aid_disbursement.aid_disbursement import (
	FundError,
	ItemTypeError,
)
from charity_beneficiary.disbursement.ledger_links import LinkedToDisbursementError
from charity_beneficiary.disbursement.posting import LEDGER_DOCUMENTS, InsufficientStockError
from charity_beneficiary.disbursement.receipt import ReceiptError
from charity_beneficiary.disbursement.setup import SERVICE_ITEM, setup_disbursement
from charity_beneficiary.tests.factories import (
	OTHER_SIGNATURE,
	SIGNATURE,
	TEST_PASSWORD,
	audited_changes,
	make_active_beneficiary,
	make_aid_service,
	make_approved_request,
	make_branch,
	make_disbursement,
	make_item,
	make_stock,
	make_supplier,
)
from charity_beneficiary.tests.users import role_email, role_user

COMPANY = "Charity Test Association"
# Several test runs may share the site at once: what a run commits is named for the run.
RUN = frappe.generate_hash(length=5)
ROLES = ("Charity Accountant", "Charity Storekeeper", "Research Committee Member")
ACCOUNTANT, STOREKEEPER, COMMITTEE = (role_email(role) for role in ROLES)
CASH_SERVICE = f"مساعدة نقدية (صرف - اختبار {RUN})"
GOODS_SERVICE = f"سلة غذائية (صرف - اختبار {RUN})"
PROVIDER_SERVICE = f"ترميم منزل (صرف - اختبار {RUN})"
SUPPLIER = f"مؤسسة الترميم (اختبار {RUN})"
SON = "عبدالله محمد علي الزهراني"


# --- helpers ----------------------------------------------------------------------------------------
def gl(voucher_type: str, voucher_no: str, cancelled: int = 0) -> list[dict]:
	return frappe.get_all(
		"GL Entry",
		filters={"voucher_type": voucher_type, "voucher_no": voucher_no, "is_cancelled": cancelled},
		fields=["account", "debit", "credit", "party_type", "party", "charity_fund", "cost_center"],
		order_by="account asc, debit desc",
	)


def against_as_erpnext(test, journal_entry: str) -> None:
	"""The journal entry is inserted already submitted (posting.insert_submitted), which skips the
	draft's set_against_account: its rows and GL entries name the same counter-accounts ERPNext's own
	function computes."""
	je = frappe.get_doc("Journal Entry", journal_entry)
	stored = [row.against_account for row in je.accounts]
	je.set_against_account()
	test.assertEqual(stored, [row.against_account for row in je.accounts])
	test.assertTrue(all(stored))
	test.assertEqual(
		{
			(e.account, e.against)
			for e in frappe.get_all("GL Entry", {"voucher_no": je.name}, ["account", "against"])
		},
		{(row.account, row.against_account) for row in je.accounts},
	)


def stock_qty(item_code: str, warehouse: str) -> float:
	return flt(frappe.db.get_value("Bin", {"item_code": item_code, "warehouse": warehouse}, "actual_qty"))


def made_by(disbursement: str) -> dict[str, list[str]]:
	return {
		doctype: frappe.get_all(doctype, filters={"aid_disbursement": disbursement}, pluck="name")
		for doctype, _field in LEDGER_DOCUMENTS
	}


def purge(doctype: str, names) -> None:
	"""Delete committed records, their child rows and logs, with plain deletes: no hooks, no link
	checks and no naming-series rewind (whose row lock other test runs on the site may hold)."""
	names = [name for name in names if name]
	if not names:
		return
	for df in frappe.get_meta(doctype).get_table_fields():
		frappe.db.delete(df.options, {"parent": ("in", names), "parenttype": doctype})
	frappe.db.delete(doctype, {"name": ("in", names)})
	if doctype == "Beneficiary":  # what Beneficiary.on_trash removes
		for name in names:
			remove_reviews(name)
	frappe.db.delete("Version", {"ref_doctype": doctype, "docname": ("in", names)})
	frappe.db.delete("Comment", {"reference_doctype": doctype, "reference_name": ("in", names)})
	for name in names:
		frappe.clear_document_cache(doctype, name)


def purge_requests(names) -> None:
	"""Delete committed requests with what other modules' hooks made for them (survey invitations,
	error logs)."""
	names = [name for name in names if name]
	if not names:
		return
	if frappe.db.exists("DocType", "Survey Invitation"):
		purge(
			"Survey Invitation",
			frappe.get_all("Survey Invitation", {"assistance_request": ("in", names)}, pluck="name"),
		)
	frappe.db.delete(
		"Error Log", {"reference_doctype": "Assistance Request", "reference_name": ("in", names)}
	)
	purge("Assistance Request", names)


def purge_disbursements(names) -> None:
	"""Delete committed disbursements with their ledger documents and entries."""
	for name in names:
		links = frappe.db.get_value(
			"Aid Disbursement", name, [f for _dt, f in LEDGER_DOCUMENTS], as_dict=True
		)
		for doctype, fieldname in LEDGER_DOCUMENTS:
			voucher = links and links.get(fieldname)
			if voucher:
				for table in ("GL Entry", "Payment Ledger Entry", "Stock Ledger Entry"):
					frappe.db.delete(table, {"voucher_type": doctype, "voucher_no": voucher})
				purge(doctype, [voucher])
	purge("Aid Disbursement", names)


def requests_of(beneficiary: str | None) -> list[str]:
	"""The requests of a committed beneficiary, for a class clean-up."""
	if not beneficiary:
		return []
	return frappe.get_all("Assistance Request", {"beneficiary": beneficiary}, pluck="name")


def retry_on_deadlock(send):
	"""Send a REST request again, as a client would, when the server answers with a deadlock
	(other test runs sharing the site hold locks for their whole class)."""
	for _attempt in range(3):
		response = send()
		if response.status_code != 500 or "QueryDeadlockError" not in response.text:
			return response
		time.sleep(1)
	return response


def retried(cleanup):
	"""Run a clean-up again when another test run sharing the site made it a deadlock victim."""
	for attempt in range(3):
		try:
			return cleanup()
		except (frappe.QueryDeadlockError, frappe.QueryTimeoutError):
			frappe.db.rollback()
			if attempt == 2:
				raise
			time.sleep(1)


class DisbursementTestCase(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		setup_disbursement(COMPANY)  # idempotent install; adds fields (DDL), hence the commit
		frappe.db.commit()
		for role in ROLES:
			role_user(role)
		cls.settings = frappe.get_doc("Charity Settings")

	def setUp(self):
		frappe.set_user("Administrator")
		self.beneficiary = make_active_beneficiary(
			family_members=[{"member_name": SON, "relation": "Son", "date_of_birth": "2000-03-01"}]
		).name

	def tearDown(self):
		frappe.set_user("Administrator")

	def cash_request(self, approved_amount=1000, **fields):
		make_aid_service(CASH_SERVICE, delivery_type="Cash")
		return make_approved_request(
			self.beneficiary,
			CASH_SERVICE,
			approved_amount=approved_amount,
			requested_amount=approved_amount,
			**fields,
		)

	def goods_request(self, item_code, approved_qty, state="Approved"):
		make_aid_service(
			GOODS_SERVICE,
			delivery_type="In-Kind",
			default_items=[{"item_code": item_code, "qty": approved_qty}],
		)
		return make_approved_request(
			self.beneficiary,
			GOODS_SERVICE,
			approved_items=[{"item_code": item_code, "qty": approved_qty}],
			state=state,
			requested_items=[{"item_code": item_code, "qty": approved_qty}],
		)

	def new_stock_item(self, qty=10, rate=50):
		item = make_item("AID-TEST-" + frappe.generate_hash(length=8).upper())
		if qty:
			make_stock(item, self.settings.warehouse, qty, rate)
		return item

	def assertEntries(self, voucher_type, voucher_no, expected):
		self.assertEqual(
			[
				(e.account, flt(e.debit), flt(e.credit), e.party_type, e.party, e.charity_fund)
				for e in gl(voucher_type, voucher_no)
			],
			sorted(expected, key=lambda e: (e[0], -e[1])),
		)


# --- install ----------------------------------------------------------------------------------------
class TestInstall(DisbursementTestCase):
	def test_install_is_idempotent_and_complete(self):
		counts = lambda: {  # noqa: E731
			doctype: frappe.db.count(doctype)
			for doctype in (
				"Account",
				"Warehouse",
				"Charity Fund",
				"Accounting Dimension",
				"Party Type",
				"Item",
			)
		}
		before = counts()
		setup_disbursement(COMPANY)
		self.assertEqual(counts(), before)
		self.assertEqual(frappe.db.get_value("Party Type", "Beneficiary", "account_type"), "Payable")
		self.assertTrue(
			set(frappe.get_all("Charity Fund", pluck="fund_type")) >= {"Zakat", "Sadaqah", "General"}
		)
		for doctype in ("GL Entry", "Journal Entry Account", "Stock Entry Detail", "Purchase Invoice Item"):
			self.assertTrue(frappe.get_meta(doctype).has_field("charity_fund"), doctype)
		for fieldname in (
			"cash_expense_account",
			"in_kind_expense_account",
			"service_expense_account",
			"beneficiary_payable_account",
			"warehouse",
			"cost_center",
			"paid_from_account",
			"default_fund",
		):
			self.assertTrue(self.settings.get(fieldname), fieldname)
		# no account type: ERPNext then accepts the beneficiary as party on the expense entries
		self.assertFalse(frappe.db.get_value("Account", self.settings.cash_expense_account, "account_type"))


# --- cash -------------------------------------------------------------------------------------------
class TestCashDisbursement(DisbursementTestCase):
	def test_journal_entry_carries_beneficiary_and_fund(self):
		request = self.cash_request(1000)
		doc = make_disbursement(request.name, amount=600, charity_fund="Zakat", submit=True)
		self.assertEqual((doc.disbursement_type, doc.beneficiary), ("Cash", self.beneficiary))
		self.assertTrue(doc.journal_entry)
		je = frappe.get_doc("Journal Entry", doc.journal_entry)
		self.assertEqual((je.docstatus, je.aid_disbursement, je.voucher_type), (1, doc.name, "Cash Entry"))
		expense, cash = self.settings.cash_expense_account, self.settings.paid_from_account
		self.assertEntries(
			"Journal Entry",
			je.name,
			[
				(expense, 600, 0, "Beneficiary", self.beneficiary, "Zakat"),
				# ERPNext refuses a party on a Cash account: the fund is there, the party cannot be
				(cash, 0, 600, None, None, "Zakat"),
			],
		)
		self.assertEqual({e.cost_center for e in gl("Journal Entry", je.name)}, {self.settings.cost_center})
		against_as_erpnext(self, je.name)
		request.reload()
		self.assertEqual((flt(request.disbursed_amount), request.workflow_state), (600, "Approved"))
		self.assertEqual(balance.get_balance(request.name)["remaining_amount"], 400)

	def test_paid_through_beneficiaries_payable_every_entry_names_the_beneficiary(self):
		request = self.cash_request(500)
		payable = self.settings.beneficiary_payable_account
		doc = make_disbursement(request.name, amount=500, paid_from_account=payable, submit=True)
		self.assertEntries(
			"Journal Entry",
			doc.journal_entry,
			[
				(self.settings.cash_expense_account, 500, 0, "Beneficiary", self.beneficiary, "General"),
				(payable, 0, 500, "Beneficiary", self.beneficiary, "General"),
			],
		)
		against_as_erpnext(self, doc.journal_entry)

	def test_erpnext_reports_filter_by_beneficiary_and_fund(self):
		from erpnext.accounts.report.general_ledger.general_ledger import execute as general_ledger
		from erpnext.accounts.report.trial_balance.trial_balance import execute as trial_balance
		from erpnext.accounts.report.trial_balance_for_party.trial_balance_for_party import (
			execute as party_trial_balance,
		)

		request = self.cash_request(900)
		zakat = make_disbursement(request.name, amount=300, charity_fund="Zakat", submit=True)
		sadaqah = make_disbursement(request.name, amount=200, charity_fund="Sadaqah", submit=True)
		fiscal_year = frappe.db.get_value(
			"Fiscal Year", {"year_start_date": ("<=", today()), "year_end_date": (">=", today())}
		)
		period = {
			"company": COMPANY,
			"fiscal_year": fiscal_year,
			"from_date": get_year_start(today()),
			"to_date": get_year_ending(today()),
		}

		_columns, rows = general_ledger(
			frappe._dict(
				period,
				party_type="Beneficiary",
				party=[self.beneficiary],
				charity_fund=["Zakat"],
				group_by="Group by Voucher (Consolidated)",
			)
		)
		vouchers = {row.get("voucher_no") for row in rows if row.get("voucher_no")}
		self.assertEqual(vouchers, {zakat.journal_entry})

		_columns, rows = party_trial_balance(
			frappe._dict(period, party_type="Beneficiary", party=self.beneficiary, show_party_name=0)
		)
		party_row = next(row for row in rows if row.get("party") == self.beneficiary)
		self.assertEqual(flt(party_row["debit"]), 500)

		_columns, rows = trial_balance(
			frappe._dict(
				period,
				charity_fund=["Sadaqah"],
				with_period_closing_entry_for_opening=1,
				with_period_closing_entry_for_current_period=1,
				show_zero_values=0,
			)
		)
		expense_row = next(row for row in rows if row.get("account") == self.settings.cash_expense_account)
		self.assertGreaterEqual(flt(expense_row["debit"]), 200)
		sadaqah_total = frappe.db.sql(
			"""select sum(debit) from `tabGL Entry` where account=%s and charity_fund='Sadaqah' and is_cancelled=0""",
			self.settings.cash_expense_account,
		)[0][0]
		self.assertEqual(flt(expense_row["debit"]), flt(sadaqah_total))
		self.assertTrue(sadaqah.journal_entry)

	def test_fully_served_request_is_disbursed_and_cancel_restores(self):
		request = self.cash_request(1000)
		first = make_disbursement(request.name, amount=600, submit=True)
		second = make_disbursement(request.name, amount=400, submit=True)
		request.reload()
		self.assertEqual((flt(request.disbursed_amount), request.workflow_state), (1000, "Disbursed"))
		self.assertEqual(flt(request.remaining_amount), 0)
		# the balance and the state are written past the request's save, and still audited
		audit = audited_changes("Assistance Request", request.name)
		self.assertEqual(audit["workflow_state"], ("Administrator", "Disbursed"))
		self.assertEqual(flt(audit["disbursed_amount"][1]), 1000)
		with self.assertRaises(NotDisbursableError):
			make_disbursement(request.name, amount=1)

		second.cancel()
		je = frappe.get_doc("Journal Entry", second.journal_entry)
		self.assertEqual(je.docstatus, 2)
		self.assertEqual(gl("Journal Entry", je.name), [])  # every entry of the voucher is reversed
		cancelled = gl("Journal Entry", je.name, cancelled=1)
		self.assertEqual(sum(flt(e.debit) - flt(e.credit) for e in cancelled), 0)
		self.assertEqual(len(cancelled), 4)  # the two entries and their reversal
		request.reload()
		self.assertEqual((flt(request.disbursed_amount), request.workflow_state), (600, "Approved"))
		self.assertEqual(frappe.db.get_value("Journal Entry", first.journal_entry, "docstatus"), 1)

	def test_partly_approved_returns_to_its_state(self):
		request = self.cash_request(300, state="Partly Approved")
		doc = make_disbursement(request.name, amount=300, submit=True)
		self.assertEqual(
			frappe.db.get_value("Assistance Request", request.name, "workflow_state"), "Disbursed"
		)
		doc.cancel()
		self.assertEqual(
			frappe.db.get_value("Assistance Request", request.name, "workflow_state"), "Partly Approved"
		)

	def test_over_disbursement_is_refused_and_nothing_posted(self):
		request = self.cash_request(1000)
		make_disbursement(request.name, amount=600, submit=True)
		journals = frappe.db.count("Journal Entry")
		extra = make_disbursement(request.name, amount=500)
		with self.assertRaises(OverDisbursementError):
			extra.submit()
		self.assertEqual(frappe.db.count("Journal Entry"), journals)
		self.assertEqual(frappe.db.get_value("Aid Disbursement", extra.name, "docstatus"), 0)
		self.assertEqual(made_by(extra.name)["Journal Entry"], [])

	def test_only_approved_requests_can_be_disbursed(self):
		for state in ("Pending Committee", "Rejected"):
			request = self.cash_request(1000, state=state)
			with self.assertRaises(NotDisbursableError):
				make_disbursement(request.name, amount=100)

	def test_only_active_beneficiaries_are_paid(self):
		"""Suspended, made inactive or rejected after the committee approved: no payment, neither
		a new one nor a draft made while he was active; paid again once he is Active."""
		request = self.cash_request(1000)
		draft = make_disbursement(request.name, amount=100)
		journals = frappe.db.count("Journal Entry")
		for status in ("Suspended", "Inactive", "Rejected"):
			frappe.db.set_value("Beneficiary", self.beneficiary, "status", status)
			with self.assertRaises(BeneficiaryNotActiveError) as ctx:
				make_disbursement(request.name, amount=100)
			self.assertEqual(
				str(ctx.exception),
				_("The beneficiary {0} is {1}; aid is disbursed to active beneficiaries only").format(
					self.beneficiary, _(status)
				),
			)
			with self.assertRaises(BeneficiaryNotActiveError):
				frappe.get_doc("Aid Disbursement", draft.name).submit()
		self.assertEqual(frappe.db.count("Journal Entry"), journals)
		frappe.db.set_value("Beneficiary", self.beneficiary, "status", "Active")
		frappe.get_doc("Aid Disbursement", draft.name).submit()
		self.assertEqual(frappe.db.get_value("Aid Disbursement", draft.name, "docstatus"), 1)

	def test_aid_is_an_expense_paid_from_cash_bank_or_payable(self):
		"""Accounts sent by whoever posts are checked: never revenue, an asset or a group."""
		request = self.cash_request(1000)

		def account(**filters):
			return frappe.db.get_value("Account", {"company": COMPANY, "is_group": 0, **filters})

		income, receivable = account(root_type="Income"), account(account_type="Receivable")
		frappe.set_user(ACCOUNTANT)
		for fields in (
			{"expense_account": income},
			{"expense_account": self.settings.paid_from_account},
			{"paid_from_account": income},
			{"paid_from_account": receivable},
			{"paid_from_account": frappe.db.get_value("Account", {"company": COMPANY, "is_group": 1})},
		):
			with self.subTest(fields), self.assertRaises(AccountError):
				make_disbursement(request.name, amount=100, **fields)
		payable = frappe.db.get_value(
			"Account", {"company": COMPANY, "account_name": "Beneficiaries Payable"}
		)
		doc = make_disbursement(request.name, amount=100, paid_from_account=payable, submit=True)
		self.assertEqual(doc.docstatus, 1)

	def test_aid_is_posted_to_the_aid_accounts_only(self):
		"""R4.4: salaries are an expense and the suppliers' creditors a payable account of the company,
		but not aid accounts: a disbursement naming them is refused before anything is posted; the
		accounts of Charity Settings and the mode of payment's are accepted."""
		request = self.cash_request(1000)
		salary = frappe.db.get_value("Account", {"company": COMPANY, "account_name": "Salary", "is_group": 0})
		creditors = frappe.get_cached_value("Company", COMPANY, "default_payable_account")
		other_type = self.settings.in_kind_expense_account
		journals = frappe.db.count("Journal Entry")
		frappe.set_user(ACCOUNTANT)
		for fields in (
			{"expense_account": salary},
			{"expense_account": other_type},
			{"paid_from_account": creditors},
		):
			with self.subTest(fields), self.assertRaises(AccountError):
				make_disbursement(request.name, amount=100, submit=True, **fields)
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.count("Journal Entry"), journals)
		self.assertEqual(flt(frappe.db.get_value("Assistance Request", request.name, "served_amount")), 0)
		frappe.set_user(ACCOUNTANT)
		for fields in (
			{"expense_account": self.settings.cash_expense_account},
			{"paid_from_account": self.settings.beneficiary_payable_account},
			{"mode_of_payment": self.settings.mode_of_payment},
		):
			with self.subTest(fields):
				doc = make_disbursement(request.name, amount=100, submit=True, **fields)
				self.assertEqual(doc.docstatus, 1)

	def test_cash_is_paid_in_halalas(self):
		"""The amount is rounded to halalas before the approval is checked, as the ledger posts it:
		two payments of 50.004 are two of 50.00, and they serve an approval of 100 exactly."""
		request = self.cash_request(100)
		for _payment in range(2):
			doc = make_disbursement(request.name, amount=50.004, submit=True)
			self.assertEqual(flt(doc.amount), 50)
			self.assertEqual(flt(frappe.db.get_value("Journal Entry", doc.journal_entry, "total_debit")), 50)
		request.reload()
		self.assertEqual((flt(request.disbursed_amount), request.workflow_state), (100, "Disbursed"))

	def test_approval_cannot_shrink_below_what_was_disbursed(self):
		request = self.cash_request(1000)
		make_disbursement(request.name, amount=600, submit=True)
		request.reload()
		request.approved_amount = 500
		with self.assertRaises(OverDisbursementError):
			balance.check_approval_covers_served(request)  # Assistance Request before_update_after_submit
		request.approved_amount = 700
		balance.check_approval_covers_served(request)

	def test_the_rule_reads_the_requests_running_total(self):
		"""The served amount kept on the request is what the rule reads: no recount of disbursements."""
		request = self.cash_request(1000)
		make_disbursement(request.name, amount=600, submit=True)
		self.assertEqual(flt(frappe.db.get_value("Assistance Request", request.name, "served_amount")), 600)
		frappe.db.set_value("Assistance Request", request.name, "served_amount", 900)
		with self.assertRaises(OverDisbursementError):
			make_disbursement(request.name, amount=200, submit=True)
		last = make_disbursement(request.name, amount=100, submit=True)
		self.assertEqual(
			frappe.db.get_value("Assistance Request", request.name, ["served_amount", "workflow_state"]),
			(1000, "Disbursed"),
		)
		last.cancel()  # cancelling subtracts
		self.assertEqual(
			frappe.db.get_value(
				"Assistance Request", request.name, ["served_amount", "disbursed_amount", "workflow_state"]
			),
			(900, 600, "Approved"),
		)

	def test_backfill_patch_restores_the_running_totals(self):
		from charity_beneficiary.patches.v15_0 import backfill_request_served_totals

		cash = self.cash_request(1000)
		make_disbursement(cash.name, amount=300, submit=True)
		make_disbursement(cash.name, amount=200, submit=True)
		make_disbursement(cash.name, amount=100, submit=True).cancel()
		item = self.new_stock_item(qty=10)
		goods = self.goods_request(item, approved_qty=5)
		make_disbursement(goods.name, items=[{"item_code": item, "qty": 3}], submit=True)
		rows = {"parent": goods.name, "parentfield": "approved_items"}
		self.assertEqual(flt(frappe.db.get_value("Assistance Request Item", rows, "disbursed_stock_qty")), 3)

		frappe.db.set_value("Assistance Request", cash.name, "served_amount", 0)
		frappe.db.set_value("Assistance Request Item", rows, "disbursed_stock_qty", 0)
		backfill_request_served_totals.execute()
		self.assertEqual(flt(frappe.db.get_value("Assistance Request", cash.name, "served_amount")), 500)
		self.assertEqual(flt(frappe.db.get_value("Assistance Request", goods.name, "served_amount")), 0)
		self.assertEqual(flt(frappe.db.get_value("Assistance Request Item", rows, "disbursed_stock_qty")), 3)

	def test_branch_is_the_requests_whatever_was_sent(self):
		"""The register lists and filters disbursements by the branch they keep (issue 14)."""
		from charity_beneficiary.patches.v15_0 import set_disbursement_branch

		request = self.cash_request(1000)
		frappe.db.set_value("Assistance Request", request.name, "branch", make_branch("فرع الصرف - اختبار"))
		other = make_branch("فرع آخر - اختبار")
		doc = make_disbursement(request.name, amount=100, branch=other, submit=True)
		self.assertEqual(doc.branch, "فرع الصرف - اختبار")

		frappe.db.set_value("Aid Disbursement", doc.name, "branch", None)
		set_disbursement_branch.execute()
		self.assertEqual(frappe.db.get_value("Aid Disbursement", doc.name, "branch"), "فرع الصرف - اختبار")

	def test_desk_permission_follows_the_type(self):
		from charity_beneficiary.disbursement.permissions import has_permission

		cash, goods = frappe._dict(disbursement_type="Cash"), frappe._dict(disbursement_type="In-Kind")
		self.assertIsNone(has_permission(cash, "submit", ACCOUNTANT))
		self.assertFalse(has_permission(goods, "submit", ACCOUNTANT))
		self.assertIsNone(has_permission(goods, "cancel", STOREKEEPER))
		self.assertFalse(has_permission(cash, "write", STOREKEEPER))
		self.assertIsNone(has_permission(cash, "read", STOREKEEPER))  # reading is left to the roles

	def test_restricted_and_inactive_funds(self):
		request = self.cash_request(1000)
		other = make_aid_service("خدمة أخرى (صرف - اختبار)").name
		restricted = frappe.get_doc(
			{
				"doctype": "Charity Fund",
				"fund_name": "صندوق مقيد (اختبار)",
				"fund_type": "Restricted",
				"restricted_to_service": other,
			}
		).insert()
		with self.assertRaises(FundError) as ctx:
			make_disbursement(request.name, amount=100, charity_fund=restricted.name)
		self.assertEqual(
			str(ctx.exception),
			_("The fund {0} is restricted to the service {1}").format(restricted.name, other),
		)
		restricted.db_set({"restricted_to_service": None, "is_active": 0})
		frappe.clear_document_cache("Charity Fund", restricted.name)
		with self.assertRaises(FundError) as ctx:
			make_disbursement(request.name, amount=100, charity_fund=restricted.name)
		self.assertEqual(str(ctx.exception), _("The fund {0} is not active").format(restricted.name))

	def test_ledger_document_cannot_be_cancelled_behind_the_disbursement(self):
		request = self.cash_request(1000)
		doc = make_disbursement(request.name, amount=250, submit=True)
		je = frappe.get_doc("Journal Entry", doc.journal_entry)
		with self.assertRaises(LinkedToDisbursementError):
			je.cancel()
		self.assertEqual(frappe.db.get_value("Journal Entry", je.name, "docstatus"), 1)
		self.assertEqual(len(gl("Journal Entry", je.name)), 2)
		# nor can the link be rewritten: the field is read only and the document submitted
		je.reload()
		je.aid_disbursement = None
		with self.assertRaises(frappe.UpdateAfterSubmitError):
			je.save()

	def test_receipt_by_beneficiary_or_household_member(self):
		request = self.cash_request(1000)
		doc = make_disbursement(request.name, amount=100, submit=True)
		doc.receiver_type = "Family Member"
		doc.received_by = "شخص من خارج الأسرة"
		doc.receiver_signature = SIGNATURE
		with self.assertRaises(ReceiptError):
			doc.save()
		doc.reload()
		doc.receiver_type = "Family Member"
		doc.received_by = SON
		doc.receiver_signature = SIGNATURE
		doc.save()
		self.assertEqual((doc.received_by, doc.receiver_relation), (SON, "Son"))
		self.assertTrue(doc.received_on)
		doc.receiver_signature = OTHER_SIGNATURE  # a valid image, but the receipt is signed already
		with self.assertRaises(ReceiptError):
			doc.save()

		own = make_disbursement(request.name, amount=100, receiver_signature=SIGNATURE, submit=True)
		self.assertEqual(
			own.received_by, frappe.db.get_value("Beneficiary", self.beneficiary, "beneficiary_name")
		)
		self.assertTrue(own.received_on)

	def test_roles_by_disbursement_type(self):
		request = self.cash_request(1000)
		frappe.set_user(STOREKEEPER)
		with self.assertRaises(frappe.PermissionError):
			make_disbursement(request.name, amount=100)
		frappe.set_user(COMMITTEE)
		with self.assertRaises(frappe.PermissionError):
			make_disbursement(request.name, amount=100)
		frappe.set_user(ACCOUNTANT)
		doc = make_disbursement(request.name, amount=100, submit=True)
		self.assertEqual(frappe.db.get_value("Journal Entry", doc.journal_entry, "docstatus"), 1)
		frappe.set_user(STOREKEEPER)
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc("Aid Disbursement", doc.name).cancel()


# --- in-kind (R4.1) ---------------------------------------------------------------------------------
class TestInKindDisbursement(DisbursementTestCase):
	def test_stock_entry_issues_goods_at_valuation_rate(self):
		item = self.new_stock_item(qty=10, rate=50)
		warehouse = self.settings.warehouse
		request = self.goods_request(item, approved_qty=4)
		frappe.set_user(STOREKEEPER)
		doc = make_disbursement(
			request.name, items=[{"item_code": item, "qty": 4}], charity_fund="Zakat", submit=True
		)
		frappe.set_user("Administrator")
		doc.reload()
		se = frappe.get_doc("Stock Entry", doc.stock_entry)
		self.assertEqual((se.docstatus, se.purpose, se.aid_disbursement), (1, "Material Issue", doc.name))
		sle = frappe.get_all(
			"Stock Ledger Entry",
			filters={"voucher_no": se.name, "is_cancelled": 0},
			fields=["item_code", "warehouse", "actual_qty", "valuation_rate", "stock_value_difference"],
		)
		self.assertEqual(
			[
				(
					s.item_code,
					s.warehouse,
					flt(s.actual_qty),
					flt(s.valuation_rate),
					flt(s.stock_value_difference),
				)
				for s in sle
			],
			[(item, warehouse, -4, 50, -200)],
		)
		stock_account = frappe.get_cached_value("Company", COMPANY, "default_inventory_account")
		self.assertEntries(
			"Stock Entry",
			se.name,
			[
				(self.settings.in_kind_expense_account, 200, 0, "Beneficiary", self.beneficiary, "Zakat"),
				(stock_account, 0, 200, None, None, "Zakat"),
			],
		)
		self.assertEqual((flt(doc.amount), flt(doc.items[0].rate), flt(doc.items[0].amount)), (200, 50, 200))
		self.assertEqual(stock_qty(item, warehouse), 6)
		request.reload()
		self.assertEqual(request.workflow_state, "Disbursed")

		doc.cancel()  # stock back, ledger reversed, request open again
		self.assertEqual(frappe.db.get_value("Stock Entry", se.name, "docstatus"), 2)
		self.assertEqual(stock_qty(item, warehouse), 10)
		self.assertEqual(gl("Stock Entry", se.name), [])
		request.reload()
		self.assertEqual((request.workflow_state, flt(request.disbursed_amount)), ("Approved", 0))

	def test_quantity_per_item_never_exceeds_the_approval(self):
		item = self.new_stock_item(qty=20)
		other = self.new_stock_item(qty=20)
		request = self.goods_request(item, approved_qty=5)
		make_disbursement(request.name, items=[{"item_code": item, "qty": 3}], submit=True)
		with self.assertRaises(OverDisbursementError):
			make_disbursement(request.name, items=[{"item_code": item, "qty": 3}], submit=True)
		with self.assertRaises(OverDisbursementError):  # not approved at all
			make_disbursement(request.name, items=[{"item_code": other, "qty": 1}], submit=True)
		state = balance.get_balance(request.name)
		self.assertEqual(
			[(r["qty"], r["disbursed_qty"], r["remaining_qty"]) for r in state["items"]], [(5, 3, 2)]
		)
		make_disbursement(request.name, items=[{"item_code": item, "qty": 2}], submit=True)
		self.assertEqual(
			frappe.db.get_value("Assistance Request", request.name, "workflow_state"), "Disbursed"
		)

	def test_served_quantities_fill_the_approved_rows_in_order(self):
		item = self.new_stock_item(qty=20)
		request = self.goods_request(item, approved_qty=2)
		frappe.get_doc(  # a second approved row of the same item: 2 + 3
			{
				"doctype": "Assistance Request Item",
				"parent": request.name,
				"parenttype": "Assistance Request",
				"parentfield": "approved_items",
				"idx": 2,
				"item_code": item,
				"qty": 3,
				"uom": "Nos",
			}
		).db_insert()

		def served_rows():
			return frappe.get_all(
				"Assistance Request Item",
				{"parent": request.name, "parentfield": "approved_items"},
				["disbursed_qty", "disbursed_stock_qty"],
				order_by="idx",
				as_list=True,
			)

		first = make_disbursement(request.name, items=[{"item_code": item, "qty": 3}], submit=True)
		self.assertEqual([tuple(map(flt, r)) for r in served_rows()], [(2, 2), (1, 1)])
		make_disbursement(request.name, items=[{"item_code": item, "qty": 2}], submit=True)
		self.assertEqual(
			frappe.db.get_value("Assistance Request", request.name, "workflow_state"), "Disbursed"
		)
		with self.assertRaises(NotDisbursableError):
			make_disbursement(request.name, items=[{"item_code": item, "qty": 1}], submit=True)
		first.cancel()
		self.assertEqual([tuple(map(flt, r)) for r in served_rows()], [(2, 2), (0, 0)])
		self.assertEqual(
			frappe.db.get_value("Assistance Request", request.name, ["workflow_state", "fully_disbursed"]),
			("Approved", 0),
		)

	def test_insufficient_stock_is_refused_and_nothing_posted(self):
		item = self.new_stock_item(qty=2)
		request = self.goods_request(item, approved_qty=5)
		doc = make_disbursement(request.name, items=[{"item_code": item, "qty": 4}])
		entries = (
			frappe.db.count("Stock Ledger Entry"),
			frappe.db.count("GL Entry"),
			frappe.db.count("Stock Entry"),
		)
		with self.assertRaisesRegex(InsufficientStockError, "Insufficient stock"):
			doc.submit()
		self.assertEqual(
			(
				frappe.db.count("Stock Ledger Entry"),
				frappe.db.count("GL Entry"),
				frappe.db.count("Stock Entry"),
			),
			entries,
		)
		self.assertEqual(frappe.db.get_value("Aid Disbursement", doc.name, "docstatus"), 0)
		self.assertEqual(stock_qty(item, self.settings.warehouse), 2)
		self.assertEqual(
			frappe.db.get_value("Assistance Request", request.name, "workflow_state"), "Approved"
		)

	def test_goods_are_posted_by_the_storekeeper_only(self):
		item = self.new_stock_item(qty=5)
		request = self.goods_request(item, approved_qty=1)
		frappe.set_user(ACCOUNTANT)
		with self.assertRaises(frappe.PermissionError):
			make_disbursement(request.name, items=[{"item_code": item, "qty": 1}])

	def test_stock_entry_cannot_be_cancelled_first(self):
		item = self.new_stock_item(qty=5)
		request = self.goods_request(item, approved_qty=2)
		doc = make_disbursement(request.name, items=[{"item_code": item, "qty": 2}], submit=True)
		with self.assertRaises(LinkedToDisbursementError):
			frappe.get_doc("Stock Entry", doc.stock_entry).cancel()
		self.assertEqual(stock_qty(item, self.settings.warehouse), 3)


# --- provider service -------------------------------------------------------------------------------
class TestProviderService(DisbursementTestCase):
	def setUp(self):
		super().setUp()
		guide = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": "repair-providers-guide.pdf",
				"file_url": "https://charity.example.org/guides/repair-providers-guide.pdf",
			}
		).insert(ignore_permissions=True)
		make_aid_service(PROVIDER_SERVICE, delivery_type="Provider Service", providers_guide=guide.file_url)
		self.guide = guide.file_url
		self.supplier = make_supplier(SUPPLIER)
		self.repair = make_item("AID-TEST-REPAIR-WORK", is_stock_item=0)
		self.request = make_approved_request(
			self.beneficiary, PROVIDER_SERVICE, approved_amount=3000, requested_amount=3000
		)
		# the accountant posts providers' invoices (and, unlike an Administrator, gets no Item Price
		# added by ERPNext for the rates he enters)
		frappe.set_user(ACCOUNTANT)

	def test_purchase_invoice_expensed_to_aid_with_fund(self):
		doc = make_disbursement(
			self.request.name,
			supplier=self.supplier,
			bill_no="INV-77",
			charity_fund="Sadaqah",
			items=[{"item_code": self.repair, "qty": 2, "rate": 900}],
			submit=True,
		)
		frappe.set_user("Administrator")
		self.assertEqual(flt(doc.amount), 1800)
		pi = frappe.get_doc("Purchase Invoice", doc.purchase_invoice)
		self.assertEqual(
			(pi.docstatus, pi.supplier, pi.aid_disbursement, flt(pi.grand_total)),
			(1, self.supplier, doc.name, 1800),
		)
		self.assertEqual(doc.providers_guide, self.guide)
		self.assertTrue(
			frappe.db.exists(
				"File",
				{
					"attached_to_doctype": "Purchase Invoice",
					"attached_to_name": pi.name,
					"file_url": self.guide,
				},
			)
		)
		self.assertEntries(
			"Purchase Invoice",
			pi.name,
			[
				(self.settings.service_expense_account, 1800, 0, "Beneficiary", self.beneficiary, "Sadaqah"),
				(pi.credit_to, 0, 1800, "Supplier", self.supplier, "Sadaqah"),
			],
		)
		self.assertEqual(
			flt(frappe.db.get_value("Assistance Request", self.request.name, "disbursed_amount")), 1800
		)

		doc.cancel()
		self.assertEqual(frappe.db.get_value("Purchase Invoice", pi.name, "docstatus"), 2)
		self.assertEqual(gl("Purchase Invoice", pi.name), [])
		self.assertEqual(
			flt(frappe.db.get_value("Assistance Request", self.request.name, "disbursed_amount")), 0
		)

	def test_amount_without_items_bills_the_service_item(self):
		doc = make_disbursement(self.request.name, supplier=self.supplier, amount=3000, submit=True)
		self.assertEqual(
			[(r.item_code, flt(r.qty), flt(r.rate)) for r in doc.items], [(SERVICE_ITEM, 1, 3000)]
		)
		self.assertEqual(
			frappe.db.get_value("Assistance Request", self.request.name, "workflow_state"), "Disbursed"
		)
		with self.assertRaises(NotDisbursableError):
			make_disbursement(self.request.name, supplier=self.supplier, amount=1)

	def test_provider_bill_within_the_approved_amount(self):
		with self.assertRaises(OverDisbursementError):
			make_disbursement(
				self.request.name,
				supplier=self.supplier,
				items=[{"item_code": self.repair, "qty": 4, "rate": 900}],
				submit=True,
			)

	def test_items_approved_without_an_amount_are_billed_within_the_services_limit(self):
		"""An items-only approval limits the quantities; the money the provider bills for them is
		capped by the service's limit per request, and refused when the service has none."""
		frappe.set_user("Administrator")
		make_aid_service(PROVIDER_SERVICE, delivery_type="Provider Service", max_amount=2000)
		items = [{"item_code": self.repair, "qty": 2}]
		request = make_approved_request(  # the committee granted the items, no amount
			self.beneficiary,
			PROVIDER_SERVICE,
			approved_items=items,
			state="Partly Approved",
			requested_items=items,
			requested_amount=1800,
		)
		self.assertEqual(flt(request.approved_amount), 0)
		frappe.set_user(ACCOUNTANT)
		with self.assertRaises(OverDisbursementError):  # 2 x 1500 = 3000 > 2000
			make_disbursement(
				request.name, supplier=self.supplier, items=[{**items[0], "rate": 1500}], submit=True
			)
		make_disbursement(
			request.name,
			supplier=self.supplier,
			items=[{"item_code": self.repair, "qty": 1, "rate": 1500}],
			submit=True,
		)
		with self.assertRaises(OverDisbursementError):  # 1500 billed, 600 more > 2000
			make_disbursement(
				request.name,
				supplier=self.supplier,
				items=[{"item_code": self.repair, "qty": 1, "rate": 600}],
				submit=True,
			)
		frappe.set_user("Administrator")
		make_aid_service(PROVIDER_SERVICE, delivery_type="Provider Service", max_amount=0)
		frappe.set_user(ACCOUNTANT)
		with self.assertRaises(OverDisbursementError):
			make_disbursement(
				request.name,
				supplier=self.supplier,
				items=[{"item_code": self.repair, "qty": 1, "rate": 1}],
				submit=True,
			)

	def test_the_bill_is_checked_in_halalas_as_it_is_posted(self):
		"""3 x 33.335 is billed 100.02 (the invoice rounds each rate): above an approval of 100, not
		the 100.005 that half a halala of tolerance would let through."""
		frappe.set_user("Administrator")
		request = make_approved_request(
			self.beneficiary, PROVIDER_SERVICE, approved_amount=100, requested_amount=100
		)
		frappe.set_user(ACCOUNTANT)
		with self.assertRaises(OverDisbursementError):
			make_disbursement(
				request.name,
				supplier=self.supplier,
				items=[{"item_code": self.repair, "qty": 3, "rate": 33.335}],
				submit=True,
			)
		doc = make_disbursement(
			request.name,
			supplier=self.supplier,
			items=[{"item_code": self.repair, "qty": 3, "rate": 33.333}],
			submit=True,
		)
		frappe.set_user("Administrator")
		self.assertEqual((flt(doc.items[0].rate), flt(doc.amount)), (33.33, 99.99))
		self.assertEqual(
			flt(frappe.db.get_value("Purchase Invoice", doc.purchase_invoice, "grand_total")), 99.99
		)

	def taxed_item(self, rate: float) -> str:
		"""A service item whose Item Tax Template adds `rate` % (ERPNext adds it to the invoice when
		Accounts Settings add_taxes_from_item_tax_template, its default, is on)."""
		frappe.set_user("Administrator")
		tax_account = (
			frappe.db.get_value("Account", {"company": COMPANY, "account_type": "Tax", "is_group": 0})
			or frappe.get_doc(
				{
					"doctype": "Account",
					"account_name": f"VAT {RUN}",
					"company": COMPANY,
					"parent_account": frappe.db.get_value(
						"Account",
						{"company": COMPANY, "root_type": "Liability", "is_group": 1},
						order_by="lft desc",
					),
					"account_type": "Tax",
				}
			)
			.insert(ignore_permissions=True)
			.name
		)
		template = frappe.get_doc(
			{
				"doctype": "Item Tax Template",
				"title": f"VAT {rate} {RUN} {frappe.generate_hash(length=4)}",
				"company": COMPANY,
				"taxes": [{"tax_type": tax_account, "tax_rate": rate}],
			}
		).insert(ignore_permissions=True)
		item = make_item(
			"AID-TEST-TAXED-" + frappe.generate_hash(length=6).upper(),
			is_stock_item=0,
			taxes=[{"item_tax_template": template.name}],
		)
		frappe.set_user(ACCOUNTANT)
		return item

	@change_settings("Accounts Settings", {"add_taxes_from_item_tax_template": 1})
	def test_the_invoice_owed_with_its_taxes_is_within_the_approval(self):
		"""R4.2, R4.3: the provider is owed the invoice's total with the item's 15% tax: 1150 for a
		1000 service is refused on an approval of 1000 (nothing posted), and on one of 1200 it is the
		disbursement's amount and what the request was served."""
		item = self.taxed_item(15)
		frappe.set_user("Administrator")
		tight = make_approved_request(
			self.beneficiary, PROVIDER_SERVICE, approved_amount=1000, requested_amount=1000
		)
		roomy = make_approved_request(
			self.beneficiary, PROVIDER_SERVICE, approved_amount=1200, requested_amount=1200
		)
		invoices = frappe.db.count("Purchase Invoice")
		frappe.set_user(ACCOUNTANT)
		draft = make_disbursement(
			tight.name, supplier=self.supplier, items=[{"item_code": item, "qty": 1, "rate": 1000}]
		)
		self.assertEqual(flt(draft.amount), 1000)
		with self.assertRaises(OverDisbursementError) as refused:
			draft.submit()
		self.assertIn("1,150", str(refused.exception))
		frappe.set_user("Administrator")
		self.assertEqual(frappe.db.count("Purchase Invoice"), invoices)  # not even a draft
		self.assertEqual(
			frappe.db.get_value("Assistance Request", tight.name, ["served_amount", "workflow_state"]),
			(0, "Approved"),
		)

		frappe.set_user(ACCOUNTANT)
		doc = make_disbursement(
			roomy.name,
			supplier=self.supplier,
			items=[{"item_code": item, "qty": 1, "rate": 1000}],
			submit=True,
		)
		frappe.set_user("Administrator")
		pi = frappe.get_doc("Purchase Invoice", doc.purchase_invoice)
		self.assertEqual((flt(pi.net_total), flt(pi.grand_total)), (1000, 1150))
		self.assertEqual(flt(doc.amount), 1150)
		self.assertEqual(flt(frappe.db.get_value("Aid Disbursement", doc.name, "amount")), 1150)
		provider = [e for e in gl("Purchase Invoice", pi.name) if e.party_type == "Supplier"]
		self.assertEqual([flt(e.credit) for e in provider], [1150])
		roomy.reload()
		self.assertEqual(
			(flt(roomy.served_amount), flt(roomy.disbursed_amount), flt(roomy.remaining_amount)),
			(1150, 1150, 50),
		)
		# cancelling gives back what was served, taxes included
		frappe.set_user(ACCOUNTANT)
		frappe.get_doc("Aid Disbursement", doc.name).cancel()
		roomy.reload()
		self.assertEqual((flt(roomy.served_amount), flt(roomy.remaining_amount)), (0, 1200))

	def test_stock_items_are_not_billed_by_providers(self):
		item = make_item("AID-TEST-STOCKED-" + frappe.generate_hash(length=6).upper())
		with self.assertRaises(ItemTypeError):
			make_disbursement(
				self.request.name, supplier=self.supplier, items=[{"item_code": item, "qty": 1, "rate": 10}]
			)


# --- two submissions at the same moment -------------------------------------------------------------
class TestConcurrentSubmissions(DisbursementTestCase):
	"""Two database connections (two threads, each with its own frappe site connection) submit at once."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.site = frappe.local.site
		cls.sites_path = os.path.abspath(frappe.local.sites_path)
		cls.created = {"Aid Disbursement": [], "Assistance Request": [], "Beneficiary": []}
		cls.addClassCleanup(retried, cls.remove_committed)

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		purge_disbursements(cls.created["Aid Disbursement"])
		purge_requests(cls.created["Assistance Request"])
		purge("Beneficiary", cls.created["Beneficiary"])
		purge("Aid Service", [CASH_SERVICE])
		frappe.db.commit()

	def two_drafts(self, approved, first, second):
		request = self.cash_request(approved)
		drafts = [make_disbursement(request.name, amount=amount).name for amount in (first, second)]
		self.created["Beneficiary"].append(self.beneficiary)
		self.created["Assistance Request"].append(request.name)
		self.created["Aid Disbursement"].extend(drafts)
		frappe.db.commit()  # the other connections must see them
		return request.name, drafts

	def submit_at_once(self, names, hold_lock=0.0):
		"""Submit each draft in its own thread and connection, all released together."""
		barrier = threading.Barrier(len(names))
		results = {}

		def worker(name):
			frappe.init(site=self.site, sites_path=self.sites_path)
			frappe.connect()
			frappe.flags.in_test = True
			started = time.monotonic()
			try:
				frappe.set_user(ACCOUNTANT)
				# as a user would, submit again when the database chose this one as a deadlock victim
				# (other test runs sharing the site hold locks for their whole class)
				for attempt in range(1, 4):
					try:
						doc = frappe.get_doc("Aid Disbursement", name)
						if attempt == 1:
							barrier.wait(timeout=30)
						doc.submit()
						frappe.db.commit()
						outcome = "submitted"
						break
					except frappe.QueryDeadlockError as e:
						frappe.db.rollback()
						outcome = e
					except Exception as e:
						frappe.db.rollback()
						outcome = e
						break
				results[name] = (outcome, time.monotonic() - started, attempt)
			finally:
				frappe.destroy()

		original = balance.lock_request

		def slow_lock(request):
			row = original(request)
			time.sleep(hold_lock)  # hold the request lock, so the other submission must wait for it
			return row

		with patch.object(balance, "lock_request", slow_lock):
			threads = [threading.Thread(target=worker, args=(name,)) for name in names]
			for thread in threads:
				thread.start()
			for thread in threads:
				thread.join(timeout=120)
		frappe.db.commit()  # end this connection's snapshot: read what the threads committed
		return results

	def test_two_submissions_exceeding_the_approval_one_is_refused(self):
		request, drafts = self.two_drafts(1000, 600, 600)
		results = self.submit_at_once(drafts, hold_lock=1.5)
		outcomes = sorted(
			type(r[0]).__name__ if not isinstance(r[0], str) else r[0] for r in results.values()
		)
		self.assertEqual(outcomes, ["OverDisbursementError", "submitted"], results)
		refused = next(name for name, r in results.items() if r[0] != "submitted")
		if all(r[2] == 1 for r in results.values()):  # no deadlock retry (see worker)
			self.assertGreaterEqual(results[refused][1], 1.4)  # it waited for the other's lock
		# its locking read saw the other's committed 600 (newer than its snapshot): 400 remained
		self.assertIn(balance.fmt(400), str(results[refused][0]))
		self.assertEqual(frappe.db.get_value("Aid Disbursement", refused, "docstatus"), 0)
		self.assertEqual(made_by(refused)["Journal Entry"], [])
		self.assertEqual(flt(frappe.db.get_value("Assistance Request", request, "disbursed_amount")), 600)
		self.assertEqual(
			flt(
				frappe.db.sql(
					"select sum(amount) from `tabAid Disbursement` where assistance_request=%s and docstatus=1",
					request,
				)[0][0]
			),
			600,
		)

	def test_two_submissions_within_the_approval_both_post(self):
		request, drafts = self.two_drafts(1000, 400, 600)
		results = self.submit_at_once(drafts, hold_lock=0.5)
		self.assertEqual([r[0] for r in results.values()], ["submitted", "submitted"], results)
		self.assertEqual(
			frappe.db.get_value("Assistance Request", request, ["disbursed_amount", "workflow_state"]),
			(1000, "Disbursed"),
		)


# --- wrong roles through REST -----------------------------------------------------------------------
class TestRolesOverREST(DisbursementTestCase):
	@classmethod
	def setUpClass(cls):
		from charity_beneficiary.tests.live_server import live_server

		super().setUpClass()
		frappe.set_user("Administrator")
		cls.records = {}
		cls.addClassCleanup(retried, cls.remove_committed)  # runs even when the set-up fails half-way
		make_aid_service(CASH_SERVICE, delivery_type="Cash")
		cls.item = cls.records["item"] = make_item("AID-TEST-REST-" + frappe.generate_hash(length=6).upper())
		make_aid_service(
			GOODS_SERVICE, delivery_type="In-Kind", default_items=[{"item_code": cls.item, "qty": 2}]
		)
		cls.beneficiary_name = cls.records["beneficiary"] = make_active_beneficiary().name
		cls.cash = make_approved_request(
			cls.beneficiary_name, CASH_SERVICE, approved_amount=800, requested_amount=800
		).name
		cls.goods = make_approved_request(
			cls.beneficiary_name, GOODS_SERVICE, approved_items=[{"item_code": cls.item, "qty": 2}]
		).name
		cls.pending = make_approved_request(
			cls.beneficiary_name, CASH_SERVICE, state="Pending Committee"
		).name
		cls.records["receipt"] = make_stock(
			cls.item, frappe.db.get_single_value("Charity Settings", "warehouse"), 5, 40
		)
		frappe.db.commit()  # the HTTP server is another process
		cls.server = live_server()

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		beneficiary = cls.records.get("beneficiary")
		requests = requests_of(beneficiary)
		if requests:
			purge_disbursements(
				frappe.get_all("Aid Disbursement", {"assistance_request": ("in", requests)}, pluck="name")
			)
		receipt = cls.records.get("receipt")
		if receipt:
			for table in ("GL Entry", "Stock Ledger Entry"):
				frappe.db.delete(table, {"voucher_type": "Stock Entry", "voucher_no": receipt})
			purge("Stock Entry", [receipt])
		purge_requests(requests)
		purge("Beneficiary", [beneficiary])
		purge("Aid Service", [CASH_SERVICE, GOODS_SERVICE])
		if cls.records.get("item"):
			frappe.db.delete("Bin", {"item_code": cls.records["item"]})
			purge("Item", [cls.records["item"]])
		frappe.db.commit()

	def setUp(self):
		frappe.set_user("Administrator")  # no per-test beneficiary: this class commits

	def url(self, *parts):
		return "/".join((self.server.url, *parts))

	def create(self, user, request, **fields):
		session = self.server.session(user, TEST_PASSWORD)
		return session, retry_on_deadlock(
			lambda: session.post(
				self.url("api/resource/Aid Disbursement"), json={"assistance_request": request, **fields}
			)
		)

	def submit(self, session, name):
		return retry_on_deadlock(
			lambda: session.put(self.url("api/resource/Aid Disbursement", name), json={"docstatus": 1})
		)

	def test_committee_cannot_disburse(self):
		session, response = self.create(COMMITTEE, self.cash, amount=100)
		self.assertEqual(response.status_code, 403, response.text)
		self.assertEqual(session.get(self.url("api/resource/Aid Disbursement")).status_code, 403)

	def test_storekeeper_cannot_post_cash_and_accountant_can(self):
		_session, response = self.create(STOREKEEPER, self.cash, amount=100)
		self.assertEqual(response.status_code, 403, response.text)
		session, response = self.create(ACCOUNTANT, self.cash, amount=100)
		self.assertEqual(response.status_code, 200, response.text)
		name = response.json()["data"]["name"]
		response = self.submit(session, name)
		self.assertEqual(response.status_code, 200, response.text)
		frappe.db.commit()  # a fresh snapshot
		journal = frappe.db.get_value("Aid Disbursement", name, "journal_entry")
		self.assertEqual(frappe.db.get_value("Journal Entry", journal, "docstatus"), 1)
		# and the storekeeper cannot cancel it
		storekeeper = self.server.session(STOREKEEPER, TEST_PASSWORD)
		response = storekeeper.post(
			self.url("api/method/frappe.client.cancel"), data={"doctype": "Aid Disbursement", "name": name}
		)
		self.assertEqual(response.status_code, 403, response.text)

	def test_a_branch_sent_over_rest_is_replaced_by_the_requests(self):
		"""The register lists and filters by the branch a disbursement keeps: the accountant cannot file
		one under another branch by sending it."""
		own = make_branch("فرع الطلب (صرف عبر REST - اختبار)")
		other = make_branch("فرع آخر (صرف عبر REST - اختبار)")
		frappe.db.set_value("Assistance Request", self.cash, "branch", own)
		frappe.db.commit()
		_session, response = self.create(ACCOUNTANT, self.cash, amount=50, branch=other)
		self.assertEqual(response.status_code, 200, response.text)
		self.assertEqual(response.json()["data"].get("branch"), own)

	def test_a_suspended_beneficiary_is_not_paid_over_rest(self):
		session, response = self.create(ACCOUNTANT, self.cash, amount=40)
		self.assertEqual(response.status_code, 200, response.text)
		name = response.json()["data"]["name"]
		frappe.db.set_value("Beneficiary", self.beneficiary_name, "status", "Suspended")
		frappe.db.commit()
		try:
			response = self.submit(session, name)
			self.assertEqual(response.status_code, 417, response.text)
			self.assertIn("BeneficiaryNotActiveError", response.json()["exc_type"])
			_session, response = self.create(ACCOUNTANT, self.cash, amount=40)
			self.assertEqual(response.status_code, 417, response.text)
		finally:
			frappe.db.set_value("Beneficiary", self.beneficiary_name, "status", "Active")
			frappe.db.commit()
		frappe.db.rollback()  # a fresh snapshot
		self.assertEqual(frappe.db.get_value("Aid Disbursement", name, "docstatus"), 0)

	def test_accountant_cannot_post_aid_to_salaries_or_creditors_over_rest(self):
		"""R4.4: the accounts sent over REST are aid accounts or the disbursement is refused when it
		is saved (posting checks them again), with nothing stored or posted."""
		salary = frappe.db.get_value("Account", {"company": COMPANY, "account_name": "Salary", "is_group": 0})
		creditors = frappe.get_cached_value("Company", COMPANY, "default_payable_account")
		for fields in ({"expense_account": salary}, {"paid_from_account": creditors}):
			with self.subTest(fields):
				before = frappe.db.count("Aid Disbursement", {"assistance_request": self.cash})
				_session, response = self.create(ACCOUNTANT, self.cash, amount=10, **fields)
				self.assertEqual(response.status_code, 417, response.text)
				self.assertIn("AccountError", response.json()["exc_type"])
				frappe.db.rollback()  # a fresh snapshot
				self.assertEqual(
					frappe.db.count("Aid Disbursement", {"assistance_request": self.cash}), before
				)

	def test_accountant_cannot_post_goods_and_storekeeper_can(self):
		items = [{"item_code": self.item, "qty": 2}]
		_session, response = self.create(ACCOUNTANT, self.goods, items=items)
		self.assertEqual(response.status_code, 403, response.text)
		session, response = self.create(STOREKEEPER, self.goods, items=items)
		self.assertEqual(response.status_code, 200, response.text)
		response = self.submit(session, response.json()["data"]["name"])
		self.assertEqual(response.status_code, 200, response.text)
		self.assertTrue(response.json()["data"]["stock_entry"])

	def test_posters_cannot_approve_requests(self):
		for user in (ACCOUNTANT, STOREKEEPER):
			session = self.server.session(user, TEST_PASSWORD)
			doc = frappe.get_doc("Assistance Request", self.pending).as_dict()
			response = session.post(
				self.url("api/method/frappe.model.workflow.apply_workflow"),
				json={"doc": frappe.as_json(doc), "action": "Approve"},
			)
			self.assertIn(response.status_code, (403, 417), response.text)
			self.assertIn(response.json().get("exc_type"), ("WorkflowTransitionError", "PermissionError"))
			frappe.db.commit()
			self.assertEqual(
				frappe.db.get_value("Assistance Request", self.pending, "workflow_state"), "Pending Committee"
			)


# --- goods as the storekeeper issues them, through REST (R4.1, R4.3, R8.3) -------------------------
TRACKED_SERVICE = f"أجهزة وأدوية (صرف - اختبار {RUN})"


def server_message(response) -> str:
	"""The messages a refusal carries, as the desk shows them."""
	messages = frappe.parse_json(response.json().get("_server_messages") or "[]")
	return " ".join(frappe.parse_json(message).get("message", "") for message in messages)


class TestGoodsOverREST(DisbursementTestCase):
	"""The storekeeper, who has no ERPNext stock role, issues serial- and batch-tracked goods (ERPNext
	picks the serial numbers and batches, and the cancellation returns them) but makes no bundle of his
	own outside a posting; he issues goods only in a unit the item has; and input that cannot be
	disbursed gets a clear refusal rather than a misleading one."""

	@classmethod
	def setUpClass(cls):
		from charity_beneficiary.tests.live_server import live_server

		super().setUpClass()
		frappe.set_user("Administrator")
		cls.records = {"items": [], "receipts": []}
		cls.addClassCleanup(retried, cls.remove_committed)  # runs even when the set-up fails half-way
		cls.warehouse = frappe.db.get_single_value("Charity Settings", "warehouse")
		key = frappe.generate_hash(length=6).upper()
		cls.serial_item = cls.tracked_item(
			f"AID-TEST-SN-{key}", has_serial_no=1, serial_no_series=f"AIDSN-{key}-.#####"
		)
		cls.batch_item = cls.tracked_item(
			f"AID-TEST-BT-{key}",
			has_batch_no=1,
			create_new_batch=1,
			batch_number_series=f"AIDBT-{key}-.#####",
		)
		cls.boxed_item = cls.tracked_item(
			f"AID-TEST-BOX-{key}", uoms=[{"uom": "Box", "conversion_factor": 10}]
		)
		approved = [
			{"item_code": cls.serial_item, "qty": 2},
			{"item_code": cls.batch_item, "qty": 2},
			{"item_code": cls.boxed_item, "qty": 20},
		]
		make_aid_service(TRACKED_SERVICE, delivery_type="In-Kind", default_items=approved)
		cls.beneficiary_name = cls.records["beneficiary"] = make_active_beneficiary().name
		cls.request = make_approved_request(
			cls.beneficiary_name, TRACKED_SERVICE, approved_items=approved, requested_items=approved
		).name
		for item_code in (cls.serial_item, cls.batch_item, cls.boxed_item):
			cls.records["receipts"].append(make_stock(item_code, cls.warehouse, 3, 40))
		frappe.db.commit()  # the HTTP server is another process
		cls.server = live_server()

	@classmethod
	def tracked_item(cls, item_code: str, **fields) -> str:
		cls.records["items"].append(item_code)
		return make_item(item_code, **fields)

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		beneficiary = cls.records.get("beneficiary")
		requests = requests_of(beneficiary)
		disbursements = (
			frappe.get_all("Aid Disbursement", {"assistance_request": ("in", requests)}, pluck="name")
			if requests
			else []
		)
		issues = [
			name
			for name in frappe.get_all(
				"Aid Disbursement", {"name": ("in", disbursements or [""])}, pluck="stock_entry"
			)
			if name
		]
		purge_disbursements(disbursements)
		receipts = cls.records.get("receipts") or []
		for receipt in receipts:
			for table in ("GL Entry", "Stock Ledger Entry"):
				frappe.db.delete(table, {"voucher_type": "Stock Entry", "voucher_no": receipt})
		purge("Stock Entry", receipts)
		if issues or receipts:
			frappe.db.delete("Repost Item Valuation", {"voucher_no": ("in", issues + receipts)})
		items = cls.records.get("items") or []
		if items:
			# a cancellation reposts the item's valuation after it (by item and warehouse)
			frappe.db.delete("Repost Item Valuation", {"item_code": ("in", items)})
			purge(
				"Serial and Batch Bundle",
				frappe.get_all("Serial and Batch Bundle", {"item_code": ("in", items)}, pluck="name"),
			)
			purge("Serial No", frappe.get_all("Serial No", {"item_code": ("in", items)}, pluck="name"))
			purge("Batch", frappe.get_all("Batch", {"item": ("in", items)}, pluck="name"))
			frappe.db.delete("Bin", {"item_code": ("in", items)})
			purge("Item", items)
		purge_requests(requests)
		purge("Beneficiary", [beneficiary])
		purge("Aid Service", [TRACKED_SERVICE])
		frappe.db.commit()

	def setUp(self):
		frappe.set_user("Administrator")  # no per-test beneficiary: this class commits

	def url(self, *parts):
		return "/".join((self.server.url, *parts))

	def create(self, user, **fields):
		session = self.server.session(user, TEST_PASSWORD)
		return session, retry_on_deadlock(
			lambda: session.post(self.url("api/resource/Aid Disbursement"), json=fields)
		)

	def call(self, session, method, **data):
		return retry_on_deadlock(lambda: session.post(self.url("api/method", method), json=data))

	def bundles(self, stock_entry: str) -> dict[str, frappe._dict]:
		"""item -> the serial and batch bundle of its row in the stock entry, with its entries."""
		out = {}
		for row in frappe.get_all(
			"Stock Entry Detail", {"parent": stock_entry}, ["item_code", "serial_and_batch_bundle"]
		):
			bundle = row.serial_and_batch_bundle
			out[row.item_code] = frappe._dict(
				name=bundle,
				docstatus=bundle and frappe.db.get_value("Serial and Batch Bundle", bundle, "docstatus"),
				entries=bundle
				and frappe.get_all(
					"Serial and Batch Entry", {"parent": bundle}, ["serial_no", "batch_no", "qty"]
				),
			)
		return out

	def test_storekeeper_issues_serial_and_batch_goods_and_cancels_them(self):
		"""R4.1: tracked goods are issued like any other (ERPNext makes their bundles under his own
		permissions, which hold inside the posting), and the cancellation returns them."""
		items = [{"item_code": self.serial_item, "qty": 1}, {"item_code": self.batch_item, "qty": 1}]
		session, response = self.create(STOREKEEPER, assistance_request=self.request, items=items)
		self.assertEqual(response.status_code, 200, response.text)
		name = response.json()["data"]["name"]
		submitted = self.call(session, "frappe.client.submit", doc=response.json()["data"])
		self.assertEqual(submitted.status_code, 200, submitted.text[:1500])
		frappe.db.rollback()  # a fresh snapshot
		stock_entry = frappe.db.get_value("Aid Disbursement", name, "stock_entry")
		bundles = self.bundles(stock_entry)
		serial, batch = bundles[self.serial_item], bundles[self.batch_item]
		self.assertEqual((serial.docstatus, batch.docstatus), (1, 1))
		self.assertEqual(
			frappe.db.get_value("Serial No", serial.entries[0].serial_no, "item_code"), self.serial_item
		)
		self.assertEqual(frappe.db.get_value("Batch", batch.entries[0].batch_no, "item"), self.batch_item)
		self.assertEqual(stock_qty(self.serial_item, self.warehouse), 2)
		self.assertEqual(stock_qty(self.batch_item, self.warehouse), 2)

		cancelled = self.call(session, "frappe.client.cancel", doctype="Aid Disbursement", name=name)
		self.assertEqual(cancelled.status_code, 200, cancelled.text[:1500])
		frappe.db.rollback()
		for bundle in (serial, batch):
			self.assertEqual(frappe.db.get_value("Serial and Batch Bundle", bundle.name, "docstatus"), 2)
		self.assertEqual(stock_qty(self.serial_item, self.warehouse), 3)
		self.assertEqual(stock_qty(self.batch_item, self.warehouse), 3)

	def test_the_accountant_sees_the_balance_of_goods_he_follows(self):
		"""He reads the storekeeper's disbursement (the ledgers) but not its request: the form asks the
		balance through the disbursement, not with a refusal."""
		items = [{"item_code": self.boxed_item, "qty": 1}]
		session, response = self.create(STOREKEEPER, assistance_request=self.request, items=items)
		self.assertEqual(response.status_code, 200, response.text)
		name = response.json()["data"]["name"]
		accountant = self.server.session(ACCOUNTANT, TEST_PASSWORD)
		method = "charity_beneficiary.disbursement.balance.get_balance"
		self.assertEqual(self.call(accountant, method, assistance_request=self.request).status_code, 403)
		answered = self.call(accountant, method, assistance_request=self.request, aid_disbursement=name)
		self.assertEqual(answered.status_code, 200, answered.text[:300])
		self.assertIn("remaining_amount", answered.json()["message"])
		other = self.call(accountant, method, assistance_request="ASR-NOT-THIS-ONE", aid_disbursement=name)
		self.assertIn(other.status_code, (403, 404), other.text[:300])

	def test_no_bundle_of_his_own_outside_a_posting(self):
		"""The rights that let ERPNext make the bundles in his posting are not his to use directly: a
		bundle of his own would change which serials and batches ERPNext counts available."""
		session = self.server.session(STOREKEEPER, TEST_PASSWORD)
		bundle = {
			"doctype": "Serial and Batch Bundle",
			"item_code": self.batch_item,
			"warehouse": self.warehouse,
			"type_of_transaction": "Outward",
			"voucher_type": "Stock Entry",
			"entries": [{"batch_no": frappe.db.get_value("Batch", {"item": self.batch_item}), "qty": -1}],
		}
		response = retry_on_deadlock(
			lambda: session.post(self.url("api/resource/Serial and Batch Bundle"), json=bundle)
		)
		self.assertEqual(response.status_code, 403, response.text[:500])
		listed = session.get(self.url("api/resource/Serial and Batch Bundle"))
		self.assertEqual(listed.status_code, 200, listed.text[:300])  # he reads them

	def test_a_unit_the_item_does_not_have_is_refused(self):
		"""R4.3: a unit that is neither the item's stock unit nor in its conversion table is refused,
		never counted as one stock unit against the approval."""
		before = frappe.db.count("Aid Disbursement", {"assistance_request": self.request})
		_session, response = self.create(
			STOREKEEPER,
			assistance_request=self.request,
			items=[{"item_code": self.boxed_item, "qty": 1, "uom": "Kg"}],
		)
		self.assertEqual(response.status_code, 417, response.text)
		self.assertIn("UnitError", response.json()["exc_type"])
		message = server_message(response)
		self.assertIn(self.boxed_item, message)
		self.assertIn("Kg", message)
		frappe.db.rollback()  # a fresh snapshot
		self.assertEqual(frappe.db.count("Aid Disbursement", {"assistance_request": self.request}), before)

		# the item's own box of 10 counts as 10
		_session, response = self.create(
			STOREKEEPER,
			assistance_request=self.request,
			items=[{"item_code": self.boxed_item, "qty": 1, "uom": "Box"}],
		)
		self.assertEqual(response.status_code, 200, response.text)
		row = response.json()["data"]["items"][0]
		self.assertEqual((flt(row["conversion_factor"]), flt(row["stock_qty"])), (10, 10))

	def test_input_that_cannot_be_disbursed_gets_a_clear_refusal(self):
		"""R8.3: a missing or unknown request, a row without an item, an unknown item and a group
		warehouse are refused (417) with what is wrong, not as a permission or stock problem."""
		group = frappe.db.get_value("Warehouse", {"company": COMPANY, "is_group": 1})
		unknown_item = "AID-TEST-NO-SUCH-ITEM-" + RUN.upper()
		one = {"item_code": self.boxed_item, "qty": 1}
		cases = (
			("no request", {"assistance_request": None, "items": [one]}, "MandatoryError", ()),
			(
				"unknown request",
				{"assistance_request": "AR-NO-SUCH-REQUEST", "items": [one]},
				"LinkValidationError",
				("AR-NO-SUCH-REQUEST",),
			),
			("row without item", {"items": [{"qty": 1}]}, "MandatoryError", ()),
			(
				"unknown item",
				{"items": [{"item_code": unknown_item, "qty": 1}]},
				"LinkValidationError",
				(unknown_item,),
			),
			("group warehouse", {"items": [{**one, "warehouse": group}]}, "WarehouseError", (group,)),
		)
		for label, fields, exc_type, named in cases:
			with self.subTest(label):
				fields = {"assistance_request": self.request, **fields}
				if not fields["assistance_request"]:
					del fields["assistance_request"]
				_session, response = self.create(STOREKEEPER, **fields)
				self.assertEqual(response.status_code, 417, response.text)
				self.assertIn(exc_type, response.json()["exc_type"])
				message = server_message(response)
				for text in named:
					self.assertIn(text, message)
				for misleading in ("does not have access", "not a stock item", "None", "available"):
					self.assertNotIn(misleading, message)
