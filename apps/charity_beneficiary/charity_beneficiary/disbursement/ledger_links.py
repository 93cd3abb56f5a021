"""The disbursement and the ERPNext documents it made stay consistent (hooked in hooks.py `doc_events`).

Links go both ways: Aid Disbursement.journal_entry / stock_entry / purchase_invoice, and the
`aid_disbursement` field on the Journal Entry, Stock Entry and Purchase Invoice. A submitted document
cannot be edited; cancelling one that a submitted disbursement made is refused here, with the way to
do it: cancel the disbursement, which cancels its documents and restores the request's balance.
(frappe would refuse too, after the fact, since the submitted disbursement links to the document.)

The `aid_disbursement` link is the app's to set: only its posting (posting.in_posting) writes it. A
user who sends it on a document of his own is refused (`refuse_user_link`, before the document is
validated), or his entry could lock the disbursement: its
cancellation is refused while a submitted document links to it. And only the document the disbursement
records is held to it (`prevent_direct_cancel`).

`set_beneficiary_party` gives the beneficiary as party to the aid expense entries of the stock entries
and purchase invoices of disbursements, which ERPNext builds without a party. It also holds when
ERPNext reposts their ledger, since it reads the link from the voucher.
"""

import frappe
from frappe import _

from charity_beneficiary.disbursement.permissions import IN_POSTING_FLAG
from charity_beneficiary.disbursement.posting import LEDGER_DOCUMENTS
from charity_beneficiary.disbursement.setup import LINK_FIELD, PARTY_TYPE

# vouchers whose GL entries ERPNext makes without a party on the expense row
PARTYLESS_VOUCHERS = ("Stock Entry", "Purchase Invoice")


# the field of Aid Disbursement that records the document it made
RECORDED_IN = dict(LEDGER_DOCUMENTS)


class LinkedToDisbursementError(frappe.ValidationError):
	pass


class DisbursementLinkError(frappe.ValidationError):
	"""The link to an aid disbursement is set by the disbursement's posting only."""


def recorded_by(doctype: str, name: str | None, disbursement: str) -> bool:
	"""The disbursement records this document as the one it made."""
	fieldname = RECORDED_IN.get(doctype)
	return bool(
		name and fieldname and frappe.db.get_value("Aid Disbursement", disbursement, fieldname) == name
	)


def check_link(doctype: str, name: str | None, disbursement: str | None, new: bool = False) -> None:
	if not disbursement or frappe.flags.get(IN_POSTING_FLAG):
		return
	if not new and recorded_by(doctype, name, disbursement):
		return
	frappe.throw(
		_(
			"The aid disbursement {0} cannot be set on a {1} by hand: it is set when the disbursement posts its own entry"
		).format(frappe.bold(disbursement), _(doctype)),
		exc=DisbursementLinkError,
		title=_("Made by an Aid Disbursement"),
	)


def refuse_user_link(doc, method=None) -> None:
	"""before_validate of Journal Entry, Stock Entry, Purchase Invoice: a link the user sent is refused,
	and so is a reversal of a disbursement's journal entry."""
	check_link(doc.doctype, doc.name, doc.get(LINK_FIELD), new=doc.is_new())
	if doc.doctype == "Journal Entry" and doc.get("reversal_of"):
		refuse_reversal(doc.reversal_of)


def refuse_reversal(journal_entry: str) -> None:
	"""ERPNext's "Reverse Journal Entry" of a disbursement's entry undid the payment in the ledger while
	the disbursement still counted it as paid (the request stayed Disbursed, its balance spent)."""
	disbursement = frappe.db.get_value("Journal Entry", journal_entry, LINK_FIELD)
	if not disbursement or not recorded_by("Journal Entry", journal_entry, disbursement):
		return
	if frappe.db.get_value("Aid Disbursement", disbursement, "docstatus") == 1:
		frappe.throw(
			_("{0} {1} was made by the aid disbursement {2}: cancel the disbursement instead").format(
				_("Journal Entry"), journal_entry, disbursement
			),
			exc=LinkedToDisbursementError,
			title=_("Made by an Aid Disbursement"),
		)


def prevent_direct_cancel(doc, method=None) -> None:
	"""before_cancel of Journal Entry, Stock Entry, Purchase Invoice: the document a submitted
	disbursement made (and records) is cancelled with the disbursement. Another document that names it
	(made by hand before the link was refused) is cancelled as any other."""
	disbursement = doc.get(LINK_FIELD)
	if not disbursement or doc.flags.from_aid_disbursement:
		return
	if not recorded_by(doc.doctype, doc.name, disbursement):
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
	refuses a party on typed accounts such as Stock), of vouchers a disbursement made. Every other
	ledger row returns before any query (this runs for every GL Entry of the site). A link sent by hand
	is refused on the voucher itself (refuse_user_link), before any ledger row is made.
	"""
	if gle.party or gle.voucher_type not in PARTYLESS_VOUCHERS or not gle.voucher_no:
		return
	if frappe.get_cached_value("Account", gle.account, "account_type"):
		return
	disbursement = frappe.db.get_value(gle.voucher_type, gle.voucher_no, LINK_FIELD)
	beneficiary = disbursement and frappe.db.get_value("Aid Disbursement", disbursement, "beneficiary")
	if beneficiary:
		gle.party_type = PARTY_TYPE
		gle.party = beneficiary
