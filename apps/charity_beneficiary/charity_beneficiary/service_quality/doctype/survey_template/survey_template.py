# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class SurveyTemplate(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from charity_beneficiary.service_quality.doctype.survey_question.survey_question import SurveyQuestion
		from charity_beneficiary.service_quality.doctype.survey_template_scope.survey_template_scope import (
			SurveyTemplateScope,
		)

		applies_to: DF.Table[SurveyTemplateScope]
		description: DF.SmallText | None
		is_active: DF.Check
		questions: DF.Table[SurveyQuestion]
		title: DF.Data

	# end: auto-generated types
	def validate(self):
		if not self.questions:
			frappe.throw(_("A survey needs at least one question"))
		if not any(row.question_type != "Text" for row in self.questions):
			frappe.throw(_("A survey needs at least one Rating, Yes-No or NPS question"))
		self.applies_to = [row for row in self.applies_to if row.aid_service or row.department]
