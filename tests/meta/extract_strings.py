#!/usr/bin/env python3
"""Print the app's user-facing strings that have no Arabic translation in locale/ar.po, as a
ready-to-fill .po fragment (msgid + empty msgstr), grouped by source file.

	python tests/meta/extract_strings.py                 # missing strings only
	python tests/meta/extract_strings.py --all           # every user-facing string
	python tests/meta/extract_strings.py --prefill-roles # msgstr of role names from ROLES label_ar
	python tests/meta/extract_strings.py --header >> apps/<app>/<app>/locale/ar.po  # new file

META_APP_ROOT picks another app (see catalog.py). No frappe import.
"""

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import catalog as c

HEADER = """msgid ""
msgstr ""
"Project-Id-Version: {app}\\n"
"Language: ar\\n"
"MIME-Version: 1.0\\n"
"Content-Type: text/plain; charset=UTF-8\\n"
"Content-Transfer-Encoding: 8bit\\n"
"Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 ? 4 : 5);\\n"
"""


def main(argv=None) -> int:
	parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
	parser.add_argument(
		"--all", action="store_true", help="print every user-facing string, not only missing ones"
	)
	parser.add_argument(
		"--prefill-roles", action="store_true", help="fill role names' msgstr from ROLES label_ar"
	)
	parser.add_argument("--header", action="store_true", help="start with a .po header (for a new ar.po)")
	args = parser.parse_args(argv)

	app = c.app()
	path = c.po_path(app)
	messages = c.collect_messages(app) if args.all else c.missing_translations(app)[1]
	role_ar = {r.get("role_name"): r.get("label_ar") for r in app.roles if isinstance(r, dict)}

	# one entry per (msgctxt, msgid); every source it comes from as a `#:` reference
	entries: dict = {}
	for m in messages:
		entries.setdefault((m.context, m.msgid), []).append(m)

	out = []
	if args.header:
		out.append(HEADER.format(app=app.name))
	state = "exists" if path.is_file() else "does not exist yet"
	print(f"# {len(entries)} string(s) for {app.rel(path)} ({state})", file=sys.stderr)
	done = set()
	for source, msgs in c.group_by_source(messages).items():
		block = []
		for m in msgs:
			key = (m.context, m.msgid)
			if key in done:
				continue
			done.add(key)
			refs = sorted({f"{x.source}" for x in entries[key]})
			comments = sorted({x.where for x in entries[key]})
			block.append("".join(f"#. {w}\n" for w in comments[:3]) + "".join(f"#: {r}\n" for r in refs))
			if m.context:
				block[-1] += c.po_quote("msgctxt", m.context) + "\n"
			block[-1] += c.po_quote("msgid", m.msgid) + "\n"
			msgstr = role_ar.get(m.msgid, "") if args.prefill_roles else ""
			block[-1] += c.po_quote("msgstr", msgstr or "") + "\n"
		if block:
			out.append(f"# --- {source} ---\n" + "\n".join(block))
	print("\n".join(out), end="")
	return 0


if __name__ == "__main__":
	sys.exit(main())
