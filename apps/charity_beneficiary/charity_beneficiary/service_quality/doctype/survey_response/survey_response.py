# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""A beneficiary's answers, created only by service_quality.survey.submit_survey; read by managers only."""

import frappe
from frappe import _
from frappe.model.document import Document


class SurveyResponse(Document):
	def before_insert(self):
		if not self.flags.from_survey:
			frappe.throw(
				_("Survey responses are created only by the beneficiary's answer"), frappe.PermissionError
			)

	def validate(self):
		if self.get_doc_before_save() and not self.flags.from_survey:
			frappe.throw(_("A survey response cannot be changed"), frappe.PermissionError)
