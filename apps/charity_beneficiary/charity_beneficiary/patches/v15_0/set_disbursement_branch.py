"""Aid Disbursement keeps its request's branch (issue 14): the register lists and filters a year's
disbursements by branch without reading 90k requests. Set-based, and safe to run again."""

import frappe


def execute():
	frappe.db.sql(
		"""update `tabAid Disbursement` d
		join `tabAssistance Request` r on r.name = d.assistance_request
		set d.branch = r.branch
		where not (d.branch <=> r.branch)"""
	)
