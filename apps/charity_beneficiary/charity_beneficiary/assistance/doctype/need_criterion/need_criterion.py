# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class NeedCriterion(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		criterion_name: DF.Data
		criterion_name_en: DF.Data | None
		guidance: DF.SmallText | None
		is_active: DF.Check
		weight: DF.Float
	# end: auto-generated types
	pass
