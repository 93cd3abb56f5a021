"""Connects pytest to the real test site exactly as the integration suite does (frappe initialised
from sites/, the app's before_tests, and the same leak check at the end): its hooks are reused."""

import importlib.util
from pathlib import Path

_spec = importlib.util.spec_from_file_location(
	"integration_conftest", Path(__file__).resolve().parents[1] / "integration" / "conftest.py"
)
_integration = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(_integration)

BENCH_ROOT = _integration.BENCH_ROOT
SITE = _integration.SITE
pytest_configure = _integration.pytest_configure
pytest_sessionfinish = _integration.pytest_sessionfinish
pytest_unconfigure = _integration.pytest_unconfigure
