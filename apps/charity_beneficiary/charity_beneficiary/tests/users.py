"""One user per staff role, shared by every test that needs "a user with role X".

frappe refuses more than `throttle_user_limit` (60) new users an hour on a site, and a clean test
site starts the whole suite within that hour: a test that needs a role takes its user from here
instead of making one of its own. `make_user` is idempotent, so the first test to ask makes it."""

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


def role_email(role: str) -> str:
	return f"{role.lower().replace(' ', '-')}@roles.test.localhost"


def role_user(role: str) -> str:
	"""The shared user who has exactly `role` (made on first use)."""
	return make_user(role_email(role), [role])


def many_roles_user() -> str:
	return make_user("many-roles@roles.test.localhost", list(MANY_ROLES))
