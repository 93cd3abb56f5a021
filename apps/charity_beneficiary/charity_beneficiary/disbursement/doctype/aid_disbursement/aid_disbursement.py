# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""Aid Disbursement (R4, R4.1): cash, goods or a provider's service handed to a beneficiary against an
approved assistance request.

Submitting locks the request and checks the approval's balance (balance.py), posts the ERPNext
document of the type (posting.py) and adds the disbursement to the request's running totals;
cancelling cancels the document and subtracts it. Who may post which type: permissions.py. Receipt: receipt.py.
"""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.model.meta import get_field_precision
from frappe.utils import flt, format_date, getdate, today

from charity_beneficiary.disbursement import balance, notices, posting, receipt
from charity_beneficiary.disbursement.accounts import (
	check_disbursement_accounts,
	check_expense_account,
	check_paid_from_account,
)
from charity_beneficiary.disbursement.balance import REQUEST_INDEX
from charity_beneficiary.disbursement.defaults import expense_account, get_defaults
from charity_beneficiary.disbursement.permissions import check_posting_role
from charity_beneficiary.utils import code_owned
from charity_beneficiary.utils.signature import check_signatures


class FundError(frappe.ValidationError):
	"""The fund is inactive, or restricted to another service."""


class ItemTypeError(frappe.ValidationError):
	"""Goods from stock are stock items; a provider bills no stock item."""


class WarehouseError(frappe.ValidationError):
	"""Goods are issued from one warehouse of the company, not a group of warehouses."""


class PostingDateError(frappe.ValidationError):
	"""Aid is disbursed after the request's decision and not in the future."""


class QuantityPrecisionError(frappe.ValidationError):
	"""A quantity the ledger document would round: what leaves stock would not be what is counted."""


# the row of the ledger document a disbursement's row becomes: its quantity fields, in the row's unit
# and in the stock unit, as ERPNext rounds them
LEDGER_ROWS = {
	"In-Kind": ("Stock Entry Detail", "qty", "transfer_qty"),
	"Provider Service": ("Purchase Invoice Item", "qty", "stock_qty"),
}


class AidDisbursement(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from charity_beneficiary.disbursement.doctype.aid_disbursement_item.aid_disbursement_item import (
			AidDisbursementItem,
		)

		aid_service: DF.Link | None
		amended_from: DF.Link | None
		amount: DF.Currency
		assistance_request: DF.Link
		beneficiary: DF.Link | None
		beneficiary_name: DF.Data | None
		bill_no: DF.Data | None
		branch: DF.Link | None
		charity_fund: DF.Link
		company: DF.Link
		cost_center: DF.Link | None
		disbursement_type: DF.Literal["Cash", "In-Kind", "Provider Service"]
		expense_account: DF.Link | None
		items: DF.Table[AidDisbursementItem]
		journal_entry: DF.Link | None
		mode_of_payment: DF.Link | None
		naming_series: DF.Literal["AID-.YYYY.-.#####"]
		paid_from_account: DF.Link | None
		posting_date: DF.Date
		providers_guide: DF.Attach | None
		purchase_invoice: DF.Link | None
		received_by: DF.Autocomplete | None
		received_on: DF.Datetime | None
		receiver_relation: DF.Data | None
		receiver_type: DF.Literal["Beneficiary", "Family Member"]
		remarks: DF.SmallText | None
		stock_entry: DF.Link | None
		supplier: DF.Link | None
		warehouse: DF.Link | None
	# end: auto-generated types

	def before_validate(self):
		code_owned.refuse_user_changes(self)

	def validate(self):
		request = self.set_request_details()
		check_posting_role(self)
		self.validate_posting_date()
		# on submit, before_submit checks it again under the request's lock: that check is the rule
		balance.check_disbursable(request)
		balance.check_beneficiary_active(request)
		self.set_defaults()
		self.validate_accounts()
		self.validate_fund()
		self.validate_by_type()
		check_signatures(self)
		receipt.validate_receipt(self)

	def before_submit(self):
		balance.check_within_approval(self)  # locks the request until the transaction ends
		if self.disbursement_type == "In-Kind":
			posting.check_stock(self)
		notices.defer_delivered_notices(self)  # the beneficiary is told after the commit (R6.3)

	def on_submit(self):
		posting.post(self)
		balance.update_request(self)

	def before_cancel(self):
		check_posting_role(self)
		balance.lock_for(self)  # locks the request until the transaction ends

	def on_cancel(self):
		posting.cancel_documents(self)
		balance.update_request(self)

	def before_update_after_submit(self):
		code_owned.refuse_user_changes(self)
		check_posting_role(self)
		check_signatures(self)
		receipt.validate_receipt(self)

	# --- the request -------------------------------------------------------------------------------
	def set_request_details(self) -> frappe._dict:
		"""Beneficiary, service and type always come from the request and its service. One joined
		read (validate runs on insert and again on submit): what balance.check_disbursable needs too."""
		if not self.assistance_request:
			frappe.throw(_("Please select the assistance request to disburse"), exc=frappe.MandatoryError)
		request = balance.request_details(self.assistance_request)
		if not request:
			# frappe v15 does not check a link that fetches values (its record is not found) before validate
			frappe.throw(
				_("Assistance Request {0} does not exist").format(frappe.bold(self.assistance_request)),
				exc=frappe.LinkValidationError,
			)
		self.beneficiary = request.beneficiary
		self.aid_service = request.aid_service
		self.branch = request.branch
		self.beneficiary_name = request.beneficiary_name
		self.disbursement_type = request.delivery_type
		self.providers_guide = request.providers_guide
		return request

	def validate_posting_date(self):
		"""Aid is disbursed on or after the day the request was decided, and not after today: the
		ledger is dated with it."""
		if not self.posting_date:
			frappe.throw(_("Please enter the posting date"), exc=frappe.MandatoryError)
		posting_date = getdate(self.posting_date)
		if posting_date > getdate(today()):
			frappe.throw(
				_("The posting date {0} is in the future").format(format_date(posting_date)),
				exc=PostingDateError,
			)
		decided_on = frappe.db.get_value("Assistance Request", self.assistance_request, "decided_on")
		if decided_on and posting_date < getdate(decided_on):
			frappe.throw(
				_("The posting date {0} is before the request {1} was decided on {2}").format(
					format_date(posting_date), self.assistance_request, format_date(decided_on)
				),
				exc=PostingDateError,
			)

	# --- defaults ----------------------------------------------------------------------------------
	def set_defaults(self):
		defaults = get_defaults(self.company)
		self.company = self.company or defaults.company
		if not self.company:
			frappe.throw(_("Please set the default company in Charity Settings"), exc=frappe.MandatoryError)
		if self.company != defaults.company:
			defaults = get_defaults(self.company)
		self.charity_fund = self.charity_fund or defaults.default_fund
		self.cost_center = (
			self.cost_center
			or defaults.cost_center
			or frappe.get_cached_value("Company", self.company, "cost_center")
		)
		self.expense_account = (
			self.expense_account
			or self.service_expense_account()
			or expense_account(self.disbursement_type, defaults)
		)
		if not self.expense_account:
			frappe.throw(
				_("Please set the aid expense account for {0} disbursements in Charity Settings").format(
					_(self.disbursement_type)
				),
				exc=frappe.MandatoryError,
			)
		if self.disbursement_type == "Cash":
			self.mode_of_payment = self.mode_of_payment or defaults.mode_of_payment
			self.paid_from_account = (
				self.paid_from_account or self.mode_of_payment_account() or defaults.paid_from_account
			)
		else:
			self.mode_of_payment = self.paid_from_account = None
		if self.disbursement_type == "In-Kind":
			self.warehouse = self.warehouse or defaults.warehouse
		if self.disbursement_type == "Provider Service" and not self.items and flt(self.amount) > 0:
			if not defaults.provider_service_item:
				frappe.throw(
					_(
						"Please list the items of the service, or set the provider service item in Charity Settings"
					)
				)
			self.append(
				"items", {"item_code": defaults.provider_service_item, "qty": 1, "rate": flt(self.amount)}
			)

	def service_expense_account(self) -> str | None:
		"""The service's own expense account, when it belongs to the disbursement's company."""
		account = frappe.get_cached_value("Aid Service", self.aid_service, "expense_account")
		if account and frappe.get_cached_value("Account", account, "company") == self.company:
			return account
		return None

	def mode_of_payment_account(self) -> str | None:
		if not self.mode_of_payment:
			return None
		# from the document cache (frappe clears it when the mode of payment is saved): read on every
		# cash disbursement
		mode = frappe.get_cached_doc("Mode of Payment", self.mode_of_payment)
		return next((row.default_account for row in mode.accounts if row.company == self.company), None)

	def validate_accounts(self):
		check_expense_account(self.expense_account, self.company)
		if self.disbursement_type == "Cash":
			check_paid_from_account(self.paid_from_account, self.company)
		check_disbursement_accounts(self)  # of the company's, only its aid accounts

	def validate_fund(self):
		fund = frappe.get_cached_value(
			"Charity Fund", self.charity_fund, ["is_active", "restricted_to_service"], as_dict=True
		)
		if not fund:
			frappe.throw(_("Please select the fund the aid is paid from"), exc=frappe.MandatoryError)
		if not fund.is_active:
			frappe.throw(_("The fund {0} is not active").format(self.charity_fund), exc=FundError)
		if fund.restricted_to_service and fund.restricted_to_service != self.aid_service:
			frappe.throw(
				_("The fund {0} is restricted to the service {1}").format(
					self.charity_fund, fund.restricted_to_service
				),
				exc=FundError,
			)

	# --- by type -----------------------------------------------------------------------------------
	def validate_by_type(self):
		if self.disbursement_type == "Cash":
			self.set("items", [])
			self.warehouse = self.supplier = self.bill_no = None
			# in halalas, as the ledger posts it: the approval is checked against what is paid
			self.amount = flt(self.amount, self.precision("amount"))
			if flt(self.amount) <= 0:
				frappe.throw(_("Please enter the amount to pay"), exc=frappe.MandatoryError)
			return
		if not self.items:
			frappe.throw(_("Please list the items to disburse"), exc=frappe.MandatoryError)
		for row in self.items:
			self.validate_item(row)
			self.set_item_quantities(row)
		if self.disbursement_type == "In-Kind":
			self.supplier = self.bill_no = None
			self.validate_goods()
		else:
			self.warehouse = None
			self.validate_provider_items()

	def validate_item(self, row):
		"""Each row names an item that exists, before anything is read of it (frappe v15 does not
		check a link that fetches values, such as the row's item, before validate)."""
		if not row.item_code:
			frappe.throw(_("Row {0}: please select the item").format(row.idx), exc=frappe.MandatoryError)
		if not frappe.db.exists("Item", row.item_code):
			frappe.throw(
				_("Row {0}: the item {1} does not exist").format(row.idx, frappe.bold(row.item_code)),
				exc=frappe.LinkValidationError,
			)

	def set_item_quantities(self, row):
		"""The row's unit (the item's stock unit unless chosen) and its quantity in the stock unit, which
		the approval counts; balance.conversion_factor refuses a unit the item does not have."""
		if flt(row.qty) <= 0:
			frappe.throw(_("Row {0}: the quantity must be greater than zero").format(row.idx))
		row.uom = row.uom or frappe.get_cached_value("Item", row.item_code, "stock_uom")
		row.conversion_factor = balance.conversion_factor(row.item_code, row.uom)
		row.stock_qty = flt(row.qty) * flt(row.conversion_factor)
		self.match_the_ledger(row)

	def match_the_ledger(self, row):
		"""ERPNext rounds a stock entry's quantities to the precision of its fields (3 decimals by
		default): 0.0015 Kg twice against 0.003 approved left 0.004 Kg while the approval counted 0.003.
		A typed quantity the ledger would round is refused (what is entered is what is issued); the
		quantity in the stock unit is counted as the ledger moves it (12 Nos of a Box of 12 is 1 Box,
		not 0.999999996), and one the ledger would make nothing is refused."""
		doctype, qty_field, stock_qty_field = LEDGER_ROWS.get(self.disbursement_type, (None, None, None))
		if not doctype:
			return
		meta = frappe.get_meta(doctype)
		precision = get_field_precision(meta.get_field(qty_field))
		stock_precision = get_field_precision(meta.get_field(stock_qty_field))
		row.stock_qty = flt(row.stock_qty, stock_precision)
		if abs(flt(row.qty, precision) - flt(row.qty)) > 1e-9 or row.stock_qty <= 0:
			frappe.throw(
				_(
					"Row {0}: the quantity {1} {2} of {3} has more than {4} decimals, which the ledger would round; please enter a quantity with at most {4} decimals"
				).format(row.idx, flt(row.qty), _(row.uom), row.item_code, precision),
				exc=QuantityPrecisionError,
			)

	def validate_goods(self):
		"""Stock items, from a warehouse of the company, valued at the current valuation rate."""
		for row in self.items:
			if not frappe.get_cached_value("Item", row.item_code, "is_stock_item"):
				frappe.throw(
					_("Row {0}: {1} is not a stock item").format(row.idx, row.item_code), exc=ItemTypeError
				)
			row.warehouse = row.warehouse or self.warehouse
			if not row.warehouse:
				frappe.throw(
					_("Row {0}: please select the warehouse").format(row.idx), exc=frappe.MandatoryError
				)
			self.validate_warehouse(row)
			# an estimate until submission: the stock entry's valuation replaces it
			last = posting.stock_at(row.item_code, row.warehouse, self.posting_date)
			row.rate = flt(last.valuation_rate) * flt(row.conversion_factor)
			row.amount = flt(row.rate) * flt(row.qty)
		self.amount = sum(flt(row.amount) for row in self.items)

	def validate_warehouse(self, row):
		"""A warehouse of the company that holds stock: a group holds none of its own, and would be
		refused at submission as short of stock."""
		warehouse = (
			frappe.get_cached_value("Warehouse", row.warehouse, ["company", "is_group"], as_dict=True)
			or frappe._dict()
		)
		if warehouse.company != self.company:
			frappe.throw(
				_("Row {0}: the warehouse {1} does not belong to {2}").format(
					row.idx, row.warehouse, self.company
				),
				exc=WarehouseError,
			)
		if warehouse.is_group:
			frappe.throw(
				_(
					"Row {0}: {1} is a group of warehouses; please select the warehouse the goods are issued from"
				).format(row.idx, frappe.bold(row.warehouse)),
				exc=WarehouseError,
			)

	def validate_provider_items(self):
		"""The provider bills the items: services or goods he delivers, never the association's stock."""
		if not self.supplier:
			frappe.throw(_("Please select the service provider"), exc=frappe.MandatoryError)
		for row in self.items:
			if frappe.get_cached_value("Item", row.item_code, "is_stock_item"):
				frappe.throw(
					_(
						"Row {0}: {1} is a stock item; a provider bills services or goods he delivers himself"
					).format(row.idx, row.item_code),
					exc=ItemTypeError,
				)
			# in halalas, as the purchase invoice bills it: 3 x 33.335 is billed 100.02, not 100.005
			row.rate = flt(row.rate, row.precision("rate"))
			if flt(row.rate) < 0:
				frappe.throw(_("Row {0}: the rate cannot be negative").format(row.idx))
			row.warehouse = None
			row.amount = flt(flt(row.rate) * flt(row.qty), row.precision("amount"))
		self.amount = sum(flt(row.amount) for row in self.items)
		if self.amount <= 0:
			frappe.throw(_("Please enter the rates the provider bills"), exc=frappe.MandatoryError)


def on_doctype_update():
	"""The index of a request's submitted disbursements (its connections, the backfill of its running
	totals) and those of the ledger links."""
	frappe.db.add_index("Aid Disbursement", ["assistance_request", "docstatus"], REQUEST_INDEX)
	# Fund Utilisation joins the ledgers to the disbursement that posted them through these links
	for link in ("journal_entry", "stock_entry", "purchase_invoice"):
		frappe.db.add_index("Aid Disbursement", [link], f"{link}_index")
