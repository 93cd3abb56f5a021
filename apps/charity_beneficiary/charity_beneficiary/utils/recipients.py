"""Who the association's digests go to: shared by the assistance escalation and the feedback escalation."""

import frappe

MANAGER_ROLE = "Charity Manager"


def manager_emails() -> list[str]:
	"""E-mail addresses of the enabled users with the role Charity Manager."""
	user = frappe.qb.DocType("User")
	has_role = frappe.qb.DocType("Has Role")
	emails = (
		frappe.qb.from_(user)
		.join(has_role)
		.on((has_role.parent == user.name) & (has_role.parenttype == "User"))
		.select(user.email)
		.where(
			(has_role.role == MANAGER_ROLE)
			& (user.enabled == 1)
			& (user.name.notin(["Administrator", "Guest"]))
			& (user.email.isnotnull())
			& (user.email != "")
		)
		.distinct()
		.orderby(user.email)
	).run(pluck=True)
	return list(emails)
