# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class ServiceQualitySettings(Document):
	def validate(self):
		for fieldname in ("feedback_due_days", "survey_link_valid_days", "min_group_size"):
			if (self.get(fieldname) or 0) < 1:
				frappe.throw(_("{0} must be at least 1").format(_(self.meta.get_label(fieldname))))
