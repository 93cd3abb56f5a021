"""The ERPNext documents a disbursement makes when it is submitted, and cancels when it is cancelled.

- Cash: one Journal Entry. Dr the cash aid expense account, party = the beneficiary; Cr the cash or
  bank account paid from. Every row carries the fund and the cost center. ERPNext refuses a party on
  a Cash or Bank account (erpnext.accounts.party.validate_account_party_type), so the credit row
  names the beneficiary only when the account allows it (no account type, Payable: e.g. paying
  through "Beneficiaries Payable" to settle later). A Payment Entry is not used: ERPNext's reference
  checks know only Customer, Supplier, Employee and Shareholder, and it could not put the party on the
  cash row either.
- In-kind: one Stock Entry (Material Issue) from the warehouse to the in-kind aid expense account,
  at valuation rate, fund and cost center on every row. The rate and value ERPNext computed are
  written back on the disbursement.
- Provider service: one Purchase Invoice from the provider (Supplier), its rows expensed to the
  provider services aid account, with the fund; the service's providers' guide is attached to it.
  The invoice's total, taxes included, is what the charity owes: it is checked against the approval
  before the invoice is submitted and becomes the disbursement's amount (balance.check_invoice_total).

Nothing is posted to an account that is not an aid account of the disbursement's type: the
controller's validate checked them (accounts.check_disbursement_accounts) in the same save.

Each document carries `aid_disbursement` (the link back) and is made with ignore_permissions: the
controller has checked the user's own right to post this disbursement first. In-kind and provider
expense rows get the beneficiary as party through the GL Entry hook in ledger_links.py.
"""

from contextlib import contextmanager

import frappe
from frappe import _
from frappe.utils import flt, getdate, nowdate, nowtime

from charity_beneficiary.disbursement import balance
from charity_beneficiary.disbursement.permissions import IN_POSTING_FLAG
from charity_beneficiary.disbursement.setup import LINK_FIELD, PARTY_TYPE

# (ERPNext doctype, field of Aid Disbursement that links to it), in the order they are made
LEDGER_DOCUMENTS = (
	("Journal Entry", "journal_entry"),
	("Stock Entry", "stock_entry"),
	("Purchase Invoice", "purchase_invoice"),
)
# account types that accept the Beneficiary party (a Payable party type) on a journal row
PARTY_ACCOUNT_TYPES = ("", None, "Payable", "Equity")


class InsufficientStockError(frappe.ValidationError):
	pass


def post(doc) -> None:
	"""Make and submit the document of the disbursement's type; on any error nothing stays posted."""
	make = {
		"Cash": make_journal_entry,
		"In-Kind": make_stock_entry,
		"Provider Service": make_purchase_invoice,
	}[doc.disbursement_type]
	savepoint = "aid_disbursement_posting"
	frappe.db.savepoint(savepoint)
	try:
		with in_posting():
			make(doc)
	except Exception:
		try:
			frappe.db.rollback(save_point=savepoint)
		except Exception:
			pass  # the database ended the transaction itself (a deadlock): the caller rolls back
		raise


def cancel_documents(doc) -> None:
	"""Cancel what the disbursement made, last made first (GL reversed, stock returned)."""
	for doctype, fieldname in reversed(LEDGER_DOCUMENTS):
		name = doc.get(fieldname)
		if name and frappe.db.get_value(doctype, name, "docstatus") == 1:
			ledger = frappe.get_doc(doctype, name)
			ledger.flags.ignore_permissions = True
			ledger.flags.from_aid_disbursement = True
			with in_posting():
				ledger.cancel()


# --- cash -------------------------------------------------------------------------------------------
def make_journal_entry(doc):
	account_type = frappe.get_cached_value("Account", doc.paid_from_account, "account_type")
	voucher_type = {"Cash": "Cash Entry", "Bank": "Bank Entry"}.get(account_type, "Journal Entry")
	party = {"party_type": PARTY_TYPE, "party": doc.beneficiary}
	credit_party = party if account_type in PARTY_ACCOUNT_TYPES else {}
	common = {"cost_center": doc.cost_center, **dimensions(doc)}
	je = frappe.get_doc(
		{
			"doctype": "Journal Entry",
			"voucher_type": voucher_type,
			"company": doc.company,
			"posting_date": doc.posting_date,
			"mode_of_payment": doc.mode_of_payment,
			# a bank entry needs a reference: the disbursement is it
			"cheque_no": doc.name if voucher_type == "Bank Entry" else None,
			"cheque_date": doc.posting_date if voucher_type == "Bank Entry" else None,
			"user_remark": remark(doc),
			LINK_FIELD: doc.name,
			"accounts": [
				{
					"account": doc.expense_account,
					"debit_in_account_currency": flt(doc.amount),
					"debit": flt(doc.amount),  # company currency: what set_against_account reads
					**party,
					**common,
				},
				{
					"account": doc.paid_from_account,
					"credit_in_account_currency": flt(doc.amount),
					"credit": flt(doc.amount),
					**credit_party,
					**common,
				},
			],
		}
	)
	# ERPNext fills the rows' "against" accounts only on a draft's save, which a journal entry
	# inserted already submitted skips: its own method does it here
	je.set_against_account()
	insert_submitted(je)
	doc.db_set("journal_entry", je.name)
	return je


# --- in-kind ----------------------------------------------------------------------------------------
def check_stock(doc) -> None:
	"""Refuse, before anything is written, goods the warehouse does not hold at the posting time."""
	needed = {}
	for row in doc.items:
		key = (row.item_code, row.warehouse)
		needed[key] = needed.get(key, 0) + flt(row.stock_qty)
	short = []
	for (item_code, warehouse), qty in needed.items():
		available = flt(stock_at(item_code, warehouse, doc.posting_date).qty_after_transaction)
		if qty > available + 1e-9:
			stock_uom = frappe.get_cached_value("Item", item_code, "stock_uom")
			short.append(
				_("{0}: {1} {2} needed in {3}, {4} available").format(
					item_code, qty, _(stock_uom), warehouse, available
				)
			)
	if short:
		frappe.throw(
			_("Insufficient stock; nothing was posted.") + "<br>" + "<br>".join(short),
			exc=InsufficientStockError,
			title=_("Insufficient Stock"),
		)


def stock_at(item_code: str, warehouse: str, posting_date) -> frappe._dict:
	"""The last stock ledger entry of the item in the warehouse up to the posting time."""
	from erpnext.stock.stock_ledger import get_previous_sle

	return frappe._dict(
		get_previous_sle(
			{
				"item_code": item_code,
				"warehouse": warehouse,
				"posting_date": posting_date,
				"posting_time": posting_time(posting_date),
			}
		)
		or {}
	)


def material_issue_type() -> str:
	"""The standard Stock Entry Type for goods leaving stock (its name may be translated)."""
	return (
		frappe.db.get_value("Stock Entry Type", {"purpose": "Material Issue", "is_standard": 1})
		or "Material Issue"
	)


def make_stock_entry(doc):
	dims = dimensions(doc)
	se = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": material_issue_type(),
			"purpose": "Material Issue",
			"company": doc.company,
			"posting_date": doc.posting_date,
			"posting_time": posting_time(doc.posting_date),
			"set_posting_time": int(getdate(doc.posting_date) != getdate(nowdate())),
			"from_warehouse": doc.warehouse,
			"remarks": remark(doc),
			LINK_FIELD: doc.name,
			**dims,
			"items": [item_row(doc, row, dims, s_warehouse=row.warehouse) for row in doc.items],
		}
	)
	submit(se)
	# the value ERPNext issued the goods at (valuation rate), on the disbursement and its rows
	for row, issued in zip(doc.items, se.items, strict=True):
		row.db_set(
			{"rate": flt(issued.amount) / flt(row.qty) if flt(row.qty) else 0, "amount": flt(issued.amount)}
		)
	doc.db_set({"stock_entry": se.name, "amount": sum(flt(issued.amount) for issued in se.items)})
	return se


# --- provider service -------------------------------------------------------------------------------
def make_purchase_invoice(doc):
	dims = dimensions(doc)
	pi = frappe.get_doc(
		{
			"doctype": "Purchase Invoice",
			"supplier": doc.supplier,
			"company": doc.company,
			"posting_date": doc.posting_date,
			"set_posting_time": 1,
			"due_date": doc.posting_date,
			"bill_no": doc.bill_no,
			"bill_date": doc.posting_date if doc.bill_no else None,
			"update_stock": 0,
			"disable_rounded_total": 1,
			"cost_center": doc.cost_center,
			"remarks": remark(doc),
			LINK_FIELD: doc.name,
			**dims,
			"items": [item_row(doc, row, dims, rate=row.rate) for row in doc.items],
		}
	)
	pi.flags.ignore_permissions = True
	pi.insert()  # a draft: ERPNext adds the taxes (item tax templates, a default template) and totals
	# what the charity owes the provider is the invoice's total, taxes included: within the approval
	# (refused before the invoice is submitted, and post() rolls the draft back) and recorded
	balance.check_invoice_total(doc, pi.base_grand_total)
	pi.submit()
	attach_providers_guide(doc, pi)
	doc.db_set({"purchase_invoice": pi.name, "amount": doc.amount})
	return pi


def attach_providers_guide(doc, pi) -> None:
	"""The provider delivers to the service's specification: its guide goes with the invoice."""
	if not doc.providers_guide:
		return
	source = frappe.db.get_value(
		"File", {"file_url": doc.providers_guide}, ["file_name", "is_private"], as_dict=True
	)
	if not source:
		return
	frappe.get_doc(
		{
			"doctype": "File",
			"file_url": doc.providers_guide,
			"file_name": source.file_name,
			"is_private": source.is_private,
			"attached_to_doctype": "Purchase Invoice",
			"attached_to_name": pi.name,
		}
	).insert(ignore_permissions=True)


# --- helpers ----------------------------------------------------------------------------------------
@contextmanager
def in_posting():
	"""The app is posting (or cancelling) a disbursement's ledger documents: the bundles ERPNext makes
	with them for tracked goods are allowed to the poster (permissions.bundle_has_permission)."""
	previous = frappe.flags.get(IN_POSTING_FLAG)
	frappe.flags[IN_POSTING_FLAG] = True
	try:
		yield
	finally:
		frappe.flags[IN_POSTING_FLAG] = previous


def submit(ledger) -> None:
	ledger.flags.ignore_permissions = True
	ledger.insert()
	ledger.submit()


def insert_submitted(ledger) -> None:
	"""Insert the document already submitted: frappe validates and submits it in one save
	(validate, before_submit, on_submit) instead of a draft's save and a second one to submit it.
	Only for the journal entry, whose draft-only step make_journal_entry runs itself."""
	ledger.flags.ignore_permissions = True
	ledger.docstatus = 1
	ledger.insert()


def item_row(doc, row, dims: dict, **fields) -> dict:
	"""A row of the stock entry or purchase invoice for a disbursement row: its item and quantity,
	charged to the disbursement's expense account, cost center and dimensions (`fields` add the rest)."""
	return {
		"item_code": row.item_code,
		"qty": row.qty,
		"uom": row.uom,
		"conversion_factor": row.conversion_factor,
		"expense_account": doc.expense_account,
		"cost_center": doc.cost_center,
		**dims,
		**fields,
	}


def dimensions(doc) -> dict:
	"""The accounting dimensions the disbursement carries (the fund, and any other the site has)."""
	from erpnext.accounts.doctype.accounting_dimension.accounting_dimension import get_accounting_dimensions

	values = {
		fieldname: doc.get(fieldname) for fieldname in get_accounting_dimensions() if doc.get(fieldname)
	}
	if doc.get("charity_fund"):
		values["charity_fund"] = doc.charity_fund
	return values


def posting_time(posting_date) -> str:
	"""Now for today's disbursements; the end of the day for a past date."""
	return nowtime() if getdate(posting_date) == getdate(nowdate()) else "23:59:59"


def remark(doc) -> str:
	return _("Aid disbursement {0} to {1} ({2}) for the assistance request {3}").format(
		doc.name, doc.beneficiary_name or doc.beneficiary, doc.aid_service, doc.assistance_request
	)
