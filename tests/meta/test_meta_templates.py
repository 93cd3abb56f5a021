"""Every Jinja template the app ships escapes what it prints (issue 9 §3, stored cross-site scripting):
print formats, notification and e-mail bodies, portal pages.

frappe renders them all without autoescape, so each template turns it on itself with
``{% autoescape true %}``; outside such a block a ``{{ }}`` may print only a translated literal. ``| safe``
is allowed only on the few values that are trusted HTML, listed below with the reason. The checker's own
tests (at the end) show it flags what it must.
"""

import json
import re

import catalog as c
import pytest

PACKAGE = c.app_root() / "charity_beneficiary"

# The values a template may print unescaped, and why each is trusted.
TRUSTED_HTML = {
	"letter_head | safe": "the Letter Head, HTML set by the administrator",
	"declaration_text | safe": "the declaration, HTML written in the Beneficiary DocType itself",
	'(doc.findings or "") | safe': "a Text Editor field, sanitised by frappe on save",
	"doc.minutes | safe": "a Text Editor field, sanitised by frappe on save",
	'(doc.response or "") | e | replace("\\n", "<br>" | safe)': "escaped first; only the line breaks are markup",
}

COMMENT = re.compile(r"\{#.*?#\}", re.S)
EXPRESSION = re.compile(r"\{\{-?(.*?)-?\}\}", re.S)
OPEN = re.compile(r"\{%-?\s*autoescape\s+true\s*-?%\}")
CLOSE = re.compile(r"\{%-?\s*endautoescape\s*-?%\}")
TRANSLATED_LITERAL = re.compile(r'^\s*_\(\s*"[^"]*"\s*\)\s*$')
SAFE = re.compile(r"\|\s*safe\b")


def _templates() -> list[tuple[str, str]]:
	"""(id, Jinja source) of every print format, e-mail notification and HTML template of the app."""
	found = []
	for path in c.walk_files(PACKAGE, (".json",)):
		data = json.loads(path.read_text(encoding="utf-8"))
		rel = path.relative_to(PACKAGE).as_posix()
		if not isinstance(data, dict):
			continue
		if data.get("doctype") == "Print Format" and data.get("print_format_type") == "Jinja":
			found.append((f"{rel}::html", data.get("html") or ""))
		elif data.get("doctype") == "Notification" and data.get("channel") == "Email":
			found.append((f"{rel}::message", data.get("message") or ""))
	for path in c.walk_files(PACKAGE, (".html",)):
		found.append((path.relative_to(PACKAGE).as_posix(), path.read_text(encoding="utf-8")))
	return found


TEMPLATES = _templates()


def _without_comments(source: str) -> str:
	# blanked, not removed: offsets stay those of the source
	return COMMENT.sub(lambda m: " " * len(m.group()), source)


def _escaped_spans(source: str) -> list[tuple[int, int]]:
	spans = []
	for opening in OPEN.finditer(source):
		closing = CLOSE.search(source, opening.end())
		spans.append((opening.end(), closing.start() if closing else len(source)))
	return spans


def unescaped_expressions(source: str) -> list[str]:
	"""The `{{ }}` of `source` printed without autoescape, translated literals aside."""
	source = _without_comments(source)
	spans = _escaped_spans(source)
	return [
		match.group().strip()
		for match in EXPRESSION.finditer(source)
		if not any(start <= match.start() < end for start, end in spans)
		and not TRANSLATED_LITERAL.match(match.group(1))
	]


def untrusted_safe(source: str) -> list[str]:
	"""The `{{ }}` of `source` that mark as safe something not in TRUSTED_HTML."""
	return [
		" ".join(match.group(1).split())
		for match in EXPRESSION.finditer(_without_comments(source))
		if SAFE.search(match.group(1)) and " ".join(match.group(1).split()) not in TRUSTED_HTML
	]


def test_the_app_has_templates_to_check():
	ids = [template_id for template_id, _source in TEMPLATES]
	assert any("print_format" in i for i in ids) and any("notification" in i for i in ids)
	assert any(i.startswith("www/") for i in ids) and any("templates/" in i for i in ids)


@pytest.mark.parametrize(("template_id", "source"), TEMPLATES, ids=[t[0] for t in TEMPLATES])
def test_template_prints_nothing_unescaped(template_id, source):
	assert (
		unescaped_expressions(source) == []
	), "wrap the template (or the block) in {% autoescape true %} … {% endautoescape %}"


@pytest.mark.parametrize(("template_id", "source"), TEMPLATES, ids=[t[0] for t in TEMPLATES])
def test_template_marks_safe_only_trusted_html(template_id, source):
	assert untrusted_safe(source) == [], "only trusted HTML is | safe (see TRUSTED_HTML)"


# --- the checker itself ------------------------------------------------------------------------------
def test_checker_flags_a_value_printed_outside_autoescape():
	source = '{# {{ doc.x }} in a comment #}<b>{{ _("Name") }}</b> {{ doc.beneficiary_name }}'
	assert unescaped_expressions(source) == ["{{ doc.beneficiary_name }}"]


def test_checker_accepts_values_inside_autoescape_and_flags_after_it():
	source = "{% autoescape true -%}{{ doc.remarks }}{%- endautoescape %}{{ doc.remarks_after }}"
	assert unescaped_expressions(source) == ["{{ doc.remarks_after }}"]


def test_checker_flags_untrusted_safe():
	source = "{% autoescape true %}{{ letter_head | safe }}{{ doc.remarks | safe }}{% endautoescape %}"
	assert untrusted_safe(source) == ["doc.remarks | safe"]


def test_every_trusted_value_is_still_used():
	used = {
		" ".join(match.group(1).split())
		for _template_id, source in TEMPLATES
		for match in EXPRESSION.finditer(source)
	}
	assert set(TRUSTED_HTML) <= used, set(TRUSTED_HTML) - used
