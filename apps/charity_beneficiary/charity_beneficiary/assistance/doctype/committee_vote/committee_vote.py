# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class CommitteeVote(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		aid_programme: DF.Link | None
		amount_voted: DF.Currency
		assistance_request: DF.Link | None
		conflict_of_interest: DF.Check
		decision_voted: DF.Literal["", "Approved", "Partly Approved", "Rejected", "Returned"]
		items_voted: DF.SmallText | None
		member: DF.Link
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		vote: DF.Literal["", "For", "Against", "Abstain"]
	# end: auto-generated types
	pass
