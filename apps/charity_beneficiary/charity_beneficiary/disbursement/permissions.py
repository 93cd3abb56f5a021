"""Who posts what: the accountant posts money (cash and providers' invoices), the storekeeper posts
goods, the manager may post either. The committee approves and never disburses (it has no permission
on Aid Disbursement at all), and neither poster can approve a request (the workflow's transitions
belong to the committee).

The role permissions of Aid Disbursement let both posters create, submit and cancel; the rule by
disbursement type is enforced here, by the controller (whatever the path: desk, REST, code), and by
`has_permission` (hooked in hooks.py) so the desk does not offer what would be refused.
"""

import frappe
from frappe import _

from charity_beneficiary.assistance import committee_access
from charity_beneficiary.assistance.states import DISBURSABLE_STATES, DISBURSED_STATE

POSTING_ROLES = {
	"Cash": ("Charity Accountant", "Charity Manager"),
	"Provider Service": ("Charity Accountant", "Charity Manager"),
	"In-Kind": ("Charity Storekeeper", "Charity Manager"),
}
# permission types that change a disbursement or its ledger
POSTING_PTYPES = ("create", "write", "submit", "cancel", "amend", "delete")


def can_post(disbursement_type: str | None, user: str | None = None) -> bool:
	roles = POSTING_ROLES.get(disbursement_type)
	return bool(roles) and bool(set(roles) & set(frappe.get_roles(user)))


def check_posting_role(doc) -> None:
	if not can_post(doc.disbursement_type):
		frappe.throw(
			_("Only the roles {0} can post a {1} disbursement").format(
				", ".join(_(role) for role in POSTING_ROLES.get(doc.disbursement_type, ())),
				_(doc.disbursement_type or ""),
			),
			exc=frappe.PermissionError,
			title=_("Not Permitted"),
		)


def has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""hooks.py `has_permission`: no change to a disbursement of a type the user does not post, and the
	storekeeper reads (prints, e-mails…) only the goods' disbursements."""
	if not doc:
		return None
	disbursement_type = type_of(doc)
	if not disbursement_type:
		return None
	if ptype in POSTING_PTYPES:
		return None if can_post(disbursement_type, user) else False
	types = read_types(user)
	return None if types is None or disbursement_type in types else False


# --- the disbursements a poster reads ------------------------------------------------------------------
# Roles whose work reads every disbursement: the managers, the officer who answers the beneficiaries,
# and the books' keepers (an in-kind disbursement posts the goods' value to the fund's expense account
# too, which the accountant reconciles with ERPNext's accounting roles).
DISBURSEMENT_WORK_ROLES = frozenset(
	(
		"System Manager",
		"Charity Manager",
		"Charity Accountant",
		"Beneficiary Relations Officer",
		"Accounts User",
		"Accounts Manager",
	)
)


def read_types(user: str | None = None) -> list[str] | None:
	"""The disbursement types a user whose only disbursement work is handing goods over reads: those he
	posts (the storekeeper: In-Kind; his requests and beneficiaries are the in-kind ones too). None:
	his roles read every disbursement (or none, by the role permissions)."""
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	roles = set(frappe.get_roles(user))
	if roles & DISBURSEMENT_WORK_ROLES:
		return None
	types = [kind for kind, posters in POSTING_ROLES.items() if roles & set(posters)]
	return types or None


def disbursement_query_conditions(user: str | None = None, doctype: str | None = None) -> str | None:
	"""hooks.py permission_query_conditions of Aid Disbursement: the same, for lists and reports (R8.2):
	the storekeeper does not list the cash paid to beneficiaries."""
	types = read_types(user)
	if types is None:
		return None
	kinds = ", ".join(frappe.db.escape(kind) for kind in types)
	return f"(`tabAid Disbursement`.`disbursement_type` in ({kinds}))"


def type_of(doc) -> str | None:
	"""The type a disbursement has or will have. A new one's type is its request's service's, which
	the controller sets in validate: newer frappe checks "create" on the unsaved document, whose
	`disbursement_type` still holds the Select field's first option ("Cash"). Without a request, or
	with one that does not exist, it has none yet (None: the role permissions decide), and the
	controller refuses it saying so, rather than a permission error for a "Cash" disbursement."""
	if doc.get("__islocal") or not doc.get("name"):
		request = doc.get("assistance_request")
		service = request and frappe.db.get_value("Assistance Request", request, "aid_service")
		return (service and frappe.get_cached_value("Aid Service", service, "delivery_type")) or None
	return doc.get("disbursement_type")


# --- ERPNext's serial and batch bundles ------------------------------------------------------------
# For each row of serial- or batch-tracked goods, ERPNext makes, submits and cancels a Serial and Batch
# Bundle along with the stock entry, under the session user's own permissions. The posters of goods
# have those rights (setup/role_access.py) for the app's postings only (posting.py sets the flag):
# outside one, a bundle of their own would change which serials and batches ERPNext counts available.
IN_POSTING_FLAG = "in_aid_posting"
# ERPNext's roles that make bundles in their own work (its DocType's standard rules)
BUNDLE_ROLES = frozenset(
	(
		"System Manager",
		"Stock User",
		"Stock Manager",
		"Purchase User",
		"Purchase Manager",
		"Delivery User",
		"Delivery Manager",
		"Manufacturing User",
		"Manufacturing Manager",
	)
)


def bundle_has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""hooks.py `has_permission` of Serial and Batch Bundle: the posters' rights hold inside a posting."""
	if ptype not in POSTING_PTYPES or frappe.flags.get(IN_POSTING_FLAG):
		return None
	user = user or frappe.session.user
	if user == "Administrator" or set(frappe.get_roles(user)) & BUNDLE_ROLES:
		return None  # ERPNext's own rules
	return False


# --- the requests a poster reads ---------------------------------------------------------------------
# the states of the requests he disburses: approved, or disbursed already
DISBURSED_SHARE = (*DISBURSABLE_STATES, DISBURSED_STATE)
# Roles whose work reads requests beyond what is to be disbursed (their own rules apply instead). A
# poster who sits on the committee reads the committee's scope besides his share (the union, not
# everything: committee_access.py).
REQUEST_WORK_ROLES = frozenset(
	(
		"System Manager",
		"Charity Manager",
		"Beneficiary Relations Officer",
		"Social Researcher",
		"Branch Representative",
	)
)


def posted_types(user: str | None = None) -> list[str] | None:
	"""The delivery types of the requests a user whose only work is posting (accountant, storekeeper)
	may read: those he disburses. None: his other roles decide."""
	user = user or frappe.session.user
	if user == "Administrator":
		return None
	roles = set(frappe.get_roles(user))
	if roles & REQUEST_WORK_ROLES:
		return None
	types = [kind for kind, posters in POSTING_ROLES.items() if roles & set(posters)]
	return types or None


def request_query_conditions(user: str | None = None, doctype: str | None = None) -> str | None:
	"""R8.2: the accountant and the storekeeper read the requests they disburse — approved, or
	disbursed, of a type they post — not every beneficiary's application."""
	types = posted_types(user)
	if types is None:
		return None
	return committee_access.or_member_scope(
		user, f"({share_condition(types)})", committee_access.request_scope
	)


def request_has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""The same share, for one request."""
	types = posted_types(user)
	if types is None:
		return None
	in_share = (
		doc.get("docstatus") == 1
		and doc.get("workflow_state") in DISBURSED_SHARE
		and doc.get("delivery_type") in types
	)
	if in_share or (committee_access.member_reads(user, committee_access.request_in_scope, doc)):
		return None
	return False


# --- the beneficiaries a poster reads ----------------------------------------------------------------
def share_condition(types: list[str], table: str = "`tabAssistance Request`") -> str:
	states = ", ".join(frappe.db.escape(state) for state in DISBURSED_SHARE)
	kinds = ", ".join(frappe.db.escape(kind) for kind in types)
	return (
		f"{table}.`docstatus` = 1 and {table}.`workflow_state` in ({states})"
		f" and {table}.`delivery_type` in ({kinds})"
	)


def beneficiary_query_conditions(user: str | None = None, doctype: str | None = None) -> str | None:
	"""R8.2: the accountant reads the files of the beneficiaries he pays (a request in his share: the
	name, ID and bank account his payment needs), not the register of every applicant."""
	types = posted_types(user)
	if types is None:
		return None
	return committee_access.or_member_scope(
		user,
		"exists (select 1 from `tabAssistance Request` as `share`"
		f" where `share`.`beneficiary` = `tabBeneficiary`.`name` and {share_condition(types, '`share`')})",
		committee_access.beneficiary_scope,
	)


def beneficiary_has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""The same, for one beneficiary."""
	types = posted_types(user)
	if types is None:
		return None
	name = doc.get("name")
	if not name:
		return False
	request = frappe.qb.DocType("Assistance Request")
	paid = (
		frappe.qb.from_(request)
		.select(request.name)
		.where(
			(request.beneficiary == name)
			& (request.docstatus == 1)
			& request.workflow_state.isin(DISBURSED_SHARE)
			& request.delivery_type.isin(types)
		)
		.limit(1)
		.run()
	)
	if paid or (committee_access.member_reads(user, committee_access.beneficiary_in_scope, doc)):
		return None
	return False
