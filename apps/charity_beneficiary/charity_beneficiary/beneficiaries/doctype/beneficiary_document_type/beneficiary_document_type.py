# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class BeneficiaryDocumentType(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		description: DF.SmallText | None
		document_type_name: DF.Data
		document_type_name_en: DF.Data | None
		has_expiry: DF.Check
		is_mandatory: DF.Check
	# end: auto-generated types
	pass
