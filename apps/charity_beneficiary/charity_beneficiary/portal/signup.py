"""Self sign-up from the portal (R6.1): a person opens his own account, tied to his Beneficiary record.

One account per ID number: the ID number is the account's username (frappe keeps usernames unique) and
no second account is opened for a beneficiary record that already has one. A person the association has
already registered is matched, not duplicated: his record is linked to the new account when the e-mail
he gives is the one the association holds — the e-mail is then proved by the activation link, so knowing
someone's ID number and mobile is not enough to read his file.

R8.2: a guest learns nothing about who is registered. An ID number or e-mail that already has an
account, and a registered ID number given with another e-mail, open no account and send no mail, but
get exactly the answer of an account opened ("if these details can open an account, a link was sent").

The e-mail is verified with frappe's own mechanism: the account is made with a random password nobody
knows, and the activation mail carries frappe's reset-password link (/update-password?key=…); the
account works only once its owner has set his password through that link. The mail goes through
`channels.send_mail`, which notes a missing outgoing account for the manager instead of failing.
"""

import frappe
from frappe import _
from frappe.rate_limiter import rate_limit
from frappe.utils import escape_html, validate_email_address

from charity_beneficiary.portal import branding
from charity_beneficiary.portal.redirects import HOME_ROUTE
from charity_beneficiary.utils import audit, channels, code_owned
from charity_beneficiary.verification import VerificationError, normalize_mobile, validate_id
from charity_beneficiary.verification.digits import normalize_digits

PORTAL_ROLE = "Beneficiary"
ID_TYPES = ("National ID", "Iqama")
NAME_LENGTH = 140
# Sign-ups a client (IP address) may try in an hour: a family sharing a connection, not a script.
SIGNUPS_PER_HOUR = 10
ACTIVATION_TEMPLATE = "charity_beneficiary/templates/emails/portal_activation.html"


class SignUpError(frappe.ValidationError):
	"""What the person typed cannot open an account (invalid ID, mobile, e-mail or name)."""


class OtherIdNumberError(frappe.ValidationError):
	"""A portal user registers under an ID number other than the one his account was opened with."""


@frappe.whitelist(allow_guest=True, methods=["POST"])
@rate_limit(limit=SIGNUPS_PER_HOUR, seconds=60 * 60)
def sign_up(full_name: str, id_type: str, id_number: str, mobile_no: str, email: str) -> dict:
	"""Open a portal account and mail its activation link. Returns the message to show."""
	if frappe.session.user != "Guest":
		frappe.throw(_("You are already logged in."), exc=SignUpError)
	if not sign_up_open():
		frappe.throw(_("Self-registration is closed; please contact the association."), exc=SignUpError)
	details = clean_details(full_name, id_type, id_number, mobile_no, email)
	may_open, beneficiary = matching_beneficiary(details)
	if not may_open:
		# the answer a mail sent would give, whether the mail could be sent: nothing told apart
		return sign_up_answer(details.email, channels.email_configured("User"))
	user = create_account(details)
	if beneficiary:
		link_beneficiary(beneficiary, user.name)
	return sign_up_answer(details.email, send_activation(user, details.full_name))


def sign_up_answer(email: str, sent: bool) -> dict:
	"""The one answer of every sign-up with valid details, whether an account was opened or not."""
	if not sent:
		message = _(
			"The association cannot send e-mails at the moment. Please contact it to open or activate your account."
		)
	else:
		message = _(
			"If these details can open an account, we have sent an activation link to {0}. Open it to choose your password. If you already have an account, please log in or reset your password."
		).format(email)
	return {"sent": sent, "message": message}


def sign_up_open() -> bool:
	"""Charity Settings' switch (on by default): a charity may close self-registration.

	Read from the stored value itself: on a site whose settings were saved before the switch existed
	there is none, and frappe's get_single_value would answer 0 for the unsaved check."""
	singles = frappe.qb.DocType("Singles")
	rows = (
		frappe.qb.from_(singles)
		.select(singles.value)
		.where((singles.doctype == "Charity Settings") & (singles.field == "portal_sign_up"))
		.run()
	)
	return not rows or rows[0][0] in (None, "") or bool(int(rows[0][0]))


def clean_details(full_name: str, id_type: str, id_number: str, mobile_no: str, email: str) -> frappe._dict:
	"""The sign-up data checked and normalised, or a translated SignUpError naming what is wrong."""
	name = " ".join(str(full_name or "").split())
	if not name or len(name) > NAME_LENGTH:
		frappe.throw(
			_("Please enter your full name (at most {0} characters).").format(NAME_LENGTH), SignUpError
		)
	if id_type not in ID_TYPES:
		frappe.throw(_("Please choose your ID type: National ID or Iqama."), SignUpError)
	email = str(email or "").strip().lower()
	if not email or not validate_email_address(email):
		frappe.throw(_("Please enter a valid e-mail address."), SignUpError)
	return frappe._dict(
		full_name=name,
		id_type=id_type,
		id_number=_verified(validate_id, id_type, id_number),
		mobile_no=_verified(normalize_mobile, mobile_no),
		email=email,
	)


def _verified(check, *args) -> str:
	try:
		return check(*args)
	except VerificationError as error:
		frappe.throw(error.render(_), SignUpError, title=_("Invalid Data"))


def matching_beneficiary(details: frappe._dict) -> tuple[bool, str | None]:
	"""(may open, record): whether an account may be opened for these details, and the beneficiary
	record this person already has, to be linked to it. No second account for the same ID number or
	e-mail; a registered ID number is handed over only with the e-mail the association holds."""
	if frappe.db.exists("User", {"username": details.id_number}) or frappe.db.exists(
		"User", {"email": details.email}
	):
		return False, None
	record = frappe.db.get_value(
		"Beneficiary", {"id_number": details.id_number}, ["name", "user", "email_id"], as_dict=True
	)
	if not record:
		return True, None
	if record.user or (record.email_id or "").strip().lower() != details.email:
		return False, None
	return True, record.name


def create_account(details: frappe._dict):
	"""A Website User with the role Beneficiary whose password nobody knows until he follows the link."""
	user = frappe.get_doc(
		{
			"doctype": "User",
			"email": details.email,
			"first_name": escape_html(details.full_name),
			"username": details.id_number,
			# frappe keeps User.mobile_no unique; a family shares one mobile, so it is kept as his phone
			"phone": details.mobile_no,
			"user_type": "Website User",
			"enabled": 1,
			"send_welcome_email": 0,
			"language": _page_language(),
			"new_password": frappe.generate_hash(length=32),
		}
	)
	user.flags.ignore_permissions = True
	user.flags.ignore_password_policy = True
	user.insert()
	user.add_roles(PORTAL_ROLE)
	# after his first login he lands on his portal home
	frappe.cache.hset("redirect_after_login", user.name, HOME_ROUTE)
	return user


def _page_language() -> str | None:
	"""The language the sign-up page was shown in, so his pages and mails stay in it."""
	lang = getattr(frappe.local, "lang", None)
	return lang if lang and frappe.db.exists("Language", lang) else None


def link_beneficiary(beneficiary: str, user: str) -> None:
	with code_owned.owner_writes(code_owned.REGISTRATION):
		audit.set_values("Beneficiary", beneficiary, {"user": user})


def send_activation(user, full_name: str) -> bool:
	link = user.reset_password(send_email=False)
	charity = branding.charity_name()
	return channels.send_mail(
		recipients=[user.email],
		subject=_("Activate your account at {0}").format(charity),
		message=frappe.render_template(
			ACTIVATION_TEMPLATE, {"full_name": full_name, "link": link, "charity": charity}
		),
		reference_doctype="User",
		reference_name=user.name,
		now=True,
	)


def account_id_number(user: str) -> str | None:
	"""The ID number an account was opened with at sign-up (its username), if it was."""
	username = frappe.db.get_value("User", user, "username")
	for id_type in ID_TYPES:
		try:
			return validate_id(id_type, username)
		except VerificationError:
			continue
	return None


def check_own_id_number(doc, user: str) -> None:
	"""One account per ID number: his registration carries the ID number he signed up with."""
	own = account_id_number(user)
	if own and doc.id_number and normalize_digits(str(doc.id_number)) != own:
		frappe.throw(
			_("Please register with the ID number of your account ({0}).").format(own), OtherIdNumberError
		)
