"""A beneficiary files a request from the portal in one call (assistance/portal_intake.py; R2.1, R3.2,
R6.1, R6.3, R8.2, R8.3; issue 14): inserted already submitted through the controller's rules, his own
beneficiary only, the notices of receipt queued for after the commit on the channels set up, bad
input refused with a translated error and nothing half-written.
"""

import json

import frappe
from frappe import _
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, getdate, today

from charity_beneficiary.assistance import portal_intake
from charity_beneficiary.assistance.eligibility import NotEligibleError
from charity_beneficiary.assistance.portal_intake import (
	file_request,
	notifications_to_send,
	send_received_notices,
)
from charity_beneficiary.assistance.tests.test_portal_requests import (
	CASH,
	DOCTYPE,
	FOR_ORPHANS,
	IN_KIND,
	ITEM,
	PortalCase,
	make_services,
	queued_mails,
	remove_http_test_data,
)
from charity_beneficiary.service_quality.tests.test_service_quality import queued_after_commit
from charity_beneficiary.tests.factories import TEST_PASSWORD, make_active_beneficiary
from charity_beneficiary.tests.users import portal_email, portal_user, role_user

METHOD = "api/method/charity_beneficiary.assistance.portal_intake.file_request"
ROWS_REFUSED = "Row {0}: please choose the item and a quantity greater than zero"


def queued_method(call):
	"""The job a frappe.enqueue(..., enqueue_after_commit=True) holds until the commit (a closure over
	its queue arguments, as queued_after_commit reads it)."""
	cells = dict(zip(call.__code__.co_freevars, call.__closure__ or (), strict=False))
	return cells["queue_args"].cell_contents.get("method") if "queue_args" in cells else None


def requests_of(beneficiary: str) -> int:
	return frappe.db.count(DOCTYPE, {"beneficiary": beneficiary})


class TestFileRequest(PortalCase):
	@classmethod
	def setUpClass(cls):
		cls.OFFICER = role_user("Beneficiary Relations Officer")  # committed: before the class's records
		super().setUpClass()

	def tearDown(self):
		super().tearDown()
		# the rollback leaves frappe's after-commit jobs behind: each test sees only its own
		for call in list(frappe.db.after_commit._functions):
			if queued_method(call) is send_received_notices:
				frappe.db.after_commit._functions.remove(call)

	def file(self, user: str | None = None, **values) -> dict:
		frappe.set_user(user or self.PORTAL_1)
		return file_request(
			**{"aid_service": CASH, "description": "متأخرات إيجار", "requested_amount": 1200, **values}
		)

	def test_one_call_files_it_submitted_with_the_answer_date(self):
		received = self.file()

		doc = frappe.get_doc(DOCTYPE, received["name"])
		self.assertEqual((doc.docstatus, doc.workflow_state), (1, "Pending Verification"))
		self.assertEqual(
			(doc.beneficiary, doc.channel, doc.owner), (self.beneficiary_1, "Website", self.PORTAL_1)
		)
		self.assertEqual(getdate(doc.received_on), getdate(today()))
		self.assertEqual(getdate(doc.expected_decision_date), getdate(add_days(today(), 10)))
		self.assertTrue(doc.beneficiary_name)  # fetched from his record
		self.assertEqual(received["workflow_state"], "Pending Verification")
		self.assertIn(doc.expected_decision_date_hijri, received["message"])
		# no Comment repeating what the version history says
		self.assertFalse(
			frappe.db.exists(
				"Comment",
				{"reference_doctype": DOCTYPE, "reference_name": doc.name, "comment_type": "Workflow"},
			)
		)

	def test_the_notice_of_receipt_is_queued_after_the_commit(self):
		received = self.file()
		# nothing was sent inside the request's transaction
		self.assertEqual(queued_mails(received["name"]), [])
		call, job = queued_after_commit(send_received_notices)
		self.assertEqual(job, {"request": received["name"]})
		frappe.db.after_commit._functions.remove(call)  # tests never commit: run it as a worker would

		frappe.set_user("Administrator")
		send_received_notices(**job)

		[mail] = queued_mails(received["name"])
		self.assertEqual(mail.recipients, [self.EMAIL_1])  # his record's address, not his login
		self.assertIn(received["name"], mail.html)

	def test_only_channels_that_are_set_up(self):
		doc = frappe.get_doc(DOCTYPE, self.file()["name"])
		frappe.set_user("Administrator")
		# no SMS gateway on the test site: the SMS notice is not even evaluated
		self.assertEqual(
			[alert.name for alert in notifications_to_send(doc, "Submit")], ["Assistance Request Received"]
		)
		frappe.db.set_value("Beneficiary", self.beneficiary_1, "email_id", None)
		doc.contact_email = None
		self.assertEqual(notifications_to_send(doc, "Submit"), [])

	def test_without_an_outgoing_email_account_the_manager_is_told(self):
		from charity_beneficiary.tests.mail import no_outgoing_email
		from charity_beneficiary.utils.channels import NO_EMAIL_ACCOUNT

		before = set(frappe.get_all("Error Log", filters={"method": NO_EMAIL_ACCOUNT}, pluck="name"))
		try:
			with no_outgoing_email():
				doc = frappe.get_doc(DOCTYPE, self.file()["name"])
				frappe.set_user("Administrator")
				self.assertEqual(notifications_to_send(doc, "Submit"), [])
			self.assertTrue(
				frappe.db.exists("Error Log", {"method": NO_EMAIL_ACCOUNT, "creation": (">=", today())})
			)
		finally:  # Error Log is a MyISAM table: the rollback does not remove it
			added = (
				set(frappe.get_all("Error Log", filters={"method": NO_EMAIL_ACCOUNT}, pluck="name")) - before
			)
			frappe.db.delete("Error Log", {"name": ("in", list(added) or [""])})

	def test_in_kind_items(self):
		default = frappe.get_doc(DOCTYPE, self.file(aid_service=IN_KIND, requested_amount=0)["name"])
		self.assertEqual([(r.item_code, r.qty) for r in default.requested_items], [(ITEM, 2)])
		chosen = self.file(
			aid_service=IN_KIND,
			requested_amount=0,
			requested_items=json.dumps([{"item_code": ITEM, "qty": 1, "rate": 99}, {}]),
		)
		doc = frappe.get_doc(DOCTYPE, chosen["name"])
		self.assertEqual([(r.item_code, r.qty) for r in doc.requested_items], [(ITEM, 1)])

	def test_refusals_write_nothing(self):
		frappe.set_user("Administrator")
		count = requests_of(self.beneficiary_1), requests_of(self.beneficiary_2)
		with self.assertRaises(frappe.PermissionError):
			self.file(beneficiary=self.beneficiary_2)  # another beneficiary's
		with self.assertRaises(NotEligibleError) as over_limit:
			self.file(requested_amount=9000)
		self.assertIn("3000", str(over_limit.exception))  # the controller's message: the service's limit
		with self.assertRaises(NotEligibleError):
			self.file(aid_service=FOR_ORPHANS)
		with self.assertRaises(frappe.MandatoryError):
			self.file(description="")
		for rows in (
			"not json",
			json.dumps({"item_code": ITEM}),
			json.dumps([{"item_code": ITEM, "qty": -1}]),
		):
			with self.subTest(rows=rows), self.assertRaises(frappe.ValidationError) as refused:
				self.file(aid_service=IN_KIND, requested_amount=0, requested_items=rows)
			self.assertNotIsInstance(refused.exception, frappe.PermissionError)
		frappe.set_user("Administrator")
		self.assertEqual((requests_of(self.beneficiary_1), requests_of(self.beneficiary_2)), count)

	def test_bad_rows_are_named_in_arabic(self):
		frappe.set_user(self.PORTAL_1)
		frappe.local.lang = "ar"
		try:
			with self.assertRaises(frappe.ValidationError) as refused:
				portal_intake.item_rows([{"item_code": ITEM, "qty": "two"}])
		finally:
			frappe.local.lang = "en"
		self.assertEqual(str(refused.exception), "السطر 1: يرجى اختيار الصنف وكمية أكبر من صفر")

	def test_only_a_portal_user_with_a_record(self):
		for user in (self.OFFICER, "Administrator", self.UNREGISTERED):
			with self.subTest(user=user), self.assertRaises(frappe.PermissionError):
				self.file(user)

	def test_season_sized_rate_limit(self):
		self.assertEqual(portal_intake.requests_per_hour(), portal_intake.REQUESTS_PER_HOUR)
		frappe.local.conf["charity_portal_requests_per_hour"] = 50000
		try:
			self.assertEqual(portal_intake.requests_per_hour(), 50000)
		finally:
			frappe.local.conf.pop("charity_portal_requests_per_hour")


# --- over HTTP, as the portal users ----------------------------------------------------------------
class TestFileRequestOverHTTP(FrappeTestCase):
	"""Through frappe's full stack (the server is another process: the data is committed and removed)."""

	PORTAL_1, PORTAL_2 = portal_email(1), portal_email(2)

	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from charity_beneficiary.tests.live_server import live_server

		cls.addClassCleanup(remove_http_test_data, [cls.PORTAL_1, cls.PORTAL_2])
		portal_user(1)
		portal_user(2)
		make_services()
		# no e-mail or mobile: the queued job has nothing to send
		cls.beneficiary_1 = make_active_beneficiary(
			user=cls.PORTAL_1,
			categories=[{"category": "أرامل"}],  # the goods service's category
		).name
		cls.beneficiary_2 = make_active_beneficiary(user=cls.PORTAL_2).name
		frappe.db.commit()
		cls.server = live_server()
		cls.session_1 = cls.server.session(cls.PORTAL_1, TEST_PASSWORD)

	def post(self, **values):
		data = {"aid_service": CASH, "description": "إيجار", "requested_amount": 800, **values}
		return self.session_1.post(f"{self.server.url}/{METHOD}", data=data)

	def test_one_call_files_his_request_submitted(self):
		before = requests_of(self.beneficiary_1)
		filed = self.post()
		self.assertEqual(filed.status_code, 200, filed.text)
		received = filed.json()["message"]
		self.assertEqual(received["workflow_state"], "Pending Verification")
		frappe.db.rollback()  # see what the server committed
		self.assertEqual(requests_of(self.beneficiary_1), before + 1)
		self.assertEqual(
			frappe.db.get_value(DOCTYPE, received["name"], ["docstatus", "channel", "beneficiary", "owner"]),
			(1, "Website", self.beneficiary_1, self.PORTAL_1),
		)

	def test_what_he_typed_is_cleaned_as_on_every_other_path(self):
		"""The request is saved submitted, which frappe's XSS filter skips: the intake cleans it first
		(staff read the description in the desk and in print)."""
		typed = "إيجار <img src=x onerror=alert(1)>\"'><script>alert(2)</script>"
		filed = self.post(description=typed)
		self.assertEqual(filed.status_code, 200, filed.text)
		frappe.db.rollback()
		stored = frappe.db.get_value(DOCTYPE, filed.json()["message"]["name"], "description")
		self.assertTrue(stored.startswith("إيجار"), stored)
		self.assertNotIn("onerror", stored)
		self.assertNotIn("<script", stored)

	def test_refused_over_http_with_nothing_written(self):
		counts = requests_of(self.beneficiary_1), requests_of(self.beneficiary_2)
		for label, response, status in (
			("another beneficiary", self.post(beneficiary=self.beneficiary_2), 403),
			("over the service's limit", self.post(requested_amount=99999), 417),
			("not a number", self.post(requested_amount="abc"), 417),
			("no description", self.post(description=""), 417),
			# the form's own check of the amount is the browser's; the server refuses it as well
			("no amount for a cash service", self.post(requested_amount=0), 417),
			("bad rows", self.post(requested_items=json.dumps([{"item_code": ITEM, "qty": 0}])), 417),
			(
				"an item that does not exist",
				self.post(
					aid_service=IN_KIND, requested_items=json.dumps([{"item_code": "NO-SUCH", "qty": 1}])
				),
				417,
			),
			("a GET", self.session_1.get(f"{self.server.url}/{METHOD}", params={"aid_service": CASH}), 403),
		):
			with self.subTest(label):
				self.assertEqual(response.status_code, status, response.text[:500])
		guest = self.server.session().post(f"{self.server.url}/{METHOD}", data={"aid_service": CASH})
		self.assertEqual(guest.status_code, 403, guest.text[:500])
		frappe.db.rollback()
		self.assertEqual((requests_of(self.beneficiary_1), requests_of(self.beneficiary_2)), counts)

	def test_an_amount_typed_on_an_arabic_keyboard_is_a_number(self):
		filed = self.post(requested_amount="٥٠٠")
		self.assertEqual(filed.status_code, 200, filed.text[:500])
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value(DOCTYPE, filed.json()["message"]["name"], "requested_amount"), 500
		)
		# a value that is no number is refused without naming the method's argument
		refused = self.post(requested_amount="خمسمائة")
		self.assertEqual(refused.status_code, 417, refused.text[:500])
		self.assertNotIn("requested_amount", refused.json().get("_server_messages", ""))

	def test_goods_are_requested_without_money(self):
		"""An amount sent with a request for goods would become the approval's in full: it is not kept."""
		filed = self.post(aid_service=IN_KIND, requested_amount=99999)
		self.assertEqual(filed.status_code, 200, filed.text[:500])
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value(DOCTYPE, filed.json()["message"]["name"], "requested_amount"), 0)

	def test_rows_refusal_is_translated_for_an_arabic_user(self):
		language = frappe.db.get_value("User", self.PORTAL_1, "language")
		self.set_language(self.PORTAL_1, "ar")
		self.addCleanup(self.set_language, self.PORTAL_1, language)
		session = self.server.session(self.PORTAL_1, TEST_PASSWORD)
		refused = session.post(
			f"{self.server.url}/{METHOD}",
			data={
				"aid_service": IN_KIND,
				"description": "سلة",
				"requested_items": json.dumps([{"item_code": ITEM, "qty": 0}]),
			},
		)
		self.assertEqual(refused.status_code, 417, refused.text[:500])
		messages = [json.loads(m)["message"] for m in json.loads(refused.json()["_server_messages"])]
		self.assertIn(_(ROWS_REFUSED, lang="ar").format(1), messages)

	@staticmethod
	def set_language(user: str, language: str | None) -> None:
		frappe.db.set_value("User", user, "language", language)
		frappe.db.commit()
		frappe.clear_cache(user=user)  # the server reads the user's language from the cache
