"""Check 7: every user-facing string of the app has a non-empty Arabic msgstr in locale/ar.po.

User-facing strings: DocType names/descriptions, field labels/descriptions (breaks included), Select
options, Report names and JSON column/filter labels, Web Form titles and field labels, Print Format
names, Workspace labels/shortcuts/links/cards, Number Card and Dashboard Chart labels, Workflow states
and actions, role names, Custom Field labels, and literal _("...") / __("...") in .py/.js/.html/.vue.
Run `python tests/meta/extract_strings.py` for a ready-to-fill .po fragment of what is missing."""

import catalog as c
import pytest

APP = c.app()
PO = c.po_path(APP)


def test_po_file_parses():
	assert PO.is_file(), f"{APP.rel(PO)} is missing: the app's Arabic translations are gone"
	entries = c.parse_po(PO.read_text(encoding="utf-8"))
	keys = [(e.msgctxt, e.msgid) for e in entries if not e.obsolete]
	dupes = sorted({k for k in keys if keys.count(k) > 1}, key=str)
	assert not dupes, f"{APP.rel(PO)}: msgids defined twice (msgctxt, msgid): {dupes}"


def test_every_string_translated_to_arabic():
	# an app without strings, or without its .po file, has lost them: it fails rather than skips
	assert c.collect_messages(APP), "no user-facing strings found in the app: the extraction is broken"
	path, missing = c.missing_translations(APP)
	assert (
		path.is_file()
	), f"{APP.rel(path)} is missing, so {len(missing)} user-facing string(s) have no Arabic translation"
	if not missing:
		return
	lines = [f"{len(missing)} user-facing string(s) have no Arabic msgstr in {APP.rel(path)}:"]
	for source, msgs in c.group_by_source(missing).items():
		lines.append(f"  {source}:")
		for m in msgs:
			ctx = f"  [msgctxt {m.context!r}]" if m.context else ""
			lines.append(f"    {m.msgid!r}{ctx}  ({m.where})")
	lines.append("Run `python tests/meta/extract_strings.py` for a ready-to-fill .po fragment.")
	pytest.fail("\n".join(lines), pytrace=False)
