"""Sites made before the pending requests' covering index (issue 14): add it and drop the narrower
one it replaces (on_doctype_update runs only when a DocType is synced)."""

from charity_beneficiary.assistance.doctype.assistance_request import assistance_request


def execute():
	assistance_request.on_doctype_update()
