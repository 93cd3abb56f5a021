"""Demo staff and requests for the Arabic demo site (`bench --site X charity-setup --demo`).

The static records come from the bench's fixtures/ folder (site_setup.load_demo_data); what
has to walk through the workflow is built here, as Administrator, step by step, so the demo
shows requests at every stage. Idempotent: users are updated, requests made once.
"""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.utils import add_days, today
from frappe.utils.password import update_password

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
	members = [email for email, *_rest in STAFF if email.startswith("committee")]
	meeting = frappe.get_doc(
		{
			"doctype": "Research Committee Meeting",
			"quorum": 3,
			"location": "مقر الجمعية - القطيف",
			"members": [{"member": m, "attended": 1, "is_chair": int(i == 0)} for i, m in enumerate(members)],
			"agenda": [{"assistance_request": request.name, "decision": "Approved"}],
			"votes": [{"assistance_request": request.name, "member": m, "vote": "For"} for m in members],
			"minutes": "اجتمعت لجنة البحث ودرست الطلب وتقرير الباحثة، وقررت الموافقة على سداد الإيجار المتأخر.",
		}
	).insert(ignore_permissions=True)
	meeting.submit()


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
	from charity_beneficiary.tests.factories import SIGNATURE

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
	from charity_beneficiary.service_quality.survey import submit_survey, template_questions

	invitation = frappe.db.get_value(
		"Survey Invitation", {"status": "Pending"}, ["token", "survey_template"], as_dict=True
	)
	if not invitation:
		return
	answers = {
		row.name: DEMO_ANSWERS[row.question_type] for row in template_questions(invitation.survey_template)
	}
	submit_survey(invitation.token, frappe.as_json(answers))


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
