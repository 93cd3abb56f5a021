"""R1.2, R1.3, R2.3 and R8.2 over HTTP, as the people who meet these rules: an officer who changes the
ID number of a record the manager registered by override, an officer who withdraws a declaration, a
request for a service whose required document is not verified, a portal account that keeps trying ID
numbers, and a survey link opened by another signed-in beneficiary. The controllers enforce each of
them on every path (tested in process beside them); these tests show the REST user meets them too.

The class commits (the HTTP server is another process) and removes what it made at the end."""

import json

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.beneficiaries import duplicates
from charity_beneficiary.tests.committed import purge_beneficiary
from charity_beneficiary.tests.factories import (
	SIGNATURE,
	TEST_PASSWORD,
	make_active_beneficiary,
	make_aid_service,
	make_beneficiary,
	make_document_type,
	make_id,
)
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import portal_user, role_user

BENEFICIARY = "Beneficiary"
ACCEPT = "api/method/frappe.website.doctype.web_form.web_form.accept"
SERVICE = "مساعدة إيجار (اختبار قواعد التسجيل)"
LEASE = "عقد إيجار (اختبار قواعد التسجيل)"


def exc_type(response) -> str:
	return (response.json() or {}).get("exc_type", "")


class TestRegistrationRulesOverREST(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		frappe.set_user("Administrator")
		cls.officer = role_user("Beneficiary Relations Officer")
		cls.manager = role_user("Charity Manager")
		cls.portal = portal_user(5)  # a portal account without a record of its own
		cls.beneficiaries = []
		cls.addClassCleanup(cls.remove_committed)
		frappe.db.commit()
		cls.server = live_server()

	@classmethod
	def remove_committed(cls):
		frappe.db.rollback()
		frappe.set_user("Administrator")
		for name in cls.beneficiaries:
			purge_beneficiary(name)
		frappe.cache.delete(frappe.cache.make_key(duplicates.refusals_key(cls.portal)))
		frappe.db.commit()

	@classmethod
	def committed(cls, doc):
		cls.beneficiaries.append(doc.name)
		frappe.db.commit()
		return doc

	def url(self, *parts: str) -> str:
		return "/".join((self.server.url, *parts))

	def session(self, user: str):
		return self.server.session(user, TEST_PASSWORD)

	def put(self, user: str, name: str, values: dict):
		return self.session(user).put(self.url("api/resource", BENEFICIARY, name), json=values)

	def test_an_officer_cannot_move_an_override_to_another_id_number(self):
		"""The manager's override was decided for the ID number the record had (R1.3)."""
		listed_id, member_id = make_id(), make_id()
		self.committed(make_beneficiary(family_members=[self.member("خالد", listed_id)]))
		self.committed(make_beneficiary(family_members=[self.member("فهد", member_id)]))
		frappe.set_user(self.manager)
		overridden = make_beneficiary(
			id_number=listed_id,
			beneficiary_name="خالد محمد المستقل",
			duplicate_override=1,
			duplicate_override_reason="استقل بأسرته",
		)
		frappe.set_user("Administrator")
		self.committed(overridden)

		response = self.put(self.officer, overridden.name, {"id_number": member_id})
		self.assertEqual(response.status_code, 409, response.text[:300])
		self.assertEqual(exc_type(response), "DuplicateBeneficiaryError")
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value(BENEFICIARY, overridden.name, "id_number"), listed_id)

		# the manager decides again for the new number, with a reason, in the same save
		response = self.put(
			self.manager,
			overridden.name,
			{"id_number": member_id, "duplicate_override_reason": "الرقم الصحيح بعد المطابقة"},
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value(BENEFICIARY, overridden.name, "id_number"), member_id)

	@staticmethod
	def member(name: str, id_number: str) -> dict:
		return {"member_name": name, "relation": "Son", "id_number": id_number}

	def test_a_withdrawn_declaration_takes_its_signature(self):
		"""R1.2: ticked again, the declaration is signed again, not the old signature re-credited."""
		doc = self.committed(make_active_beneficiary())
		response = self.put(self.officer, doc.name, {"declaration_accepted": 0, "status": "Applicant"})
		self.assertEqual(response.status_code, 200, response.text[:300])
		frappe.db.rollback()
		self.assertFalse(frappe.db.get_value(BENEFICIARY, doc.name, "declaration_signature"))

		response = self.put(self.officer, doc.name, {"declaration_accepted": 1, "status": "Active"})
		self.assertEqual(response.status_code, 417, response.text[:300])
		self.assertEqual(exc_type(response), "ActivationError")
		frappe.db.rollback()
		self.assertEqual(frappe.db.get_value(BENEFICIARY, doc.name, "status"), "Applicant")

		response = self.put(
			self.officer,
			doc.name,
			{"declaration_accepted": 1, "declaration_signature": SIGNATURE, "status": "Active"},
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		frappe.db.rollback()
		self.assertEqual(
			frappe.db.get_value(BENEFICIARY, doc.name, ["status", "declaration_taken_by"]),
			("Active", self.officer),
		)

	def test_an_unverified_document_does_not_qualify_a_request(self):
		"""R2.3: a service's required document counts once the officer has verified it (R1.1)."""
		lease = make_document_type(LEASE)
		make_aid_service(SERVICE, required_document_types=[{"document_type": lease}])
		doc = make_active_beneficiary()
		doc.append("documents", {"document_type": lease, "attachment": "/files/lease.pdf"})
		doc.save()
		self.committed(doc)
		officer = self.session(self.officer)

		def file_request():
			return officer.post(
				self.url("api/resource/Assistance Request"),
				json={
					"beneficiary": doc.name,
					"aid_service": SERVICE,
					"description": "طلب",
					"requested_amount": 500,
					"docstatus": 1,
				},
			)

		response = file_request()
		self.assertEqual(response.status_code, 417, response.text[:300])
		self.assertIn("is not verified", response.text)
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists("Assistance Request", {"beneficiary": doc.name}))

		row = doc.documents[0].name
		response = officer.put(
			self.url("api/resource", BENEFICIARY, doc.name),
			json={
				"documents": [
					{"name": row, "document_type": lease, "attachment": "/files/lease.pdf", "verified": 1}
				]
			},
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		response = file_request()
		self.assertEqual(response.status_code, 200, response.text[:300])

	def test_a_portal_account_is_told_of_registered_ids_a_few_times_a_day(self):
		"""R8.2: each refusal tells a portal account an ID number is the association's; after a few a
		day (typing errors) the association registers him itself."""
		registered = [
			self.committed(make_beneficiary()).id_number for _n in range(duplicates.PORTAL_REFUSALS_PER_DAY)
		]
		session = self.session(self.portal)
		frappe.cache.delete_keys("rl:frappe.website.doctype.web_form.web_form.accept")

		def register(id_number: str):
			data = {
				"doctype": BENEFICIARY,
				"web_form_name": "beneficiary-registration",
				"beneficiary_name": "سارة أحمد محمد القحطاني",
				"id_type": "National ID",
				"id_number": id_number,
				"gender": "Female",
				"date_of_birth": "1990-01-01",
				"mobile_no": "0501234567",
				"declaration_accepted": 1,
				"declaration_signature": SIGNATURE,
			}
			return session.post(
				self.url(ACCEPT), data={"web_form": "beneficiary-registration", "data": json.dumps(data)}
			)

		for id_number in registered:
			response = register(id_number)
			self.assertEqual(response.status_code, 409, response.text[:300])
			self.assertEqual(exc_type(response), "DuplicateBeneficiaryError")
		response = register(make_id())  # even a number nobody has, today
		self.assertEqual(response.status_code, 429, response.text[:300])
		self.assertEqual(exc_type(response), "TooManyRefusalsError")
		frappe.db.rollback()
		self.assertFalse(frappe.db.exists(BENEFICIARY, {"user": self.portal}))
