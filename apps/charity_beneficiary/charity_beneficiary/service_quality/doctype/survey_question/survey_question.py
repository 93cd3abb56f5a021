# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class SurveyQuestion(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		is_required: DF.Check
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		question: DF.Data
		question_en: DF.Data | None
		question_type: DF.Literal["Rating", "Yes-No", "NPS", "Text"]
	# end: auto-generated types
	pass
