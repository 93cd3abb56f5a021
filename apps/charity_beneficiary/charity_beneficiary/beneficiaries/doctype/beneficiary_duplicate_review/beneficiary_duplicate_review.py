# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


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
	pass
