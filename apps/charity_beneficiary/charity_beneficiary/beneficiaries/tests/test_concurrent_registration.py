"""One person, one beneficiary when two saves meet (R1.4).

This test holds one save open in its own transaction (it has run its checks and not committed) while
an officer saves another over REST on the live server: the second must wait for the first to end and
then see what it committed. Before, both households listed the same person: a new record waited for the
first one's naming series but its checks read a snapshot taken before that commit, and an edit waited
for nothing."""

import threading
import time

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.tests.factories import TEST_PASSWORD, make_beneficiary, make_id
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import role_user

# long enough for the other save to reach its check; well under the lock's 10 s wait
REACH_THE_CHECK = 1.5


class TestConcurrentRegistration(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.officer = role_user("Beneficiary Relations Officer")
		frappe.db.commit()  # the HTTP server is another process
		cls.server = live_server()

	def setUp(self):
		self.ids: list[str] = []
		self.addCleanup(self.purge)
		self.session = self.server.session(self.officer, TEST_PASSWORD)

	def purge(self):
		frappe.db.rollback()  # ours, and a fresh snapshot of what the server committed
		parents = frappe.get_all("Beneficiary Family Member", {"id_number": ("in", self.ids)}, pluck="parent")
		for name in {*parents, *frappe.get_all("Beneficiary", {"id_number": ("in", self.ids)}, pluck="name")}:
			frappe.delete_doc("Beneficiary", name, force=True)
		frappe.db.commit()

	def new_id(self) -> str:
		self.ids.append(make_id())
		return self.ids[-1]

	def household_listing(self, member_id: str) -> dict:
		return {
			"beneficiary_name": "منيرة سعد العتيبي",
			"id_type": "National ID",
			"id_number": self.new_id(),
			"gender": "Female",
			"date_of_birth": "1980-02-01",
			"family_members": [
				{"member_name": "سالم", "relation": "Son", "id_type": "National ID", "id_number": member_id}
			],
		}

	def save_meanwhile(self, payload: dict, name: str = "") -> tuple[threading.Thread, dict]:
		"""The officer's save over REST (a new record, or record `name`), started while this test's
		transaction is still open."""
		result = {}
		method, url = ("PUT", f"/{name}") if name else ("POST", "")

		def save():
			result["response"] = self.session.request(
				method, f"{self.server.url}/api/resource/Beneficiary{url}", json=payload, timeout=60
			)

		thread = threading.Thread(target=save)
		thread.start()
		time.sleep(REACH_THE_CHECK)
		self.assertTrue(thread.is_alive(), "the second save did not wait for the first to end")
		return thread, result

	def finish(self, thread: threading.Thread, result: dict):
		thread.join(60)
		self.assertFalse(thread.is_alive())
		return result["response"]

	def test_two_households_cannot_both_list_a_new_family_member(self):
		member = self.new_id()
		make_beneficiary(family_members=self.household_listing(member)["family_members"])
		thread, result = self.save_meanwhile(self.household_listing(member))
		frappe.db.commit()
		response = self.finish(thread, result)
		self.assertEqual(response.status_code, 409, response.text[:300])
		self.assertEqual(frappe.db.count("Beneficiary Family Member", {"id_number": member}), 1)

	def test_a_household_cannot_list_a_person_registering_meanwhile(self):
		person = self.new_id()
		make_beneficiary(id_number=person)
		thread, result = self.save_meanwhile(self.household_listing(person))
		frappe.db.commit()
		response = self.finish(thread, result)
		self.assertEqual(response.status_code, 409, response.text[:300])
		self.assertFalse(frappe.db.exists("Beneficiary Family Member", {"id_number": person}))

	def test_a_household_cannot_add_a_family_member_another_is_adding(self):
		"""An edit takes no naming-series lock (a new record's number does): only the ID lock makes it
		wait."""
		existing = make_beneficiary(id_number=self.new_id()).name
		frappe.db.commit()
		member = self.new_id()
		make_beneficiary(family_members=self.household_listing(member)["family_members"])
		listing = {"family_members": self.household_listing(member)["family_members"]}
		thread, result = self.save_meanwhile(listing, name=existing)
		frappe.db.commit()
		response = self.finish(thread, result)
		self.assertEqual(response.status_code, 409, response.text[:300])
		self.assertEqual(frappe.db.count("Beneficiary Family Member", {"id_number": member}), 1)

	def test_an_abandoned_save_lets_the_other_through(self):
		member = self.new_id()
		make_beneficiary(family_members=self.household_listing(member)["family_members"])
		thread, result = self.save_meanwhile(self.household_listing(member))
		frappe.db.rollback()
		response = self.finish(thread, result)
		self.assertEqual(response.status_code, 200, response.text[:300])
		frappe.db.rollback()
		self.assertEqual(frappe.db.count("Beneficiary Family Member", {"id_number": member}), 1)
