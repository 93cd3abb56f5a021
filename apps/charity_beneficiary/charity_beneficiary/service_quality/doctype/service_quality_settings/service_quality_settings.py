# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document


class ServiceQualitySettings(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		default_survey_template: DF.Link | None
		feedback_assignee: DF.Link | None
		feedback_due_days: DF.Int
		min_group_size: DF.Int
		survey_link_valid_days: DF.Int

	# end: auto-generated types
	def validate(self):
		for fieldname in ("feedback_due_days", "survey_link_valid_days", "min_group_size"):
			if (self.get(fieldname) or 0) < 1:
				frappe.throw(_("{0} must be at least 1").format(_(self.meta.get_label(fieldname))))
