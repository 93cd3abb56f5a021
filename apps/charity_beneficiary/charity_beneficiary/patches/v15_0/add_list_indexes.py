"""Sites made before the list indexes: add them (on_doctype_update runs only when a DocType is synced)."""

from charity_beneficiary.assistance.doctype.assistance_request import assistance_request
from charity_beneficiary.beneficiaries.doctype.beneficiary import beneficiary
from charity_beneficiary.disbursement.doctype.aid_disbursement import aid_disbursement


def execute():
	for controller in (beneficiary, assistance_request, aid_disbursement):
		controller.on_doctype_update()
