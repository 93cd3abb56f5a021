"""Proof of receipt: the receiver (the beneficiary, or an authorised member of the household recorded
on the beneficiary's file) signs; the time of the signature is kept, and a signature once given is
not replaced. Recorded on the draft or after submission (the receipt fields are allow-on-submit)."""

import frappe
from frappe import _
from frappe.utils import now_datetime

BENEFICIARY = "Beneficiary"
FAMILY_MEMBER = "Family Member"


class ReceiptError(frappe.ValidationError):
	pass


def validate_receipt(doc) -> None:
	previous = doc.get_doc_before_save()
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
	frappe.has_permission("Aid Disbursement", "read", throw=True)
	name = frappe.db.get_value("Beneficiary", beneficiary, "beneficiary_name")
	people = [{"value": name, "label": name, "type": BENEFICIARY}] if name else []
	people += [
		{"value": member, "label": f"{member} ({_(relation)})" if relation else member, "type": FAMILY_MEMBER}
		for member, relation in household(beneficiary).items()
	]
	return people
