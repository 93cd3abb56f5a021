"""Removing what a live-server test class committed (the HTTP server is another process, so such a
class commits its records and must take them away again for the suite's leak check)."""

import frappe

from charity_beneficiary.disbursement.doctype.aid_disbursement.test_aid_disbursement import (
	purge,
	purge_disbursements,
	purge_requests,
)


def purge_beneficiary(name: str | None) -> None:
	"""A committed beneficiary with everything filed for him: his requests (with their survey
	invitations) and their disbursements (with their ledger documents)."""
	if not name:
		return
	requests = frappe.get_all("Assistance Request", {"beneficiary": name}, pluck="name")
	if requests:  # by request: a disbursement's beneficiary is only fetched from it
		purge_disbursements(
			frappe.get_all("Aid Disbursement", {"assistance_request": ("in", requests)}, pluck="name")
		)
	purge_requests(requests)
	purge("Beneficiary", [name])
