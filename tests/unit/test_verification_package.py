"""Rules for the verification package as a whole: no Frappe, extractable messages, Arabic translations."""

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest

APP_DIR = Path(__file__).resolve().parents[2] / "apps" / "charity_beneficiary"
PACKAGE_DIR = APP_DIR / "charity_beneficiary" / "verification"
LOCALE_DIR = APP_DIR / "charity_beneficiary" / "locale"
MODULES = sorted(PACKAGE_DIR.glob("*.py"))


def _tree(path: Path) -> ast.Module:
	return ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _marker_calls(tree: ast.Module) -> list[ast.Call]:
	return [
		node
		for node in ast.walk(tree)
		if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "_"
	]


def _messages() -> set[str]:
	return {call.args[0].value for path in MODULES for call in _marker_calls(_tree(path))}


def test_package_has_the_expected_modules():
	names = {path.stem for path in MODULES}
	assert {"__init__", "errors", "digits", "ids", "phone", "iban", "names", "dates"} <= names


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_module_does_not_import_frappe(path):
	for node in ast.walk(_tree(path)):
		if isinstance(node, ast.Import):
			assert all(alias.name.split(".")[0] != "frappe" for alias in node.names)
		elif isinstance(node, ast.ImportFrom):
			assert (node.module or "").split(".")[0] != "frappe"


def test_package_imports_without_frappe_in_a_fresh_interpreter():
	# Independent of what other tests imported: a clean process, the whole public API, then look.
	code = (
		"import sys; import charity_beneficiary.verification as v; "
		"[getattr(v, name) for name in v.__all__]; "
		"sys.exit('frappe' in sys.modules)"
	)
	result = subprocess.run([sys.executable, "-c", code], cwd=APP_DIR, capture_output=True, text=True)
	assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("path", MODULES, ids=lambda path: path.name)
def test_messages_are_plain_string_literals(path):
	# Frappe's extractor can only collect literals; an f-string would also bake the values into the msgid.
	for call in _marker_calls(_tree(path)):
		assert len(call.args) == 1 and not call.keywords, ast.unparse(call)
		argument = call.args[0]
		assert isinstance(argument, ast.Constant) and isinstance(argument.value, str), ast.unparse(call)


def test_messages_use_numbered_placeholders_only():
	for message in _messages():
		for placeholder in re.findall(r"{([^}]*)}", message):
			assert placeholder.isdigit(), message


def _po_translations() -> dict[str, str]:
	"""msgid -> msgstr from every Arabic .po file or fragment in the app's locale folder (one-line entries)."""
	pairs: dict[str, str] = {}
	for path in sorted(LOCALE_DIR.glob("*ar.po*")):
		text = path.read_text(encoding="utf-8")
		for msgid, msgstr in re.findall(r'^msgid "(.*)"\nmsgstr "(.*)"$', text, flags=re.MULTILINE):
			pairs[msgid.replace('\\"', '"')] = msgstr.replace('\\"', '"')
	return pairs


def test_every_message_has_an_arabic_translation():
	translations = _po_translations()
	assert translations, f"no Arabic translation read from {LOCALE_DIR}/*ar.po*"
	for message in sorted(_messages()):
		assert translations.get(message), f"missing Arabic translation: {message}"
		expected = sorted(re.findall(r"{\d+}", message))
		assert sorted(re.findall(r"{\d+}", translations[message])) == expected, message
