"""Proof of receipt: the receiver (the beneficiary, or an authorised member of the household recorded
on the beneficiary's file) signs; the time of the signature is kept, and a signature once given is
not replaced. Recorded on the draft or after submission (the receipt fields are allow-on-submit).

The same rules sign the receipt of a seasonal programme's line (programmes/receipts.py): any record
with `beneficiary`, `beneficiary_name` and the five receipt fields."""

import frappe
from frappe import _
from frappe.utils import now_datetime

from charity_beneficiary.assistance.states import DISBURSABLE_STATES

BENEFICIARY = "Beneficiary"
FAMILY_MEMBER = "Family Member"


class ReceiptError(frappe.ValidationError):
	pass


def validate_receipt(doc, previous=None) -> None:
	"""`previous`: the stored receipt, for a record that is not saved as a document of its own (a
	programme's line); a document's own stored version otherwise."""
	previous = previous or doc.get_doc_before_save()
	if previous and previous.receiver_signature:
		if doc.receiver_signature != previous.receiver_signature or (doc.received_by or "") != (
			previous.received_by or ""
		):
			frappe.throw(_("The receipt has been signed and cannot be changed"), exc=ReceiptError)
		for fieldname in ("receiver_type", "receiver_relation", "received_on"):
			doc.set(fieldname, previous.get(fieldname))
		return
	if not doc.receiver_signature:
		doc.received_on = None
		return
	set_receiver(doc)
	doc.received_on = now_datetime()


def set_receiver(doc) -> None:
	if (doc.receiver_type or BENEFICIARY) == BENEFICIARY:
		doc.receiver_type = BENEFICIARY
		doc.received_by = doc.beneficiary_name or frappe.db.get_value(
			"Beneficiary", doc.beneficiary, "beneficiary_name"
		)
		doc.receiver_relation = None
		return
	name = (doc.received_by or "").strip()
	if not name:
		frappe.throw(_("Please enter the name of the family member who received the aid"), exc=ReceiptError)
	relation = household(doc.beneficiary).get(name)
	if relation is None:
		frappe.throw(
			_(
				"{0} is not a member of the household of {1}; only the beneficiary or an authorised family member can receive aid"
			).format(name, doc.beneficiary_name or doc.beneficiary),
			exc=ReceiptError,
		)
	doc.received_by = name
	doc.receiver_relation = relation


def household(beneficiary: str) -> dict[str, str]:
	"""Members of the beneficiary's household: name -> relation."""
	return {
		(row.member_name or "").strip(): row.relation or ""
		for row in frappe.get_all(
			"Beneficiary Family Member",
			filters={"parent": beneficiary, "parenttype": "Beneficiary"},
			fields=["member_name", "relation"],
		)
		if row.member_name
	}


@frappe.whitelist()
def receivers(beneficiary: str) -> list[dict]:
	"""Who may sign for a beneficiary: himself, then the household (for the form's choices)."""
	check_household_access(beneficiary)
	name = frappe.db.get_value("Beneficiary", beneficiary, "beneficiary_name")
	people = [{"value": name, "label": name, "type": BENEFICIARY}] if name else []
	people += [
		{"value": member, "label": f"{member} ({_(relation)})" if relation else member, "type": FAMILY_MEMBER}
		for member, relation in household(beneficiary).items()
	]
	return people


def check_household_access(beneficiary: str) -> None:
	"""The household is shown to who may read the beneficiary's file, or to a poster of disbursements
	for a beneficiary with a request to disburse (or a disbursement) that the poster may read: the
	storekeeper reads no household he does not hand aid to. Refused as if the beneficiary did not exist."""
	may_read_file = frappe.db.exists("Beneficiary", beneficiary) and frappe.has_permission(
		"Beneficiary", "read", doc=beneficiary
	)
	if may_read_file or (
		frappe.has_permission("Aid Disbursement", "read") and has_disbursement_work(beneficiary)
	):
		return
	frappe.throw(
		_("You may not see the household of this beneficiary"),
		exc=frappe.PermissionError,
		title=_("Not Permitted"),
	)


def has_disbursement_work(beneficiary: str) -> bool:
	"""A request of his to disburse, or a disbursement of his, in the user's own lists."""
	return bool(
		frappe.get_list(
			"Assistance Request",
			filters={
				"beneficiary": beneficiary,
				"docstatus": 1,
				"workflow_state": ("in", DISBURSABLE_STATES),
			},
			limit=1,
			order_by=None,
		)
		or frappe.get_list("Aid Disbursement", filters={"beneficiary": beneficiary}, limit=1, order_by=None)
	)
