# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class CommitteeAgendaItem(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		aid_service: DF.Link | None
		approved_amount: DF.Currency
		assistance_request: DF.Link
		beneficiary_name: DF.Data | None
		deciding_members: DF.SmallText | None
		decision: DF.Literal["", "Approved", "Partly Approved", "Rejected", "Returned"]
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		reason: DF.SmallText | None
		recommendation: DF.Data | None
		requested_amount: DF.Currency
		votes_against: DF.Int
		votes_for: DF.Int
	# end: auto-generated types
	pass
