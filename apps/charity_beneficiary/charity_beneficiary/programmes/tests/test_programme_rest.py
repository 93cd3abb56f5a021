"""R6.2, R8.2 over HTTP: a seasonal programme's endpoints as every staff role of the app — who may
list its households, exclude one, run it, stop it and resume it, and that a refusal changes nothing;
its code-owned fields refused from users (403, nothing saved); the receipt of a paid line signed by
the staff who hand aid over, once.

The HTTP server is another process: this class commits what it makes (named for the run, restricted
to a branch of its own) and removes it in a class clean-up.
"""

import json

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.utils import add_days, flt, today
from frappe.utils.background_jobs import get_job

from charity_beneficiary.disbursement.defaults import get_defaults
from charity_beneficiary.disbursement.doctype.aid_disbursement.test_aid_disbursement import (
	OTHER_SIGNATURE,
	purge,
	purge_requests,
	retried,
)
from charity_beneficiary.disbursement.setup import setup_disbursement
from charity_beneficiary.programmes import run
from charity_beneficiary.programmes.report.aid_programme_reach.aid_programme_reach import execute as reach
from charity_beneficiary.programmes.tests.test_aid_programme import (
	forget_reviews,
	leave_the_season,
	set_household,
)
from charity_beneficiary.tests.factories import (
	SIGNATURE,
	TEST_PASSWORD,
	committee_decides,
	make_active_beneficiary,
	make_aid_service,
	make_branch,
	make_item,
)
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.test_code_owned_rest import forged_value
from charity_beneficiary.tests.test_report_roles import script_reports
from charity_beneficiary.tests.users import STAFF_ROLES, many_roles_user, portal_user, role_user
from charity_beneficiary.utils.code_owned import CODE_OWNED

RUN = frappe.generate_hash(length=5)
BRANCH = f"فرع البرنامج عبر الويب {RUN}"
CASH = f"سلة نقدية (برنامج عبر الويب {RUN})"
GOODS = f"سلة غذائية (برنامج عبر الويب {RUN})"
ITEM = f"PRG-REST-{RUN}".upper()
METHOD = "/api/method/charity_beneficiary.programmes."
# who may do what (aid_programme.json permissions, disbursement/permissions.POSTING_ROLES)
EDITORS = {"Charity Manager"}
RUNNERS = {
	"Cash": {"Charity Accountant", "Charity Manager"},
	"In-Kind": {"Charity Storekeeper", "Charity Manager"},
}
SIGNERS = {"Charity Accountant", "Charity Storekeeper", "Charity Manager"}
NAMES = ("حصة ناصر سعد المالكي", "جواهر فيصل عمر الزهراني")


class TestProgrammeOverREST(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.made = {"Aid Programme": [], "Beneficiary": [], "Research Committee Meeting": []}
		cls.addClassCleanup(retried, cls.remove_committed)
		setup_disbursement(get_defaults().company)
		cls.users = {role: role_user(role) for role in STAFF_ROLES}
		cls.users["many roles"] = many_roles_user()
		cls.committee = cls.users["Research Committee Member"]
		make_branch(BRANCH)
		make_aid_service(CASH, max_amount=0)
		make_aid_service(GOODS, delivery_type="In-Kind", max_amount=0)
		make_item(ITEM)
		for n, name in enumerate(NAMES):
			beneficiary = make_active_beneficiary(
				branch=BRANCH, beneficiary_name=name, date_of_birth=f"197{n}-05-1{n}"
			).name
			cls.made["Beneficiary"].append(beneficiary)
			set_household(beneficiary, 2 + n, 50 - n)
			forget_reviews(beneficiary)
		frappe.db.commit()
		cls.server = live_server()
		cls.sessions = {}

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		programmes = cls.made["Aid Programme"] or [""]
		for programme in programmes:
			job = get_job(run.job_id(programme))
			if job:
				job.delete()
		lines = frappe.get_all(
			"Aid Programme Line",
			filters={"parent": ("in", programmes)},
			fields=["name", "assistance_request", "journal_entry"],
		)
		for voucher in {line.journal_entry for line in lines if line.journal_entry}:
			for table in ("GL Entry", "Payment Ledger Entry"):
				frappe.db.delete(table, {"voucher_type": "Journal Entry", "voucher_no": voucher})
			purge("Journal Entry", [voucher])
		frappe.db.delete(
			"Version",
			{"ref_doctype": "Aid Programme Line", "docname": ("in", [line.name for line in lines] or [""])},
		)
		purge_requests([line.assistance_request for line in lines])
		purge("Research Committee Meeting", cls.made["Research Committee Meeting"])
		purge("Aid Programme", cls.made["Aid Programme"])
		for name in cls.made["Beneficiary"]:
			forget_reviews(name)
		purge("Beneficiary", cls.made["Beneficiary"])
		purge("Aid Service", [CASH, GOODS])
		purge("Branch", [BRANCH])
		frappe.db.commit()

	def setUp(self):
		frappe.set_user("Administrator")

	def tearDown(self):
		# each test's programmes leave the season, so the next test's households are free again
		frappe.set_user("Administrator")
		frappe.db.rollback()
		leave_the_season(self.made["Aid Programme"])
		frappe.db.commit()

	# --- helpers -----------------------------------------------------------------------------------
	def session(self, user):
		if user not in self.sessions:
			self.sessions[user] = self.server.session(user, TEST_PASSWORD)
		return self.sessions[user]

	def call(self, user, method, **args):
		return self.session(user).post(f"{self.server.url}{METHOD}{method}", json=args)

	def put(self, user, name, values):
		return self.session(user).put(f"{self.server.url}/api/resource/Aid Programme/{name}", json=values)

	def programme(self, service=CASH, lines=True, **fields):
		"""A draft programme of the class's households (committed), with its lines unless told."""
		from charity_beneficiary.programmes.doctype.aid_programme.aid_programme import get_beneficiaries

		goods = service == GOODS
		doc = frappe.get_doc(
			{
				"doctype": "Aid Programme",
				"title": f"برنامج {RUN}",
				"from_date": today(),
				"to_date": add_days(today(), 30),
				"aid_service": service,
				"charity_fund": get_defaults().default_fund,
				"branches": [{"branch": BRANCH}],
				"entitlement_basis": "Items per Household" if goods else "Fixed Amount",
				"amount": 0 if goods else 150,
				"items": [{"item_code": ITEM, "qty": 1}] if goods else [],
				**fields,
			}
		).insert()
		self.made["Aid Programme"].append(doc.name)
		if lines:
			get_beneficiaries(doc.name)
		frappe.db.commit()
		return frappe.get_doc("Aid Programme", doc.name)

	def approved(self, service=CASH):
		doc = self.programme(service)
		doc.submit()
		committee_decides(
			{"aid_programme": doc.name, "decision": "Approved"}, made=self.made["Research Committee Meeting"]
		)
		frappe.set_user("Administrator")
		frappe.db.commit()
		return doc.name

	def stored(self, name, fields):
		frappe.db.rollback()  # a fresh snapshot of what the server committed
		return frappe.db.get_value("Aid Programme", name, fields, as_dict=True)

	def stored_lines(self, name, fields=("name", "excluded", "amount", "status", "received_on")):
		frappe.db.rollback()
		return frappe.get_all(
			"Aid Programme Line", filters={"parent": name}, fields=list(fields), order_by="idx"
		)

	def lines_as_sent(self, name) -> list[dict]:
		"""The lines as the form has them (read over REST, so they are JSON as they would be sent)."""
		url = f"{self.server.url}/api/resource/Aid Programme/{name}"
		return self.session(self.users["Charity Manager"]).get(url).json()["data"]["lines"]

	def assert_refused(self, response, label, status=403):
		self.assertEqual(response.status_code, status, f"{label}: {response.text[:300]}")

	def roles_of(self, user) -> set[str]:
		return set(frappe.get_roles(user))

	def forget_job(self, name):
		"""A run queued by a test is not left for a worker (the test checks the queueing only)."""
		job = get_job(run.job_id(name))
		if job:
			job.delete()

	# --- listing and excluding (the draft: the manager's) ----------------------------------------------
	def test_only_the_manager_lists_and_excludes_households(self):
		name = self.programme(lines=False).name
		for role, user in self.users.items():
			if self.roles_of(user) & EDITORS:
				continue
			with self.subTest(role):
				self.assert_refused(
					self.call(user, "doctype.aid_programme.aid_programme.get_beneficiaries", programme=name),
					role,
				)
				self.assertEqual(self.stored_lines(name), [])
		response = self.call(
			self.users["Charity Manager"],
			"doctype.aid_programme.aid_programme.get_beneficiaries",
			programme=name,
		)
		self.assertEqual(response.status_code, 200, response.text)
		self.assertEqual(response.json()["message"]["selected"], len(NAMES))

		# excluding a household: what the form sends, the line ticked with its reason
		rows = self.lines_as_sent(name)
		rows[0].update(excluded=1, exclusion_reason="انتقل خارج المنطقة")
		for role, user in self.users.items():
			if self.roles_of(user) & EDITORS:
				continue
			with self.subTest(f"exclude by {role}"):
				self.assert_refused(self.put(user, name, {"lines": rows}), role)
				self.assertEqual([row.excluded for row in self.stored_lines(name)], [0, 0])
		response = self.put(self.users["Charity Manager"], name, {"lines": rows})
		self.assertEqual(response.status_code, 200, response.text)
		self.assertEqual([row.excluded for row in self.stored_lines(name)], [1, 0])
		self.assertEqual(self.stored(name, ["selected_count"]).selected_count, 1)

	# --- run, stop, resume (the approved programme: its poster's) -------------------------------------
	def test_only_the_posting_roles_run_stop_and_resume(self):
		for delivery, service in (("Cash", CASH), ("In-Kind", GOODS)):
			name = self.approved(service)
			for role, user in self.users.items():
				allowed = bool(self.roles_of(user) & RUNNERS[delivery])
				label = f"{delivery} by {role}"
				with self.subTest(label):
					frappe.db.set_value(
						"Aid Programme", name, {"run_status": "Not Started", "stop_requested": 0}
					)
					frappe.db.commit()
					run_response = self.call(user, "run.run_programme", programme=name)
					if not allowed:
						self.assert_refused(run_response, label)
						self.assertEqual(self.stored(name, ["run_status"]).run_status, "Not Started")
						self.assert_refused(self.call(user, "run.stop_programme", programme=name), label)
						self.assertEqual(self.stored(name, ["stop_requested"]).stop_requested, 0)
						continue
					self.assertEqual(run_response.status_code, 200, run_response.text)
					self.forget_job(name)
					self.assertEqual(self.stored(name, ["run_status"]).run_status, "Queued")
					response = self.call(user, "run.stop_programme", programme=name)
					self.assertEqual(response.status_code, 200, response.text)
					self.assertEqual(self.stored(name, ["stop_requested"]).stop_requested, 1)
					# resumed: the stop is withdrawn and the run queued again
					frappe.db.set_value("Aid Programme", name, "run_status", "Stopped")
					frappe.db.commit()
					response = self.call(user, "run.run_programme", programme=name)
					self.assertEqual(response.status_code, 200, response.text)
					self.forget_job(name)
					self.assertEqual(
						self.stored(name, ["run_status", "stop_requested"]),
						{"run_status": "Queued", "stop_requested": 0},
					)
			self.assertEqual({row.status for row in self.stored_lines(name)}, {"Pending"})  # nobody paid
			self.tearDown()

	def test_every_role_of_the_reach_report_sees_a_programme_with_its_branch(self):
		# with rows, frappe checks read on every Link column's DocType (a bare System Manager, once
		# listed, got 403 on Branch); tests/test_report_roles.py runs the reports without rows
		doc = self.programme()
		doc.submit()
		frappe.db.commit()
		filters = {"programme": doc.name}
		for role in script_reports()["Aid Programme Reach"]:
			with self.subTest(role):
				response = self.session(role_user(role)).get(
					f"{self.server.url}/api/method/frappe.desk.query_report.run",
					params={"report_name": "Aid Programme Reach", "filters": json.dumps(filters)},
				)
				self.assertEqual(response.status_code, 200, response.text[:300])
				# frappe's total row is a list: the report's own rows are dicts
				rows = [row for row in response.json()["message"]["result"] if isinstance(row, dict)]
				self.assertIn(doc.name, [row.get("programme") for row in rows])
				self.assertIn(BRANCH, [row.get("branch") for row in rows])

	def test_a_programme_not_yet_approved_is_not_run_by_anyone(self):
		name = self.programme().name
		frappe.get_doc("Aid Programme", name).submit()
		frappe.db.commit()
		response = self.call(self.users["Charity Manager"], "run.run_programme", programme=name)
		self.assert_refused(response, "pending committee", status=417)
		self.assertEqual(response.json()["exc_type"], "ProgrammeNotApprovedError")
		self.assertEqual(self.stored(name, ["run_status"]).run_status, "Not Started")

	def test_the_committee_reads_the_households_of_a_programme_once_on_its_agenda(self):
		"""R8.2: a member reads the files of the households a programme before the committee lists
		(committee_access.py), not the register before."""
		# a household of its own: the class's are listed by the programmes of the other tests
		household = make_active_beneficiary(branch=BRANCH, beneficiary_name="نورة خالد سعد العتيبي").name
		self.made["Beneficiary"].append(household)
		set_household(household, 3, 60)
		forget_reviews(household)
		frappe.db.commit()
		self.addCleanup(self.leave_the_branch, household)
		url = f"{self.server.url}/api/resource/Beneficiary/{household}"
		name = self.programme().name
		self.assertIn(household, [line.beneficiary for line in frappe.get_doc("Aid Programme", name).lines])
		frappe.get_doc("Aid Programme", name).submit()
		frappe.db.commit()
		self.assertEqual(self.session(self.committee).get(url).status_code, 403)
		committee_decides(
			{"aid_programme": name, "decision": "Approved"}, made=self.made["Research Committee Meeting"]
		)
		frappe.set_user("Administrator")
		frappe.db.commit()
		self.assertEqual(self.session(self.committee).get(url).status_code, 200)

	def leave_the_branch(self, household):
		"""The other tests' programmes list the class's two households only."""
		frappe.db.rollback()
		frappe.db.set_value("Beneficiary", household, "status", "Inactive")
		frappe.db.commit()

	# --- code-owned fields -----------------------------------------------------------------------------
	def test_code_owned_fields_are_refused_from_the_manager(self):
		"""The manager writes the draft; every field the run, the committee or the controller computes
		is refused from him over REST (403), and nothing is saved."""
		name = self.programme().name
		manager = self.users["Charity Manager"]
		meta = frappe.get_meta("Aid Programme")
		for fieldname in CODE_OWNED["Aid Programme"]:
			with self.subTest(fieldname):
				before = self.stored(name, [fieldname])[fieldname]
				response = self.put(
					manager, name, {fieldname: forged_value(meta.get_field(fieldname), before)}
				)
				self.assert_code_owned(response, fieldname, meta.get_field(fieldname))
				self.assertEqual(self.stored(name, [fieldname])[fieldname], before)
		line_meta = frappe.get_meta("Aid Programme Line")
		for fieldname in CODE_OWNED["Aid Programme Line"]:
			with self.subTest(f"line {fieldname}"):
				before = self.lines_as_sent(name)
				forged = [dict(row) for row in before]
				forged[0][fieldname] = forged_value(line_meta.get_field(fieldname), before[0].get(fieldname))
				response = self.put(manager, name, {"lines": forged})
				self.assert_code_owned(response, fieldname, line_meta.get_field(fieldname))
				after = self.stored_lines(name, ["name", fieldname])
				self.assertEqual(
					[str(row[fieldname] or "") for row in after],
					[str(row.get(fieldname) or "") for row in before],
				)

	def assert_code_owned(self, response, label, df):
		if df.fieldtype == "Link" and response.status_code == 417:
			# a forged link to no record at all is refused by frappe's link check, before ours
			self.assertEqual(response.json()["exc_type"], "LinkValidationError", response.text[:300])
			return
		self.assert_refused(response, label)
		self.assertEqual(response.json()["exc_type"], "CodeOwnedFieldError")

	# --- the receipt of a paid line ---------------------------------------------------------------------
	def test_the_receipt_of_a_paid_line_is_signed_once_by_who_hands_aid_over(self):
		name = self.approved(CASH)
		frappe.set_user(self.users["Charity Accountant"])
		run.execute(name)
		frappe.set_user("Administrator")
		line = self.stored_lines(name)[0]
		self.assertEqual(reach({"programme": name})[1][0]["unsigned_receipts"], len(NAMES))
		for role, user in self.users.items():
			if self.roles_of(user) & SIGNERS:
				continue
			with self.subTest(role):
				response = self.call(
					user,
					"receipts.sign_receipt",
					programme=name,
					line=line.name,
					receiver_signature=SIGNATURE,
				)
				self.assert_refused(response, role)
				self.assertIsNone(self.stored_lines(name)[0].received_on)
		accountant = self.users["Charity Accountant"]
		response = self.call(
			accountant,
			"receipts.sign_receipt",
			programme=name,
			line=line.name,
			receiver_type="Family Member",
			received_by="أحد غير معروف",
			receiver_signature=SIGNATURE,
		)
		self.assert_refused(response, "not of the household", status=417)
		self.assertEqual(response.json()["exc_type"], "ReceiptError")
		# a signature is an image, and a name fits its field: refused clearly, nothing written
		for sent in (
			{"receiver_signature": "x" * 5000},
			{"receiver_signature": SIGNATURE, "received_by": "ن" * 500},
		):
			response = self.call(accountant, "receipts.sign_receipt", programme=name, line=line.name, **sent)
			self.assert_refused(response, "not an image or too long", status=417)
			self.assertEqual(response.json()["exc_type"], "InvalidInputError")
			self.assertIsNone(self.stored_lines(name)[0].received_on)
		response = self.call(
			accountant, "receipts.sign_receipt", programme=name, line=line.name, receiver_signature=SIGNATURE
		)
		self.assertEqual(response.status_code, 200, response.text)
		frappe.db.rollback()  # a fresh snapshot of what the server committed
		signed = frappe.db.get_value(
			"Aid Programme Line",
			line.name,
			["received_by", "received_on", "receiver_signature"],
			as_dict=True,
		)
		self.assertEqual((signed.received_by, signed.receiver_signature), (NAMES[0], SIGNATURE))
		self.assertTrue(signed.received_on)
		# a signature once given is not replaced, by anyone
		response = self.call(
			self.users["Charity Manager"],
			"receipts.sign_receipt",
			programme=name,
			line=line.name,
			receiver_signature=OTHER_SIGNATURE,
		)
		self.assert_refused(response, "signed again", status=417)
		self.assertEqual(
			frappe.db.get_value("Aid Programme Line", line.name, "receiver_signature"), SIGNATURE
		)
		self.assertEqual(reach({"programme": name})[1][0]["unsigned_receipts"], len(NAMES) - 1)
		self.assertEqual(flt(reach({"programme": name})[1][0]["paid_amount"]), 150 * len(NAMES))
		# and never through the document
		rows = self.lines_as_sent(name)
		rows[1]["receiver_signature"] = SIGNATURE
		self.assertGreaterEqual(self.put(accountant, name, {"lines": rows}).status_code, 400)
		self.assertIsNone(self.stored_lines(name)[1].received_on)

	def test_the_beneficiary_signs_the_receipt_of_his_own_line_only(self):
		name = self.approved(CASH)
		frappe.set_user(self.users["Charity Accountant"])
		run.execute(name)
		frappe.set_user("Administrator")
		own, other = self.stored_lines(name, ["name", "beneficiary", "beneficiary_name"])
		portal = portal_user(2)
		frappe.db.set_value(
			"Beneficiary", own.beneficiary, "user", portal
		)  # his account (the registration's)
		frappe.db.commit()
		response = self.call(
			portal, "receipts.sign_receipt", programme=name, line=other.name, receiver_signature=SIGNATURE
		)
		self.assert_refused(response, "another household's line")
		self.assertIsNone(self.stored_lines(name)[1].received_on)
		# he signs for himself, whatever he sends as the receiver
		response = self.call(
			portal,
			"receipts.sign_receipt",
			programme=name,
			line=own.name,
			receiver_type="Family Member",
			received_by="أحد غير معروف",
			receiver_signature=SIGNATURE,
		)
		self.assertEqual(response.status_code, 200, response.text)
		frappe.db.rollback()
		signed = frappe.db.get_value(
			"Aid Programme Line", own.name, ["receiver_type", "received_by"], as_dict=True
		)
		self.assertEqual((signed.receiver_type, signed.received_by), ("Beneficiary", own.beneficiary_name))
