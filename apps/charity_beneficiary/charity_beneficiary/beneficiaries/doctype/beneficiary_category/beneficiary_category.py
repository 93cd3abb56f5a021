# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class BeneficiaryCategory(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from charity_beneficiary.beneficiaries.doctype.beneficiary_document_type_row.beneficiary_document_type_row import (
			BeneficiaryDocumentTypeRow,
		)

		category_name: DF.Data
		category_name_en: DF.Data | None
		description: DF.SmallText | None
		is_active: DF.Check
		mandatory_document_types: DF.TableMultiSelect[BeneficiaryDocumentTypeRow]
		zakat_class: DF.Literal[
			"",
			"The Poor",
			"The Needy",
			"Zakat Administrators",
			"Those Whose Hearts Are to Be Reconciled",
			"Freeing Captives",
			"Debtors",
			"In the Cause of Allah",
			"The Wayfarer",
		]
	# end: auto-generated types
	pass
