"""The accounts aid is posted to, whoever chooses them (the settings, the form, a REST call): aid is
an expense of the company, paid from its cash or bank or owed to the beneficiary on a payable
account; never revenue, an asset, a group or another company's books."""

import frappe
from frappe import _

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


def facts(account: str | None, company: str) -> frappe._dict:
	"""The account's root and type; empty when it is missing, a group or another company's."""
	found = account and frappe.get_cached_value(
		"Account", account, ["company", "is_group", "root_type", "account_type"], as_dict=True
	)
	if not found or found.is_group or found.company != company:
		return frappe._dict()
	return found
