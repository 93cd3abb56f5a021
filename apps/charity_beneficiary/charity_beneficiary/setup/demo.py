"""Demo staff and requests for the Arabic demo site (`bench --site X charity-setup --demo`).

The static records come from the bench's fixtures/ folder (site_setup.load_demo_data); what
has to walk through the workflow is built here, as Administrator, step by step, so the demo
shows requests at every stage, a beneficiary's portal account (beneficiary@charity.localhost) with
a request, a document about to expire and a survey to answer, and two seasonal programmes (one paid,
one waiting for the committee). Idempotent: users are updated, everything else made once.
"""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, getdate, today
from frappe.utils.password import update_password

from charity_beneficiary.portal.signup import PORTAL_ROLE, link_beneficiary
from charity_beneficiary.programmes import run
from charity_beneficiary.service_quality import survey
from charity_beneficiary.setup.builders import SIGNATURE
from charity_beneficiary.verification.dates import to_hijri

DEMO_PASSWORD = "Charity@2026"
DEMO_MARK = "[demo]"

STAFF = [
	("officer@charity.localhost", "نورة", "موظفة العلاقات", ["Beneficiary Relations Officer"], None),
	("researcher@charity.localhost", "منى", "الباحثة", ["Social Researcher"], None),
	("committee1@charity.localhost", "عبدالله", "رئيس اللجنة", ["Research Committee Member"], None),
	("committee2@charity.localhost", "حسن", "عضو اللجنة", ["Research Committee Member"], None),
	("committee3@charity.localhost", "سعاد", "عضو اللجنة", ["Research Committee Member"], None),
	("accountant@charity.localhost", "فهد", "المحاسب", ["Charity Accountant"], None),
	("storekeeper@charity.localhost", "علي", "أمين المستودع", ["Charity Storekeeper"], None),
	("rep.safwa@charity.localhost", "جعفر", "مندوب مكتب سيهات", ["Branch Representative"], "مكتب سيهات"),
	("manager@charity.localhost", "مدير", "الجمعية", ["Charity Manager"], None),
]


def load_demo_workflow() -> None:
	make_staff()
	if not frappe.db.exists("Assistance Request", {"description": ("like", f"%{DEMO_MARK}%")}):
		make_demo_requests()
	disburse_approved_request()
	answer_demo_survey()
	make_demo_feedback()
	portal_beneficiary = make_portal_account()
	make_demo_programmes()
	if portal_beneficiary:
		make_portal_demo(portal_beneficiary)
	frappe.db.commit()


def make_demo_requests() -> None:
	beneficiaries = frappe.get_all(
		"Beneficiary", filters={"status": "Active"}, pluck="name", order_by="creation"
	)
	if len(beneficiaries) < 3 or not frappe.db.exists("Aid Service", "سداد إيجار"):
		return
	first, second, third = beneficiaries[:3]
	approved_request(first)
	overdue_request(first)
	under_research(second)
	pending_verification(third)


def make_staff() -> None:
	for email, first, last, roles, branch in STAFF:
		user = frappe.get_doc("User", email) if frappe.db.exists("User", email) else frappe.new_doc("User")
		user.update(
			{
				"email": email,
				"first_name": first,
				"last_name": last,
				"send_welcome_email": 0,
				"language": "ar",
			}
		)
		if branch:
			user.charity_branch = branch
		for role in roles:
			if role not in [r.role for r in user.roles]:
				user.append("roles", {"role": role})
		user.save(ignore_permissions=True)
		update_password(email, DEMO_PASSWORD)


def new_request(beneficiary: str, service: str, amount: float, description: str, **fields):
	request = frappe.get_doc(
		{
			"doctype": "Assistance Request",
			"beneficiary": beneficiary,
			"aid_service": service,
			"requested_amount": amount,
			"description": f"{description} {DEMO_MARK}",
			"received_by": "officer@charity.localhost",
			**fields,
		}
	).insert(ignore_permissions=True)
	return apply_workflow(request, "Submit")


def research(request, recommendation: str = "Approve", score: int = 8):
	request.researcher = "researcher@charity.localhost"
	request.save(ignore_permissions=True)
	request = apply_workflow(request, "Send to Research")
	criteria = frappe.get_all("Need Criterion", filters={"is_active": 1}, pluck="name")
	report = frappe.get_doc(
		{
			"doctype": "Research Report",
			"assistance_request": request.name,
			"researcher": "researcher@charity.localhost",
			"visit_type": "Home Visit",
			"findings": "زيارة منزلية: الأسرة تسكن شقة مستأجرة من غرفتين، والأثاث قديم، وعليها متأخرات إيجار.",
			"housing_condition": "Poor",
			"financials": [
				{
					"line_type": "Income",
					"description": "الضمان الاجتماعي",
					"monthly_amount": 2100,
					"verified": 1,
				},
				{"line_type": "Expense", "description": "الإيجار", "monthly_amount": 1800, "verified": 1},
			],
			"scores": [{"criterion": c, "score": score} for c in criteria],
			"recommendation": recommendation,
		}
	).insert(ignore_permissions=True)
	report.submit()
	return apply_workflow(frappe.get_doc("Assistance Request", request.name), "Send to Committee")


def approved_request(beneficiary: str) -> None:
	request = research(
		new_request(
			beneficiary, "سداد إيجار", 4500, "متأخرات إيجار ثلاثة أشهر", channel="In-person Interview"
		)
	)
	committee_approves(
		"assistance_request",
		request.name,
		"اجتمعت لجنة البحث ودرست الطلب وتقرير الباحثة، وقررت الموافقة على سداد الإيجار المتأخر.",
	)


def committee_approves(agenda_field: str, name: str, minutes: str) -> None:
	"""The three demo members meet, all attending; each records his own vote (R3.3), then the chair
	records the decision and submits the minutes."""
	members = [email for email, *_rest in STAFF if email.startswith("committee")]
	chair = members[0]
	demo_user = frappe.session.user
	try:
		frappe.set_user(chair)
		meeting = frappe.get_doc(
			{
				"doctype": "Research Committee Meeting",
				"quorum": 3,
				"location": "مقر الجمعية - القطيف",
				"members": [{"member": m, "attended": 1, "is_chair": int(m == chair)} for m in members],
				"agenda": [{agenda_field: name}],
				"minutes": minutes,
			}
		).insert()
		for member in members:
			frappe.set_user(member)
			meeting = frappe.get_doc("Research Committee Meeting", meeting.name)
			meeting.append("votes", {agenda_field: name, "member": member, "vote": "For"})
			meeting.save()
		frappe.set_user(chair)
		meeting = frappe.get_doc("Research Committee Meeting", meeting.name)
		meeting.agenda[0].decision = "Approved"
		meeting.save()
		meeting.submit()
	finally:
		frappe.set_user(demo_user)


def overdue_request(beneficiary: str) -> None:
	research(
		new_request(
			beneficiary,
			"مساعدة نقدية شهرية",
			1500,
			"مساعدة شهرية لحين صرف الضمان",
			channel="Phone Call",
			received_on=add_days(today(), -20),
		)
	)


def under_research(beneficiary: str) -> None:
	request = new_request(beneficiary, "أجهزة طبية", 6000, "كرسي متحرك كهربائي وسرير طبي", channel="Letter")
	request.researcher = "researcher@charity.localhost"
	request.save(ignore_permissions=True)
	apply_workflow(request, "Send to Research")


def pending_verification(beneficiary: str) -> None:
	new_request(
		beneficiary,
		"مساعدة نقدية شهرية",
		1200,
		"مساعدة عاجلة بعد انقطاع الدخل",
		channel="Branch Representative",
	)


def disburse_approved_request() -> None:
	"""The accountant pays the approved rent in cash; the beneficiary signs the voucher."""
	request = frappe.db.get_value(
		"Assistance Request",
		{"description": ("like", f"%{DEMO_MARK}%"), "workflow_state": "Approved"},
		["name", "approved_amount", "aid_service"],
		as_dict=True,
	)
	if not request or frappe.db.exists("Aid Disbursement", {"assistance_request": request.name}):
		return
	if frappe.db.get_value("Aid Service", request.aid_service, "delivery_type") != "Cash":
		return
	doc = frappe.get_doc(
		{
			"doctype": "Aid Disbursement",
			"assistance_request": request.name,
			"amount": request.approved_amount,
			"remarks": f"سداد الإيجار المتأخر {DEMO_MARK}",
		}
	).insert(ignore_permissions=True)
	doc.submit()
	doc.receiver_signature = SIGNATURE
	doc.save(ignore_permissions=True)


DEMO_ANSWERS = {"Rating": 5, "Yes-No": "Yes", "NPS": 9, "Text": "شكرا لسرعة الاستجابة وحسن التعامل"}


def answer_demo_survey() -> None:
	"""The paid beneficiary rates the service through his invitation, as from the portal."""
	# only the demo voucher's invitation: the portal beneficiary's survey stays pending (make_portal_demo)
	disbursements = frappe.get_all(
		"Aid Disbursement", filters={"remarks": ("like", f"%{DEMO_MARK}%")}, pluck="name"
	)
	if not disbursements:
		return
	invitation = frappe.db.get_value(
		"Survey Invitation",
		{"status": "Pending", "aid_disbursement": ("in", disbursements)},
		["token", "survey_template"],
		as_dict=True,
	)
	if not invitation:
		return
	answers = {
		row.name: DEMO_ANSWERS[row.question_type]
		for row in survey.template_questions(invitation.survey_template)
	}
	survey.submit_survey(invitation.token, frappe.as_json(answers))


def make_demo_feedback() -> None:
	if frappe.db.exists("Beneficiary Feedback", {"subject": ("like", f"%{DEMO_MARK}%")}):
		return
	beneficiary = frappe.get_all(
		"Beneficiary", filters={"status": "Active"}, pluck="name", order_by="creation", limit=2
	)
	if len(beneficiary) < 2:
		return
	for doc in (
		{
			"feedback_type": "Complaint",
			"beneficiary": beneficiary[1],
			"channel": "Phone Call",
			"subject": f"تأخر الرد على طلب الأجهزة الطبية {DEMO_MARK}",
			"description": "مضى أسبوعان على زيارة الباحثة ولم يصلني رد حتى الآن.",
			"assigned_to": "officer@charity.localhost",
		},
		{
			"feedback_type": "Suggestion",
			"beneficiary": beneficiary[0],
			"channel": "Website",
			"subject": f"إرسال رسالة نصية عند اقتراب موعد القرار {DEMO_MARK}",
			"description": "أقترح إرسال رسالة تذكير قبل موعد قرار اللجنة بيومين.",
		},
	):
		frappe.get_doc({"doctype": "Beneficiary Feedback", **doc}).insert(ignore_permissions=True)


# --- the portal of a demo beneficiary (R6.1) ---------------------------------------------------------
PORTAL_USER = "beneficiary@charity.localhost"
# the rent contract of the family whose rent the demo pays, due for renewal soon
EXPIRING_DOCUMENT = "عقد الإيجار"
EXPIRES_IN_DAYS = 10


def make_portal_account() -> str | None:
	"""A Website User for the first active family (the one with the demo requests), linked to its record
	as the portal's sign-up links it; returns the beneficiary."""
	beneficiary = frappe.db.get_value(
		"Beneficiary",
		{"status": "Active"},
		["name", "beneficiary_name", "id_number", "mobile_no", "user"],
		as_dict=True,
		order_by="creation asc",
	)
	if not beneficiary:
		return None
	if not frappe.db.exists("User", PORTAL_USER):
		user = frappe.get_doc(
			{
				"doctype": "User",
				"email": PORTAL_USER,
				"first_name": beneficiary.beneficiary_name,
				"username": beneficiary.id_number,  # as signup.create_account: the ID he signed up with
				"phone": beneficiary.mobile_no,
				"user_type": "Website User",
				"send_welcome_email": 0,
				"language": "ar",
			}
		).insert(ignore_permissions=True)
		user.add_roles(PORTAL_ROLE)
		update_password(PORTAL_USER, DEMO_PASSWORD)
	if beneficiary.user != PORTAL_USER:
		link_beneficiary(beneficiary.name, PORTAL_USER)
	return beneficiary.name


def make_portal_demo(beneficiary: str) -> None:
	"""What his portal home shows besides his requests: a document about to expire and a survey."""
	add_expiring_document(beneficiary)
	request = frappe.db.get_value(
		"Assistance Request",
		{"beneficiary": beneficiary, "docstatus": 1, "workflow_state": "Disbursed"},
		"name",
		order_by="creation desc",
	)
	if request:  # the Ramadan programme's request; the programme's run has invited him already
		survey.invite(request)


def add_expiring_document(beneficiary: str) -> None:
	if frappe.db.exists(
		"Beneficiary Document",
		{"parenttype": "Beneficiary", "parent": beneficiary, "document_type": EXPIRING_DOCUMENT},
	) or not frappe.db.exists("Beneficiary Document Type", EXPIRING_DOCUMENT):
		return
	doc = frappe.get_doc("Beneficiary", beneficiary)
	expiry = add_days(today(), EXPIRES_IN_DAYS)
	doc.append(
		"documents",
		{
			"document_type": EXPIRING_DOCUMENT,
			"issue_date": add_days(expiry, -365),
			"expiry_date": expiry,
			"verified": 1,
		},
	)
	doc.save(ignore_permissions=True)


# --- seasonal programmes (R6.2) ----------------------------------------------------------------------
PROGRAMME_SERVICE = "مساعدة نقدية شهرية"
PROGRAMME_FUND = "الصدقات"
# the demo families' branches (fixtures/010_branch.json): the programmes' criteria
PROGRAMME_BRANCHES = ("الفرع الرئيسي - القطيف", "مكتب حبونا - نجران")
RAMADAN = "سلة رمضان النقدية"
EID = "عيدية عيد الفطر"


def make_demo_programmes() -> None:
	"""A Ramadan programme approved by the committee and paid to the demo families, and an Eid
	programme right after it, submitted and waiting for the committee."""
	if not frappe.db.exists("Aid Service", PROGRAMME_SERVICE) or not frappe.db.exists(
		"Charity Fund", PROGRAMME_FUND
	):
		return
	ramadan = demo_programme(
		RAMADAN,
		"رمضان",
		from_date=today(),
		days=29,
		entitlement_basis="Amount per Household Member",
		amount=100,
		budget_amount=3000,
	)
	if ramadan:
		approve_and_run(ramadan)
	# after Ramadan's period: the same households qualify again (one season, one basket)
	demo_programme(
		EID,
		"عيد الفطر",
		from_date=add_days(today(), 30),
		days=5,
		entitlement_basis="Fixed Amount",
		amount=300,
	)


def demo_programme(title: str, season: str, from_date: str, days: int, **fields) -> str | None:
	"""The programme titled `title`, made, filled with the eligible families and submitted once."""
	existing = frappe.db.get_value("Aid Programme", {"title": title, "docstatus": ("<", 2)}, "name")
	if existing:
		return existing
	doc = frappe.get_doc(
		{
			"doctype": "Aid Programme",
			"title": title,
			"season": f"{season} {to_hijri(getdate(from_date))[:4]}",
			"from_date": from_date,
			"to_date": add_days(from_date, days),
			"aid_service": PROGRAMME_SERVICE,
			"charity_fund": PROGRAMME_FUND,
			"branches": [{"branch": b} for b in PROGRAMME_BRANCHES if frappe.db.exists("Branch", b)],
			**fields,
		}
	).insert(ignore_permissions=True)
	doc.fill_lines()
	doc.save(ignore_permissions=True)
	if not doc.selected_count:  # no eligible family on this site: left as a draft
		return None
	doc.submit()  # -> Pending Committee
	return doc.name


def approve_and_run(programme: str) -> None:
	status = frappe.db.get_value("Aid Programme", programme, ["approval_status", "run_status"], as_dict=True)
	if status.approval_status == "Pending Committee":
		committee_approves(
			"aid_programme",
			programme,
			"درست اللجنة قائمة الأسر المستحقة لسلة رمضان النقدية وموازنتها، وقررت اعتماد البرنامج.",
		)
	if status.run_status == run.COMPLETED:
		return
	# the accountant runs it, here and now rather than on the "long" queue, as the tests do
	frappe.set_user("accountant@charity.localhost")
	try:
		run.execute(programme)
	finally:
		frappe.set_user("Administrator")
