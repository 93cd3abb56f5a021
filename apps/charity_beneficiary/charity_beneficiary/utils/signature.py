"""The Frappe side of verification/signature.py: every Signature field of a document holds an image
data URL and nothing else, whoever writes it (desk, REST, web form).

The fields are read from the DocType's meta, so a Signature field added later is checked without new
code; each controller with one calls ``check_signatures(self)`` from its validate."""

from charity_beneficiary.beneficiaries.verify import checked
from charity_beneficiary.verification import validate_signature


def check_signatures(doc) -> None:
	for df in doc.meta.get("fields", {"fieldtype": "Signature"}):
		# only what is written now: a file signed before the rule stays editable in its other fields
		if doc.has_value_changed(df.fieldname):
			value = checked(validate_signature, doc.get(df.fieldname), doc=doc, fieldname=df.fieldname)
			doc.set(df.fieldname, value or None)
