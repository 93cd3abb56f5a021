"""The receipt of a programme's line (R4.1, R6.2): the household that was paid signs for its aid, as
it signs for a single disbursement — the same rules, from disbursement/receipt.py: the beneficiary or
an authorised member of his household signs, the time is kept, a signature is never replaced.

The programme is submitted and its lines cannot change through a save, so the receipt is written
here, under a lock on the line and as the RECEIPT owner of its fields (utils/code_owned.py). It is
signed by the staff who hand aid over (RECEIPT_SIGNERS, who may read the programme) or by the
beneficiary himself on his own line. The programme's report counts the lines still unsigned.
"""

from functools import partial

import frappe
from frappe import _

from charity_beneficiary.beneficiaries.portal import own_beneficiary_name
from charity_beneficiary.disbursement import receipt
from charity_beneficiary.utils import audit, code_owned
from charity_beneficiary.utils.input_guard import check_field, checked, label
from charity_beneficiary.verification import validate_signature

FIELDS = ("receiver_type", "received_by", "receiver_relation", "receiver_signature", "received_on")


@frappe.whitelist(methods=["POST"])
def sign_receipt(
	programme: str,
	line: str,
	receiver_signature: str,
	receiver_type: str | None = None,
	received_by: str | None = None,
) -> dict:
	"""Sign the receipt of the paid `line` of `programme`; returns who received it and when."""
	row = locked_line(programme, line)
	himself = row.beneficiary == own_beneficiary_name()
	if not himself:
		check_signer(programme)
	if row.status != "Paid":
		frappe.throw(_("Row {0}: the aid has not been paid yet").format(row.idx), exc=receipt.ReceiptError)
	if not (receiver_signature or "").strip():
		frappe.throw(_("Please sign the receipt"), exc=frappe.MandatoryError)
	stored = frappe._dict({field: row.get(field) for field in FIELDS})
	sent = {
		# a beneficiary signs for himself; staff may take a household member's signature
		"receiver_type": receipt.BENEFICIARY if himself else (receiver_type or receipt.BENEFICIARY),
		"received_by": received_by,
		"receiver_signature": receiver_signature,
	}
	row.update(checked_fields(sent))
	receipt.validate_receipt(row, previous=stored)
	with code_owned.owner_writes(code_owned.RECEIPT):
		audit.set_values("Aid Programme Line", row.name, {field: row.get(field) for field in FIELDS})
	return {"received_by": row.received_by, "received_on": row.received_on}


def checked_fields(values: dict) -> dict:
	"""What the signer sent, checked as a save checks any field of the app (input_guard): the
	signature an image, the texts within their length and options."""
	meta = frappe.get_meta("Aid Programme Line")
	checked_values = {}
	for fieldname, value in values.items():
		df = meta.get_field(fieldname)
		check = validate_signature if df.fieldtype == "Signature" else partial(check_field, df)
		checked_values[fieldname] = checked(check, value, label=label(df))
	return checked_values


def locked_line(programme: str, line: str) -> frappe._dict:
	"""The line, locked until the commit (two signers never both sign it); refused as if it did not
	exist when it is not a line of `programme`."""
	rows = frappe.db.sql(
		"""select name, idx, beneficiary, beneficiary_name, status, receiver_type, received_by,
			receiver_relation, receiver_signature, received_on
		from `tabAid Programme Line`
		where name = %s and parent = %s and parenttype = 'Aid Programme' for update""",
		(line, programme),
		as_dict=True,
	)
	if not rows:
		frappe.throw(
			_("Line {0} is not in programme {1}").format(line, programme), exc=frappe.DoesNotExistError
		)
	return rows[0]


def check_signer(programme: str) -> None:
	doc = frappe.get_doc("Aid Programme", programme)
	doc.check_permission("read")
	if not set(frappe.get_roles()) & code_owned.RECEIPT_SIGNERS:
		frappe.throw(
			_("Only the staff who hand the aid over can take a receipt"),
			exc=frappe.PermissionError,
			title=_("Not Permitted"),
		)
