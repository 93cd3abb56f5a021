"""The disbursement and the ERPNext documents it made stay consistent (hooked in hooks.py `doc_events`).

Links go both ways: Aid Disbursement.journal_entry / stock_entry / purchase_invoice, and the
`aid_disbursement` field on the Journal Entry, Stock Entry and Purchase Invoice. A submitted document
cannot be edited; cancelling one that a submitted disbursement made is refused here, with the way to
do it: cancel the disbursement, which cancels its documents and restores the request's balance.
(frappe would refuse too, after the fact, since the submitted disbursement links to the document.)

`set_beneficiary_party` gives the beneficiary as party to the aid expense entries of the stock entries
and purchase invoices of disbursements, which ERPNext builds without a party. It also holds when
ERPNext reposts their ledger, since it reads the link from the voucher.
"""

import frappe
from frappe import _

from charity_beneficiary.disbursement.setup import LINK_FIELD, PARTY_TYPE

# vouchers whose GL entries ERPNext makes without a party on the expense row
PARTYLESS_VOUCHERS = ("Stock Entry", "Purchase Invoice")


class LinkedToDisbursementError(frappe.ValidationError):
	pass


def prevent_direct_cancel(doc, method=None) -> None:
	"""before_cancel of Journal Entry, Stock Entry, Purchase Invoice."""
	disbursement = doc.get(LINK_FIELD)
	if not disbursement or doc.flags.from_aid_disbursement:
		return
	if frappe.db.get_value("Aid Disbursement", disbursement, "docstatus") == 1:
		frappe.throw(
			_("{0} {1} was made by the aid disbursement {2}: cancel the disbursement instead").format(
				_(doc.doctype), doc.name, disbursement
			),
			exc=LinkedToDisbursementError,
			title=_("Made by an Aid Disbursement"),
		)


def set_beneficiary_party(gle, method=None) -> None:
	"""before_validate of GL Entry: the beneficiary is the party of a disbursement's aid expense row.

	Only rows without a party, on accounts without an account type (the aid expense accounts; ERPNext
	refuses a party on typed accounts such as Stock), of vouchers a disbursement made.
	"""
	if gle.party or gle.voucher_type not in PARTYLESS_VOUCHERS or not gle.voucher_no:
		return
	disbursement = frappe.db.get_value(gle.voucher_type, gle.voucher_no, LINK_FIELD)
	if not disbursement or frappe.get_cached_value("Account", gle.account, "account_type"):
		return
	beneficiary = frappe.db.get_value("Aid Disbursement", disbursement, "beneficiary")
	if beneficiary:
		gle.party_type = PARTY_TYPE
		gle.party = beneficiary
