"""Lint as a habit: ruff at the version the pre-commit hooks pin, with the app's settings, over the
app and the tests; and no SQL built from f-strings, `.format()` or `%`/`+` (frappe's semgrep rule).

The pre-commit hooks themselves fetch their repositories from GitHub, which a CI machine may not
reach; the same checks run here from PyPI's ruff (a bench dev-dependency of the app)."""

import ast
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APP = ROOT / "apps" / "charity_beneficiary"
PYPROJECT = APP / "pyproject.toml"
TARGETS = [str(APP / "charity_beneficiary"), str(ROOT / "tests")]
SQL_METHODS = {"sql", "multisql", "sql_list", "sql_ddl"}
WAIVER = "# sql-ok:"  # the reason follows: the formatted part is a constant or frappe's own SQL


def ruff() -> str:
	found = Path(sys.executable).with_name("ruff")
	return str(found) if found.exists() else (shutil.which("ruff") or pytest.fail("ruff is not installed"))


def pinned_ruff_version() -> str:
	config = (ROOT / ".pre-commit-config.yaml").read_text()
	match = re.search(r"ruff-pre-commit\s*\n\s*rev:\s*v?([0-9.]+)", config)
	assert match, "the ruff hook of .pre-commit-config.yaml has no rev"
	return match.group(1)


def run(*args) -> subprocess.CompletedProcess:
	return subprocess.run([ruff(), *args], capture_output=True, text=True, cwd=ROOT)


def test_ruff_is_the_pinned_version():
	version = run("--version").stdout.split()[-1]
	assert version == pinned_ruff_version(), f"ruff {version}, pre-commit pins {pinned_ruff_version()}"


def test_ruff_check():
	result = run("check", "--config", str(PYPROJECT), *TARGETS)
	assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format():
	result = run("format", "--check", "--config", str(PYPROJECT), *TARGETS)
	assert result.returncode == 0, result.stdout + result.stderr


def built_sql(node: ast.AST) -> bool:
	"""An SQL string put together from values: f-string, str.format, % or +."""
	if isinstance(node, ast.JoinedStr):
		return any(isinstance(part, ast.FormattedValue) for part in node.values)
	if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format":
		return True
	return isinstance(node, ast.BinOp) and isinstance(node.op, ast.Mod | ast.Add)


def sql_built_from_values() -> list[str]:
	found = []
	for path in sorted((APP / "charity_beneficiary").rglob("*.py")):
		lines = path.read_text().splitlines()
		for node in ast.walk(ast.parse("\n".join(lines))):
			if not (
				isinstance(node, ast.Call)
				and isinstance(node.func, ast.Attribute)
				and node.func.attr in SQL_METHODS
				and node.args
				and built_sql(node.args[0])
			):
				continue
			span = lines[node.lineno - 2 : node.end_lineno]  # the line above may carry the waiver
			if not any(WAIVER in line for line in span):
				found.append(f"{path.relative_to(ROOT)}:{node.lineno}")
	return found


def test_no_sql_built_from_values():
	found = sql_built_from_values()
	assert not found, (
		"SQL built from values (use frappe.qb or %s parameters; a constant part may be waived with "
		f"'{WAIVER} <reason>'): " + ", ".join(found)
	)


def test_the_sql_check_finds_what_it_should(tmp_path):
	sample = ast.parse('frappe.db.sql(f"select {x}")\nfrappe.db.sql("select %s", x)\n')
	calls = [n for n in ast.walk(sample) if isinstance(n, ast.Call) and getattr(n.func, "attr", "") == "sql"]
	assert [built_sql(c.args[0]) for c in calls] == [True, False]
