# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt

from charity_beneficiary.assistance.sla import MAX_DECISION_DAYS
from charity_beneficiary.disbursement.accounts import check_expense_account


class AidService(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from charity_beneficiary.assistance.doctype.aid_service_item.aid_service_item import AidServiceItem
		from charity_beneficiary.beneficiaries.doctype.beneficiary_category_row.beneficiary_category_row import (
			BeneficiaryCategoryRow,
		)
		from charity_beneficiary.beneficiaries.doctype.beneficiary_document_type_row.beneficiary_document_type_row import (
			BeneficiaryDocumentTypeRow,
		)

		decision_days: DF.Int
		default_items: DF.Table[AidServiceItem]
		delivery_type: DF.Literal["Cash", "In-Kind", "Provider Service"]
		description: DF.SmallText | None
		eligible_categories: DF.TableMultiSelect[BeneficiaryCategoryRow]
		expense_account: DF.Link | None
		guidelines: DF.TextEditor | None
		guidelines_attachment: DF.Attach | None
		is_active: DF.Check
		max_amount: DF.Currency
		max_amount_per_year: DF.Currency
		max_times_per_year: DF.Int
		min_need_score: DF.Float
		providers_guide: DF.Attach | None
		required_document_types: DF.TableMultiSelect[BeneficiaryDocumentTypeRow]
		requires_research: DF.Check
		service_name: DF.Data
		service_name_en: DF.Data | None
	# end: auto-generated types

	def validate(self):
		"""The limits every request of the service is judged by (R2.2, R3.2): a decision period of at
		least a day, a need score floor within the scale, an expense account of the company. (The
		input guard refuses the negative limits, flagged non_negative.)"""
		if cint(self.decision_days) < 1:
			frappe.throw(_("The decision period must be at least one day"), exc=frappe.ValidationError)
		if cint(self.decision_days) > MAX_DECISION_DAYS:
			frappe.throw(
				_("The decision period is at most {0} days").format(MAX_DECISION_DAYS),
				exc=frappe.ValidationError,
			)
		if flt(self.min_need_score) > 100:
			frappe.throw(_("The minimum need score is on a scale of 0 to 100"), exc=frappe.ValidationError)
		if self.expense_account:
			company = frappe.db.get_single_value("Charity Settings", "company") or frappe.db.get_value(
				"Account", self.expense_account, "company"
			)
			check_expense_account(self.expense_account, company)
