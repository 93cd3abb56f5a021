# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class CommitteeVote(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		assistance_request: DF.Link
		conflict_of_interest: DF.Check
		member: DF.Link
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		vote: DF.Literal["", "For", "Against", "Abstain"]
	# end: auto-generated types
	pass
