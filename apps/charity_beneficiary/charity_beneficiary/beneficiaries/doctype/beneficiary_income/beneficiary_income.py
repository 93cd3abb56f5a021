# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class BeneficiaryIncome(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		income_type: DF.Literal[
			"",
			"Salary",
			"Pension",
			"Social Security",
			"Citizen Account",
			"Rent",
			"Alimony",
			"Charity Aid",
			"Other",
		]
		monthly_amount: DF.Currency
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		proof: DF.Attach | None
	# end: auto-generated types
	pass
