"""One person, one beneficiary (R1.4).

Exact matches on identity numbers are blocked (a Charity Manager may override a person who is
already listed in another household, with a reason that is kept and audited); fuzzy matches on
the Arabic name plus date of birth or mobile go to a review list, never silently.
"""

import frappe
from frappe import _
from frappe.query_builder import DocType
from frappe.utils import getdate

from charity_beneficiary.beneficiaries.portal import is_portal_user
from charity_beneficiary.utils import code_owned, named_locks
from charity_beneficiary.verification import is_probable_duplicate, name_similarity

# Who decides an override (its fields are at permlevel 2).
MANAGER_ROLES = frozenset(("Charity Manager", "System Manager"))
# Seconds a save that brings new ID numbers waits for another such save to commit.
ID_LOCK_TIMEOUT = 10


class DuplicateBeneficiaryError(frappe.DuplicateEntryError):
	pass


class RegistrationBusyError(frappe.ValidationError):
	pass


class TooManyRefusalsError(frappe.RateLimitExceededError):
	pass


# Refusals of registered ID numbers a portal account may get in a day. Each one tells him an ID
# number is the association's: a family's few typing errors fit, someone trying the ID numbers of
# others to learn who the association serves (R8.2) does not. The count is kept a day in the cache.
PORTAL_REFUSALS_PER_DAY = 5
REFUSALS_KEY = "charity_portal_id_refusals"


def check_one_person_one_beneficiary(doc) -> None:
	check_override(doc)
	members = new_family_members(doc)
	new_ids = brings_new_ids(doc, members)
	if new_ids:
		check_portal_probing()
	# a save bringing new ID numbers reads what others committed meanwhile (locking reads: the
	# transaction's snapshot may predate their commit), under the lock they take too
	fresh = new_ids and hold_id_lock()
	if other := frappe.db.get_value(
		"Beneficiary", {"id_number": doc.id_number, "name": ("!=", doc.name)}, for_update=fresh
	):
		refuse(
			_("ID number {0} is already registered as beneficiary {1}").format(
				frappe.bold(doc.id_number), frappe.bold(other)
			)
		)
	# the manager's override is for this: the person himself listed in another household
	household = household_listing(doc.id_number, exclude=doc.name, for_update=fresh)
	if household and not doc.duplicate_override:
		refuse(
			_(
				"ID number {0} is listed as a family member of beneficiary {1}. A Charity Manager can register"
				" the person anyway, with a reason."
			).format(frappe.bold(doc.id_number), frappe.bold(household))
		)
	for member in members:
		other = frappe.db.get_value(
			"Beneficiary", {"id_number": member.id_number, "name": ("!=", doc.name)}, for_update=fresh
		)
		if other := other or household_listing(member.id_number, exclude=doc.name, for_update=fresh):
			refuse(
				_("Row {0}: family member ID {1} is already registered with beneficiary {2}").format(
					member.idx, frappe.bold(member.id_number), frappe.bold(other)
				),
				_("Row {0}: this family member is already registered with the association").format(
					member.idx
				),
			)


def new_family_members(doc) -> list:
	"""The family members added or given another ID number in this save. Those already stored were
	checked when they were added: a household registered later that lists one of them is refused
	itself, and an edit of this record elsewhere is not blocked by it. The override never covers
	them (it once let every later family member through, for good)."""
	before = doc.get_doc_before_save()
	stored = {row.name: row.id_number for row in before.family_members} if before else {}
	return [
		member
		for member in doc.family_members
		if member.id_number and stored.get(member.name) != member.id_number
	]


def brings_new_ids(doc, members: list) -> bool:
	return bool(doc.is_new() or doc.has_value_changed("id_number") or members)


def hold_id_lock() -> bool:
	"""Saves that bring new ID numbers take turns from their check to their commit. Without this
	two households saved at the same instant could both list the same new family member (or one
	list a person registering himself meanwhile): each check reads before the other commits, and
	family members' IDs have no unique key (a manager may list a person in two households).

	One lock for all such saves, not one per ID: their locking reads also lock the index gaps they
	read, and two saves inserting into the same gap under different ID locks would deadlock. The
	window is a save's own validation to its commit (utils/named_locks.py)."""
	if not named_locks.hold_until_commit("beneficiary-ids", ID_LOCK_TIMEOUT):
		frappe.throw(
			_("Another registration is being saved at this moment; please try again"),
			exc=RegistrationBusyError,
			title=_("Please Try Again"),
		)
	return True


def refuse(message: str, to_portal_user: str | None = None) -> None:
	"""A portal user is not told which record an ID number belongs to: anyone may sign up, and the
	answer would tell him who the association serves (R8.2); and he is told it a few times a day."""
	if is_portal_user():
		count_portal_refusal()
		message = to_portal_user or _(
			"This ID number is already registered with the association; please contact it"
		)
	frappe.throw(message, exc=DuplicateBeneficiaryError, title=_("Duplicate Beneficiary"))


def refusals_key(user: str) -> str:
	return f"{REFUSALS_KEY}|{user}|{frappe.utils.today()}"


def count_portal_refusal() -> None:
	key = frappe.cache.make_key(refusals_key(frappe.session.user))
	frappe.cache.incr(key)
	frappe.cache.expire(key, 24 * 60 * 60)


def check_portal_probing() -> None:
	"""A portal account refused PORTAL_REFUSALS_PER_DAY times today saves no ID number until tomorrow:
	the association registers him itself."""
	if not is_portal_user():
		return
	refused = frappe.cache.get(frappe.cache.make_key(refusals_key(frappe.session.user)))
	if frappe.utils.cint(refused) >= PORTAL_REFUSALS_PER_DAY:
		frappe.throw(
			_("Your registration needs the association's help today: please contact it"),
			exc=TooManyRefusalsError,
			title=_("Please Contact the Association"),
		)


def household_listing(id_number: str, exclude: str | None, for_update: bool = False) -> str | None:
	"""The beneficiary whose household lists `id_number` as a family member, if any."""
	member = DocType("Beneficiary Family Member")
	query = (
		frappe.qb.from_(member)
		.select(member.parent)
		.where((member.id_number == id_number) & (member.parenttype == "Beneficiary"))
		.limit(1)
	)
	if exclude:
		query = query.where(member.parent != exclude)
	rows = (query.for_update() if for_update else query).run()
	return rows[0][0] if rows else None


def check_override(doc) -> None:
	"""The override is a Charity Manager's decision (its fields are at permlevel 2) and is audited."""
	lapse_override_of_another_id(doc)
	if not doc.duplicate_override or not doc.has_value_changed("duplicate_override"):
		return
	if not MANAGER_ROLES & set(frappe.get_roles()):
		frappe.throw(_("Only a Charity Manager can register a duplicate person"), exc=frappe.PermissionError)
	if not (doc.duplicate_override_reason or "").strip():
		frappe.throw(
			_("Please give the reason for registering a duplicate person"), exc=frappe.MandatoryError
		)
	doc.flags.audit_override = True


def lapse_override_of_another_id(doc) -> None:
	"""The manager decided for the ID number the record had then: once it changes, the override
	lapses and the new number needs a decision of its own — the manager's, in the same save with the
	new number's reason, or ticked again later; audited either way. It stayed on, and an officer
	could then change the record to the ID of a member of another household without anyone deciding
	it."""
	before = doc.get_doc_before_save()
	if not (before and before.duplicate_override and doc.duplicate_override):
		return
	if before.id_number == doc.id_number:
		return
	if (
		MANAGER_ROLES & set(frappe.get_roles())
		and (doc.duplicate_override_reason or "").strip() != (before.duplicate_override_reason or "").strip()
	):
		# the manager decides for the new number in the same save, with its reason: audited
		doc.flags.audit_override = True
		return
	doc.duplicate_override = 0
	doc.duplicate_override_reason = None


def audit_override(doc) -> None:
	if doc.flags.audit_override:
		doc.add_comment(
			"Info",
			_("Registered despite a duplicate ID by {0}. Reason: {1}").format(
				frappe.session.user, doc.duplicate_override_reason
			),
		)
		doc.flags.audit_override = False


def flag_possible_duplicates(doc) -> None:
	"""Put probable duplicates (similar Arabic name + same date of birth or mobile) on the review list."""
	if not (doc.date_of_birth or doc.mobile_no):
		return
	ben = DocType("Beneficiary")
	same_dob = ben.date_of_birth == getdate(doc.date_of_birth) if doc.date_of_birth else None
	same_mobile = ben.mobile_no == doc.mobile_no if doc.mobile_no else None
	condition = same_dob | same_mobile if same_dob and same_mobile else (same_dob or same_mobile)
	candidates = (
		frappe.qb.from_(ben)
		.select(ben.name, ben.beneficiary_name, ben.date_of_birth, ben.mobile_no)
		.where(condition & (ben.name != doc.name))
		.limit(50)
		.run(as_dict=True)
	)
	for other in candidates:
		dob_match = bool(doc.date_of_birth) and other.date_of_birth == getdate(doc.date_of_birth)
		mobile_match = bool(doc.mobile_no) and other.mobile_no == doc.mobile_no
		if not is_probable_duplicate(
			doc.beneficiary_name, other.beneficiary_name, same_dob=dob_match, same_mobile=mobile_match
		):
			continue
		if review_exists(doc.name, other.name):
			continue
		review = frappe.get_doc(
			{
				"doctype": "Beneficiary Duplicate Review",
				"beneficiary": doc.name,
				"possible_duplicate": other.name,
				"similarity": name_similarity(doc.beneficiary_name, other.beneficiary_name),
				"match_reason": ", ".join(
					r for r, ok in ((_("Date of Birth"), dob_match), (_("Mobile No"), mobile_match)) if ok
				),
			}
		)
		with code_owned.owner_writes(code_owned.DUPLICATES):
			review.insert(ignore_permissions=True)


def review_exists(a: str, b: str) -> bool:
	review = DocType("Beneficiary Duplicate Review")
	return bool(
		frappe.qb.from_(review)
		.select(review.name)
		.where(
			((review.beneficiary == a) & (review.possible_duplicate == b))
			| ((review.beneficiary == b) & (review.possible_duplicate == a))
		)
		.limit(1)
		.run()
	)


def remove_reviews(beneficiary: str) -> None:
	"""A deleted beneficiary's duplicate reviews, on either side, go with him: a review compares two
	records and means nothing without one of them."""
	for side in ("beneficiary", "possible_duplicate"):
		frappe.db.delete("Beneficiary Duplicate Review", {side: beneficiary})
