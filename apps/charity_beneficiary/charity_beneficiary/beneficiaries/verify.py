"""The Frappe side of data verification (R1.1): plain checks from `verification`, errors
translated and naming the field (and the row of a child table)."""

from collections.abc import Callable
from typing import Any

import frappe
from frappe import _

from charity_beneficiary.verification import VerificationError


class InvalidBeneficiaryData(frappe.ValidationError):
	pass


def checked(check: Callable[..., Any], *args, doc, fieldname: str) -> Any:
	"""Run a plain check; on failure throw its translated message, prefixed by the field."""
	try:
		return check(*args)
	except VerificationError as error:
		throw_for_field(error.render(_), doc=doc, fieldname=fieldname)


def throw_for_field(message: str, *, doc, fieldname: str) -> None:
	"""`doc` may be a child row: the message then names the row and its table."""
	label = _(doc.meta.get_label(fieldname))
	if doc.get("parentfield"):
		table = _(frappe.get_meta(doc.parenttype).get_label(doc.parentfield))
		label = _("Row {0} of {1}, {2}").format(doc.idx, table, label)
	frappe.throw(_("{0}: {1}").format(label, message), exc=InvalidBeneficiaryData, title=_("Invalid Data"))
