"""Assistance requests from the beneficiary portal (R2.1, R6.1, R6.3), as the portal user does it:
the web form offers only the services he is eligible for, saves a Draft (frappe's web form `accept`)
and sends it (`submit_portal_request`); he follows his requests on /my-requests; nobody else's are
his to read or send; he is told by e-mail (and SMS where configured) when the request is received,
returned for information and decided.
"""

import email
import email.policy
import json

import frappe
from frappe import _
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today
from frappe.website.doctype.web_form.web_form import accept

from charity_beneficiary.assistance.doctype.assistance_request.assistance_request import return_request
from charity_beneficiary.assistance.eligibility import NotEligibleError
from charity_beneficiary.assistance.portal import (
	RequestAlreadySentError,
	eligible_services,
	has_permission,
	has_website_permission,
	query_conditions,
	submit_portal_request,
)
from charity_beneficiary.tests.factories import (
	TEST_PASSWORD,
	make_active_beneficiary,
	make_aid_service,
	make_beneficiary,
	make_document_type,
	make_request,
)
from charity_beneficiary.tests.mail import NO_ACCOUNT_MESSAGE, no_outgoing_email, shown_messages
from charity_beneficiary.tests.sms import sms_logs, use_test_sms_gateway
from charity_beneficiary.tests.users import portal_email, portal_user

DOCTYPE = "Assistance Request"
WEB_FORM = "assistance-request"
CASH = "إعانة نقدية (اختبار البوابة)"
IN_KIND = "سلة غذائية (اختبار البوابة)"
INACTIVE = "خدمة موقوفة (اختبار البوابة)"
FOR_ORPHANS = "كفالة أيتام (اختبار البوابة)"
HIGH_NEED = "خدمة للأشد حاجة (اختبار البوابة)"
NEEDS_DOCUMENT = "خدمة بوثيقة (اختبار البوابة)"
ONCE_A_YEAR = "خدمة مرة في السنة (اختبار البوابة)"
DOCUMENT_TYPE = "وثيقة اختبار البوابة"
ITEM = "سلة-اختبار-البوابة"


# --- helpers -------------------------------------------------------------------------------------
def make_item(item_code: str) -> str:
	if not frappe.db.exists("Item", item_code):
		frappe.get_doc(
			{
				"doctype": "Item",
				"item_code": item_code,
				"item_name": "سلة غذائية للاختبار",
				"item_group": frappe.db.get_value("Item Group", {"is_group": 0}, order_by="lft asc"),
				"stock_uom": "Nos",
				"is_stock_item": 0,
			}
		).insert(ignore_permissions=True)
	return item_code


def make_services() -> None:
	make_document_type(DOCUMENT_TYPE)
	make_aid_service(CASH, max_amount=3000, decision_days=10)
	make_aid_service(
		IN_KIND,
		delivery_type="In-Kind",
		max_amount=0,
		eligible_categories=[{"category": "أرامل"}],
		default_items=[{"item_code": make_item(ITEM), "qty": 2}],
	)
	make_aid_service(INACTIVE, is_active=0)
	make_aid_service(FOR_ORPHANS, eligible_categories=[{"category": "أيتام"}])
	make_aid_service(HIGH_NEED, min_need_score=50)
	make_aid_service(NEEDS_DOCUMENT, required_document_types=[{"document_type": DOCUMENT_TYPE}])
	make_aid_service(ONCE_A_YEAR, max_times_per_year=1)


def save_from_form(**values) -> frappe._dict:
	"""What the web form's Send button saves first (as the session user): a Draft."""
	return accept(WEB_FORM, json.dumps({"doctype": DOCTYPE, "web_form_name": WEB_FORM, **values}))


def form_context(user: str, name: str | None = None) -> frappe._dict:
	"""The context /assistance-request/new (or /<name>/edit) is rendered with, for `user`."""
	web_form = frappe.get_doc("Web Form", WEB_FORM)
	frappe.set_user(user)
	if name:
		frappe.local.form_dict = frappe._dict(name=name, is_edit=True)
		frappe.local.path = f"{WEB_FORM}/{name}/edit"
	else:
		frappe.local.form_dict = frappe._dict(is_new=True)
		frappe.local.path = f"{WEB_FORM}/new"
	context = frappe._dict(web_form.as_dict())
	web_form.get_context(context)
	return context


def queued_mails(request: str) -> list[frappe._dict]:
	"""The e-mails queued for a request: recipients, decoded subject and HTML body."""
	mails = []
	for row in frappe.get_all(
		"Email Queue",
		filters={"reference_doctype": DOCTYPE, "reference_name": request},
		fields=["name", "message"],
		order_by="creation asc",
	):
		mime = email.message_from_string(row.message, policy=email.policy.default)
		body = mime.get_body(preferencelist=("html",))
		mails.append(
			frappe._dict(
				recipients=frappe.get_all(
					"Email Queue Recipient", filters={"parent": row.name}, pluck="recipient"
				),
				subject=str(mime["Subject"]),
				html=body.get_content() if body else "",
			)
		)
	return mails


class PortalCase(FrappeTestCase):
	"""Services and two portal users with their beneficiaries, in the class's transaction."""

	PORTAL_1, PORTAL_2 = portal_email(1), portal_email(2)
	UNREGISTERED, APPLICANT = portal_email(3), portal_email(4)
	EMAIL_1 = "beneficiary.requests.1@test.localhost"  # not his login: the record's e-mail is used
	MOBILE_1 = "0551234567"

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		for nth in (1, 2, 3, 4):  # committed: before any record of the class
			portal_user(nth)
		make_services()
		cls.beneficiary_1 = make_active_beneficiary(
			user=cls.PORTAL_1,
			email_id=cls.EMAIL_1,
			mobile_no=cls.MOBILE_1,
			categories=[{"category": "أرامل"}],
		).name
		cls.beneficiary_2 = make_active_beneficiary(user=cls.PORTAL_2).name
		# a default outgoing account, as on a configured site (tests queue mail, never send it)
		frappe.get_doc(
			{
				"doctype": "Email Account",
				"email_account_name": "Portal Requests Test Outgoing",
				"email_id": "notifications.requests@test.localhost",
				"enable_outgoing": 1,
				"default_outgoing": 1,
				"smtp_server": "smtp.test.localhost",
			}
		).insert(ignore_permissions=True)
		frappe.local.outgoing_email_account = {}  # frappe's per-request cache of the account found

	@classmethod
	def tearDownClass(cls):
		frappe.local.outgoing_email_account = {}
		super().tearDownClass()

	def setUp(self):
		frappe.db.savepoint("portal_case")  # each test starts from the class's data

	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.local.form_dict = frappe._dict()
		frappe.db.rollback(save_point="portal_case")
		frappe.db.value_cache.pop("SMS Settings", None)  # frappe keeps a single's values past a rollback
		frappe.db.value_cache.pop("SMS Settings", None)

	def send_request(self, user: str | None = None, **values) -> dict:
		frappe.set_user(user or self.PORTAL_1)
		draft = save_from_form(
			**{
				"aid_service": CASH,
				"description": "متأخرات إيجار ثلاثة أشهر",
				"requested_amount": 1500,
				**values,
			}
		)
		return submit_portal_request(draft.name)


# --- the services offered ------------------------------------------------------------------------
class TestEligibleServices(PortalCase):
	def test_only_active_services_he_is_eligible_for(self):
		make_request(self.beneficiary_1, ONCE_A_YEAR, submit=True, requested_amount=500)
		frappe.set_user(self.PORTAL_1)

		services = {s["name"]: s for s in eligible_services()}

		self.assertIn(CASH, services)
		self.assertIn(IN_KIND, services)  # his category
		for refused in (INACTIVE, FOR_ORPHANS, HIGH_NEED, NEEDS_DOCUMENT, ONCE_A_YEAR):
			self.assertNotIn(refused, services)
		self.assertEqual(services[CASH]["delivery_type"], "Cash")
		self.assertEqual(services[CASH]["max_amount"], 3000)
		self.assertEqual([i.item_code for i in services[IN_KIND]["items"]], [ITEM])
		self.assertEqual(services[CASH]["items"], [])

	def test_category_decides_for_another_beneficiary(self):
		frappe.set_user(self.PORTAL_2)
		names = {s["name"] for s in eligible_services()}
		self.assertIn(CASH, names)
		self.assertNotIn(IN_KIND, names)  # not a widow

	def test_nothing_without_an_active_record(self):
		applicant, unregistered = self.APPLICANT, self.UNREGISTERED
		make_beneficiary(user=applicant)  # an Applicant
		for user in (applicant, unregistered, "Administrator"):
			frappe.set_user(user)
			with self.subTest(user=user):
				self.assertEqual(eligible_services(), [])

	def test_guest_cannot_ask(self):
		frappe.set_user("Guest")
		with self.assertRaises(frappe.PermissionError):
			frappe.is_whitelisted(eligible_services)


# --- the web form --------------------------------------------------------------------------------
class TestRequestWebForm(PortalCase):
	def test_web_form_is_standard_and_arabic(self):
		web_form = frappe.get_doc("Web Form", WEB_FORM)
		self.assertEqual(
			(web_form.doc_type, web_form.route, web_form.module), (DOCTYPE, WEB_FORM, "Assistance")
		)
		self.assertEqual(web_form.title, "طلب مساعدة")
		self.assertTrue(web_form.published and web_form.login_required and web_form.allow_multiple)
		self.assertFalse(web_form.allow_delete or web_form.anonymous or web_form.apply_document_permissions)
		fields = {f.fieldname for f in web_form.web_form_fields}
		self.assertEqual(fields, {"aid_service", "description", "requested_amount", "requested_items"})

	def test_offers_only_the_eligible_services(self):
		context = form_context(self.PORTAL_1)
		field = next(f for f in context.web_form_doc.web_form_fields if f.fieldname == "aid_service")
		offered = {option["value"] for option in field.options}
		self.assertEqual(offered, {s["name"] for s in eligible_services()})
		self.assertIn(CASH, offered)
		self.assertNotIn(FOR_ORPHANS, offered)
		self.assertIn(IN_KIND, context.web_form_doc.in_kind_services)
		items = next(f for f in context.web_form_doc.web_form_fields if f.fieldname == "requested_items")
		item_code = next(c for c in items.fields if c["fieldname"] == "item_code")
		self.assertEqual(item_code["fieldtype"], "Autocomplete")  # never a search of Item
		self.assertIn(ITEM, {o["value"] for o in item_code["options"]})
		self.assertFalse(context.web_form_doc.get("block_form"))

	def test_script_keeps_what_he_is_typing_and_speaks_arabic(self):
		"""The form's script carries the shared guard against redrawing a field he is typing in, and
		frappe's refusal of an empty required field comes in Arabic (the browser flow shows both)."""
		self.addCleanup(setattr, frappe.local, "lang", frappe.local.lang)
		frappe.local.lang = "ar"
		context = form_context(self.PORTAL_1)
		self.assertIn("web_form.keeps_typing = true", context.script)
		self.assertNotIn("{%", context.script)
		messages = context.web_form_doc.script_messages
		self.assertEqual(messages["Missing Values Required"], "حقول مطلوبة لم تُملأ")
		self.assertEqual(messages["Following fields have missing values:"], "لم تُملأ الحقول التالية:")

	def test_unregistered_user_is_sent_to_the_registration(self):
		context = form_context(self.UNREGISTERED)
		self.assertTrue(context.web_form_doc.block_form)
		self.assertIn('href="/beneficiary-registration"', context.web_form_doc.portal_notice)
		field = next(f for f in context.web_form_doc.web_form_fields if f.fieldname == "aid_service")
		self.assertEqual(field.options, [])

	def test_applicant_is_told_his_registration_is_not_active(self):
		applicant = self.APPLICANT
		make_beneficiary(user=applicant)
		context = form_context(applicant)
		self.assertTrue(context.web_form_doc.block_form)
		self.assertIn("/beneficiary-registration", context.web_form_doc.portal_notice)

	def test_unsent_draft_opens_to_be_corrected(self):
		frappe.set_user(self.PORTAL_1)
		draft = save_from_form(aid_service=CASH, description="علاج", requested_amount=9000)
		self.assertTrue(frappe.db.get_value(DOCTYPE, draft.name, "beneficiary_name"))
		context = form_context(self.PORTAL_1, draft.name)
		self.assertTrue(context.in_edit_mode)
		self.assertFalse(context.in_view_mode)
		self.assertEqual(
			_("Your request is saved but not sent yet. Please correct it and send it again."),
			context.web_form_doc.portal_notice,
		)
		self.assertEqual(context.reference_doc["requested_amount"], 9000)

	def test_sent_request_is_shown_read_only_with_its_answer_date(self):
		received = self.send_request()
		context = form_context(self.PORTAL_1, received["name"])
		self.assertTrue(context.in_view_mode)
		self.assertFalse(context.in_edit_mode or context.web_form_doc.allow_edit)
		self.assertIn(received["expected_decision_date_hijri"], context.web_form_doc.portal_notice)
		# the page carries only what a beneficiary may see of his request
		self.assertNotIn("researcher", context.reference_doc)
		self.assertNotIn("referral_question", context.reference_doc)
		self.assertEqual(context.reference_doc["name"], received["name"])


# --- sending ---------------------------------------------------------------------------------------
class TestPortalSubmission(PortalCase):
	def test_submits_as_website_request_with_the_answer_date(self):
		frappe.set_user(self.PORTAL_1)
		draft = save_from_form(
			aid_service=CASH,
			description="متأخرات إيجار",
			requested_amount=1200,
			beneficiary=self.beneficiary_2,  # not his: the controller makes it his own
			channel="Phone Call",
		)
		self.assertEqual((draft.docstatus, draft.workflow_state), (0, "Draft"))

		received = submit_portal_request(draft.name)

		doc = frappe.get_doc(DOCTYPE, draft.name)
		self.assertEqual(doc.docstatus, 1)
		self.assertEqual(doc.workflow_state, "Pending Verification")
		self.assertEqual(
			(doc.beneficiary, doc.channel, doc.owner), (self.beneficiary_1, "Website", self.PORTAL_1)
		)
		self.assertEqual(getdate(doc.received_on), getdate(today()))
		self.assertEqual(getdate(doc.expected_decision_date), getdate(add_days(today(), 10)))
		self.assertTrue(doc.expected_decision_date_hijri)
		self.assertEqual(received["name"], doc.name)
		self.assertEqual(received["workflow_state"], "Pending Verification")
		self.assertEqual(received["expected_decision_date"], str(doc.expected_decision_date))
		self.assertEqual(received["expected_decision_date_hijri"], doc.expected_decision_date_hijri)
		self.assertIn(doc.name, received["message"])
		self.assertIn(doc.expected_decision_date_hijri, received["message"])
		self.assertTrue(
			frappe.db.exists(
				"Comment",
				{"reference_doctype": DOCTYPE, "reference_name": doc.name, "comment_type": "Workflow"},
			)
		)

	def test_in_kind_request_gets_the_service_items(self):
		received = self.send_request(aid_service=IN_KIND, requested_amount=0)
		doc = frappe.get_doc(DOCTYPE, received["name"])
		self.assertEqual([(r.item_code, r.qty) for r in doc.requested_items], [(ITEM, 2)])

	def test_refusal_keeps_the_draft_to_correct_and_send_again(self):
		frappe.set_user(self.PORTAL_1)
		draft = save_from_form(aid_service=CASH, description="علاج", requested_amount=9000)
		with self.assertRaises(NotEligibleError) as refused:
			submit_portal_request(draft.name)
		self.assertIn("3000", str(refused.exception))  # the controller's message: the service's limit
		self.assertEqual(frappe.db.get_value(DOCTYPE, draft.name, "docstatus"), 0)

		# the form sends the same draft again with its name
		corrected = save_from_form(
			name=draft.name, aid_service=CASH, description="علاج", requested_amount=2500
		)
		self.assertEqual(corrected.name, draft.name)
		submit_portal_request(draft.name)
		self.assertEqual(frappe.db.get_value(DOCTYPE, draft.name, "workflow_state"), "Pending Verification")

	def test_service_he_is_not_eligible_for_is_refused(self):
		frappe.set_user(self.PORTAL_1)
		draft = save_from_form(aid_service=FOR_ORPHANS, description="كفالة", requested_amount=500)
		with self.assertRaises(NotEligibleError):
			submit_portal_request(draft.name)

	def test_sent_request_cannot_be_sent_again(self):
		received = self.send_request()
		with self.assertRaises(RequestAlreadySentError):
			submit_portal_request(received["name"])

	def test_another_portal_user_cannot_send_it(self):
		frappe.set_user(self.PORTAL_1)
		draft = save_from_form(aid_service=CASH, description="إيجار", requested_amount=800)
		frappe.set_user(self.PORTAL_2)
		with self.assertRaises(frappe.PermissionError):
			submit_portal_request(draft.name)
		with self.assertRaises(frappe.PermissionError):
			submit_portal_request("ASR-does-not-exist")
		self.assertEqual(frappe.db.get_value(DOCTYPE, draft.name, "docstatus"), 0)

	def test_an_officers_draft_is_not_his_to_send(self):
		draft = make_request(self.beneficiary_1, CASH, requested_amount=700)
		frappe.set_user(self.PORTAL_1)
		with self.assertRaises(frappe.PermissionError):
			submit_portal_request(draft.name)

	def test_staff_cannot_use_it_to_bypass_the_workflow(self):
		frappe.set_user(self.PORTAL_1)
		draft = save_from_form(aid_service=CASH, description="إيجار", requested_amount=800)
		frappe.set_user("Administrator")
		with self.assertRaises(frappe.PermissionError):
			submit_portal_request(draft.name)


# --- reading ---------------------------------------------------------------------------------------
class TestPortalReadPermissions(PortalCase):
	def test_functions(self):
		received = self.send_request()
		doc = frappe.get_doc(DOCTYPE, received["name"])

		self.assertIsNone(has_permission(doc, "read", self.PORTAL_1))
		self.assertIsNone(has_permission(doc, "print", self.PORTAL_1))
		for ptype in ("write", "submit", "cancel", "delete", "amend", "share", "email"):
			self.assertFalse(has_permission(doc, ptype, self.PORTAL_1), ptype)
		self.assertFalse(has_permission(doc, "read", self.PORTAL_2))
		self.assertIsNone(has_permission(frappe.new_doc(DOCTYPE), "create", self.PORTAL_2))
		self.assertIsNone(has_permission(doc, "write", "Administrator"))  # staff: the roles decide

		self.assertTrue(has_website_permission(doc, "read", self.PORTAL_1))
		self.assertFalse(has_website_permission(doc, "write", self.PORTAL_1))  # sent
		self.assertFalse(has_website_permission(doc, "read", self.PORTAL_2))
		self.assertFalse(has_website_permission(doc, "read", "Guest"))

		self.assertIsNone(query_conditions("Administrator"))
		self.assertIn(frappe.db.escape(self.PORTAL_1), query_conditions(self.PORTAL_1))

	def test_as_hooked(self):
		mine = self.send_request()["name"]
		theirs = self.send_request(self.PORTAL_2)["name"]
		frappe.set_user(self.PORTAL_1)
		self.assertTrue(frappe.has_permission(DOCTYPE, "read", mine))
		self.assertFalse(frappe.has_permission(DOCTYPE, "read", theirs))
		self.assertFalse(frappe.has_permission(DOCTYPE, "write", mine))
		self.assertEqual(frappe.get_list(DOCTYPE, pluck="name"), [mine])
		self.assertTrue(frappe.has_website_permission(mine, doctype=DOCTYPE))
		self.assertFalse(frappe.has_website_permission(theirs, doctype=DOCTYPE))
		with self.assertRaises(frappe.PermissionError):
			frappe.get_doc(DOCTYPE, theirs).check_permission("read")

	def test_my_requests_page(self):
		from charity_beneficiary.www import my_requests

		mine = self.send_request()["name"]
		frappe.set_user(self.PORTAL_1)
		draft = save_from_form(aid_service=CASH, description="فاتورة كهرباء", requested_amount=300).name
		theirs = self.send_request(self.PORTAL_2)["name"]

		frappe.set_user(self.PORTAL_1)
		context = frappe._dict()
		my_requests.get_context(context)
		rows = {row.name: row for row in context.requests}
		self.assertEqual(set(rows), {mine, draft})
		self.assertNotIn(theirs, rows)
		self.assertEqual(rows[mine].state, "Pending Verification")
		self.assertTrue(rows[mine].waiting)
		self.assertEqual(getdate(rows[mine].expected_decision_date), getdate(add_days(today(), 10)))
		self.assertTrue(rows[mine].expected_decision_date_hijri)
		self.assertEqual(rows[draft].state, "Draft")
		self.assertEqual(rows[draft].route, f"/assistance-request/{draft}/edit")
		self.assertTrue(context.can_apply)

	def test_my_requests_page_sends_guests_to_login(self):
		from charity_beneficiary.www import my_requests

		frappe.set_user("Guest")
		with self.assertRaises(frappe.Redirect):
			my_requests.get_context(frappe._dict())
		self.assertIn("/login?redirect-to=/my-requests", frappe.local.flags.redirect_location)


# --- notifications (R6.3) -----------------------------------------------------------------------
class TestRequestNotifications(PortalCase):
	def test_notifications_are_standard(self):
		for name, channel, event in (
			("Assistance Request Received", "Email", "Submit"),
			("Assistance Request Returned", "Email", "Value Change"),
			("Assistance Request Decided", "Email", "Value Change"),
			("Assistance Request Received SMS", "SMS", "Submit"),
			("Assistance Request Returned SMS", "SMS", "Value Change"),
			("Assistance Request Decided SMS", "SMS", "Value Change"),
		):
			with self.subTest(name=name):
				doc = frappe.get_doc("Notification", name)
				self.assertEqual((doc.channel, doc.event, doc.document_type), (channel, event, DOCTYPE))
				self.assertTrue(doc.is_standard and doc.enabled)
				self.assertEqual(doc.module, "Assistance")
				self.assertTrue(doc.get_template())

	def test_received_email_in_arabic_with_reference_and_answer_date(self):
		errors_before = frappe.db.count("Error Log")
		frappe.local.message_log = []
		received = self.send_request()
		name = received["name"]

		mails = queued_mails(name)
		self.assertEqual(len(mails), 1, mails)
		mail = mails[0]
		self.assertEqual(mail.recipients, [self.EMAIL_1])
		self.assertIn(name, mail.subject)
		self.assertIn("تم استلام طلب المساعدة", mail.subject)
		self.assertIn(name, mail.html)
		self.assertIn("يحال طلبك إلى لجنة البحث", mail.html)
		self.assertIn(received["expected_decision_date_hijri"], mail.html)
		self.assertIn('dir="rtl"', mail.html)
		self.assertTrue(
			frappe.db.exists(
				"Communication",
				{
					"reference_doctype": DOCTYPE,
					"reference_name": name,
					"communication_type": "Automated Message",
				},
			)
		)
		# no SMS Settings here: frappe's SMS channel is not reached, so nothing tells the
		# beneficiary to "update SMS settings" and nothing is logged as failed
		self.assertNotIn(_("Please Update SMS Settings"), shown_messages())
		self.assertEqual(frappe.db.count("Error Log"), errors_before)

	def test_without_an_outgoing_email_account_the_beneficiary_is_not_told_so(self):
		from charity_beneficiary.utils.channels import NO_EMAIL_ACCOUNT

		frappe.local.message_log = []
		before = set(frappe.get_all("Error Log", filters={"method": NO_EMAIL_ACCOUNT}, pluck="name"))
		try:
			with no_outgoing_email():
				name = self.send_request()["name"]
			self.assertEqual(queued_mails(name), [])
			self.assertNotIn(_(NO_ACCOUNT_MESSAGE), shown_messages())
			# the administrator is told, once a day
			self.assertTrue(
				frappe.db.exists("Error Log", {"method": NO_EMAIL_ACCOUNT, "creation": (">=", today())})
			)
		finally:
			# Error Log is a MyISAM table: the rollback does not remove it
			added = (
				set(frappe.get_all("Error Log", filters={"method": NO_EMAIL_ACCOUNT}, pluck="name")) - before
			)
			frappe.db.delete("Error Log", {"name": ("in", list(added) or [""])})

	def test_no_email_without_an_address(self):
		frappe.db.set_value("Beneficiary", self.beneficiary_2, "email_id", None)
		name = self.send_request(self.PORTAL_2)["name"]
		self.assertEqual(queued_mails(name), [])

	def set_sms_gateway(self):
		use_test_sms_gateway()

	def sms_logs(self, text: str) -> list[frappe._dict]:
		return sms_logs(text)

	def test_sms_where_sms_settings_are_configured(self):
		self.set_sms_gateway()
		name = self.send_request()["name"]
		[sms] = self.sms_logs(name)
		# the beneficiary's number as his record keeps it (normalised to +966 on save)
		mobile = frappe.db.get_value("Beneficiary", self.beneficiary_1, "mobile_no")
		self.assertEqual(sms.requested_numbers, mobile)
		self.assertTrue(mobile.endswith("551234567"))
		self.assertIn("لجنة البحث", sms.message)

	def test_no_sms_without_a_mobile_number(self):
		self.set_sms_gateway()
		frappe.db.set_value("Beneficiary", self.beneficiary_2, "mobile_no", None)
		name = self.send_request(self.PORTAL_2)["name"]
		self.assertEqual(self.sms_logs(name), [])
		self.assertTrue(self.sms_logs(self.send_request()["name"]))  # the gateway works: he has a mobile

	def test_returned_for_information(self):
		name = self.send_request()["name"]
		frappe.set_user("Administrator")
		return_request(name, "صورة عقد الإيجار ساري المفعول")

		mail = queued_mails(name)[-1]
		self.assertEqual(mail.recipients, [self.EMAIL_1])
		self.assertIn("استكمال معلومات", mail.subject)
		self.assertIn("صورة عقد الإيجار ساري المفعول", mail.html)

	def test_decisions(self):
		from frappe.email.doctype.notification.notification import evaluate_alert

		name = self.send_request()["name"]
		frappe.set_user("Administrator")
		for state, amount, reason, expected in (
			("Approved", 1500, None, "وافقت على طلب المساعدة"),
			("Partly Approved", 800, "يصرف نصف المبلغ", "وافقت جزئيًا"),
			("Rejected", 0, "الدخل يتجاوز حد الاستحقاق", "الدخل يتجاوز حد الاستحقاق"),
		):
			with self.subTest(state=state):
				# the committee's decision as its meeting applies it (only the values the mail reads)
				doc = frappe.get_doc(DOCTYPE, name)
				before = frappe.get_doc(DOCTYPE, name)
				before.workflow_state = "Pending Committee"
				doc._doc_before_save = before
				doc.update({"workflow_state": state, "approved_amount": amount, "decision_reason": reason})
				evaluate_alert(doc, "Assistance Request Decided", "Value Change")

				mail = queued_mails(name)[-1]
				self.assertEqual(mail.recipients, [self.EMAIL_1])
				self.assertIn("قرار لجنة البحث", mail.subject)
				self.assertIn(expected, mail.html)
				if amount:
					self.assertIn("1,500" if amount == 1500 else "800", mail.html)

	def test_decision_notifications_only_on_decisions(self):
		from frappe.email.doctype.notification.notification import evaluate_alert

		name = self.send_request()["name"]
		frappe.set_user("Administrator")
		doc = frappe.get_doc(DOCTYPE, name)
		before = frappe.get_doc(DOCTYPE, name)
		doc._doc_before_save = before
		doc.workflow_state = "Under Research"
		count = len(queued_mails(name))
		evaluate_alert(doc, "Assistance Request Decided", "Value Change")
		evaluate_alert(doc, "Assistance Request Returned", "Value Change")
		self.assertEqual(len(queued_mails(name)), count)


# --- over HTTP, as the portal users ----------------------------------------------------------------
class TestPortalRequestsOverHTTP(FrappeTestCase):
	"""Through frappe's full stack: the server is another process, so the data is committed and
	removed afterwards."""

	PORTAL_1, PORTAL_2 = portal_email(1), portal_email(2)

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from charity_beneficiary.tests.live_server import live_server

		cls.addClassCleanup(remove_http_test_data, [cls.PORTAL_1, cls.PORTAL_2])
		portal_user(1)
		portal_user(2)
		make_services()
		# no e-mail or mobile: nothing is queued to clean up
		cls.beneficiary_1 = make_active_beneficiary(user=cls.PORTAL_1).name
		cls.beneficiary_2 = make_active_beneficiary(user=cls.PORTAL_2).name
		frappe.db.commit()  # the HTTP server is another process
		cls.server = live_server()

	def url(self, *parts: str) -> str:
		return "/".join((self.server.url, *parts))

	def send(self, session, **values) -> dict:
		"""The web form's two calls: save the Draft, then send it."""
		data = {
			"doctype": DOCTYPE,
			"web_form_name": WEB_FORM,
			"aid_service": CASH,
			"description": "إيجار",
			**values,
		}
		saved = session.post(
			self.url("api/method/frappe.website.doctype.web_form.web_form.accept"),
			data={"web_form": WEB_FORM, "data": json.dumps(data)},
		)
		self.assertEqual(saved.status_code, 200, saved.text)
		name = saved.json()["message"]["name"]
		sent = session.post(
			self.url("api/method/charity_beneficiary.assistance.portal.submit_portal_request"),
			data={"name": name},
		)
		return name, sent

	def test_portal_flow_and_pages(self):
		session_1 = self.server.session(self.PORTAL_1, TEST_PASSWORD)
		session_2 = self.server.session(self.PORTAL_2, TEST_PASSWORD)

		name, sent = self.send(session_1, requested_amount=1000)
		self.assertEqual(sent.status_code, 200, sent.text)
		self.assertEqual(sent.json()["message"]["workflow_state"], "Pending Verification")
		frappe.db.rollback()  # see what the server committed
		self.assertEqual(
			frappe.db.get_value(DOCTYPE, name, ["docstatus", "channel", "beneficiary"]),
			(1, "Website", self.beneficiary_1),
		)

		refused_name, refused = self.send(session_1, requested_amount=99999)
		self.assertEqual(refused.status_code, 417, refused.text)  # the controller's eligibility message
		self.assertIn("3000", refused.text)
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value(DOCTYPE, refused_name, "docstatus"), 0)

		# another portal user cannot send his draft
		other = session_2.post(
			self.url("api/method/charity_beneficiary.assistance.portal.submit_portal_request"),
			data={"name": refused_name},
		)
		self.assertEqual(other.status_code, 403, other.text)

		# pages, each in a fresh session (a page view starts CSRF checks on later POSTs)
		page = self.server.session(self.PORTAL_1, TEST_PASSWORD).get(self.url("my-requests"))
		self.assertEqual(page.status_code, 200, page.text[:500])
		self.assertIn(name, page.text)
		self.assertIn('data-label="', page.text)  # each cell names itself when a phone stacks the rows
		self.assertIn(refused_name, page.text)
		page_2 = self.server.session(self.PORTAL_2, TEST_PASSWORD).get(self.url("my-requests"))
		self.assertEqual(page_2.status_code, 200)
		self.assertNotIn(name, page_2.text)

		form = self.server.session(self.PORTAL_1, TEST_PASSWORD).get(self.url(WEB_FORM, "new"))
		self.assertEqual(form.status_code, 200, form.text[:500])
		self.assertIn('"doc_type": "Assistance Request"', form.text)
		# the page's JSON escapes Arabic
		self.assertIn(json.dumps(CASH)[1:-1], form.text)
		self.assertNotIn(json.dumps(FOR_ORPHANS)[1:-1], form.text)
		self.assertIn("direction: rtl", form.text)

		guest = self.server.session().get(self.url("my-requests"), allow_redirects=False)
		self.assertIn(guest.status_code, (301, 302, 303, 307))
		# a guest is sent to the Arabic sign-up page (which links to the login), then back here
		self.assertIn("/sign-up?redirect-to=%2Fmy-requests", guest.headers.get("Location", ""))

	def test_other_portal_users_cannot_read_over_rest(self):
		session_1 = self.server.session(self.PORTAL_1, TEST_PASSWORD)
		session_2 = self.server.session(self.PORTAL_2, TEST_PASSWORD)
		name, sent = self.send(session_1, requested_amount=700)
		self.assertEqual(sent.status_code, 200, sent.text)

		self.assertEqual(session_1.get(self.url("api/resource", DOCTYPE, name)).status_code, 200)
		self.assertIn(session_2.get(self.url("api/resource", DOCTYPE, name)).status_code, (403, 404))
		listed = session_2.get(self.url("api/resource", DOCTYPE), params={"limit_page_length": 0}).json()[
			"data"
		]
		self.assertNotIn(name, {row["name"] for row in listed})
		listed = session_1.get(self.url("api/resource", DOCTYPE), params={"limit_page_length": 0}).json()[
			"data"
		]
		self.assertIn(name, {row["name"] for row in listed})
		for method, params in (
			("frappe.client.get", {"doctype": DOCTYPE, "name": name}),
			("frappe.client.get_value", {"doctype": DOCTYPE, "filters": name, "fieldname": "description"}),
			("frappe.desk.reportview.get_count", {"doctype": DOCTYPE, "filters": json.dumps({"name": name})}),
		):
			with self.subTest(method=method):
				response = session_2.get(self.url("api/method", method), params=params)
				if response.status_code == 200:
					self.assertFalse(response.json().get("message"), response.text)
		# nor change his own through the API
		changed = session_1.put(self.url("api/resource", DOCTYPE, name), json={"description": "تعديل"})
		self.assertIn(changed.status_code, (403, 417), changed.text)
		web_page = self.server.session(self.PORTAL_2, TEST_PASSWORD).get(self.url(WEB_FORM, name))
		self.assertNotIn('"description": "إيجار"', web_page.text)

	def test_a_request_for_another_record_is_refused_not_made_his(self):
		"""Over REST (not the web form, which drops the field): naming another beneficiary is refused,
		as file_request refuses it, and nothing is written."""
		session = self.server.session(self.PORTAL_1, TEST_PASSWORD)
		frappe.db.rollback()
		before = frappe.db.count(DOCTYPE, {"beneficiary": ("in", [self.beneficiary_1, self.beneficiary_2])})
		response = session.post(
			self.url("api/resource", DOCTYPE),
			json={"aid_service": CASH, "description": "إيجار", "beneficiary": self.beneficiary_2},
		)
		self.assertEqual(response.status_code, 403, response.text[:300])
		frappe.db.rollback()
		after = frappe.db.count(DOCTYPE, {"beneficiary": ("in", [self.beneficiary_1, self.beneficiary_2])})
		self.assertEqual(after, before)


def remove_http_test_data(users: list[str]) -> None:
	"""Everything the HTTP tests committed: the users' requests and beneficiaries (the users are the
	shared ones of tests/users.py), and the services when nothing else uses them."""
	frappe.db.rollback()
	frappe.set_user("Administrator")
	beneficiaries = frappe.get_all("Beneficiary", filters={"user": ("in", users)}, pluck="name")
	delete_requests(
		frappe.get_all(DOCTYPE, filters={"beneficiary": ("in", beneficiaries or [""])}, pluck="name")
	)
	for name in beneficiaries:
		frappe.delete_doc("Beneficiary", name, force=True, ignore_permissions=True)
	frappe.db.delete("Deleted Document", {"deleted_name": ("in", beneficiaries or [""])})
	make_services_removed()
	frappe.db.commit()


def delete_requests(names: list[str]) -> None:
	"""Committed requests and every trace of them (submitted ones cannot be deleted as documents)."""
	if not names:
		return
	for table in ("Assistance Request Item",):
		frappe.db.delete(table, {"parenttype": DOCTYPE, "parent": ("in", names)})
	frappe.db.delete(DOCTYPE, {"name": ("in", names)})
	frappe.db.delete("Comment", {"reference_doctype": DOCTYPE, "reference_name": ("in", names)})
	frappe.db.delete("Version", {"ref_doctype": DOCTYPE, "docname": ("in", names)})
	communications = frappe.get_all(
		"Communication", filters={"reference_doctype": DOCTYPE, "reference_name": ("in", names)}, pluck="name"
	)
	if communications:
		frappe.db.delete("Communication Link", {"parent": ("in", communications)})
		frappe.db.delete("Communication", {"name": ("in", communications)})
	queued = frappe.get_all(
		"Email Queue", filters={"reference_doctype": DOCTYPE, "reference_name": ("in", names)}, pluck="name"
	)
	if queued:
		frappe.db.delete("Email Queue Recipient", {"parent": ("in", queued)})
		frappe.db.delete("Email Queue", {"name": ("in", queued)})
	frappe.db.delete("Document Follow", {"ref_doctype": DOCTYPE, "ref_docname": ("in", names)})


def make_services_removed() -> None:
	"""The services (and their item and document type) this module creates, when nothing else uses them."""
	for service in (CASH, IN_KIND, INACTIVE, FOR_ORPHANS, HIGH_NEED, NEEDS_DOCUMENT, ONCE_A_YEAR):
		if frappe.db.exists("Aid Service", service) and not frappe.db.exists(
			DOCTYPE, {"aid_service": service}
		):
			frappe.delete_doc("Aid Service", service, force=True, ignore_permissions=True)
	if frappe.db.exists("Item", ITEM) and not frappe.db.exists("Aid Service Item", {"item_code": ITEM}):
		frappe.delete_doc("Item", ITEM, force=True, ignore_permissions=True)
	if frappe.db.exists("Beneficiary Document Type", DOCUMENT_TYPE):
		frappe.delete_doc("Beneficiary Document Type", DOCUMENT_TYPE, force=True, ignore_permissions=True)
	frappe.db.delete(
		"Deleted Document",
		{
			"deleted_name": (
				"in",
				[
					CASH,
					IN_KIND,
					INACTIVE,
					FOR_ORPHANS,
					HIGH_NEED,
					NEEDS_DOCUMENT,
					ONCE_A_YEAR,
					ITEM,
					DOCUMENT_TYPE,
				],
			)
		},
	)
