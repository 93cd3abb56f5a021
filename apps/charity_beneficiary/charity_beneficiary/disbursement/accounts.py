"""The accounts aid is posted to, whoever chooses them (the settings, the form, a REST call): aid is
an expense of the company, paid from its cash or bank or owed to the beneficiary on a payable
account; never revenue, an asset, a group or another company's books.

A disbursement is posted to its aid accounts only (check_disbursement_accounts, before anything is
posted): the expense account Charity Settings names for its type, or the one its aid service names;
cash paid from the settings' paid-from account, the beneficiaries' payable account, or the cash or
bank account of the mode of payment chosen. Never another expense (salaries) or another payable
(the suppliers' creditors), though they are expense and payable accounts of the company."""

import frappe
from frappe import _

from charity_beneficiary.disbursement.defaults import expense_account, get_defaults

PAID_FROM_TYPES = ("Cash", "Bank", "Payable")


class AccountError(frappe.ValidationError):
	pass


def check_expense_account(account: str | None, company: str) -> None:
	if facts(account, company).root_type != "Expense":
		frappe.throw(
			_("The aid expense account must be an expense account of {0}; {1} is not").format(
				company, account
			),
			exc=AccountError,
		)


def check_paid_from_account(account: str | None, company: str) -> None:
	if facts(account, company).account_type not in PAID_FROM_TYPES:
		frappe.throw(
			_("Cash aid is paid from a cash, bank or payable account of {0}; {1} is not").format(
				company, account
			),
			exc=AccountError,
		)


def check_disbursement_accounts(doc) -> None:
	"""The disbursement's expense and paid-from accounts are aid accounts of its type and company."""
	defaults = get_defaults(doc.company)
	allowed = aid_expense_accounts(doc, defaults)
	if doc.expense_account not in allowed:
		frappe.throw(
			_(
				"{0} is not an aid expense account: a {1} disbursement is expensed to {2}, the account set in Charity Settings or on its aid service"
			).format(doc.expense_account, _(doc.disbursement_type), ", ".join(allowed) or "-"),
			exc=AccountError,
			title=_("Not an Aid Account"),
		)
	if doc.disbursement_type != "Cash":
		return
	allowed = aid_paid_from_accounts(doc, defaults)
	if doc.paid_from_account not in allowed:
		frappe.throw(
			_(
				"Cash aid cannot be paid from {0}: it is paid from {1}, the accounts set in Charity Settings or on the mode of payment"
			).format(doc.paid_from_account, ", ".join(allowed) or "-"),
			exc=AccountError,
			title=_("Not an Aid Account"),
		)


def aid_expense_accounts(doc, defaults: frappe._dict) -> list[str]:
	"""The settings' expense account for the disbursement's type, and its aid service's own."""
	accounts = [
		expense_account(doc.disbursement_type, defaults),
		frappe.get_cached_value("Aid Service", doc.aid_service, "expense_account")
		if doc.aid_service
		else None,
	]
	return unique(account for account in accounts if facts(account, doc.company).root_type == "Expense")


def aid_paid_from_accounts(doc, defaults: frappe._dict) -> list[str]:
	"""The settings' paid-from account, the beneficiaries' payable account, and the cash or bank
	account of the disbursement's mode of payment (what the form fills in from it)."""
	accounts = [defaults.paid_from_account, defaults.beneficiary_payable_account]
	if doc.mode_of_payment:
		mode = frappe.get_cached_doc("Mode of Payment", doc.mode_of_payment)
		account = next((row.default_account for row in mode.accounts if row.company == doc.company), None)
		if facts(account, doc.company).account_type in ("Cash", "Bank"):
			accounts.append(account)
	return unique(
		account for account in accounts if facts(account, doc.company).account_type in PAID_FROM_TYPES
	)


def unique(accounts) -> list[str]:
	return list(dict.fromkeys(accounts))


def facts(account: str | None, company: str) -> frappe._dict:
	"""The account's root and type; empty when it is missing, a group or another company's."""
	found = account and frappe.get_cached_value(
		"Account", account, ["company", "is_group", "root_type", "account_type"], as_dict=True
	)
	if not found or found.is_group or found.company != company:
		return frappe._dict()
	return found
