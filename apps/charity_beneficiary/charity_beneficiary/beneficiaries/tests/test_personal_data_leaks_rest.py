"""R8.2 through REST, as the real roles: the disbursement voucher prints the receiver's ID only to a
reader who may read the beneficiary, the storekeeper reads only the goods' disbursements, a file
attached to a person's record is private (never served to guests nor listed past its record's rules),
and frappe's global search carries no ToDo text (assignments and review reminders name beneficiaries).

The classes commit what the HTTP server must see and remove it in a class clean-up."""

import json
from pathlib import Path

import frappe

from charity_beneficiary.beneficiaries.tests.test_branch_boundaries_rest import (
	BRANCH_A,
	BRANCH_B,
	REP,
	RESTCase,
)
from charity_beneficiary.tests.factories import make_aid_service, make_approved_request, make_disbursement
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import role_user
from charity_beneficiary.utils import file_access

RUN = frappe.generate_hash(length=5)
CASH_SERVICE = f"مساعدة نقدية (بيانات شخصية {RUN})"
VOUCHER = "سند صرف"
ACCOUNTANT, STOREKEEPER = "Charity Accountant", "Charity Storekeeper"


class TestVoucherAndDisbursementsOverREST(RESTCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		make_aid_service(CASH_SERVICE, delivery_type="Cash")
		cls.paid = cls.beneficiary(branch=BRANCH_B)
		cls.id_number = frappe.db.get_value("Beneficiary", cls.paid, "id_number")
		request = make_approved_request(cls.paid, CASH_SERVICE, approved_amount=500).name
		cls.cash = make_disbursement(request, amount=100, submit=True).name
		cls.other = cls.beneficiary(branch=BRANCH_B)  # no request: nobody posting reads him
		cls.other_id = frappe.db.get_value("Beneficiary", cls.other, "id_number")
		frappe.db.commit()
		cls.server = live_server()

	def voucher(self, user: str, name: str):
		return self.session(user).get(
			self.url("printview"), params={"doctype": "Aid Disbursement", "name": name, "format": VOUCHER}
		)

	def test_the_storekeeper_neither_reads_nor_prints_cash(self):
		storekeeper = role_user(STOREKEEPER)
		response = self.session(storekeeper).get(self.url("api/resource/Aid Disbursement", self.cash))
		self.assertEqual(response.status_code, 403, response.text[:300])
		self.assertNotIn(self.id_number, self.voucher(storekeeper, self.cash).text)

	def test_the_storekeeper_lists_only_the_goods(self):
		response = self.session(role_user(STOREKEEPER)).get(
			self.url("api/resource/Aid Disbursement"),
			params={"filters": json.dumps([["disbursement_type", "=", "Cash"]]), "limit_page_length": 0},
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		self.assertEqual(response.json()["data"], [])

	def test_the_accountant_prints_the_id_of_whom_he_paid(self):
		response = self.voucher(role_user(ACCOUNTANT), self.cash)
		self.assertEqual(response.status_code, 200, response.text[:300])
		self.assertIn(self.id_number, response.text)

	def test_a_voucher_naming_someone_else_prints_no_id(self):
		"""frappe renders a voucher from a document the reader sends: it names a beneficiary neither
		poster may read."""
		for role, kind in ((STOREKEEPER, "In-Kind"), (ACCOUNTANT, "Cash")):
			doc = {
				"doctype": "Aid Disbursement",
				"name": f"AID-X-{RUN}",
				"beneficiary": self.other,
				"beneficiary_name": "x",
				"disbursement_type": kind,
				"docstatus": 1,
			}
			response = self.session(role_user(role)).post(
				self.url("api/method/frappe.www.printview.get_html_and_style"),
				data={"doc": json.dumps(doc), "print_format": VOUCHER},
			)
			self.assertLess(response.status_code, 500, response.text[:300])
			self.assertNotIn(self.other_id, response.text, role)


class TestPersonalFilesArePrivateOverREST(RESTCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		cls.in_b = cls.beneficiary(branch=BRANCH_B)
		cls.file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"id-copy-public-{RUN}.txt",
				"content": f"ID {RUN}".encode(),
				"is_private": 0,
				"attached_to_doctype": "Beneficiary",
				"attached_to_name": cls.in_b,
			}
		).insert(ignore_permissions=True)
		cls.public_url = f"/files/{cls.file.file_name}"
		# what the File doc event does on insert (and the patch for the files of before)
		file_access.keep_personal_files_private(cls.file)
		cls.addClassCleanup(cls.remove_file)
		frappe.db.commit()
		cls.server = live_server()

	@classmethod
	def remove_file(cls):
		frappe.db.rollback()
		frappe.delete_doc("File", cls.file.name, force=True, ignore_permissions=True)
		frappe.db.commit()

	def test_the_file_moved_to_private_files(self):
		self.file.reload()
		self.assertEqual(self.file.is_private, 1)
		self.assertTrue(self.file.file_url.startswith("/private/files/"))
		self.assertTrue(Path(self.file.get_full_path()).exists())
		self.assertFalse(Path(frappe.get_site_path("public", "files", self.file.file_name)).exists())

	def test_nobody_outside_the_record_lists_or_fetches_it(self):
		for user in (
			REP,  # of branch A
			role_user("Social Researcher"),  # not assigned
			role_user("Research Committee Member"),
			role_user(ACCOUNTANT),
		):
			response = self.session(user).get(
				self.url("api/resource/File"),
				params={"filters": json.dumps([["attached_to_name", "=", self.in_b]])},
			)
			self.assertEqual(response.status_code, 200, response.text[:300])
			self.assertEqual(response.json()["data"], [], user)
			response = self.session(user).get(self.url("api/resource/File", self.file.name))
			self.assertEqual(response.status_code, 403, (user, response.text[:300]))
		for url in (self.public_url, self.file.file_url):
			response = self.server.session().get(self.server.url + url)  # a guest
			self.assertNotIn(f"ID {RUN}", response.text)
			self.assertGreaterEqual(response.status_code, 400)
			self.assertLess(response.status_code, 500)

	def test_who_reads_every_branch_lists_it(self):
		response = self.session(role_user("Beneficiary Relations Officer")).get(
			self.url("api/resource/File"),
			params={"filters": json.dumps([["attached_to_name", "=", self.in_b]])},
		)
		self.assertIn(self.file.name, {row["name"] for row in response.json()["data"]})

	def test_an_upload_marked_public_lands_private(self):
		"""The File doc event (hooks.py) at work: the desk's upload with "Private" unticked."""
		response = self.session(role_user("Beneficiary Relations Officer")).post(
			self.url("api/method/upload_file"),
			data={"doctype": "Beneficiary", "docname": self.in_b, "is_private": 0},
			files={"file": (f"upload-{RUN}.txt", f"upload {RUN}".encode(), "text/plain")},
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		message = response.json()["message"]
		self.addCleanup(self.remove_upload, message["name"])
		self.assertEqual(message["is_private"], 1)
		self.assertTrue(message["file_url"].startswith("/private/files/"))

	def remove_upload(self, name: str):
		frappe.db.rollback()
		frappe.delete_doc("File", name, force=True, ignore_permissions=True)
		frappe.db.commit()


class TestGlobalSearchCarriesNoToDoOverREST(RESTCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		from frappe.desk.doctype.global_search_settings.global_search_settings import (
			update_global_search_doctypes,
		)
		from frappe.utils.global_search import get_formatted_value, sync_value

		# as frappe's setup wizard (and its "reset" button) writes the settings on a new site, after
		# the app's install: ToDo was among them again
		update_global_search_doctypes()
		cls.in_b = cls.beneficiary(branch=BRANCH_B)
		todo = frappe.get_doc(
			{
				"doctype": "ToDo",
				"allocated_to": role_user("Social Researcher"),
				"assigned_by": "Administrator",
				"reference_type": "Beneficiary",
				"reference_name": cls.in_b,
				"description": f"Periodic review of beneficiary{RUN} due",
			}
		).insert(ignore_permissions=True)
		cls.todo = todo.name
		content = [
			get_formatted_value(todo.get(field.fieldname), field)
			for field in todo.meta.get_global_search_fields()
			if todo.get(field.fieldname)
		]
		sync_value(
			{
				"doctype": "ToDo",
				"name": todo.name,
				"content": " ||| ".join(content),
				"published": 0,
				"title": todo.name,
				"route": "",
			}
		)
		cls.addClassCleanup(cls.remove_todo)
		frappe.db.commit()
		cls.server = live_server()

	@classmethod
	def remove_todo(cls):
		frappe.db.rollback()
		frappe.db.delete("__global_search", {"doctype": "ToDo", "name": cls.todo})
		frappe.delete_doc("ToDo", cls.todo, force=True, ignore_permissions=True)
		frappe.db.commit()

	def test_others_todos_are_not_found(self):
		for user in (REP, role_user(STOREKEEPER)):
			response = self.session(user).get(
				self.url("api/method/frappe.utils.global_search.search"),
				params={"text": f"beneficiary{RUN}"},
			)
			self.assertEqual(response.status_code, 200, response.text[:300])
			self.assertNotIn(RUN, response.text, user)
			self.assertEqual(
				self.session(user).get(self.url("api/resource/ToDo", self.todo)).status_code, 403
			)

	def test_the_patch_keeps_them_out(self):
		from charity_beneficiary.patches.v15_0 import keep_private_texts_out_of_global_search
		from charity_beneficiary.setup.install import PRIVATE_TEXT_DOCTYPES

		keep_private_texts_out_of_global_search.execute()
		self.assertFalse(
			frappe.get_all(
				"Global Search DocType", {"document_type": ("in", PRIVATE_TEXT_DOCTYPES)}, pluck="name"
			)
		)
		self.assertFalse(frappe.db.count("__global_search", {"doctype": "ToDo", "name": self.todo}))
		frappe.db.rollback()


class TestPersonalFilesPatch(RESTCase):
	def test_public_files_of_before_become_private(self):
		from charity_beneficiary.patches.v15_0 import make_personal_files_private

		name = self.beneficiary(branch=BRANCH_A)
		file = frappe.get_doc(
			{
				"doctype": "File",
				"file_name": f"old-public-{RUN}.txt",
				"content": f"old {RUN}".encode(),
				"is_private": 0,
				"attached_to_doctype": "Beneficiary",
				"attached_to_name": name,
			}
		).insert(ignore_permissions=True)
		frappe.db.commit()
		self.addCleanup(self.remove_file, file.name)
		make_personal_files_private.execute()
		frappe.db.commit()
		file.reload()
		self.assertEqual(file.is_private, 1)
		self.assertTrue(file.file_url.startswith("/private/files/"))
		self.assertTrue(Path(file.get_full_path()).exists())

	def remove_file(self, name: str):
		frappe.db.rollback()
		frappe.delete_doc("File", name, force=True, ignore_permissions=True)
		frappe.db.commit()
