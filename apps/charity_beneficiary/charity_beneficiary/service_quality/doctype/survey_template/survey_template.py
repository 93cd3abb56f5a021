# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class SurveyTemplate(Document):
	def validate(self):
		if not self.questions:
			frappe.throw(_("A survey needs at least one question"))
		if not any(row.question_type != "Text" for row in self.questions):
			frappe.throw(_("A survey needs at least one Rating, Yes-No or NPS question"))
		self.applies_to = [row for row in self.applies_to if row.aid_service or row.department]
