# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""R4.4: the Aid Disbursement Register's total equals the general ledger's balance of the aid expense
accounts for the same filters (fund, service, branch, beneficiary, type), the difference is shown when
the ledger holds more; Fund Utilisation adds up to the same total; the voucher (سند صرف) prints right
to left with its Hijri date."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import flt, today

from charity_beneficiary.disbursement.report.aid_disbursement_register import aid_disbursement_register
from charity_beneficiary.disbursement.report.fund_utilisation import fund_utilisation
from charity_beneficiary.tests.factories import (
	SIGNATURE,
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
from charity_beneficiary.utils.jinja import hijri

ACCOUNTANT = role_email("Charity Accountant")
CASH_SERVICE = "مساعدة نقدية (اختبار السجل)"
GOODS_SERVICE = "سلة غذائية (اختبار السجل)"
PROVIDER_SERVICE = "علاج لدى مقدم خدمة (اختبار السجل)"
ITEM = "_AID-REGISTER-RICE"
ITEM_NAME = "أرز (اختبار السجل)"
SUPPLIER = "مستوصف اختبار السجل"
BRANCH = "مكتب اختبار السجل"
PRINT_FORMAT = "سند صرف"


def company() -> str:
	return frappe.db.get_single_value("Charity Settings", "company")


def make_fund() -> str:
	"""A fresh fund, so the ledger of this test's disbursements can be told apart from any other."""
	return (
		frappe.get_doc(
			{
				"doctype": "Charity Fund",
				"fund_name": f"صندوق اختبار السجل {frappe.generate_hash(length=6)}",
				"fund_type": "General",
				"is_active": 1,
			}
		)
		.insert(ignore_permissions=True)
		.name
	)


def in_branch(request: str) -> str:
	"""Only this request in BRANCH: a request takes its beneficiary's branch (branch_access), so the
	fixture writes it directly rather than give the other requests of the beneficiary a branch too."""
	frappe.db.set_value("Assistance Request", request, "branch", BRANCH)
	return request


def approved_request(beneficiary: str, service: str, amount: float = 0, items=(), **fields) -> str:
	return make_approved_request(
		beneficiary,
		service,
		approved_amount=amount,
		approved_items=[{"item_code": item_code, "qty": qty} for item_code, qty in items],
		requested_amount=amount,
		requested_items=[{"item_code": item_code, "qty": qty} for item_code, qty in items],
		**fields,
	).name


def disburse(request: str, fund: str, **fields):
	return make_disbursement(
		request, submit=True, company=company(), posting_date=today(), charity_fund=fund, **fields
	)


def gl_balance(fund: str, voucher_nos: list[str] | None = None) -> float:
	"""Debit − credit of the aid expense accounts in GL Entry, read independently of the report."""
	settings = frappe.get_single("Charity Settings")
	accounts = [
		settings.cash_expense_account,
		settings.in_kind_expense_account,
		settings.service_expense_account,
	]
	conditions = {
		"company": company(),
		"account": ("in", accounts),
		"charity_fund": fund,
		"is_cancelled": 0,
		"posting_date": today(),
	}
	if voucher_nos is not None:
		conditions["voucher_no"] = ("in", voucher_nos or [""])
	rows = frappe.get_all(
		"GL Entry", filters=conditions, fields=["sum(debit) as debit", "sum(credit) as credit"]
	)
	return flt(flt(rows[0].debit) - flt(rows[0].credit), 2)


class TestAidDisbursementRegister(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		role_user("Charity Accountant")
		make_aid_service(CASH_SERVICE, delivery_type="Cash")
		make_aid_service(GOODS_SERVICE, delivery_type="In-Kind")
		make_aid_service(PROVIDER_SERVICE, delivery_type="Provider Service")
		make_branch(BRANCH)
		make_item(ITEM, item_name=ITEM_NAME)
		make_stock(ITEM, frappe.db.get_single_value("Charity Settings", "warehouse"), qty=100, rate=50)
		make_supplier(SUPPLIER)

	def setUp(self):
		frappe.set_user("Administrator")
		self.fund = make_fund()
		self.beneficiary = make_active_beneficiary().name
		self.cash = disburse(
			in_branch(approved_request(self.beneficiary, CASH_SERVICE, 1500)), self.fund, amount=1500
		)
		self.goods = disburse(
			approved_request(self.beneficiary, GOODS_SERVICE, items=[(ITEM, 2)]),
			self.fund,
			items=[{"item_code": ITEM, "qty": 2}],
		)
		self.provider = disburse(
			approved_request(self.beneficiary, PROVIDER_SERVICE, 800),
			self.fund,
			supplier=SUPPLIER,
			bill_no="INV-REG-1",
			amount=800,
		)
		self.names = {self.cash.name, self.goods.name, self.provider.name}

	def tearDown(self):
		frappe.set_user("Administrator")

	def run_register(self, **filters):
		frappe.set_user(ACCOUNTANT)
		try:
			columns, data, message, _chart, summary = aid_disbursement_register.execute(
				{"company": company(), "from_date": today(), "to_date": today(), **filters}
			)
		finally:
			frappe.set_user("Administrator")
		self.assertTrue(columns and message)
		return data, {row["label"]: row["value"] for row in summary}, message

	def assert_reconciled(self, data, summary):
		register_total = flt(sum(flt(row.amount) for row in data), 2)
		self.assertEqual(summary["Register Total"], register_total)
		self.assertEqual(summary["GL Balance of Aid Expense Accounts"], register_total)
		self.assertEqual(summary["Difference"], 0)
		for row in data:
			self.assertEqual(flt(row.difference, 2), 0, row)

	def test_three_types_post_to_the_ledger(self):
		self.assertTrue(self.cash.journal_entry)
		self.assertTrue(self.goods.stock_entry)
		self.assertTrue(self.provider.purchase_invoice)
		self.goods.reload()
		self.assertEqual(flt(self.goods.amount), 100)  # 2 × valuation rate 50

	def test_register_equals_gl_for_the_fund(self):
		data, summary, message = self.run_register(fund=self.fund)
		self.assertEqual({row.disbursement for row in data}, self.names)
		self.assertEqual(summary["Register Total"], 1500 + 100 + 800)
		self.assertEqual(summary["Register Total"], gl_balance(self.fund))
		self.assert_reconciled(data, summary)
		self.assertIn("text-success", message)
		rows = {row.disbursement: row for row in data}
		# each row links to the request, the beneficiary and the ERPNext document it posted
		self.assertEqual(
			(rows[self.cash.name].voucher_type, rows[self.cash.name].voucher_no),
			("Journal Entry", self.cash.journal_entry),
		)
		self.assertEqual(
			(rows[self.goods.name].voucher_type, rows[self.goods.name].voucher_no),
			("Stock Entry", self.goods.stock_entry),
		)
		self.assertEqual(
			(rows[self.provider.name].voucher_type, rows[self.provider.name].voucher_no),
			("Purchase Invoice", self.provider.purchase_invoice),
		)
		self.assertEqual(rows[self.cash.name].assistance_request, self.cash.assistance_request)
		self.assertEqual(rows[self.cash.name].beneficiary, self.beneficiary)
		self.assertEqual(rows[self.cash.name].branch, BRANCH)
		self.assertEqual(rows[self.cash.name].gl_amount, 1500)
		# the linked records' DocTypes are named once, by the columns, not by every row
		self.assertFalse([key for key in rows[self.cash.name] if key.endswith("_doctype")])
		doctypes = {c["fieldname"]: c.get("link_doctype") for c in aid_disbursement_register.get_columns()}
		self.assertEqual(doctypes["beneficiary"], "Beneficiary")
		self.assertEqual(doctypes["assistance_request"], "Assistance Request")

	def test_register_equals_gl_without_a_fund_filter(self):
		for filters in (
			{"aid_service": CASH_SERVICE},
			{"aid_service": GOODS_SERVICE},
			{"beneficiary": self.beneficiary},
			{"disbursement_type": "Provider Service"},
			{"branch": BRANCH},
		):
			with self.subTest(**filters):
				data, summary, _message = self.run_register(**filters)
				self.assertTrue(data)
				self.assert_reconciled(data, summary)
				self.assertFalse([row for row in data if row.unmatched])

		data, summary, _message = self.run_register(beneficiary=self.beneficiary)
		self.assertEqual({row.disbursement for row in data}, self.names)
		self.assertEqual(summary["Register Total"], 2400)
		vouchers = [self.cash.journal_entry, self.goods.stock_entry, self.provider.purchase_invoice]
		self.assertEqual(summary["GL Balance of Aid Expense Accounts"], gl_balance(self.fund, vouchers))

		data, summary, _message = self.run_register(branch=BRANCH, fund=self.fund)
		self.assertEqual([row.disbursement for row in data], [self.cash.name])
		self.assertEqual(summary["Register Total"], 1500)
		self.assert_reconciled(data, summary)

	def test_cancelled_disbursement_leaves_register_and_ledger(self):
		self.cash.reload()
		self.cash.cancel()
		data, summary, _message = self.run_register(fund=self.fund)
		self.assertEqual({row.disbursement for row in data}, self.names - {self.cash.name})
		self.assertEqual(summary["Register Total"], 900)
		self.assert_reconciled(data, summary)

	def manual_journal_entry(self, **party) -> str:
		"""Aid paid by hand in ERPNext: 250 on the cash aid expense account, not by a disbursement."""
		settings = frappe.get_single("Charity Settings")
		je = frappe.get_doc(
			{
				"doctype": "Journal Entry",
				"company": company(),
				"posting_date": today(),
				"accounts": [
					{
						"account": settings.cash_expense_account,
						"debit_in_account_currency": 250,
						"cost_center": settings.cost_center,
						"charity_fund": self.fund,
						**party,
					},
					{
						"account": settings.paid_from_account,
						"credit_in_account_currency": 250,
						"cost_center": settings.cost_center,
						"charity_fund": self.fund,
					},
				],
			}
		).insert(ignore_permissions=True)
		je.submit()
		return je.name

	def test_ledger_entry_without_disbursement_shows_as_difference(self):
		je = frappe._dict(name=self.manual_journal_entry())
		data, summary, message = self.run_register(fund=self.fund)
		self.assertEqual(summary["Register Total"], 2400)
		self.assertEqual(summary["GL Balance of Aid Expense Accounts"], 2650)
		self.assertEqual(summary["GL Balance of Aid Expense Accounts"], gl_balance(self.fund))
		self.assertEqual(summary["Difference"], -250)
		self.assertIn("text-danger", message)
		unmatched = [row for row in data if row.unmatched]
		self.assertEqual(
			[(row.voucher_type, row.voucher_no, row.gl_amount) for row in unmatched],
			[("Journal Entry", je.name, 250)],
		)

		# narrowed to the disbursements of a service, only their own documents count: no difference
		data, summary, _message = self.run_register(fund=self.fund, aid_service=CASH_SERVICE)
		self.assert_reconciled(data, summary)

	def test_an_entry_made_out_to_the_beneficiary_shows_in_his_register(self):
		"""R4.4: the register of one beneficiary said it equalled the ledger while 250 more had been
		paid to him by hand (a journal entry naming him as party)."""
		je = self.manual_journal_entry(party_type="Beneficiary", party=self.beneficiary)
		data, summary, message = self.run_register(fund=self.fund, beneficiary=self.beneficiary)
		self.assertEqual(summary["Difference"], -250)
		self.assertIn("text-danger", message)
		self.assertEqual([row.voucher_no for row in data if row.unmatched], [je])

	def test_total_row_through_the_report_api(self):
		from frappe.desk.query_report import run

		frappe.set_user(ACCOUNTANT)
		result = run(
			"Aid Disbursement Register",
			filters={"company": company(), "from_date": today(), "to_date": today(), "fund": self.fund},
		)
		frappe.set_user("Administrator")
		total = result["result"][-1]
		amount_index = [c["fieldname"] for c in result["columns"]].index("amount")
		self.assertEqual(flt(total[amount_index] if isinstance(total, list) else total["amount"]), 2400)

	def test_fund_utilisation_types_the_same_with_or_without_its_shortcut(self):
		"""The type told by the voucher's kind and account together, the type read by EXISTS on the
		voucher's link (one type per kind of document) and the type read from the disbursement itself
		(the way taken when a kind had several types) are the same."""
		from unittest.mock import patch

		filters = fund_utilisation.prepare_filters(
			{"company": company(), "from_date": today(), "to_date": today(), "fund": self.fund}
		)
		accounts = fund_utilisation.aid_expense_accounts(filters.company)

		def entries():
			rows = fund_utilisation.get_entries(filters, accounts)
			return sorted((row.disbursement_type, row.account, flt(row.balance, 2)) for row in rows)

		shortcut = entries()
		with patch.object(fund_utilisation, "types_by_document", return_value=None):
			self.assertEqual(entries(), shortcut)
		# no account tells a type (as a service's own expense account): every group is looked up
		with patch.object(fund_utilisation, "EXPENSE_FIELD", {}):
			self.assertEqual(entries(), shortcut)
		self.assertEqual(
			{(disbursement_type, balance) for disbursement_type, _account, balance in shortcut},
			{("Cash", 1500), ("In-Kind", 100), ("Provider Service", 800)},
		)

	def test_fund_utilisation_equals_the_register(self):
		frappe.set_user(ACCOUNTANT)
		_columns, data, _message, _chart, summary = fund_utilisation.execute(
			{"company": company(), "from_date": today(), "to_date": today(), "fund": self.fund}
		)
		frappe.set_user("Administrator")
		fund_rows = [row for row in data if row["is_fund"]]
		self.assertEqual(len(fund_rows), 1)
		fund_row = fund_rows[0]
		self.assertEqual(fund_row["fund"], self.fund)
		self.assertEqual(
			(fund_row["cash"], fund_row["in_kind"], fund_row["provider_service"]), (1500, 100, 800)
		)
		self.assertEqual(fund_row["total"], 2400)
		self.assertEqual(fund_row["share"], 100)
		period_rows = [row for row in data if not row["is_fund"]]
		self.assertEqual(sum(row["total"] for row in period_rows), 2400)
		self.assertEqual({s["label"]: s["value"] for s in summary}["Total"], 2400)

		_data, register, _message = self.run_register(fund=self.fund)
		self.assertEqual(fund_row["total"], register["Register Total"])

		# all funds together: the test fund's share of the whole
		_columns, data, _message, _chart, _summary = fund_utilisation.execute(
			{"company": company(), "from_date": today(), "to_date": today(), "periodicity": "Yearly"}
		)
		ours = next(row for row in data if row["is_fund"] and row["fund"] == self.fund)
		grand = sum(row["total"] for row in data if row["is_fund"])
		self.assertAlmostEqual(ours["share"], flt(2400 * 100 / grand, 2), places=2)

	def test_voucher_prints_right_to_left_with_hijri_date(self):
		self.cash.reload()
		self.cash.receiver_signature = SIGNATURE
		self.cash.save()
		self.assertTrue(self.cash.received_on)

		lang = frappe.local.lang
		frappe.local.lang = "ar"
		try:
			html = frappe.get_print("Aid Disbursement", self.cash.name, print_format=PRINT_FORMAT)
			hijri_date = hijri(self.cash.posting_date)
			words = frappe.utils.in_words(1500)
		finally:
			frappe.local.lang = lang
		self.assertIn('dir="rtl"', html)
		self.assertIn("direction: rtl", html)
		self.assertTrue(hijri_date)
		self.assertIn(hijri_date, html)
		self.assertIn(words, html)
		self.assertIn(self.cash.name, html)
		self.assertIn(self.cash.journal_entry, html)
		self.assertIn(SIGNATURE, html)
		self.assertIn(self.cash.received_by, html)
		id_number = frappe.db.get_value("Beneficiary", self.beneficiary, "id_number")
		self.assertIn(id_number, html)

		goods_html = frappe.get_print("Aid Disbursement", self.goods.name, print_format=PRINT_FORMAT)
		self.assertIn(ITEM_NAME, goods_html)
		self.assertIn(self.goods.stock_entry, goods_html)

	def test_disbursed_this_month_card(self):
		from frappe.desk.doctype.number_card.number_card import get_result
		from frappe.utils import get_first_day, get_last_day

		card = frappe.get_doc("Number Card", "Disbursed This Month")
		expected = frappe.get_all(
			"Aid Disbursement",
			filters={
				"docstatus": 1,
				"posting_date": ("between", [get_first_day(today()), get_last_day(today())]),
			},
			fields=["sum(amount) as total"],
		)[0].total
		self.assertEqual(flt(get_result(card, card.filters_json)), flt(expected))
		self.assertGreaterEqual(flt(expected), 2400)
