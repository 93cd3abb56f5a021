# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class CharityFund(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		description: DF.SmallText | None
		fund_name: DF.Data
		fund_type: DF.Literal["Zakat", "Sadaqah", "General", "Restricted"]
		is_active: DF.Check
		restricted_to_service: DF.Link | None
	# end: auto-generated types

	def validate(self):
		if self.restricted_to_service and self.fund_type != "Restricted":
			frappe.throw(_("Only a restricted fund can be restricted to a service"))
