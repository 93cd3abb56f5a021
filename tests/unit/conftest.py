"""Plain pytest setup for the framework-free unit tests.

The app directory is put on sys.path so the tests need neither a bench nor an installed app, and the run
fails if anything it imported pulled in Frappe: these modules must stay usable (and testable) without it.
"""

import sys
from pathlib import Path

import pytest

UNIT_TESTS_DIR = Path(__file__).resolve().parent
APP_DIR = UNIT_TESTS_DIR.parents[1] / "apps" / "charity_beneficiary"

sys.path.insert(0, str(APP_DIR))


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
	# Integration tests may import Frappe on purpose; only judge runs made of unit tests alone.
	if not _only_unit_tests(session):
		return
	# The guard: fail the whole run (a raised assert here would only crash pytest with a traceback).
	if "frappe" in sys.modules:
		session.exitstatus = pytest.ExitCode.TESTS_FAILED
		reporter = session.config.pluginmanager.get_plugin("terminalreporter")
		if reporter:
			reporter.write_line("")
			reporter.write_sep("=", "'frappe' was imported during the unit tests", red=True, bold=True)


def _only_unit_tests(session: pytest.Session) -> bool:
	return all(Path(str(item.path)).resolve().is_relative_to(UNIT_TESTS_DIR) for item in session.items)
