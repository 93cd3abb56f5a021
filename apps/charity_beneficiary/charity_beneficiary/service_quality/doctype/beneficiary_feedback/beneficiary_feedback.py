# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""A complaint, suggestion, praise or inquiry (R6.3); the rules live in service_quality/feedback.py."""

from frappe.model.document import Document

from charity_beneficiary.service_quality import feedback


class BeneficiaryFeedback(Document):
	def before_validate(self):
		feedback.protect_portal_fields(self)

	def validate(self):
		feedback.validate_feedback(self)

	def before_insert(self):
		feedback.set_due_date(self)

	def on_update(self):
		feedback.after_save(self)
