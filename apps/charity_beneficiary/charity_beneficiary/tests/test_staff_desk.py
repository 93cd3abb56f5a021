"""R8.1 over HTTP: each role lands on its own workspace, and the sidebar shows a charity's staff the
modules of their work — the app's workspaces — not the whole of ERPNext (setup/staff_desk.py)."""

import json

import frappe
from frappe.desk.utils import slug
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.setup.roles import STAFF_WORKSPACES
from charity_beneficiary.setup.staff_desk import MODULE_PROFILE, apply_staff_desk
from charity_beneficiary.tests.factories import TEST_PASSWORD
from charity_beneficiary.tests.users import many_roles_user, role_user

OFFICER, ACCOUNTANT = "Beneficiary Relations Officer", "Charity Accountant"
STOREKEEPER, RESEARCHER = "Charity Storekeeper", "Social Researcher"
ERPNEXT_WORKSPACES = {"Manufacturing", "Accounting", "Stock", "Home", "Users", "Build", "Selling"}


class TestStaffDeskOverHTTP(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		from charity_beneficiary.tests.live_server import live_server

		super().setUpClass()
		cls.users = {role: role_user(role) for role in (OFFICER, ACCOUNTANT, STOREKEEPER, RESEARCHER)}
		frappe.db.commit()  # the HTTP server is another process
		cls.server = live_server()

	def login(self, user):
		session = self.server.session()
		response = session.post(
			f"{self.server.url}/api/method/login", data={"usr": user, "pwd": TEST_PASSWORD}
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		return session, response.json()

	def sidebar(self, session) -> set[str]:
		response = session.get(
			f"{self.server.url}/api/method/frappe.desk.desktop.get_workspace_sidebar_items"
		)
		self.assertEqual(response.status_code, 200, response.text[:300])
		return {page["name"] for page in response.json()["message"]["pages"]}

	def test_the_officer_sees_the_app_s_workspaces_and_not_erpnext_s(self):
		session, _login = self.login(self.users[OFFICER])
		pages = self.sidebar(session)
		self.assertIn("علاقات المستفيدين", pages)
		self.assertIn("المستفيدون", pages)
		self.assertFalse(pages & ERPNEXT_WORKSPACES, pages)

	def test_each_role_lands_on_its_workspace(self):
		for role, workspace in ((OFFICER, "علاقات المستفيدين"), (ACCOUNTANT, "صرف المساعدات")):
			with self.subTest(role=role):
				_session, login = self.login(self.users[role])
				self.assertEqual(login["home_page"], f"/app/{slug(workspace)}")
				self.assertEqual(frappe.db.get_value("Role", role, "home_page"), f"app/{slug(workspace)}")

	def test_the_accountant_still_opens_the_ledger_his_workspace_links(self):
		session, _login = self.login(self.users[ACCOUNTANT])
		self.assertIn("صرف المساعدات", self.sidebar(session))
		response = session.get(
			f"{self.server.url}/api/method/frappe.desk.query_report.get_script",
			params={"report_name": "General Ledger"},
		)
		self.assertEqual(response.status_code, 200, response.text[:300])  # blocking is the sidebar's only

	def test_each_role_sees_the_workspaces_of_its_work(self):
		"""R8.2: the accountant and the storekeeper landed on, or opened, the officer's desk (its counts
		of requests waiting) and a register of categories they have nothing to do with."""
		for role, sees, not_sees in (
			(STOREKEEPER, {"صرف المساعدات"}, {"علاقات المستفيدين", "المستفيدون"}),
			(ACCOUNTANT, {"صرف المساعدات"}, {"علاقات المستفيدين", "المستفيدون"}),
			(OFFICER, {"علاقات المستفيدين", "المستفيدون"}, {"صرف المساعدات"}),
		):
			with self.subTest(role=role):
				session, _login = self.login(self.users[role])
				pages = self.sidebar(session)
				self.assertTrue(sees <= pages, pages)
				self.assertFalse(not_sees & pages, pages)

	def test_no_shortcut_to_a_new_record_he_may_not_create(self):
		"""The researcher reads requests but takes none: the officer's "new request" opened him an empty
		form without a save button."""
		page = json.dumps({"name": "علاقات المستفيدين", "title": "علاقات المستفيدين"})
		for role, offered in ((RESEARCHER, False), (OFFICER, True)):
			with self.subTest(role=role):
				session, _login = self.login(self.users[role])
				response = session.post(
					f"{self.server.url}/api/method/frappe.desk.desktop.get_desktop_page", data={"page": page}
				)
				self.assertEqual(response.status_code, 200, response.text[:300])
				shortcuts = response.json()["message"]["shortcuts"]["items"]
				self.assertTrue(shortcuts)
				new = [item for item in shortcuts if item.get("doc_view") == "New"]
				self.assertEqual(bool(new), offered, new)


class TestWhoGetsTheStaffDesk(FrappeTestCase):
	def user(self, roles: list[str]):
		doc = frappe.new_doc("User")
		doc.update(
			{"email": "desk-rule@roles.test.localhost", "first_name": "desk", "user_type": "System User"}
		)
		doc.set("roles", [{"role": role} for role in roles])
		return doc

	def test_staff_only_users_get_the_profile_and_others_keep_their_whole_desk(self):
		self.assertEqual(frappe.db.get_value("User", many_roles_user(), "module_profile"), MODULE_PROFILE)

		staff = self.user([ACCOUNTANT, OFFICER])
		apply_staff_desk(staff)
		self.assertEqual(staff.module_profile, MODULE_PROFILE)
		self.assertEqual(staff.default_workspace, STAFF_WORKSPACES[OFFICER])  # the first role's
		self.assertTrue(staff.block_modules)

		erpnext_accountant = self.user([ACCOUNTANT, "Accounts User"])
		apply_staff_desk(erpnext_accountant)
		self.assertFalse(erpnext_accountant.module_profile)
		self.assertFalse(erpnext_accountant.block_modules)

		# a role from outside the app takes the app's profile away again
		staff.append("roles", {"role": "Accounts User"})
		apply_staff_desk(staff)
		self.assertFalse(staff.module_profile)
		self.assertFalse(staff.block_modules)

	def test_an_administrator_s_choice_of_profile_is_kept(self):
		staff = self.user([OFFICER])
		staff.module_profile = "ملف آخر"
		apply_staff_desk(staff)
		self.assertEqual(staff.module_profile, "ملف آخر")
