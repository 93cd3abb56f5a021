"""What a beneficiary may do with his own record from the portal (R6.1, R8.2).

The web form inserts with ignore_permissions, so every rule lives here and in the controller,
not in the form: a portal user owns one record, sees only it, corrects it only while it is an
Applicant, and never sets status, score, verification or any officer field.
"""

import frappe
from frappe import _

from charity_beneficiary.beneficiaries.branch_access import allowed_branches, branch_condition, is_branch_only
from charity_beneficiary.utils import code_owned
from charity_beneficiary.verification.digits import normalize_digits

# Fields only staff set; a portal user's values are replaced by the stored ones (or the defaults).
OFFICER_FIELDS = (
	"status",
	"need_score",
	"next_review_date",
	"declaration_taken_by",
	"duplicate_override",
	"duplicate_override_reason",
	"user",
)
DOCUMENT_OFFICER_FIELDS = ("verified", "verified_by", "verified_on")


def is_portal_user(user: str | None = None) -> bool:
	user = user or frappe.session.user
	if user in ("Guest", "Administrator"):
		return False
	return frappe.get_cached_value("User", user, "user_type") == "Website User"


def own_beneficiary(
	user: str | None = None, fields: tuple[str, ...] = ("name", "status", "beneficiary_name")
) -> frappe._dict | None:
	"""The Beneficiary record linked to `user` (default: the session's): the one his portal requests
	and feedback are filed for. The one place that says which record is a portal user's; `fields`
	are read with it (a page that shows more of it reads it once)."""
	user = user or frappe.session.user
	if not user or user == "Guest":
		return None
	return frappe.db.get_value("Beneficiary", {"user": user}, list(fields), as_dict=True)


def set_beneficiary_values(doc) -> None:
	"""The values a record fetches from its beneficiary (name, branch…). A portal user's request or
	feedback gets its beneficiary in before_validate, after frappe fetched the link's values (and
	frappe fetches nothing on submit): without this, what he files has none of them."""
	fields = doc.meta.get_fields_to_fetch("beneficiary")
	if not fields or not doc.beneficiary:
		return
	values = frappe.db.get_value(
		"Beneficiary", doc.beneficiary, [df.fetch_from.split(".", 1)[1] for df in fields], as_dict=True
	)
	if values is None:  # a draft saved before links that fetch were checked (input_guard)
		frappe.throw(
			_("{0}: {1} {2} does not exist").format(_("Beneficiary"), _("Beneficiary"), doc.beneficiary),
			exc=frappe.LinkValidationError,
		)
	for df in fields:
		doc.set(df.fieldname, values.get(df.fetch_from.split(".", 1)[1]))


def own_beneficiary_name(user: str | None = None) -> str | None:
	beneficiary = own_beneficiary(user)
	return beneficiary.name if beneficiary else None


def own_beneficiary_condition(doctype: str, user: str, field: str = "beneficiary") -> str:
	"""The permission-query condition "`field` of `doctype` is the beneficiary of `user`'s record", as
	a sub-query: a portal list then costs no read of its own. `user` is escaped here."""
	return (
		f"`tab{doctype}`.`{field}` in "
		f"(select `name` from `tabBeneficiary` where `user` = {frappe.db.escape(user)})"
	)


def protect_portal_fields(doc) -> None:
	# the portal's own code (portal/home.py: a renewed document) changes only what it owns
	if not is_portal_user() or code_owned.writing_as(code_owned.REGISTRATION):
		return
	from charity_beneficiary.portal.signup import check_own_id_number

	before = doc.get_doc_before_save()
	if before is None:
		if frappe.db.exists("Beneficiary", {"user": frappe.session.user}):
			frappe.throw(_("You are already registered as a beneficiary"), exc=frappe.DuplicateEntryError)
		for field in OFFICER_FIELDS:
			doc.set(field, doc.meta.get_field(field).default if doc.meta.get_field(field) else None)
		doc.user = frappe.session.user
		doc.status = "Applicant"
		check_own_id_number(doc, frappe.session.user)
		for row in doc.documents:
			for field in DOCUMENT_OFFICER_FIELDS:
				row.set(field, None)
		check_own_files(doc, None)
		return
	if before.user != frappe.session.user:
		frappe.throw(_("You can only change your own registration"), exc=frappe.PermissionError)
	if before.status != "Applicant":
		frappe.throw(
			_("Your registration is being processed; please contact the association to correct it"),
			exc=frappe.PermissionError,
		)
	for field in OFFICER_FIELDS:
		doc.set(field, before.get(field))
	# his ID number is his account's: another would detach the record from him, and the answers of
	# the duplicate check would tell him whose ID is registered
	if normalize_digits(str(doc.id_number or "")) != normalize_digits(str(before.id_number or "")):
		frappe.throw(
			_("Your ID number cannot be changed here; please contact the association to correct it"),
			exc=frappe.PermissionError,
		)
	verified = {row.name: row for row in before.documents}
	for row in doc.documents:
		stored = verified.get(row.name)
		same_file = stored and stored.attachment == row.attachment and stored.expiry_date == row.expiry_date
		for field in DOCUMENT_OFFICER_FIELDS:
			row.set(field, stored.get(field) if same_file else None)
	check_own_files(doc, before)


# the attachments a portal user gives: (table, its file field)
PORTAL_FILE_FIELDS = (("documents", "attachment"), ("income_sources", "proof"))


def check_own_files(doc, before) -> None:
	"""Each file a portal user attaches is one he uploaded (or already on his record): a path to
	someone else's file would put another person's document in his file, and satisfy a required
	document (R1.3) with it."""
	for table, field in PORTAL_FILE_FIELDS:
		kept = {row.name: row.get(field) for row in (before.get(table) if before else [])}
		for row in doc.get(table) or []:
			url = row.get(field)
			if url and kept.get(row.name) != url and not is_own_file(url, doc.name):
				frappe.throw(
					_("Row {0} of {1}: please attach a file you uploaded yourself").format(
						row.idx, _(doc.meta.get_label(table))
					),
					exc=frappe.PermissionError,
				)


def is_own_file(url: str, beneficiary: str | None) -> bool:
	file = frappe.qb.DocType("File")
	mine = file.owner == frappe.session.user
	if beneficiary:
		mine = mine | ((file.attached_to_doctype == "Beneficiary") & (file.attached_to_name == beneficiary))
	return bool(
		frappe.qb.from_(file).select(file.name).where(file.file_url == url).where(mine).limit(1).run()
	)


def has_permission(
	doc, ptype: str | None = None, user: str | None = None, debug: bool = False
) -> bool | None:
	"""Portal users: only their own record, writable only while it is an Applicant.
	Branch Representatives: only records of a branch (the User Permission narrows it to theirs)."""
	user = user or frappe.session.user
	if is_branch_only(user):
		return representative_permission(doc, ptype, user)
	if not is_portal_user(user):
		return None
	if doc.get("user") != user:
		return False
	if ptype in ("write", "submit", "cancel", "delete", "amend"):
		# the stored status decides: the incoming doc may carry a status the user tried to set
		stored = frappe.db.get_value("Beneficiary", doc.name, "status") if doc.get("name") else "Applicant"
		return ptype == "write" and stored in (None, "Applicant")
	return True


def representative_permission(doc, ptype: str | None, user: str) -> bool | None:
	"""A branch representative: only records of his branches, as his lists have them. frappe's User
	Permission on Branch alone let a representative whose branch is not set yet (he has none) read,
	change and create records of every branch; and a record is his to change only if it was of his
	branch before this change too."""
	allowed = allowed_branches(user, "Beneficiary") or []
	if not allowed:
		return False
	if ptype == "create":
		# one without a branch is put into his (the User Permission's default)
		return None if not doc.get("branch") or doc.get("branch") in allowed else False
	if doc.get("branch") not in allowed:
		return False
	stored = doc.get("name") and not (hasattr(doc, "is_new") and doc.is_new())
	if stored and frappe.db.get_value("Beneficiary", doc.get("name"), "branch") not in allowed:
		return False
	return None


def permission_query_conditions(user: str | None = None) -> str | None:
	user = user or frappe.session.user
	if is_portal_user(user):
		return f"`tabBeneficiary`.`user` = {frappe.db.escape(user)}"
	allowed = allowed_branches(user, "Beneficiary")
	if allowed is not None:
		# Frappe's User Permission lets records without a branch through; a representative's don't.
		return branch_condition("Beneficiary", allowed)
	return None


def has_website_permission(doc, ptype: str, user: str, verbose: bool = False) -> bool:
	return bool(user and user != "Guest" and doc.get("user") == user)


# the staff who open, link and look after the beneficiaries' portal accounts
PORTAL_ACCOUNT_ROLES = frozenset(("System Manager", "Charity Manager", "Beneficiary Relations Officer"))


def user_query_conditions(user: str | None = None, doctype: str | None = None) -> str:
	"""permission_query_conditions of User. frappe lets every desk user list users (select); a
	beneficiary's portal account carries his ID number (its username, signup.py) and mobile, so
	only the staff who look after those accounts list them."""
	user = user or frappe.session.user
	if user == "Administrator" or set(frappe.get_roles(user)) & PORTAL_ACCOUNT_ROLES:
		return ""
	return "ifnull(`tabUser`.`user_type`, '') != 'Website User'"
