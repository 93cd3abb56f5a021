"""R2.4 through HTTP, as the officer: he logs a service-request call by hand in ERPNext's Call Log
(which expects a telephony integration to name it), with its recording, duration, staff member and
request; a recording link is a plain web address, never markup that ERPNext's timeline would run in
the manager's browser (assistance/calls.py).

The class commits (the HTTP server is another process) and removes what it made at the end.
"""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.assistance.calls import MANUAL_CALL_FIELDS
from charity_beneficiary.disbursement.doctype.aid_disbursement.test_aid_disbursement import purge
from charity_beneficiary.tests.committed import purge_beneficiary
from charity_beneficiary.tests.factories import (
	TEST_PASSWORD,
	make_active_beneficiary,
	make_aid_service,
	make_request,
)
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import role_email, role_user

CALL_LOG = "Call Log"
OFFICER = role_email("Beneficiary Relations Officer")
RECORDING = "https://pbx.example.org/recordings/2026/call-17.mp3?token=a1b2"
NOT_RECORDINGS = (
	"x\" onerror=\"document.title='XSS-'+document.cookie.length",
	'https://pbx.example.org/r.mp3" onerror="alert(1)',
	"https://pbx.example.org/r.mp3'><script>alert(1)</script>",
	"https://pbx.example.org/<img src=x>",
	"https://pbx.example.org/a b.mp3",
	"https://pbx.example.org/a\tb.mp3",
	"https://pbx.example.org/a\u202eb.mp3",
	"javascript:alert(1)",
	"JavaScript://pbx.example.org/%0aalert(1)",
	"data:audio/mp3;base64,AAAA",
	"ftp://pbx.example.org/r.mp3",
	"//pbx.example.org/r.mp3",
	"/files/r.mp3",
	"https://",
	"https://user:secret@pbx.example.org/r.mp3",
	"https://pbx.example.org:port/r.mp3",
)


class TestCallLogByHandOverHTTP(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		role_user("Beneficiary Relations Officer")
		cls.records = {"calls": []}
		cls.addClassCleanup(cls.remove_committed)
		service = make_aid_service().name
		cls.beneficiary = cls.records["beneficiary"] = make_active_beneficiary().name
		frappe.set_user(OFFICER)
		cls.request = make_request(cls.beneficiary, service, channel="Phone Call").name
		frappe.set_user("Administrator")
		frappe.db.commit()
		cls.server = live_server()

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		purge(CALL_LOG, cls.records["calls"])
		purge_beneficiary(cls.records.get("beneficiary"))  # with his request
		frappe.db.commit()

	def setUp(self):
		self.session = self.server.session(OFFICER, TEST_PASSWORD)

	def url(self, *parts: str) -> str:
		return "/".join((self.server.url, *parts))

	def post_call(self, **fields):
		response = self.session.post(
			self.url("api/resource", CALL_LOG),
			data=json.dumps(
				{
					"type": "Outgoing",
					"status": "Completed",
					"from": "+966138000000",
					"to": "+966501234567",
					"duration": 185,
					"links": [{"link_doctype": "Assistance Request", "link_name": self.request}],
					**fields,
				}
			),
		)
		if response.status_code == 200:
			self.records["calls"].append(response.json()["data"]["name"])
		return response

	def test_he_logs_a_call_by_hand(self):
		response = self.post_call(recording_url=RECORDING, summary="اتصل للاستفسار عن موعد القرار")
		self.assertEqual(response.status_code, 200, response.text[:500])
		data = response.json()["data"]
		self.assertTrue(data["id"])
		self.assertEqual(data["name"], data["id"])  # ERPNext names it from its id
		frappe.db.rollback()  # a fresh snapshot of what the server committed
		stored = frappe.db.get_value(
			CALL_LOG,
			data["name"],
			["type", "status", "from", "to", "duration", "recording_url", "employee_user_id"],
			as_dict=True,
		)
		self.assertEqual(
			(stored.type, stored.status, stored["from"], stored.to, stored.duration, stored.recording_url),
			("Outgoing", "Completed", "+966138000000", "+966501234567", 185, RECORDING),
		)
		self.assertEqual(stored.employee_user_id, OFFICER)  # the staff member who logged it
		linked = set(
			frappe.get_all(
				"Dynamic Link",
				{"parenttype": CALL_LOG, "parent": data["name"]},
				["link_doctype", "link_name"],
				as_list=True,
			)
		)
		self.assertLessEqual(
			{("Assistance Request", self.request), ("Beneficiary", self.beneficiary)}, linked
		)

	def test_each_call_by_hand_has_its_own_id(self):
		names = [self.post_call().json()["data"]["name"] for _call in range(2)]
		self.assertEqual(len(set(names)), 2)

	def test_a_telephony_call_keeps_its_id(self):
		call_id = "exotel-" + frappe.generate_hash(length=10)
		response = self.post_call(id=call_id, type="Incoming")
		self.assertEqual(response.status_code, 200, response.text[:500])
		data = response.json()["data"]
		self.assertEqual((data["name"], data["id"]), (call_id, call_id))
		self.assertEqual(data["employee_user_id"], OFFICER)  # a call with an id has its staff member too

	def test_his_calls_are_his_own(self):
		"""R2.4: the calls are the staff's record of service: an officer credits none to the manager,
		and changes no call's staff member; the manager logs a call for an officer."""
		manager = role_user("Charity Manager")
		self.assertEqual(self.post_call(employee_user_id=manager).status_code, 403)
		name = self.post_call().json()["data"]["name"]
		changed = self.session.put(
			self.url("api/resource", CALL_LOG, name), json={"employee_user_id": manager}
		)
		self.assertEqual(changed.status_code, 403, changed.text[:300])
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value(CALL_LOG, name, "employee_user_id"), OFFICER)
		self.session = self.server.session(manager, TEST_PASSWORD)
		response = self.post_call(employee_user_id=OFFICER)
		self.assertEqual(response.status_code, 200, response.text[:300])
		self.assertEqual(response.json()["data"]["employee_user_id"], OFFICER)

	def test_a_duration_is_seconds_from_none_to_a_day(self):
		for duration in (-100, 10**12, "abc"):
			with self.subTest(duration=duration):
				response = self.post_call(duration=duration)
				self.assertEqual(response.status_code, 417, response.text[:300])
				self.assertEqual(response.json()["exc_type"], "InvalidCallDurationError")

	def test_the_desk_form_lets_him_enter_the_call(self):
		response = self.session.get(
			self.url("api/method/frappe.desk.form.load.getdoctype"), params={"doctype": CALL_LOG}
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		meta = next(doc for doc in response.json()["docs"] if doc["name"] == CALL_LOG)
		fields = {df["fieldname"]: df for df in meta["fields"]}
		for fieldname in MANUAL_CALL_FIELDS:
			self.assertFalse(fields[fieldname].get("read_only"), fieldname)

	def test_a_recording_link_that_is_not_a_web_address_is_refused(self):
		for url in NOT_RECORDINGS:
			with self.subTest(url=url):
				response = self.post_call(
					recording_url=url,
					links=[{"link_doctype": "Beneficiary", "link_name": self.beneficiary}],
				)
				self.assertEqual(response.status_code, 417, response.text[:500])
				self.assertEqual(response.json()["exc_type"], "InvalidRecordingURLError")
		frappe.db.rollback()  # a fresh snapshot of what the server committed
		self.assertFalse(frappe.db.exists(CALL_LOG, {"recording_url": ("in", NOT_RECORDINGS)}))

	def test_nor_is_it_stored_by_an_edit(self):
		name = self.post_call(recording_url=RECORDING).json()["data"]["name"]
		response = self.session.put(
			self.url("api/resource", CALL_LOG, name),
			data=json.dumps({"recording_url": NOT_RECORDINGS[0]}),
		)
		self.assertEqual(response.status_code, 417, response.text[:500])
		self.assertEqual(response.json()["exc_type"], "InvalidRecordingURLError")
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value(CALL_LOG, name, "recording_url"), RECORDING)
