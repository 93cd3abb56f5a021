"""One run of the benchmark of issue 14, on a site of its own (tests/benchmark/run makes it).

        cd sites && ../env/bin/python ../tests/benchmark/harness.py --site bench.localhost [sizes]

Loads the site to the sizes asked (generator.py), starts gunicorn on 127.0.0.1 (4 workers, as the
issue measured), and prints each path of the issue as ours / baseline / ratio / goal / met, then every
script report of the app as each role that has it. Every HTTP request has a timeout and goes to
127.0.0.1 only; the number of requests is --repeat per path. Figures are printed, never asserted.
"""

import argparse
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import frappe
import requests
from charity_beneficiary.tests.queries import recorded_queries
from frappe.utils import add_days, getdate, today

sys.path.insert(0, str(Path(__file__).parent))
import generator

HOST = "127.0.0.1"
TIMEOUT = 60  # seconds, any single request
PASSWORD = "Bench-Passw0rd!"
APP = "charity_beneficiary"
# the staff the measured paths run as (one user per role, made once)
OFFICER, MANAGER, REP, ACCOUNTANT = (
	"Beneficiary Relations Officer",
	"Charity Manager",
	"Branch Representative",
	"Charity Accountant",
)
# frappe's ToDo list adds no condition for a System Manager: the baseline is the bare list
SYSTEM = "System Manager"
# the portal row of the issue: this many beneficiaries at once, each filing --repeat / 3 requests
PORTAL_USERS = 20
FILE_REQUEST = "charity_beneficiary.assistance.portal_intake.file_request"
# the status of a report call frappe answered with a prepared report instead of running it
PREPARED = "a prepared report (not run)"


@dataclass
class Row:
	path: str
	ours: str
	baseline: str = ""
	ratio: float | None = None
	goal: str = ""
	met: bool | None = None


# --- measuring ----------------------------------------------------------------------------------
def p95(times: list[float]) -> float:
	ordered = sorted(times)
	return ordered[max(0, int(round(len(ordered) * 0.95)) - 1)]


class Server:
	"""gunicorn with frappe's WSGI app on a free port of 127.0.0.1, for this process's lifetime."""

	def __init__(self, site: str, workers: int):
		self.site = site
		with socket.socket() as s:
			s.bind((HOST, 0))
			self.port = s.getsockname()[1]
		self.url = f"http://{HOST}:{self.port}"
		gunicorn = Path(sys.executable).with_name("gunicorn")
		self.process = subprocess.Popen(
			[
				str(gunicorn),
				"-b",
				f"{HOST}:{self.port}",
				"-w",
				str(workers),
				"-t",
				"120",
				"frappe.app:application",
			],
			cwd=os.getcwd(),
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
			env={**os.environ, "SITES_PATH": os.getcwd()},
		)
		deadline = time.monotonic() + 90
		while time.monotonic() < deadline:
			try:
				requests.get(f"{self.url}/api/method/ping", headers=self.headers, timeout=2)
				return
			except requests.RequestException:
				time.sleep(0.5)
		self.stop()
		raise RuntimeError("gunicorn did not start")

	@property
	def headers(self) -> dict:
		return {"X-Frappe-Site-Name": self.site, "Accept": "application/json"}

	def session(self, user: str, password: str) -> requests.Session:
		session = requests.Session()
		session.headers.update(self.headers)
		session.post(
			f"{self.url}/api/method/login",
			data={"usr": user, "pwd": password},
			timeout=TIMEOUT,
		).raise_for_status()
		return session

	def stop(self):
		if self.process.poll() is None:
			self.process.terminate()
			self.process.wait(15)


def get_ms(session: requests.Session, url: str, params: dict) -> tuple[float, int]:
	started = time.perf_counter()
	response = session.get(url, params=params, timeout=TIMEOUT)
	return (time.perf_counter() - started) * 1000, response.status_code


def interleaved(calls: dict, repeat: int) -> dict[str, list[float]]:
	"""Each call `repeat` times, taking turns (the machine's noise falls on all alike), after one
	warm-up call each. A call that does not answer 200 stops there: its list holds the status."""
	times = {label: [] for label in calls}
	for label, call in calls.items():
		_ms, status = call()
		if status != 200:
			raise Refused(label, status)
	for _ in range(repeat):
		for label, call in calls.items():
			ms, status = call()
			if status != 200:
				raise Refused(label, status)
			times[label].append(ms)
	return times


class Refused(Exception):
	def __init__(self, label: str, status: int):
		super().__init__(f"{label}: {answer(status)}")
		self.status = status


# --- the seasonal programme against single disbursements (issue 11) -------------------------------
def bench_programme(households: int) -> list[Row]:
	"""One approved programme of `households` run in bulk against single cash disbursements, as
	programme_vs_single.py measures it (each run adds its own branch, services and 2 × households
	beneficiaries). Singles are a fifth of the households (at least 50): the rate is per second. The
	programme's notices job runs after the clock, its time printed apart, as in that script."""
	import programme_vs_single

	singles = max(50, households // 5)
	in_test = frappe.flags.in_test
	frappe.flags.in_test = True  # no outgoing mail from a benchmark (frappe's e-mail queue)
	try:
		single, bulk = programme_vs_single.measure(households, batch=200, singles=singles)
	finally:
		frappe.flags.in_test = in_test
		frappe.set_user("Administrator")
	ratio = bulk / single
	return [
		Row(
			f"a seasonal programme of {households:,} households run in bulk vs single cash disbursements "
			f"({singles:,} timed)",
			f"{bulk:.1f} households/s",
			f"single {single:.1f} /s",
			ratio,
			"≥ 5×",
			ratio >= 5,
		)
	]


# --- the site's users ----------------------------------------------------------------------------
def make_user(role: str, branch: str | None = None) -> str:
	from frappe.utils.password import update_password

	email = f"{role.lower().replace(' ', '-')}@bench.localhost"
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": role, "send_welcome_email": 0,
				"roles": [{"role": role}]}
		).insert(ignore_permissions=True)  # fmt: skip
	if branch and frappe.db.get_value("User", email, "charity_branch") != branch:
		user = frappe.get_doc("User", email)
		user.charity_branch = branch  # the app's User Permission on Branch follows
		user.save(ignore_permissions=True)
	update_password(email, PASSWORD)
	frappe.db.commit()
	return email


# --- the paths of the issue -----------------------------------------------------------------------
def list_call(session, server, doctype: str, filters: list, fields: list[str]):
	order = frappe.get_meta(doctype).sort_field or "creation"
	params = {
		"doctype": doctype,
		"fields": json.dumps([f"`tab{doctype}`.`{field}`" for field in fields]),
		"filters": json.dumps(filters),
		"order_by": f"`tab{doctype}`.`{order}` desc",
		"start": 0,
		"page_length": 20,
	}
	return lambda: get_ms(session, f"{server.url}/api/method/frappe.desk.reportview.get", params)


def bench_lists(server, sessions, repeat: int) -> list[Row]:
	todo_fields = ["name", "status", "description", "allocated_to"]
	ours_fields = ["name", "beneficiary_name", "status", "branch"]
	rows = []
	for label, session, filters in (
		("Beneficiary list filtered by status, officer", sessions[OFFICER], [["Beneficiary", "status", "=", "Active"]]),
		("Beneficiary list, default sort, branch representative", sessions[REP], []),
	):  # fmt: skip
		todo_filters = [["ToDo", "status", "=", "Open"]] if filters else []
		times = interleaved(
			{
				"ours": list_call(session, server, "Beneficiary", filters, ours_fields),
				"baseline": list_call(sessions[SYSTEM], server, "ToDo", todo_filters, todo_fields),
			},
			repeat,
		)
		ours, base = p95(times["ours"]), p95(times["baseline"])
		rows.append(
			Row(
				label,
				f"p95 {ours:.0f} ms",
				f"ToDo list p95 {base:.0f} ms",
				ours / base,
				"≤ 2× baseline",
				ours / base <= 2,
			)
		)
	return rows


def run_report(session, server, report: str, filters: dict):
	"""A call of the report; its status is PREPARED when frappe answered with a prepared report
	instead of running it (a stub in a few ms: timing it would measure nothing)."""
	params = {"report_name": report, "filters": json.dumps(filters)}

	def call():
		started = time.perf_counter()
		response = session.get(
			f"{server.url}/api/method/frappe.desk.query_report.run", params=params, timeout=TIMEOUT
		)
		ms = (time.perf_counter() - started) * 1000
		if response.status_code == 200 and (response.json().get("message") or {}).get("prepared_report"):
			return ms, PREPARED
		return ms, response.status_code

	return call


def answer(status) -> str:
	return status if status == PREPARED else f"HTTP {status}"


def reset_prepared_reports() -> None:
	"""frappe makes a script report a prepared report for good once a run of it takes over 15 s
	(Report.execute_script_report): the app's reports are not prepared ones (their JSON), so each
	run measures them again as they are; one that is flipped during the run shows as PREPARED."""
	modules = frappe.get_all("Module Def", filters={"app_name": APP}, pluck="name")
	for report in frappe.get_all(
		"Report",
		filters={"module": ("in", modules), "report_type": "Script Report", "prepared_report": 1},
		pluck="name",
	):
		print(f"{report} was a prepared report (a run took over 15 s): reset to run directly")
		frappe.db.set_value("Report", report, "prepared_report", 0, update_modified=False)
	frappe.db.commit()


def bench_reports(server, sessions, repeat: int, company: str) -> list[Row]:
	pending = frappe.db.count(
		"Assistance Request",
		{"docstatus": 1, "workflow_state": ("in", generator.PENDING)},
	)
	year = {
		"company": company,
		"from_date": add_days(today(), -364),
		"to_date": today(),
	}
	disbursed = frappe.db.count(
		"Aid Disbursement",
		{
			"docstatus": 1,
			"posting_date": ("between", (year["from_date"], year["to_date"])),
		},
	)
	month = last_full_month(company)
	in_month = frappe.db.count(
		"Aid Disbursement",
		{"docstatus": 1, "posting_date": ("between", (month["from_date"], month["to_date"]))},
	)
	rows = []
	for report, label, roles, filters in (
		("Assistance Request Ageing", f"Assistance Request Ageing, {pending:,} open requests", (MANAGER, OFFICER), {}),
		("Fund Utilisation", f"Fund Utilisation, a year ({disbursed:,} disbursements)", (ACCOUNTANT, MANAGER), year),
		("Aid Disbursement Register", f"Aid Disbursement Register, a month ({in_month:,} disbursements)", (ACCOUNTANT,), month),
	):  # fmt: skip
		for role in roles:
			try:
				worst = p95(
					interleaved(
						{role: run_report(sessions[role], server, report, filters)},
						repeat,
					)[role]
				)
			except Refused as refused:
				rows.append(
					Row(
						f"{label}, {role}",
						answer(refused.status),
						goal="≤ 1 s",
						met=False,
					)
				)
				continue
			rows.append(
				Row(
					f"{label}, {role}",
					f"p95 {worst / 1000:.2f} s",
					goal="≤ 1 s",
					met=worst <= 1000,
				)
			)
	rows.append(register_over_a_year(server, sessions[ACCOUNTANT], year, disbursed))
	return rows


def last_full_month(company: str) -> dict:
	"""The calendar month before this one: the register's default period (this month) once it is over."""
	from frappe.utils import get_first_day, get_last_day

	last_day = add_days(get_first_day(today()), -1)
	return {
		"company": company,
		"from_date": str(get_first_day(last_day)),
		"to_date": str(get_last_day(last_day)),
	}


def register_over_a_year(server, session, year: dict, disbursed: int) -> Row:
	"""Once, for information: the register lists every disbursement of its period, one row each, so
	a year is a listing of ~100k rows to export, not a screen; it has no goal of its own."""
	ms, status = run_report(session, server, "Aid Disbursement Register", year)()
	return Row(
		f"Aid Disbursement Register, a year ({disbursed:,} rows listed), {ACCOUNTANT}",
		f"{ms / 1000:.2f} s, {answer(status)}",
		goal="(information: a year's listing)",
	)


def bench_posting(repeat: int, settings: frappe._dict) -> list[Row]:
	"""In-process, as the issue measured: a cash Aid Disbursement insert+submit against a Journal Entry
	with the same accounts, party and fund (a copy of the one the disbursement posted), interleaved.
	The approved requests are prepared first (through the controllers, not timed)."""
	from charity_beneficiary.tests.factories import (
		make_active_beneficiary,
		make_approved_request,
	)

	frappe.set_user("Administrator")
	taken = frappe.db.count("Beneficiary", {"id_number": ("like", "195%")})
	beneficiary = make_active_beneficiary(
		id_number=generator.bench_id("1", 5_000_000 + taken),
		beneficiary_name="مستفيد قياس الصرف",
	).name
	cash_service = generator.SERVICES[0]
	approved = [
		make_approved_request(beneficiary, cash_service, approved_amount=500).name for _ in range(repeat + 1)
	]
	frappe.db.commit()

	def disburse(request: str):
		doc = frappe.get_doc(
			{"doctype": "Aid Disbursement", "assistance_request": request, "company": settings.company,
				"posting_date": today(), "charity_fund": generator.FUNDS[0], "amount": 500}
		)  # fmt: skip
		doc.insert()
		doc.submit()
		frappe.db.commit()
		return doc

	template = frappe.get_doc("Journal Entry", disburse(approved.pop()).journal_entry)

	def journal_entry():
		je = frappe.copy_doc(template)
		je.posting_date = today()
		je.insert()
		je.submit()
		frappe.db.commit()

	times = {"ours": [], "baseline": []}
	queries = {"ours": 0, "baseline": 0}
	for request in approved:
		for label, call in (
			("ours", lambda: disburse(request)),
			("baseline", journal_entry),
		):
			with recorded_queries() as recorded:
				started = time.perf_counter()
				call()
				times[label].append(time.perf_counter() - started)
			queries[label] += len(recorded)
	rate = {label: 1 / statistics.mean(values) for label, values in times.items()}
	q = {label: queries[label] / len(approved) for label in queries}
	ratio = rate["ours"] / rate["baseline"]
	return [
		Row(
			"cash Aid Disbursement insert+submit vs a Journal Entry (same accounts, party, fund)",
			f"{rate['ours']:.1f} /s ({q['ours']:.0f} queries)",
			f"{rate['baseline']:.1f} /s ({q['baseline']:.0f} queries)",
			ratio,
			"≥ 0.8",
			ratio >= 0.8,
		)
	]


# --- the portal intake -------------------------------------------------------------------------------
def make_portal_user(nth: int) -> str:
	"""A Website User with the role Beneficiary, linked to an active beneficiary of his own."""
	from charity_beneficiary.tests.factories import make_active_beneficiary
	from frappe.utils.password import update_password

	email = f"portal-{nth}@bench.localhost"
	if not frappe.db.exists("User", email):
		frappe.get_doc(
			{"doctype": "User", "email": email, "first_name": f"مستفيد {nth}", "user_type": "Website User",
				"send_welcome_email": 0, "roles": [{"role": "Beneficiary"}]}
		).insert(ignore_permissions=True)  # fmt: skip
	if not frappe.db.exists("Beneficiary", {"user": email}):
		make_active_beneficiary(
			# national IDs of a range of their own (posting 5M, registry 7M; Iqamas 6M: programmes)
			id_number=generator.bench_id("1", 8_000_000 + nth),
			beneficiary_name=f"مستفيد البوابة {nth}",
			user=email,
		)
	update_password(email, PASSWORD)
	frappe.db.commit()
	return email


def concurrently(sessions: list[tuple], call, per_user: int) -> tuple[float, list[float], int]:
	"""Every (user, session) makes `per_user` calls, all sessions at once (one thread each): the rate over
	the wall time, each call's time in ms, and how many did not answer 200."""
	times, failed, lock = [], [0], threading.Lock()

	def user(email, session):
		for _ in range(per_user):
			started = time.perf_counter()
			try:
				ok = call(email, session).status_code == 200
			except requests.RequestException:
				ok = False
			elapsed = (time.perf_counter() - started) * 1000
			with lock:
				times.append(elapsed)
				failed[0] += not ok

	threads = [threading.Thread(target=user, args=pair) for pair in sessions]
	started = time.perf_counter()
	for thread in threads:
		thread.start()
	for thread in threads:
		thread.join(timeout=TIMEOUT * per_user)
	return len(times) / (time.perf_counter() - started), times, failed[0]


def bench_portal_intake(server, repeat: int) -> list[Row]:
	"""20 beneficiaries at once file a cash request each, in one call (assistance/portal_intake.py),
	against the same 20 users inserting a ToDo over REST; two rounds each, taking turns. The
	queries of one request are counted in-process as one of them."""
	users = [make_portal_user(nth) for nth in range(1, PORTAL_USERS + 1)]
	# a re-run within the hour must not meet the endpoint's per-address limit (one address here)
	frappe.cache.delete_keys(f"rl:{FILE_REQUEST}")
	sessions = [(user, server.session(user, PASSWORD)) for user in users]
	service = generator.SERVICES[0]

	def file_request(_user, session):
		return session.post(
			f"{server.url}/api/method/{FILE_REQUEST}",
			data={"aid_service": service, "description": "طلب قياس من البوابة", "requested_amount": 100},
			timeout=TIMEOUT,
		)

	def todo(user, session):
		# frappe lets a user without System Manager insert a ToDo allocated to himself
		return session.post(
			f"{server.url}/api/resource/ToDo",
			json={"description": "قياس البوابة", "allocated_to": user},
			timeout=TIMEOUT,
		)

	per_user = max(2, repeat // 6)  # per round: 20 users x this, two rounds each
	results = {"ours": [0.0, [], 0], "baseline": [0.0, [], 0]}
	for _round in range(2):
		for label, call in (("ours", file_request), ("baseline", todo)):
			rate, times, failed = concurrently(sessions, call, per_user)
			results[label][0] += rate / 2
			results[label][1] += times
			results[label][2] += failed

	frappe.set_user(users[0])
	from charity_beneficiary.assistance.portal_intake import file_request as file_in_process

	with recorded_queries() as recorded:
		file_in_process(aid_service=service, description="طلب قياس من البوابة", requested_amount=100)
	frappe.db.commit()
	hook_share = workflow_action_share(
		lambda: file_in_process(aid_service=service, description="قياس", requested_amount=100)
	)
	frappe.set_user("Administrator")

	(ours_rate, ours_times, ours_failed), (base_rate, base_times, base_failed) = (
		results["ours"],
		results["baseline"],
	)
	ratio = ours_rate / base_rate
	p95_ratio = p95(ours_times) / p95(base_times)
	failures = f", {ours_failed} not 200" if ours_failed else ""
	return [
		Row(
			f"a beneficiary files a request on the portal in one call, {PORTAL_USERS} concurrent users",
			f"{ours_rate:.1f} /s, p95 {p95(ours_times):.0f} ms ({len(recorded)} queries{failures}; "
			f"frappe's workflow-action pass: {hook_share:.0%} of a filing in-process)",
			f"ToDo over REST {base_rate:.1f} /s, p95 {p95(base_times):.0f} ms"
			+ (f", {base_failed} not 200" if base_failed else ""),
			ratio,
			f"≥ 0.5; p95 ≤ 1.5× baseline (p95 ratio {p95_ratio:.2f})",
			ratio >= 0.5 and p95_ratio <= 1.5 and not ours_failed,
		)
	]


def workflow_action_share(file_one, filings: int = 20) -> float:
	"""The share of an in-process filing's time (cProfile, each filing rolled back) spent in frappe's
	workflow-action pass: its on_update/on_submit hook for every DocType with a workflow, which no app
	setting switches off (README: "Portal intake")."""
	import cProfile
	import pstats

	profile = cProfile.Profile()
	for _ in range(filings):
		profile.enable()
		file_one()
		profile.disable()
		frappe.db.rollback()
	stats = pstats.Stats(profile).stats  # (file, line, function) -> (calls, ..., own time, cumulative, ...)
	total = sum(own for _calls, _primitive, own, _cumulative, _callers in stats.values())
	hook = sum(
		cumulative
		for (file, _line, function), (_calls, _primitive, _own, cumulative, _callers) in stats.items()
		if function == "process_workflow_actions" and file.endswith("workflow_action.py")
	)
	return hook / total if total else 0.0


def every_script_report(server, company: str) -> list[Row]:
	"""Each script report of the app, once as each role that has it, over HTTP (default filters,
	plus the company and the last full month where the report takes dates: the register's default
	period is the month; Fund Utilisation's, a year, is timed in the table of the issue's paths)."""
	modules = frappe.get_all("Module Def", filters={"app_name": APP}, pluck="name")
	reports = frappe.get_all(
		"Report",
		filters={
			"module": ("in", modules),
			"report_type": "Script Report",
			"disabled": 0,
		},
		pluck="name",
	)
	filters = last_full_month(company)
	rows = []
	for report in sorted(reports):
		for role in sorted(
			frappe.get_all(
				"Has Role",
				filters={"parent": report, "parenttype": "Report"},
				pluck="role",
			)
		):
			session = server.session(make_user(role), PASSWORD)
			ms, status = run_report(session, server, report, filters)()
			rows.append(
				Row(
					f"{report}, {role}",
					f"{ms / 1000:.2f} s, {answer(status)}",
					goal="200, ≤ 1 s",
					met=status == 200 and ms <= 1000,
				)
			)
	return rows


# --- printing -----------------------------------------------------------------------------------
def print_table(title: str, rows: list[Row]) -> None:
	print(f"\n### {title}\n")
	print("| path | ours | baseline | ratio | goal | met |")
	print("| --- | --- | --- | --- | --- | --- |")
	for row in rows:
		ratio = f"{row.ratio:.2f}" if row.ratio is not None else ""
		met = "" if row.met is None else ("yes" if row.met else "**no**")
		print(f"| {row.path} | {row.ours} | {row.baseline} | {ratio} | {row.goal} | {met} |")
	sys.stdout.flush()


def machine() -> str:
	version = frappe.db.sql("select version()")[0][0]
	return f"{platform.node()}, {os.cpu_count()} cores, Python {platform.python_version()}, MariaDB {version}, frappe {frappe.__version__}"


PARTS = ("posting", "programme", "lists", "reports", "portal", "every-report")


def main():
	parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
	parser.add_argument("--site", required=True)
	parser.add_argument("--beneficiaries", type=int, default=100_000)
	parser.add_argument("--requests", type=int, default=100_000)
	parser.add_argument("--disbursements", type=int, default=20_000)
	parser.add_argument(
		"--gl-rows",
		type=int,
		default=300_000,
		help="ledger rows in all (aid and other)",
	)
	parser.add_argument(
		"--households",
		type=int,
		default=1000,
		help="the seasonal programme's households (its single disbursements: a fifth of them)",
	)
	parser.add_argument("--repeat", type=int, default=30, help="timed requests per path")
	parser.add_argument("--workers", type=int, default=4, help="gunicorn workers")
	parser.add_argument(
		"--only",
		default=",".join(PARTS),
		help=f"the parts to run, comma-separated (default: all of {', '.join(PARTS)})",
	)
	args = parser.parse_args()
	parts = set(args.only.split(","))
	if not parts <= set(PARTS):
		sys.exit(f"--only takes {', '.join(PARTS)}")
	if args.site in ("test.localhost", "charity.localhost"):
		sys.exit("the benchmark needs a site of its own")

	frappe.init(site=args.site, sites_path=".")
	frappe.connect()
	frappe.set_user("Administrator")
	started = time.perf_counter()
	try:
		settings = generator.load(args.beneficiaries, args.requests, args.disbursements, args.gl_rows)
		users = {role: make_user(role) for role in (OFFICER, MANAGER, ACCOUNTANT, SYSTEM)}
		users[REP] = make_user(REP, branch=generator.BRANCHES[0])
		reset_prepared_reports()
		server = Server(args.site, args.workers)
		try:
			sessions = {role: server.session(user, PASSWORD) for role, user in users.items()}
			print(f"\nbenchmark of {args.site}, {getdate()} — {machine()}")
			print(
				f"sizes: {frappe.db.count('Beneficiary'):,} beneficiaries, {frappe.db.count('ToDo'):,} ToDos, "
				f"{frappe.db.count('Assistance Request'):,} requests, {frappe.db.count('Aid Disbursement'):,} "
				f"disbursements, {frappe.db.count('GL Entry'):,} GL rows; gunicorn {args.workers} workers; "
				f"{args.repeat} requests per path"
			)
			rows = []
			if "posting" in parts:
				rows += bench_posting(max(5, args.repeat // 3), settings)
			if "programme" in parts:
				rows += bench_programme(args.households)
			if "lists" in parts:
				rows += bench_lists(server, sessions, args.repeat)
			if "reports" in parts:
				rows += bench_reports(server, sessions, max(3, args.repeat // 6), settings.company)
			if "portal" in parts:
				rows += bench_portal_intake(server, args.repeat)
			if rows:
				print_table("the paths of issue 14", rows)
			if "every-report" in parts:
				print_table(
					"every script report of the app, as each role that has it",
					every_script_report(server, settings.company),
				)
		finally:
			server.stop()
	finally:
		print(f"\nwhole run: {(time.perf_counter() - started) / 60:.1f} min")
		frappe.destroy()


if __name__ == "__main__":
	main()
