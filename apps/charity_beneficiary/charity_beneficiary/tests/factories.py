"""Factories that keep tests short (as hrms's create_* and helpdesk's make_ticket do)."""

import frappe

from charity_beneficiary.setup.builders import SIGNATURE  # the demo signs with it too

# another valid 1×1 PNG: a second signature, where a test replaces a signed one
OTHER_SIGNATURE = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYPj/HwADAgH/5ncLrgAAAABJRU5ErkJggg=="

TEST_PASSWORD = "Charity-Test-Passw0rd!"


def make_user(email: str, roles: list[str], user_type: str = "System User") -> str:
	"""A committed user with exactly `roles` and a known password (for HTTP logins). A user already
	as needed is left alone: test runs sharing the site ask for the same users at once, and saving
	him again while another run saves him is a TimestampMismatchError."""
	if user_is_ready(email, roles, user_type):
		return email
	try:
		return save_user(email, roles, user_type)
	except frappe.TimestampMismatchError:  # another run saved him meanwhile
		frappe.db.rollback()
		return save_user(email, roles, user_type)


def user_is_ready(email: str, roles: list[str], user_type: str) -> bool:
	from frappe.utils.password import check_password

	if frappe.db.get_value("User", email, "user_type") != user_type:
		return False
	if set(frappe.get_roles(email)) - {"All", "Guest", "Desk User"} != set(roles):
		return False
	try:
		check_password(email, TEST_PASSWORD, delete_tracker_cache=False)
	except frappe.AuthenticationError:  # a wrong password, or a disabled user
		return False
	return True


def save_user(email: str, roles: list[str], user_type: str) -> str:
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


def make_id(first_digit: str = "1") -> str:
	"""A random, checksum-valid Saudi National ID (1…) or Iqama (2…) number."""
	import random

	from stdnum import luhn

	payload = first_digit + "".join(random.choices("0123456789", k=8))
	return payload + luhn.calc_check_digit(payload)


def make_branch(name: str) -> str:
	if not frappe.db.exists("Branch", name):
		frappe.get_doc({"doctype": "Branch", "branch": name}).insert(ignore_permissions=True)
	return name


def make_beneficiary(insert: bool = True, **fields):
	"""A valid Applicant with an Arabic name; `fields` override or add anything."""
	doc = frappe.get_doc(
		{
			"doctype": "Beneficiary",
			"beneficiary_name": "فاطمة علي حسن الزهراني",
			"id_type": "National ID",
			"id_number": make_id("1"),
			"gender": "Female",
			"date_of_birth": "1985-04-12",
			**fields,
		}
	)
	if not insert:
		return doc
	# the portal account of a beneficiary is linked by the registration code, never by hand
	from charity_beneficiary.utils.code_owned import REGISTRATION, owner_writes

	with owner_writes(REGISTRATION):
		return doc.insert()


def make_document_type(name: str, mandatory: bool = False) -> str:
	if not frappe.db.exists("Beneficiary Document Type", name):
		frappe.get_doc(
			{
				"doctype": "Beneficiary Document Type",
				"document_type_name": name,
				"is_mandatory": int(mandatory),
			}
		).insert(ignore_permissions=True)
	return name


def make_active_beneficiary(**fields):
	"""An Active beneficiary: declaration signed and taken, no mandatory documents configured."""
	return make_beneficiary(
		status="Active", declaration_accepted=1, declaration_signature=SIGNATURE, **fields
	)


def make_aid_service(name: str = "مساعدة نقدية (اختبار)", **fields):
	"""A cash service without research unless told otherwise; updated in place when it exists."""
	values = {
		"delivery_type": "Cash",
		"requires_research": 0,
		"decision_days": 14,
		"max_amount": 5000,
		"max_times_per_year": 0,
		"max_amount_per_year": 0,
		"min_need_score": 0,
		"is_active": 1,
		"eligible_categories": [],
		"required_document_types": [],
		**fields,
	}
	if frappe.db.exists("Aid Service", name):
		doc = frappe.get_doc("Aid Service", name)
		doc.update(values)
		return doc.save(ignore_permissions=True)
	return frappe.get_doc({"doctype": "Aid Service", "service_name": name, **values}).insert(
		ignore_permissions=True
	)


def make_request(beneficiary: str, aid_service: str, submit: bool = False, **fields):
	doc = frappe.get_doc(
		{
			"doctype": "Assistance Request",
			"beneficiary": beneficiary,
			"aid_service": aid_service,
			"channel": "In-person Interview",
			"description": "طلب مساعدة لسداد إيجار المنزل",
			"requested_amount": 2000,
			**fields,
		}
	).insert()
	if submit:
		from frappe.model.workflow import apply_workflow

		doc = apply_workflow(doc, "Submit")
	return doc


# --- disbursement (R4) ------------------------------------------------------------------------------
def make_approved_request(
	beneficiary: str,
	aid_service: str,
	approved_amount: float = 0,
	approved_items: list[dict] | None = None,
	state: str = "Approved",
	**fields,
):
	"""A submitted request in `state` with its approval written directly (the committee's own flow,
	which records the decision, is tested with the committee meeting)."""
	from frappe.utils import today

	doc = make_request(beneficiary, aid_service, submit=True, **fields)
	frappe.db.set_value(
		"Assistance Request",
		doc.name,
		{
			"workflow_state": state,
			"decision": state if state in ("Approved", "Partly Approved", "Rejected") else None,
			"approved_amount": approved_amount,
			"decided_on": today(),
		},
	)
	for idx, row in enumerate(approved_items or [], start=1):
		frappe.get_doc(
			{
				"doctype": "Assistance Request Item",
				"parent": doc.name,
				"parenttype": "Assistance Request",
				"parentfield": "approved_items",
				"idx": idx,
				"uom": frappe.db.get_value("Item", row["item_code"], "stock_uom"),
				**row,
			}
		).db_insert()
	return frappe.get_doc("Assistance Request", doc.name)


def make_item(item_code: str, is_stock_item: int = 1, **fields) -> str:
	if not frappe.db.exists("Item", item_code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": item_code,
				"item_name": item_code,
				"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, order_by="lft asc"),
				"stock_uom": "Nos",
				"is_stock_item": is_stock_item,
				"include_item_in_manufacturing": 0,
				**fields,
			}
		).insert(ignore_permissions=True)
	return item_code


def make_stock(item_code: str, warehouse: str, qty: float, rate: float) -> str:
	"""Goods received into a warehouse (a submitted Material Receipt); returns the stock entry."""
	company = frappe.db.get_value("Warehouse", warehouse, "company")
	doc = frappe.get_doc(
		{
			"doctype": "Stock Entry",
			"stock_entry_type": "Material Receipt",
			"purpose": "Material Receipt",
			"company": company,
			"items": [{"item_code": item_code, "qty": qty, "t_warehouse": warehouse, "basic_rate": rate}],
		}
	)
	doc.insert(ignore_permissions=True)
	doc.submit()
	return doc.name


def make_supplier(name: str) -> str:
	if not frappe.db.exists("Supplier", name):
		frappe.get_doc(
			{
				"doctype": "Supplier",
				"supplier_name": name,
				"supplier_group": frappe.db.get_value("Supplier Group", {"is_group": 0}, order_by="lft asc"),
			}
		).insert(ignore_permissions=True)
	return name


def make_disbursement(request: str, insert: bool = True, submit: bool = False, **fields):
	"""A disbursement of an approved request; the type, accounts and fund come from the defaults."""
	doc = frappe.get_doc({"doctype": "Aid Disbursement", "assistance_request": request, **fields})
	if insert or submit:
		doc.insert()
	if submit:
		doc.submit()
	return doc


def audited_changes(doctype: str, name: str) -> dict[str, tuple[str, object]]:
	"""fieldname -> (who, new value) of the latest change of each field in the record's Versions."""
	changes = {}
	for version in frappe.get_all(
		"Version",
		filters={"ref_doctype": doctype, "docname": name},
		fields=["owner", "data"],
		order_by="creation asc",
	):
		for fieldname, _old, new in frappe.parse_json(version.data).get("changed") or []:
			changes[fieldname] = (version.owner, new)
	return changes


# --- committee (R3.3) -------------------------------------------------------------------------------
DECISION_FIELDS = ("decision", "reason", "approved_amount")


def make_meeting_as_members(values: dict, made: list | None = None):
	"""A Research Committee Meeting made as its members make it: the current user prepares the agenda
	(with his own votes); each other listed committee member records his own votes; then the current
	user records the decisions. Rows naming someone who is not a listed committee member are entered by
	the current user (what the meeting's own checks refuse). Any refusal is raised as it happens;
	`made` gets the meeting's name as soon as it exists (for the caller's clean-up)."""
	author = frappe.session.user
	rows = values.get("votes") or []
	members = {row["member"] for row in values.get("members") or []}
	voters = [
		member
		for member in dict.fromkeys(row["member"] for row in rows)
		if member != author and member in members and "Research Committee Member" in frappe.get_roles(member)
	]
	agenda = [dict(item) for item in values.get("agenda") or []]  # the caller's rows stay as they are
	decisions = [{field: item.pop(field) for field in DECISION_FIELDS if field in item} for item in agenda]
	values = {**values, "agenda": agenda, "votes": [row for row in rows if row["member"] not in voters]}
	approved_items = values.pop("approved_items", None)
	doc = frappe.get_doc(values).insert()
	if made is not None:
		made.append(doc.name)
	try:
		for member in voters:
			frappe.set_user(member)
			doc = frappe.get_doc(doc.doctype, doc.name)
			for row in rows:
				if row["member"] == member:
					doc.append("votes", row)
			doc.save()
	finally:
		frappe.set_user(author)
	doc = frappe.get_doc(doc.doctype, doc.name)
	if any(decisions) or approved_items:
		for item, decided in zip(doc.agenda, decisions, strict=True):
			item.update(decided)
		if approved_items:
			doc.set("approved_items", approved_items)
		doc.save()
	return doc


def committee_decides(agenda_row: dict, made: list | None = None):
	"""The committee's decision on one agenda row (a request or a programme), taken as it is taken: a
	meeting of two members (the association's smallest quorum by default, Charity Settings), each
	voting for it himself, the first recording the decision and submitting the meeting. Runs as the
	first member; `made` gets the meeting's name as soon as it exists."""
	from frappe.utils import today

	from charity_beneficiary.tests.users import role_user

	members = [role_user("Research Committee Member", n) for n in (1, 2)]
	key = "aid_programme" if agenda_row.get("aid_programme") else "assistance_request"
	frappe.set_user(members[0])
	meeting = make_meeting_as_members(
		{
			"doctype": "Research Committee Meeting",
			"meeting_date": today(),
			"quorum": 2,
			"members": [{"member": m, "attended": 1, "is_chair": int(i == 0)} for i, m in enumerate(members)],
			"agenda": [agenda_row],
			"votes": [{key: agenda_row[key], "member": m, "vote": "For"} for m in members],
		},
		made=made,
	)
	meeting.submit()
	return meeting
