"""Portal accounts in bulk (R6.1, R6.2): the manager opens the portal to a programme's households (or
to a list of beneficiaries) at once, instead of waiting for each to sign up.

The accounts are made by a background job (queue "long") the way frappe's Data Import makes records:
under `frappe.flags.in_import`, which is what lets an import create more users than the hourly
sign-up throttle (`throttle_user_limit`, 60 an hour) allows. Each account is the one a sign-up makes
(signup.create_account: a Website User with the role Beneficiary, the ID number as its username, a
password nobody knows) linked to its record as the registration does, and invited in Arabic with
frappe's set-password link: by e-mail (channels.send_mail) and, when an SMS gateway is set up, by SMS.

Safe to re-run: a beneficiary already linked to an account, or whose e-mail or ID number already
names a user, is skipped; every account is committed with its link, so a job stopped half-way
resumes where it was. A beneficiary without an e-mail on file is skipped (frappe's users need one).
The job reports its progress in the desk (frappe.publish_progress).
"""

import frappe
from frappe import _
from frappe.translate import print_language

from charity_beneficiary.portal import branding, signup
from charity_beneficiary.utils import channels

QUEUE = "long"
TIMEOUT = 4 * 60 * 60
MANAGER_ROLES = frozenset({"Charity Manager", "System Manager"})
INVITATION_TEMPLATE = "charity_beneficiary/templates/emails/portal_invitation.html"
PROGRESS_EVERY = 20
CREATED, HAS_ACCOUNT, USER_EXISTS, NO_EMAIL, FAILED = (
	"created",
	"has_account",
	"user_exists",
	"no_email",
	"failed",
)


@frappe.whitelist(methods=["POST"])
def create_portal_accounts(programme: str | None = None, beneficiaries: list[str] | None = None) -> dict:
	"""Queue the accounts of the households of `programme`, or of the beneficiaries named."""
	check_manager()
	names = households(programme) if programme else readable(beneficiaries or [])
	if not names:
		frappe.throw(
			_("Please choose the beneficiaries to open portal accounts for"), exc=frappe.MandatoryError
		)
	job_id = f"portal_accounts::{programme or frappe.generate_hash(length=10)}"
	frappe.enqueue(
		"charity_beneficiary.portal.bulk_accounts.execute",
		queue=QUEUE,
		timeout=TIMEOUT,
		job_id=job_id,
		deduplicate=True,
		enqueue_after_commit=True,
		beneficiaries=names,
	)
	return {"job_id": job_id, "beneficiaries": len(names)}


def check_manager() -> None:
	if not (set(frappe.get_roles()) & MANAGER_ROLES and frappe.has_permission("Beneficiary", "write")):
		frappe.throw(
			_("Only the Charity Manager can open portal accounts in bulk"),
			exc=frappe.PermissionError,
			title=_("Not Permitted"),
		)


def households(programme: str) -> list[str]:
	frappe.get_doc("Aid Programme", programme).check_permission("read")
	return frappe.get_all(
		"Aid Programme Line",
		filters={"parent": programme, "parenttype": "Aid Programme", "excluded": 0},
		pluck="beneficiary",
		order_by="idx",
	)


def readable(names: list[str]) -> list[str]:
	"""The beneficiaries named that the manager may read (permission-aware)."""
	names = frappe.parse_json(names) if isinstance(names, str) else names
	return frappe.get_list(
		"Beneficiary", filters={"name": ("in", list(names))}, pluck="name", limit_page_length=0
	)


# --- the job ----------------------------------------------------------------------------------------
def execute(beneficiaries: list[str]) -> dict[str, int]:
	"""Open and invite the accounts; returns how many beneficiaries ended in each outcome."""
	counts = dict.fromkeys((CREATED, HAS_ACCOUNT, USER_EXISTS, NO_EMAIL, FAILED), 0)
	in_import = frappe.flags.in_import
	frappe.flags.in_import = True  # frappe's import path: no hourly user throttle
	try:
		for done, name in enumerate(beneficiaries, start=1):
			counts[open_account(name)] += 1
			if done % PROGRESS_EVERY == 0 or done == len(beneficiaries):
				progress(done, len(beneficiaries))
	finally:
		frappe.flags.in_import = in_import
	return counts


def open_account(beneficiary: str) -> str:
	"""One beneficiary's account, committed with its link and invitation (or rolled back alone)."""
	record = frappe.db.get_value(
		"Beneficiary",
		beneficiary,
		["name", "beneficiary_name", "id_number", "email_id", "mobile_no", "user"],
		as_dict=True,
	)
	outcome = skip_reason(record)
	if outcome:
		return outcome
	try:
		details = frappe._dict(
			full_name=record.beneficiary_name,
			email=record.email_id.strip().lower(),
			id_number=record.id_number,
			mobile_no=record.mobile_no,
		)
		with print_language("ar"):
			user = signup.create_account(details)  # his pages in Arabic (the language in force)
			signup.link_beneficiary(record.name, user.name)
			invite(user, details)
		frappe.db.commit()
		return CREATED
	except Exception:
		frappe.db.rollback()
		frappe.log_error(
			title=_("Portal account not opened"), reference_doctype="Beneficiary", reference_name=beneficiary
		)
		frappe.db.commit()
		return FAILED


def skip_reason(record) -> str | None:
	if not record or record.user:
		return HAS_ACCOUNT
	email = (record.email_id or "").strip().lower()
	if not email:
		return NO_EMAIL
	if frappe.db.exists("User", {"email": email}) or frappe.db.exists("User", {"username": record.id_number}):
		return USER_EXISTS  # someone's account already: never taken over, never made twice
	return None


def invite(user, details) -> None:
	"""The Arabic invitation with frappe's set-password link, by e-mail and SMS."""
	link = user.reset_password(send_email=False)
	charity = branding.charity_name()
	channels.send_mail(
		recipients=[user.email],
		subject=_("Your account at {0}").format(charity),
		message=frappe.render_template(
			INVITATION_TEMPLATE, {"full_name": details.full_name, "link": link, "charity": charity}
		),
		reference_doctype="User",
		reference_name=user.name,
	)
	if not details.mobile_no:
		return
	if not channels.sms_configured():
		channels.note_missing(channels.NO_SMS_GATEWAY, "User", user.name)
		return
	from frappe.core.doctype.sms_settings.sms_settings import send_sms

	send_sms(
		[details.mobile_no],
		_("{0} opened your account on its portal; choose your password: {1}").format(charity, link),
		success_msg=False,
	)


def progress(done: int, total: int) -> None:
	frappe.publish_progress(
		int(done * 100 / total),
		title=_("Opening portal accounts"),
		description=_("{0} of {1} beneficiaries").format(done, total),
	)
