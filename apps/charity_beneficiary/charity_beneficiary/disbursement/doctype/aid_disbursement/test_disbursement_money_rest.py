# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""R4 money rules over REST, as the real roles: the link to a disbursement on a ledger document is the
app's own (an ERPNext Accounts User cannot set it, nor does a document that names it lock the
disbursement); goods are issued only in quantities the stock entry keeps exactly; and aid is dated
between the request's decision and today."""

import frappe
from frappe.utils import add_days, flt, today

from charity_beneficiary.disbursement.doctype.aid_disbursement.test_aid_disbursement import (
	ACCOUNTANT,
	CASH_SERVICE,
	GOODS_SERVICE,
	STOREKEEPER,
	DisbursementTestCase,
	purge,
	purge_disbursements,
	purge_requests,
	requests_of,
	retried,
	retry_on_deadlock,
)
from charity_beneficiary.disbursement.permissions import IN_POSTING_FLAG
from charity_beneficiary.disbursement.setup import LINK_FIELD
from charity_beneficiary.tests.factories import (
	TEST_PASSWORD,
	make_active_beneficiary,
	make_aid_service,
	make_approved_request,
	make_item,
	make_stock,
)
from charity_beneficiary.tests.users import roles_user


def delete_voucher(doctype: str, name: str) -> None:
	for table in ("GL Entry", "Payment Ledger Entry", "Stock Ledger Entry"):
		frappe.db.delete(table, {"voucher_type": doctype, "voucher_no": name})
	purge(doctype, [name])


class TestMoneyRulesOverREST(DisbursementTestCase):
	@classmethod
	def setUpClass(cls):
		from charity_beneficiary.tests.live_server import live_server

		super().setUpClass()
		frappe.set_user("Administrator")
		cls.records = {"journals": [], "receipts": []}
		cls.addClassCleanup(retried, cls.remove_committed)  # runs even when the set-up fails half-way
		cls.accounts_user = roles_user("Accounts User")  # ERPNext's own role: one shared user
		make_aid_service(CASH_SERVICE, delivery_type="Cash")
		cls.item = cls.records["item"] = make_item(
			"AID-TEST-KG-" + frappe.generate_hash(length=6).upper(),
			stock_uom="Kg",
			uoms=[{"uom": "Kg", "conversion_factor": 1}, {"uom": "Gram", "conversion_factor": 0.001}],
		)
		make_aid_service(
			GOODS_SERVICE, delivery_type="In-Kind", default_items=[{"item_code": cls.item, "qty": 0.003}]
		)
		cls.beneficiary_name = cls.records["beneficiary"] = make_active_beneficiary().name
		cls.cash = make_approved_request(
			cls.beneficiary_name, CASH_SERVICE, approved_amount=900, requested_amount=900
		).name
		cls.goods = make_approved_request(
			cls.beneficiary_name, GOODS_SERVICE, approved_items=[{"item_code": cls.item, "qty": 0.003}]
		).name
		cls.warehouse = frappe.db.get_single_value("Charity Settings", "warehouse")
		cls.records["receipts"].append(make_stock(cls.item, cls.warehouse, 1, 10))
		frappe.db.commit()  # the HTTP server is another process
		cls.server = live_server()

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		for journal in cls.records.get("journals", []):
			delete_voucher("Journal Entry", journal)
		beneficiary = cls.records.get("beneficiary")
		requests = requests_of(beneficiary)
		if requests:
			purge_disbursements(
				frappe.get_all("Aid Disbursement", {"assistance_request": ("in", requests)}, pluck="name")
			)
		for receipt in cls.records.get("receipts", []):
			delete_voucher("Stock Entry", receipt)
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

	def post_cash(self, amount):
		"""A submitted cash disbursement by the accountant; returns (its name, its journal entry)."""
		session, response = self.create(ACCOUNTANT, self.cash, amount=amount, docstatus=1)
		self.assertEqual(response.status_code, 200, response.text)
		name = response.json()["data"]["name"]
		return name, response.json()["data"]["journal_entry"]

	def journal(self, disbursement, **fields) -> dict:
		frappe.db.rollback()  # a fresh snapshot: the server committed the disbursement
		doc = frappe.get_doc("Aid Disbursement", disbursement)
		return {
			"doctype": "Journal Entry",
			"voucher_type": "Cash Entry",
			"company": doc.company,
			"posting_date": today(),
			"user_remark": "by hand",
			"accounts": [
				{
					"account": doc.expense_account,
					"debit_in_account_currency": 50,
					"party_type": "Beneficiary",
					"party": doc.beneficiary,
					"cost_center": doc.cost_center,
					"charity_fund": doc.charity_fund,
				},
				{
					"account": doc.paid_from_account,
					"credit_in_account_currency": 50,
					"cost_center": doc.cost_center,
					"charity_fund": doc.charity_fund,
				},
			],
			**fields,
		}

	# --- the link to a disbursement, and its journal entry -------------------------------------------------
	def test_an_accounts_user_cannot_link_his_journal_entry_to_a_disbursement(self):
		disbursement, _journal = self.post_cash(60)
		session = self.server.session(self.accounts_user, TEST_PASSWORD)
		frappe.db.rollback()  # a fresh snapshot: the disbursement's own entry counts
		before = frappe.db.count("Journal Entry", {LINK_FIELD: disbursement})
		response = retry_on_deadlock(
			lambda: session.post(
				self.url("api/resource/Journal Entry"),
				json=self.journal(disbursement, docstatus=1, **{LINK_FIELD: disbursement}),
			)
		)
		if response.status_code == 200:
			self.records["journals"].append(response.json()["data"]["name"])
			frappe.db.commit()
		self.assertEqual(response.status_code, 417, response.text)
		self.assertIn("DisbursementLinkError", response.json()["exc_type"])
		frappe.db.rollback()  # a fresh snapshot
		self.assertEqual(frappe.db.count("Journal Entry", {LINK_FIELD: disbursement}), before)
		# the same entry without the link is his to post
		response = retry_on_deadlock(
			lambda: session.post(
				self.url("api/resource/Journal Entry"), json=self.journal(disbursement, docstatus=1)
			)
		)
		self.assertEqual(response.status_code, 200, response.text)
		self.records["journals"].append(response.json()["data"]["name"])

	def test_a_disbursements_journal_entry_is_not_reversed_by_hand(self):
		"""ERPNext's "Reverse Journal Entry" undid the payment in the ledger while the disbursement still
		counted it as paid: cancelling the disbursement is the way (it restores the request's balance)."""
		disbursement, own_journal = self.post_cash(40)
		session = self.server.session(self.accounts_user, TEST_PASSWORD)
		response = retry_on_deadlock(
			lambda: session.post(
				self.url(
					"api/method/erpnext.accounts.doctype.journal_entry.journal_entry.make_reverse_journal_entry"
				),
				data={"source_name": own_journal},
			)
		)
		self.assertEqual(response.status_code, 200, response.text)
		reversal = response.json()["message"]
		reversal["docstatus"] = 1
		response = retry_on_deadlock(
			lambda: session.post(self.url("api/resource/Journal Entry"), json=reversal)
		)
		if response.status_code == 200:
			self.records["journals"].append(response.json()["data"]["name"])
			frappe.db.commit()
		self.assertEqual(response.status_code, 417, response.text)
		self.assertIn("LinkedToDisbursementError", response.json()["exc_type"])
		frappe.db.rollback()  # a fresh snapshot
		self.assertFalse(frappe.db.exists("Journal Entry", {"reversal_of": own_journal}))
		self.assertEqual(frappe.db.get_value("Aid Disbursement", disbursement, "docstatus"), 1)

	def test_a_journal_entry_naming_a_disbursement_does_not_lock_it(self):
		"""A document made by hand before the link was refused: its user cancels it, and then the
		disbursement can be cancelled; the disbursement's own journal entry still cannot be cancelled
		on its own."""
		disbursement, own_journal = self.post_cash(70)
		forged = frappe.get_doc(self.journal(disbursement, **{LINK_FIELD: disbursement}))
		forged.flags.ignore_permissions = True
		frappe.flags[IN_POSTING_FLAG] = True  # as it could be stored before the rule
		try:
			forged.insert()
			forged.submit()
		finally:
			frappe.flags[IN_POSTING_FLAG] = None
		self.records["journals"].append(forged.name)
		frappe.db.commit()

		session = self.server.session(self.accounts_user, TEST_PASSWORD)

		def cancel(doctype, name, user_session=session):
			return retry_on_deadlock(
				lambda: user_session.post(
					self.url("api/method/frappe.client.cancel"), data={"doctype": doctype, "name": name}
				)
			)

		response = cancel("Journal Entry", own_journal)
		self.assertEqual(response.status_code, 417, response.text)
		self.assertIn("LinkedToDisbursementError", response.json()["exc_type"])
		response = cancel("Journal Entry", forged.name)
		self.assertEqual(response.status_code, 200, response.text)
		accountant = self.server.session(ACCOUNTANT, TEST_PASSWORD)
		response = cancel("Aid Disbursement", disbursement, accountant)
		self.assertEqual(response.status_code, 200, response.text)
		frappe.db.rollback()  # a fresh snapshot
		self.assertEqual(frappe.db.get_value("Journal Entry", own_journal, "docstatus"), 2)

	# --- quantities the stock entry would round --------------------------------------------
	def test_goods_are_not_issued_in_quantities_the_stock_entry_rounds(self):
		before = frappe.db.count("Aid Disbursement", {"assistance_request": self.goods})
		_session, response = self.create(
			STOREKEEPER, self.goods, items=[{"item_code": self.item, "qty": 0.0015}], docstatus=1
		)
		self.assertEqual(response.status_code, 417, response.text)
		self.assertIn("QuantityPrecisionError", response.json()["exc_type"])
		frappe.db.rollback()  # a fresh snapshot
		self.assertEqual(frappe.db.count("Aid Disbursement", {"assistance_request": self.goods}), before)

		# 1.5 Gram leaves stock as 0.002 Kg, and counts as 0.002 against the 0.003 approved
		half = [{"item_code": self.item, "qty": 1.5, "uom": "Gram"}]
		_session, response = self.create(STOREKEEPER, self.goods, items=half, docstatus=1)
		self.assertEqual(response.status_code, 200, response.text)
		self.assertEqual(flt(response.json()["data"]["items"][0]["stock_qty"]), 0.002)
		_session, response = self.create(STOREKEEPER, self.goods, items=half, docstatus=1)
		self.assertEqual(response.status_code, 417, response.text)
		self.assertIn("OverDisbursementError", response.json()["exc_type"])
		# what remains, in what the stock entry keeps: issued as approved
		_session, response = self.create(
			STOREKEEPER, self.goods, items=[{"item_code": self.item, "qty": 1, "uom": "Gram"}], docstatus=1
		)
		self.assertEqual(response.status_code, 200, response.text)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value("Assistance Request", self.goods, "workflow_state"), "Disbursed")

	# --- the posting date ----------------------------------------------------------------
	def test_aid_is_dated_between_the_decision_and_today(self):
		frappe.db.set_value("Assistance Request", self.cash, "decided_on", add_days(today(), -3))
		frappe.db.commit()
		for posting_date in (add_days(today(), -4), add_days(today(), 1)):
			with self.subTest(posting_date):
				before = frappe.db.count("Aid Disbursement", {"assistance_request": self.cash})
				_session, response = self.create(
					ACCOUNTANT, self.cash, amount=10, posting_date=posting_date, docstatus=1
				)
				self.assertEqual(response.status_code, 417, response.text)
				self.assertIn("PostingDateError", response.json()["exc_type"])
				frappe.db.rollback()
				self.assertEqual(
					frappe.db.count("Aid Disbursement", {"assistance_request": self.cash}), before
				)
		_session, response = self.create(
			ACCOUNTANT, self.cash, amount=10, posting_date=add_days(today(), -3), docstatus=1
		)
		self.assertEqual(response.status_code, 200, response.text)
