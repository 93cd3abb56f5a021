"""The shared users of the tests: one per staff role, and the few other kinds a test needs.

frappe refuses more than `throttle_user_limit` (60) new users an hour on a site, and a clean test
site starts the whole suite within that hour: a test that needs a user takes it from here instead of
making one of its own, so the suite's users are this module's short, fixed list. `make_user` is
idempotent, so the first test to ask makes it."""

from charity_beneficiary.tests.factories import make_user

STAFF_ROLES = (
	"Beneficiary Relations Officer",
	"Social Researcher",
	"Research Committee Member",
	"Charity Accountant",
	"Charity Storekeeper",
	"Branch Representative",
	"Charity Manager",
)
# the officer of issue 9 who is also a branch representative and a committee member, acting alone
MANY_ROLES = ("Beneficiary Relations Officer", "Branch Representative", "Research Committee Member")
DOMAIN = "roles.test.localhost"


def _slug(role: str) -> str:
	return role.lower().replace(" ", "-")


def role_email(role: str, nth: int = 1) -> str:
	return f"{_slug(role)}{'' if nth == 1 else f'-{nth}'}@{DOMAIN}"


def role_user(role: str, nth: int = 1) -> str:
	"""The shared user who has exactly `role` (made on first use); `nth` 2, 3, … are further users
	with the same role, for "another researcher" or a committee's quorum."""
	return make_user(role_email(role, nth), [role])


def many_roles_user() -> str:
	return make_user(f"many-roles@{DOMAIN}", list(MANY_ROLES))


def roles_email(roles: tuple[str, ...] | list[str]) -> str:
	# the roles' initials: an e-mail's local part has at most 64 characters, seven role names more
	initials = sorted("".join(word[0] for word in role.lower().split()) for role in roles)
	return f"roles-{'-'.join(initials)}@{DOMAIN}"


def roles_user(*roles: str) -> str:
	"""The shared user who has exactly these roles together (a researcher who is also an officer)."""
	return make_user(roles_email(roles), list(roles))


def branch_email(*roles: str) -> str:
	return roles_email(roles or ("Branch Representative",)).replace("roles-", "branch-", 1)


def branch_user(branch: str, *roles: str) -> str:
	"""The shared user of `roles` (a Branch Representative unless told) who works in `branch`; a class
	that needs him in another branch moves him there."""
	import frappe

	roles = roles or ("Branch Representative",)
	email = branch_email(*roles)
	make_user(email, list(roles))
	user = frappe.get_doc("User", email)
	if user.charity_branch != branch:
		user.charity_branch = branch  # one place; the User Permission follows
		user.save(ignore_permissions=True)
		frappe.db.commit()
	return email


def portal_email(nth: int = 1) -> str:
	return f"portal-{nth}@{DOMAIN}"


def portal_user(nth: int = 1) -> str:
	"""A shared portal account (Website User, role Beneficiary); `nth` tells two accounts apart. A test
	links it to a beneficiary of its own, which its rollback (or purge) takes away again."""
	return make_user(portal_email(nth), ["Beneficiary"], user_type="Website User")


def disabled_email(role: str) -> str:
	return f"disabled-{_slug(role)}@{DOMAIN}"


def disabled_user(role: str) -> str:
	"""A shared user with `role` whose account is disabled (he must be left out, e.g. of mails)."""
	import frappe

	email = disabled_email(role)
	make_user(email, [role])
	if frappe.db.get_value("User", email, "enabled"):
		frappe.db.set_value("User", email, "enabled", 0)
		frappe.db.commit()
	return email


# an apostrophe is valid in an e-mail address: SQL built from a user's name must escape it
QUOTED_EMAIL = f"o'neil@{DOMAIN}"


def quoted_user(role: str) -> str:
	"""The shared user with an apostrophe in his e-mail address and exactly `role`."""
	return make_user(QUOTED_EMAIL, [role])
