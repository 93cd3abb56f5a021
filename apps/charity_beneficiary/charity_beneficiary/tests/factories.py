"""Factories that keep tests short (as hrms's create_* and helpdesk's make_ticket do)."""

import frappe

TEST_PASSWORD = "Charity-Test-Passw0rd!"


def make_user(email: str, roles: list[str], user_type: str = "System User") -> str:
	"""A committed user with exactly `roles` and a known password (for HTTP logins)."""
	from frappe.utils.password import update_password

	if frappe.db.exists("User", email):
		user = frappe.get_doc("User", email)
	else:
		user = frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": email.split("@")[0], "send_welcome_email": 0}
		).insert(ignore_permissions=True)
	user.user_type = user_type
	user.set("roles", [{"role": role} for role in roles])
	user.save(ignore_permissions=True)
	update_password(email, TEST_PASSWORD)
	frappe.db.commit()
	return email
