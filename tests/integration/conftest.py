"""Connects pytest to the real test site, as `bench run-tests` would.

Loaded with `-p conftest` by bin/test, which runs pytest from this folder over the app's
own test modules (so `bench --site test.localhost run-tests --app charity_beneficiary`
runs the very same tests). Frappe must be initialised from `sites/`; test records and
`before_tests` hooks are not run by pytest, so this does what the app's tests need.
"""

import os
from pathlib import Path

import pytest

# bin/test names the bench (the alternate bench of .alt-bench/ shares these tests through a symlink)
BENCH_ROOT = Path(os.environ.get("CHARITY_BENCH_ROOT") or Path(__file__).resolve().parents[2])
SITE = os.environ.get("CHARITY_TEST_SITE", "test.localhost")


def pytest_configure(config):
	import frappe

	os.chdir(BENCH_ROOT / "sites")
	frappe.init(site=SITE, sites_path=".")
	if not frappe.conf.allow_tests:
		raise pytest.UsageError(
			f"{SITE} does not allow tests (bench --site {SITE} set-config allow_tests true)"
		)
	frappe.connect()
	frappe.flags.in_test = True
	frappe.set_user("Administrator")

	from charity_beneficiary.setup.install import before_tests

	before_tests()
	frappe.db.commit()
	config._charity_rows_before = app_row_counts()


# The records a test makes and must remove: every DocType of the app that holds people's data or
# their requests, and the ledger documents the app posts. Masters made idempotently by name
# (services, categories, criteria, templates, funds) and users (made once, tests/users.py) are not
# counted.
LEAK_CHECKED = (
	"Beneficiary",
	"Beneficiary Duplicate Review",
	"Assistance Request",
	"Research Report",
	"Research Committee Meeting",
	"Aid Disbursement",
	"Aid Programme",
	"Beneficiary Feedback",
	"Survey Invitation",
	"Survey Response",
)


def app_row_counts() -> dict[str, int]:
	import frappe

	frappe.db.rollback()  # a fresh snapshot of what is committed
	return {dt: frappe.db.count(dt) for dt in LEAK_CHECKED if frappe.db.table_exists(dt)}


def pytest_sessionfinish(session, exitstatus):
	"""Every test leaves the site as it found it: the committed rows of the app are counted before and
	after the run; a difference fails the run (CHARITY_LEAK_CHECK=warn only reports it)."""
	before = getattr(session.config, "_charity_rows_before", None)
	if before is None or exitstatus not in (0, pytest.ExitCode.TESTS_FAILED):
		return
	after = app_row_counts()
	leaked = {dt: after.get(dt, 0) - count for dt, count in before.items() if after.get(dt, 0) != count}
	if not leaked:
		return
	report = "rows left behind by the tests: " + ", ".join(f"{dt} {n:+d}" for dt, n in leaked.items())
	terminal = session.config.pluginmanager.get_plugin("terminalreporter")
	if terminal:
		terminal.write_line(report, red=True, bold=True)
	# fewer rows than before is reported, not failed: a test may clean up what an earlier,
	# interrupted run of it left on a developer's site
	if any(n > 0 for n in leaked.values()) and os.environ.get("CHARITY_LEAK_CHECK", "fail") != "warn":
		session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_unconfigure(config):
	import frappe

	if getattr(frappe.local, "site", None):
		frappe.destroy()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
	"""A failing test shows the end of the live HTTP server's log (the server's side of a REST call)."""
	outcome = yield
	report = outcome.get_result()
	if report.when == "call" and report.failed:
		from charity_beneficiary.tests import live_server

		if live_server._server is not None:
			report.sections.append(("live server log (tail)", live_server._server.tail()))
