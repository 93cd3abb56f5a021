# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document

from charity_beneficiary.disbursement.accounts import check_expense_account, check_paid_from_account
from charity_beneficiary.utils import channels

COMPANY_LINKS = (
	("Cost Center", "cost_center"),
	("Account", "paid_from_account"),
	("Account", "cash_expense_account"),
	("Account", "in_kind_expense_account"),
	("Account", "service_expense_account"),
	("Account", "beneficiary_payable_account"),
	("Warehouse", "warehouse"),
)


class CharitySettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		beneficiary_payable_account: DF.Link | None
		cash_expense_account: DF.Link | None
		company: DF.Link | None
		cost_center: DF.Link | None
		default_fund: DF.Link | None
		in_kind_expense_account: DF.Link | None
		minimum_committee_quorum: DF.Int
		mode_of_payment: DF.Link | None
		paid_from_account: DF.Link | None
		provider_service_item: DF.Link | None
		service_expense_account: DF.Link | None
		warehouse: DF.Link | None
	# end: auto-generated types

	def onload(self):
		# the form warns the manager of a channel that is not set up (R6.3)
		self.set_onload("channels", channels.status())

	def validate(self):
		for doctype, fieldname in COMPANY_LINKS:
			value = self.get(fieldname)
			if value and self.company and frappe.db.get_value(doctype, value, "company") != self.company:
				frappe.throw(
					_("{0} {1} does not belong to the company {2}").format(_(doctype), value, self.company)
				)
		self.validate_accounts()

	def validate_accounts(self):
		"""The defaults every disbursement and programme posts to: of the right kind too."""
		if not self.company:
			return
		for fieldname in ("cash_expense_account", "in_kind_expense_account", "service_expense_account"):
			if self.get(fieldname):
				check_expense_account(self.get(fieldname), self.company)
		if self.paid_from_account:
			check_paid_from_account(self.paid_from_account, self.company)
