"""Stored cross-site scripting (issue 9 §3): what an applicant or a staff member typed is printed, shown
on the portal and mailed as text, never as markup; a signature is an image and nothing else.

The payloads are stored twice over: through the factories (frappe's save-time sanitiser keeps what has
no tag, such as an attribute break-out) and raw in the database, as an import or a direct write leaves
them (nothing strips the tag then), so the templates' own escaping is what is tested. Each print format
and page is fetched over HTTP as the role that uses it; the research report and the committee minutes,
whose documents need the whole research and committee flow, are rendered in process as the manager."""

import email
import email.policy
import json

import frappe
from bs4 import BeautifulSoup
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today
from markupsafe import escape

from charity_beneficiary.beneficiaries.verify import InvalidBeneficiaryData
from charity_beneficiary.disbursement.doctype.aid_disbursement.test_aid_disbursement import (
	purge,
	purge_requests,
	retried,
)
from charity_beneficiary.tests.committed import purge_beneficiary
from charity_beneficiary.tests.factories import (
	SIGNATURE,
	TEST_PASSWORD,
	make_active_beneficiary,
	make_aid_service,
	make_approved_request,
	make_disbursement,
	make_document_type,
	make_request,
)
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.mail import queued_mails, use_test_mail_server
from charity_beneficiary.tests.users import portal_email, portal_user, role_email, role_user

IMG = "<img src=x onerror=alert(1)>"
ATTR = 'x" onerror="alert(1)'
# Both at once: whichever context a value lands in (text or attribute), one of them would break out.
PAYLOAD = f"{IMG} {ATTR}"
NOT_IMAGES = (
	IMG,
	ATTR,
	"javascript:alert(1)",
	"data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9ImFsZXJ0KDEpIi8+",
	SIGNATURE + '" onerror="alert(1)',
)

# the shared users of tests/users.py: frappe limits the new users an hour
OFFICER = role_email("Beneficiary Relations Officer")
ACCOUNTANT = role_email("Charity Accountant")
MANAGER = role_email("Charity Manager")
PORTAL = portal_email(1)
APPLICANT = portal_email(3)  # a portal user not registered yet
MAIL = "beneficiary.xss@example.com"
SERVICE = "مساعدة نقدية (اختبار الترميز)"
BENEFICIARY_FILE = "ملف المستفيد"
VOUCHER = "سند صرف"


class EscapingAssertions:
	def assertInert(self, html: str):
		"""Parsed as a browser parses it, the page has no element or attribute the payloads made, and
		both payloads are there as text. (frappe's mail pipeline re-serialises the HTML, so a mail's
		text may carry a bare quote, harmless outside an attribute: the parse is what tells.)"""
		soup = BeautifulSoup(html, "html.parser")
		self.assertEqual(soup.find_all(attrs={"onerror": True}), [])
		text = soup.get_text()
		self.assertIn(ATTR, text)
		self.assertIn("onerror=alert(1)>", text)  # the tail of IMG, shown as text

	def assertEscaped(self, html: str, value: str):
		"""What the app's own template wrote: `value` (as stored) only in its escaped form."""
		self.assertTrue(value and ("<" in value or '"' in value), value)
		self.assertNotIn(value, html)
		self.assertIn(str(escape(value)), html)


class TestEscapedOverHTTP(EscapingAssertions, FrappeTestCase):
	"""Committed records (the HTTP server is another process), removed at the end."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		role_user("Beneficiary Relations Officer")
		role_user("Charity Accountant")
		portal_user(1)
		portal_user(3)
		cls.records = {}
		cls.addClassCleanup(retried, cls.remove_committed)  # runs even when the set-up fails half-way
		make_aid_service(SERVICE)
		beneficiary = make_active_beneficiary(
			user=PORTAL,
			beneficiary_name=f"فاطمة {ATTR}",
			beneficiary_name_en=ATTR,
			city=IMG,
			district=ATTR,
			national_address=PAYLOAD,
			family_members=[
				{"member_name": f"عبدالله {ATTR}", "relation": "Son", "date_of_birth": "2000-03-01"}
			],
		)
		cls.beneficiary = cls.records["beneficiary"] = beneficiary.name
		cls.approved = make_approved_request(
			cls.beneficiary, SERVICE, approved_amount=500, requested_amount=500
		).name
		cls.returned = make_approved_request(cls.beneficiary, SERVICE, state="Returned").name
		cls.disbursement = make_disbursement(cls.approved, amount=500, remarks=f"تسليم {ATTR}").name
		# as an import or a direct write leaves them: nothing sanitised these
		frappe.db.set_value("Beneficiary", cls.beneficiary, "city", IMG)
		frappe.db.set_value("Aid Disbursement", cls.disbursement, "remarks", PAYLOAD)
		frappe.db.set_value("Assistance Request", cls.returned, "decision_reason", PAYLOAD)
		frappe.db.commit()
		cls.server = live_server()

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		purge_beneficiary(cls.records.get("beneficiary"))
		purge("Beneficiary", frappe.get_all("Beneficiary", {"user": APPLICANT}, pluck="name"))
		purge("Aid Service", [SERVICE])
		frappe.db.commit()

	def setUp(self):
		frappe.set_user("Administrator")  # no per-test records: this class commits

	def url(self, *parts: str) -> str:
		return "/".join((self.server.url, *parts))

	def printed(self, user: str, doctype: str, name: str, print_format: str) -> str:
		session = self.server.session(user, TEST_PASSWORD)
		response = session.get(
			self.url("printview"),
			params={"doctype": doctype, "name": name, "format": print_format, "no_letterhead": 1},
		)
		self.assertEqual(response.status_code, 200, response.text[:2000])
		self.assertInert(response.text)
		# frappe's own page puts the document's title in <title> unescaped (text there is not parsed
		# as markup); the print format is the body
		return response.text.split("<body", 1)[1]

	def stored(self, doctype: str, name: str, *fieldnames: str) -> list[str]:
		return list(frappe.db.get_value(doctype, name, fieldnames))

	# --- print formats ---------------------------------------------------------------------------
	def test_beneficiary_file_prints_what_the_applicant_typed_as_text(self):
		html = self.printed(OFFICER, "Beneficiary", self.beneficiary, BENEFICIARY_FILE)
		self.assertIn('dir="rtl"', html)  # the format itself, not an error page
		for value in self.stored(
			"Beneficiary",
			self.beneficiary,
			"beneficiary_name",
			"beneficiary_name_en",
			"city",
			"district",
			"national_address",
		):
			self.assertEscaped(html, value)
		member = frappe.db.get_value("Beneficiary Family Member", {"parent": self.beneficiary}, "member_name")
		self.assertEscaped(html, member)

	def test_voucher_prints_remarks_and_names_as_text(self):
		html = self.printed(ACCOUNTANT, "Aid Disbursement", self.disbursement, VOUCHER)
		self.assertIn(self.disbursement, html)
		self.assertEscaped(html, PAYLOAD)
		self.assertEscaped(html, frappe.db.get_value("Beneficiary", self.beneficiary, "beneficiary_name"))

	# --- portal --------------------------------------------------------------------------------------
	def test_my_requests_shows_the_committees_reason_as_text(self):
		session = self.server.session(PORTAL, TEST_PASSWORD)
		response = session.get(self.url("my-requests"))
		self.assertEqual(response.status_code, 200, response.text[:2000])
		self.assertIn(self.returned, response.text)
		self.assertInert(response.text)
		self.assertEscaped(response.text, PAYLOAD)

	def test_my_requests_keeps_its_own_link_a_link(self):
		"""Escaping what users typed does not escape the page's own markup."""
		session = self.server.session(APPLICANT, TEST_PASSWORD)
		response = session.get(self.url("my-requests"))
		self.assertEqual(response.status_code, 200, response.text[:2000])
		link = BeautifulSoup(response.text, "html.parser").select_one(".my-requests .alert a")
		self.assertEqual(link["href"], "/beneficiary-registration")

	# --- signatures ----------------------------------------------------------------------------------
	def assertRefused(self, response, stored: tuple[str, str, str] | None = None, before=None):
		"""A clear, translated refusal (417 with the verifiers' error and its message), nothing stored."""
		self.assertEqual(response.status_code, 417, response.text[:2000])
		self.assertEqual(response.json().get("exc_type"), InvalidBeneficiaryData.__name__)
		messages = [json.loads(m)["message"] for m in json.loads(response.json()["_server_messages"])]
		self.assertTrue(messages and all(messages), messages)
		frappe.db.rollback()  # a fresh snapshot
		if stored:
			self.assertEqual(frappe.db.get_value(*stored), before)

	def test_beneficiary_signature_other_than_an_image_is_refused(self):
		session = self.server.session(OFFICER, TEST_PASSWORD)
		before = frappe.db.get_value("Beneficiary", self.beneficiary, "declaration_signature")
		for value in NOT_IMAGES:
			with self.subTest(value=value):
				response = session.put(
					self.url("api/resource/Beneficiary", self.beneficiary),
					json={"declaration_signature": value},
				)
				self.assertRefused(
					response, ("Beneficiary", self.beneficiary, "declaration_signature"), before
				)

	def test_document_attachment_is_an_uploaded_file_or_a_web_address(self):
		"""The desk links a document row's attachment: a `javascript:` address would run in the browser
		of the officer or manager who opens it."""
		from charity_beneficiary.utils.input_guard import InvalidInputError

		document_type = make_document_type("وثيقة (اختبار الروابط)")
		frappe.db.commit()
		self.addCleanup(frappe.db.commit)
		self.addCleanup(frappe.delete_doc, "Beneficiary Document Type", document_type, force=True)
		self.addCleanup(frappe.db.rollback)
		session = self.server.session(OFFICER, TEST_PASSWORD)
		for value in ("javascript:alert(1)", "data:text/html;base64,PHNjcmlwdD4=", f"/files/{ATTR}.png"):
			with self.subTest(value=value):
				response = session.put(
					self.url("api/resource/Beneficiary", self.beneficiary),
					json={"documents": [{"document_type": document_type, "attachment": value}]},
				)
				self.assertEqual(response.status_code, 417, response.text[:2000])
				self.assertEqual(response.json().get("exc_type"), InvalidInputError.__name__)
				frappe.db.rollback()  # a fresh snapshot
				self.assertFalse(frappe.db.exists("Beneficiary Document", {"parent": self.beneficiary}))

	def test_portal_applicant_cannot_sign_with_anything_but_an_image(self):
		"""A new applicant registering on the portal (frappe's web form `accept`) signs with markup."""
		from charity_beneficiary.tests.factories import make_id

		session = self.server.session(APPLICANT, TEST_PASSWORD)
		data = {
			"doctype": "Beneficiary",
			"web_form_name": "beneficiary-registration",
			"beneficiary_name": "سارة أحمد محمد القحطاني",
			"id_type": "National ID",
			"id_number": make_id("1"),
			"gender": "Female",
			"date_of_birth": "1990-01-01",
			"declaration_accepted": 1,
			"declaration_signature": ATTR,
		}
		response = session.post(
			self.url("api/method/frappe.website.doctype.web_form.web_form.accept"),
			data={"web_form": "beneficiary-registration", "data": json.dumps(data)},
		)
		self.assertRefused(response)
		self.assertFalse(frappe.db.exists("Beneficiary", {"user": APPLICANT}))

	def test_receiver_signature_other_than_an_image_is_refused(self):
		session = self.server.session(ACCOUNTANT, TEST_PASSWORD)
		for value in NOT_IMAGES:
			with self.subTest(value=value):
				response = session.put(
					self.url("api/resource/Aid Disbursement", self.disbursement),
					json={"receiver_signature": value},
				)
				self.assertRefused(response, ("Aid Disbursement", self.disbursement, "receiver_signature"))


class TestEscapedInProcess(EscapingAssertions, FrappeTestCase):
	"""The research report and the committee minutes as the manager prints them, and every e-mail
	the app sends, in the class's transaction (rolled back)."""

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		role_user("Charity Manager")  # commits: before the class's own records
		make_aid_service(SERVICE)
		cls.beneficiary = make_active_beneficiary(email_id=MAIL).name
		frappe.db.set_value("Beneficiary", cls.beneficiary, "beneficiary_name", PAYLOAD)
		cls.request = make_request(cls.beneficiary, SERVICE, submit=True)
		use_test_mail_server(cls)

	def tearDown(self):
		frappe.set_user("Administrator")

	def print_as_manager(self, doc, print_format: str) -> str:
		frappe.set_user(MANAGER)
		html = frappe.get_print(doc.doctype, doc.name, print_format=print_format, doc=doc)
		self.assertInert(html)
		return html.split("<body", 1)[1]  # as printed(): frappe's <title> aside

	def mail_html(self, recipient: str, before: int) -> str:
		"""The HTML part of the one mail queued for `recipient` since `before` (the plain-text part
		is text by nature: it shows the payload literally, harmlessly)."""
		mails = queued_mails(recipient)
		self.assertEqual(len(mails), before + 1)
		message = frappe.db.get_value("Email Queue", mails[-1], "message")
		return (
			email.message_from_string(message, policy=email.policy.default).get_body(("html",)).get_content()
		)

	# --- print formats ---------------------------------------------------------------------------
	def test_research_report_prints_the_researchers_notes_as_text(self):
		report = frappe.get_doc(
			{
				"doctype": "Research Report",
				"name": "RSR-XSS-TEST",
				"assistance_request": self.request.name,
				"beneficiary": self.beneficiary,
				"beneficiary_name": PAYLOAD,
				"visit_type": "Home Visit",
				"visit_date": today(),
				"findings": "<p>البيت بحاجة إلى ترميم</p>",
				"health_notes": PAYLOAD,
				"recommendation_notes": PAYLOAD,
				"financials": [{"line_type": "Income", "description": PAYLOAD, "monthly_amount": 100}],
				"photos": [{"photo": ATTR, "caption": PAYLOAD}],
			}
		)
		html = self.print_as_manager(report, "Research Report")
		self.assertEscaped(html, PAYLOAD)
		self.assertEscaped(html, ATTR)
		self.assertIn("<p>البيت بحاجة إلى ترميم</p>", html)  # rich text (sanitised on save) stays rich

	def test_committee_minutes_print_names_and_reasons_as_text(self):
		meeting = frappe.get_doc(
			{
				"doctype": "Research Committee Meeting",
				"name": "RCM-XSS-TEST",
				"meeting_date": today(),
				"quorum": 1,
				"location": PAYLOAD,
				"members": [{"member": MANAGER, "member_name": PAYLOAD, "is_chair": 1, "attended": 1}],
				"agenda": [
					{
						"assistance_request": self.request.name,
						"beneficiary_name": PAYLOAD,
						"decision": "Rejected",
						"reason": PAYLOAD,
						"deciding_members": PAYLOAD,
					}
				],
				"minutes": "<p>انعقدت اللجنة</p>",
			}
		)
		html = self.print_as_manager(meeting, "محضر اللجنة")
		self.assertEscaped(html, PAYLOAD)
		self.assertIn("<p>انعقدت اللجنة</p>", html)

	# --- e-mails -------------------------------------------------------------------------------------
	def test_request_notifications_mail_the_name_and_reason_as_text(self):
		for notification, state in (
			("Assistance Request Received", "Pending Verification"),
			("Assistance Request Returned", "Returned"),
			("Assistance Request Decided", "Rejected"),
		):
			with self.subTest(notification=notification):
				doc = frappe.get_doc("Assistance Request", self.request.name)
				doc.update({"workflow_state": state, "beneficiary_name": PAYLOAD, "decision_reason": PAYLOAD})
				before = len(queued_mails(MAIL))
				frappe.get_doc("Notification", notification).send(doc)
				html = self.mail_html(MAIL, before)
				self.assertInert(html)

	def test_survey_invitation_mails_the_name_as_text(self):
		from charity_beneficiary.service_quality.survey import send_invitation

		before = len(queued_mails(MAIL))
		invitation = frappe._dict(
			name="SI-XSS-TEST",
			beneficiary=self.beneficiary,
			token=frappe.generate_hash(length=32),
			expires_on=add_days(today(), 14),
			assistance_request=self.request.name,
		)
		self.assertTrue(send_invitation(invitation))
		html = self.mail_html(MAIL, before)
		self.assertInert(html)

	def test_feedback_response_mails_the_response_as_text(self):
		from charity_beneficiary.service_quality.feedback import notify_response

		before = len(queued_mails(MAIL))
		feedback = frappe._dict(
			doctype="Beneficiary Feedback",
			name="FB-XSS-TEST",
			beneficiary=self.beneficiary,
			beneficiary_name=PAYLOAD,
			feedback_type="Complaint",
			response=f"{PAYLOAD}\nشكرًا",
		)
		self.assertTrue(notify_response(feedback))
		html = self.mail_html(MAIL, before)
		self.assertInert(html)
		self.assertIn("<br>شكرًا", html)  # line breaks of the response are kept

	def test_escalation_digest_mails_names_as_text(self):
		from charity_beneficiary.assistance.escalation import send_digest

		before = len(queued_mails(MANAGER))
		row = frappe._dict(
			name=self.request.name,
			beneficiary=self.beneficiary,
			beneficiary_name=PAYLOAD,
			aid_service=SERVICE,
			branch=PAYLOAD,
			workflow_state="Pending Committee",
			expected_decision_date=today(),
			days_overdue=1,
			researcher=None,
		)
		self.assertTrue(send_digest([MANAGER], [row], getdate()))
		html = self.mail_html(MANAGER, before)
		self.assertInert(html)
