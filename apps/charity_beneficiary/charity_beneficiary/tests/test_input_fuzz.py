"""R8.3 over HTTP: no input ever gives a server error, and a refusal writes nothing.

Hypothesis generates junk — numbers, lists, objects, booleans, long texts, impossible and Arabic-Indic
dates, huge numbers, real record names — for every field of every app DocType a role can create (the
fields come from the meta, so new ones are fuzzed without new code), for the records' updates, for every
whitelisted method of the app, for the web forms' `accept` and for the portal pages. Each is sent through
the live server as a user whose roles may call it, and the answer must be below 500, carry a message, and
— when it is a refusal — leave the row counts of the app's tables as they were.

The seed is fixed (derandomize) and the examples bounded, so a run is repeatable and takes a few minutes.
"""

import importlib
import inspect
import json
import pkgutil
from itertools import count

import frappe
from frappe.tests.utils import FrappeTestCase
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import charity_beneficiary
from charity_beneficiary.service_quality.survey import ensure_default_survey, invite
from charity_beneficiary.setup.roles import ROLES
from charity_beneficiary.tests.factories import (
	TEST_PASSWORD,
	make_active_beneficiary,
	make_aid_service,
	make_request,
)
from charity_beneficiary.tests.live_server import live_server
from charity_beneficiary.tests.users import portal_email, portal_user, roles_email, roles_user

APP = "charity_beneficiary"
SERVICE = "خدمة (اختبار المدخلات)"
STAFF_ROLES = [
	r["role_name"] for r in ROLES if r["desk_access"] and r["role_name"] != "Branch Representative"
]
STAFF = roles_email(STAFF_ROLES)
PORTAL = portal_email(1)

FUZZ = settings(
	max_examples=10,
	deadline=None,
	derandomize=True,
	database=None,
	suppress_health_check=list(HealthCheck),
)

BAD_DATES = [
	"2025-13-45",
	"2025-02-30",
	"0000-00-00",
	"99999-01-01",
	"15/03/2025",
	"٢٠٢٥-٠٣-١٥",
	"١٤٤٦-٠٩-١٥",
	"۲۰۲۵-۰۳-۱۵",
	"2025-03-15 25:61:00",
	"yesterday",
	"0001-01-01",
]


def scalars(real: list[str]):
	return st.one_of(
		st.none(),
		st.booleans(),
		st.integers(min_value=-(10**30), max_value=10**30),
		st.floats(),
		st.text(max_size=20),
		st.text(min_size=141, max_size=300),
		st.just("ن" * 70_000),
		st.sampled_from(BAD_DATES),
		st.sampled_from(real),
	)


def junk(real: list[str]):
	"""Anything JSON can carry, nested a little."""
	return st.recursive(
		scalars(real),
		lambda inner: st.one_of(
			st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=10), inner, max_size=3)
		),
		max_leaves=4,
	)


def payload(doctype: str, real: list[str], depth: int = 0):
	"""An object with junk in any subset of the DocType's fields; child tables get junk rows too."""
	meta = frappe.get_meta(doctype)
	fields = {}
	for df in meta.fields:
		if df.fieldtype in frappe.model.table_fields and depth == 0:
			fields[df.fieldname] = st.one_of(
				junk(real), st.lists(payload(df.options, real, depth + 1), max_size=2)
			)
		elif df.fieldtype in frappe.model.data_fieldtypes:
			fields[df.fieldname] = junk(real)
	return st.fixed_dictionaries({}, optional=fields)


def app_doctypes(**filters) -> list[str]:
	return frappe.get_all(
		"DocType", filters={"module": ("in", frappe.get_module_list(APP)), **filters}, pluck="name"
	)


def creatable_doctypes() -> list[str]:
	"""App DocTypes that some role may create (not child tables, not single settings)."""
	return [
		doctype
		for doctype in app_doctypes(istable=0, issingle=0)
		if any(perm.create for perm in frappe.get_meta(doctype).permissions)
	]


def whitelisted_methods() -> list:
	"""Every whitelisted function of the app (its modules imported once), tests and patches aside."""
	for module in pkgutil.walk_packages(charity_beneficiary.__path__, f"{APP}."):
		if not any(part in module.name for part in (".tests", ".test_", ".patches", ".setup.")):
			importlib.import_module(module.name)
	return sorted(
		(fn for fn in frappe.whitelisted if fn.__module__.startswith(f"{APP}.")),
		key=lambda fn: (fn.__module__, fn.__qualname__),
	)


class TestInputFuzz(FrappeTestCase):
	@classmethod
	def setUpClass(cls):
		super().setUpClass()
		roles_user(*STAFF_ROLES)
		portal_user(1)
		ensure_default_survey()
		make_aid_service(SERVICE)
		cls.created = []
		beneficiary = make_active_beneficiary(user=PORTAL, email_id=None)
		request = make_request(beneficiary.name, SERVICE)
		submitted = make_request(beneficiary.name, SERVICE, submit=True)
		invitation = invite(submitted.name)
		cls.created += [
			("Survey Invitation", invitation),
			("Assistance Request", request.name),
			("Assistance Request", submitted.name),
			("Beneficiary", beneficiary.name),
		]
		cls.records = {"Beneficiary": beneficiary.name, "Assistance Request": request.name}
		cls.real = [
			beneficiary.name,
			request.name,
			submitted.name,
			SERVICE,
			frappe.db.get_value("Survey Invitation", invitation, "token"),
		]
		frappe.db.commit()
		try:
			cls.server = live_server()
			cls.sessions = {
				"staff": cls.server.session(STAFF, TEST_PASSWORD),
				"portal": cls.server.session(PORTAL, TEST_PASSWORD),
				"guest": cls.server.session(),
			}
		except Exception:
			cls.remove_records()  # tearDownClass is not called when setUpClass fails
			raise
		cls.tables = app_doctypes(issingle=0)
		cls.addresses = count(1)

	@classmethod
	def tearDownClass(cls):
		cls.remove_records()
		super().tearDownClass()

	@classmethod
	def remove_records(cls):
		frappe.set_user("Administrator")
		frappe.db.rollback()
		for doctype, name in reversed(cls.created):
			if not name or not frappe.db.exists(doctype, name):
				continue
			if frappe.db.get_value(doctype, name, "docstatus") == 1:
				frappe.db.set_value(doctype, name, "docstatus", 2)  # a fuzzed record that got submitted
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
		frappe.db.commit()

	# --- sending ---------------------------------------------------------------------------------
	def counts(self) -> dict:
		frappe.db.rollback()  # a new snapshot: see what the server committed
		return {table: frappe.db.count(table) for table in self.tables}

	def send(self, who: str, method: str, path: str, body=None, params=None):
		"""One request; asserts it was answered (no 5xx, a message) and that a refusal wrote nothing."""
		before = self.counts()
		headers = {
			"Content-Type": "application/json",
			"Accept": "application/json" if path.startswith("api/") else "text/html",
			# each request from its own address, so frappe's per-address rate limits do not hide a fault
			"X-Forwarded-For": "10.{}.{}.{}".format(*next(self.addresses).to_bytes(3, "big")),
		}
		response = self.sessions[who].request(
			method,
			f"{self.server.url}/{path}",
			data=None if body is None else json.dumps(body, allow_nan=True),
			params=params,
			headers=headers,
		)
		context = f"{who} {method} /{path} {params or ''} {json.dumps(body, allow_nan=True)[:300]}"
		self.assertLess(response.status_code, 500, f"{context}\n=> {response.text[:1500]}")
		self.assert_message(response, who, context)
		if response.status_code >= 400:
			self.assertEqual(self.counts(), before, f"a refusal wrote rows: {context}")
		return response

	def assert_message(self, response, who: str, context: str) -> None:
		if "json" not in response.headers.get("Content-Type", ""):
			self.assertTrue(response.text.strip(), f"an empty page: {context}")
			if who == "guest":
				self.assertNotIn("Traceback", response.text, f"a traceback to a guest: {context}")
			return
		body = response.json()
		if response.status_code >= 400:
			self.assertTrue(
				body.get("_server_messages") or body.get("message") or body.get("errors"),
				f"a refusal without a message: {context}\n=> {response.text[:500]}",
			)
		if who == "guest":
			self.assertFalse(body.get("exc") or body.get("exception"), f"a traceback to a guest: {context}")

	def fuzz(self, strategy, send_one) -> None:
		@FUZZ
		@given(value=strategy)
		def run(value):
			send_one(value)

		run()

	def forget_created(self, doctype: str, response) -> None:
		if response.status_code < 300 and isinstance(data := response.json().get("data"), dict):
			self.created.append((doctype, data.get("name")))

	# --- the targets -----------------------------------------------------------------------------
	def test_create_every_app_doctype(self):
		for doctype in creatable_doctypes():
			with self.subTest(doctype=doctype):

				def create(body, doctype=doctype):
					self.forget_created(doctype, self.send("staff", "POST", f"api/resource/{doctype}", body))

				self.fuzz(payload(doctype, self.real), create)

	def test_update_records(self):
		for doctype, name in self.records.items():
			with self.subTest(doctype=doctype):

				def update(body, doctype=doctype, name=name):
					self.send("staff", "PUT", f"api/resource/{doctype}/{name}", body)

				self.fuzz(payload(doctype, self.real), update)

	def test_desk_client_methods(self):
		doctypes = st.sampled_from(creatable_doctypes())

		def client(doctype_and_body):
			doctype, body = doctype_and_body
			self.send(
				"staff", "POST", "api/method/frappe.client.insert", {"doc": {**body, "doctype": doctype}}
			)
			self.send(
				"staff",
				"POST",
				"api/method/frappe.client.set_value",
				{"doctype": "Beneficiary", "name": self.records["Beneficiary"], "fieldname": body},
			)

		self.fuzz(doctypes.flatmap(lambda dt: st.tuples(st.just(dt), payload(dt, self.real))), client)

	def test_web_forms_accept(self):
		for web_form in frappe.get_all("Web Form", filters={"module": ("in", frappe.get_module_list(APP))}):
			doctype = frappe.db.get_value("Web Form", web_form.name, "doc_type")
			with self.subTest(web_form=web_form.name):

				def accept(data, web_form=web_form.name, doctype=doctype):
					data = data if isinstance(data, str) else json.dumps(data, allow_nan=True)
					response = self.send(
						"portal",
						"POST",
						"api/method/frappe.website.doctype.web_form.web_form.accept",
						{"web_form": web_form, "data": data},
					)
					if response.status_code < 300:
						self.created.append((doctype, response.json()["message"].get("name")))

				self.fuzz(st.one_of(payload(doctype, self.real), junk(self.real)), accept)

	def test_whitelisted_methods(self):
		for fn in whitelisted_methods():
			path = f"{fn.__module__}.{fn.__qualname__}"
			http = frappe.allowed_http_methods_for_whitelisted_func.get(fn, ["GET", "POST"])
			who = ["staff", "portal", *(["guest"] if fn in frappe.guest_methods else [])]
			params = {
				name: junk(self.real)
				for name, p in inspect.signature(fn).parameters.items()
				if p.kind not in (p.VAR_KEYWORD, p.VAR_POSITIONAL)
			}
			with self.subTest(method=path):

				def call(args, path=path, http=http):
					user, body = args
					self.send(user, "POST" if "POST" in http else "GET", f"api/method/{path}", body)

				self.fuzz(st.tuples(st.sampled_from(who), st.fixed_dictionaries({}, optional=params)), call)

	def test_portal_pages(self):
		routes = [
			*frappe.get_all(
				"Web Form", filters={"module": ("in", frappe.get_module_list(APP))}, pluck="route"
			),
			"survey",
			"my-requests",
		]

		def visit(args):
			user, route, suffix, query = args
			self.send(user, "GET", f"{route}{suffix}", params=query)

		self.fuzz(
			st.tuples(
				st.sampled_from(["guest", "portal", "staff"]),
				st.sampled_from(routes),
				st.sampled_from(["", "/new", "/" + self.real[0], "/%7B%22a%22%3A1%7D", "/x" * 80]),
				st.dictionaries(
					st.sampled_from(["token", "name", "new", "amend", "x"]),
					st.one_of(st.text(max_size=200), st.sampled_from(self.real)),
					max_size=2,
				),
			),
			visit,
		)
