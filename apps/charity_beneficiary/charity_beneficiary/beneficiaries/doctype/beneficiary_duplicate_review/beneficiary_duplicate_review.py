# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

from charity_beneficiary.utils import code_owned


class BeneficiaryDuplicateReview(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		beneficiary: DF.Link
		beneficiary_name: DF.Data | None
		match_reason: DF.Data | None
		possible_duplicate: DF.Link
		possible_duplicate_name: DF.Data | None
		review_notes: DF.SmallText | None
		reviewed_by: DF.Link | None
		similarity: DF.Percent
		status: DF.Literal["Open", "Not a Duplicate", "Confirmed Duplicate"]
	# end: auto-generated types

	def before_validate(self):
		code_owned.refuse_user_changes(self)

	def validate(self):
		# who decided the review is the user who moved it out of Open, never a value sent with it
		before = self.get_doc_before_save()
		if self.status == "Open":
			self.reviewed_by = None
		elif not before or before.status != self.status:
			self.reviewed_by = frappe.session.user
		else:
			self.reviewed_by = before.reviewed_by
