# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""A complaint, suggestion, praise or inquiry (R6.3); the rules live in service_quality/feedback.py."""

from frappe.model.document import Document

from charity_beneficiary.service_quality import feedback
from charity_beneficiary.utils import code_owned


class BeneficiaryFeedback(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		aid_service: DF.Link | None
		assigned_to: DF.Link | None
		assistance_request: DF.Link | None
		beneficiary: DF.Link | None
		beneficiary_name: DF.Data | None
		branch: DF.Link | None
		channel: DF.Literal[
			"In-person Interview",
			"Phone Call",
			"Social Media",
			"Letter",
			"Help Request Service",
			"Volunteer Service",
			"Website",
			"Branch Representative",
		]
		closed_on: DF.Datetime | None
		description: DF.Text
		due_date: DF.Date | None
		escalated_on: DF.Date | None
		feedback_type: DF.Literal["Complaint", "Suggestion", "Praise", "Inquiry"]
		naming_series: DF.Literal["FDB-.YYYY.-.#####"]
		resolution_days: DF.Float
		resolution_satisfaction: DF.Int
		responded_by: DF.Link | None
		responded_on: DF.Datetime | None
		response: DF.Text | None
		status: DF.Literal["Open", "In Progress", "Resolved", "Closed"]
		subject: DF.Data | None

	# end: auto-generated types
	def before_insert(self):
		feedback.limit_portal_feedback(self)

	def before_validate(self):
		code_owned.refuse_user_changes(self)
		feedback.protect_portal_fields(self)

	def validate(self):
		if self.is_new():  # after the guard, which refuses a due date sent by the user
			feedback.set_due_date(self)
		feedback.validate_feedback(self)

	def on_update(self):
		feedback.after_save(self)

	def as_dict(self, *args, **kwargs) -> dict:
		"""Every response that carries the document (REST, web form data, web form accept) serialises it
		here: a portal user gets only what he may read (feedback.readable_values)."""
		return feedback.readable_values(self, super().as_dict(*args, **kwargs))
