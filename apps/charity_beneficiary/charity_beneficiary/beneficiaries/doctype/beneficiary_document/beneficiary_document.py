# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class BeneficiaryDocument(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		attachment: DF.Attach | None
		document_type: DF.Link
		expiry_date: DF.Date | None
		expiry_date_hijri: DF.Data | None
		issue_date: DF.Date | None
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		verified: DF.Check
		verified_by: DF.Link | None
		verified_on: DF.Datetime | None
	# end: auto-generated types
	pass
