"""Check 2 (fieldnames) and check 4 (Select options) over DocType fields and Custom Field fixtures."""

from collections import Counter

import catalog as c
import pytest

APP = c.app()
FIELDS = list(c.iter_fields(APP))
SELECTS = [item for item in FIELDS if item[2].get("fieldtype") == "Select"]


def _fid(item):
	owner, _doctype, f = item
	return f"{owner}::{f.get('fieldname') or '<no fieldname>'}"


@pytest.mark.parametrize(
	"info", c.cases(APP.doctypes.values(), lambda i: i.rel, "the app has no DocTypes", required=True)
)
def test_fieldnames_unique(info):
	names = [f.get("fieldname") for f in info.fields]
	problems = [
		f"fieldname {n!r} used {k} times" for n, k in sorted(Counter(n for n in names if n).items()) if k > 1
	]
	problems += [
		f"field #{i} (label {info.fields[i].get('label')!r}) has no fieldname"
		for i, n in enumerate(names)
		if not n
	]
	c.fail_if(problems, info.rel)


@pytest.mark.parametrize("doc", c.cases(APP.custom_fields(), lambda d: d.where, "no Custom Field fixtures"))
def test_custom_field_does_not_clash(doc):
	dt, fieldname = doc.data.get("dt"), doc.data.get("fieldname")
	problems = []
	info = APP.find_doctype(dt) if dt else None
	if info and fieldname and info.field(fieldname):
		problems.append(f"{dt!r} already has a field {fieldname!r} ({info.rel})")
	same = [d.where for d in APP.custom_fields(dt) if d.data.get("fieldname") == fieldname]
	if len(same) > 1:
		problems.append(f"Custom Field {dt}.{fieldname} is defined {len(same)} times: {same}")
	c.fail_if(problems, doc.where)


@pytest.mark.parametrize("item", c.cases(FIELDS, _fid, "the app defines no fields", required=True))
def test_fieldname_snake_case_and_not_reserved(item):
	owner, _doctype, f = item
	name = f.get("fieldname")
	problems = []
	if not name:
		problems.append(f"a field has no fieldname (label {f.get('label')!r})")
	else:
		if not c.SNAKE_CASE.match(name):
			problems.append(
				f"fieldname {name!r} is not snake_case (lowercase letters, digits, single underscores)"
			)
		if len(name) > 64:
			problems.append(f"fieldname {name!r} is longer than 64 characters")
		if name in c.RESERVED_FIELDNAMES:
			problems.append(f"fieldname {name!r} is reserved by Frappe")
	c.fail_if(problems, owner)


@pytest.mark.parametrize("item", c.cases(SELECTS, _fid, "the app has no Select fields", required=True))
def test_select_options(item):
	owner, _doctype, f = item
	options = c.select_options(f.get("options"))
	non_blank = [o for o in options if o.strip()]
	problems = []
	if not non_blank:
		problems.append("options are empty")
	padded = [o for o in options if o != o.strip()]
	if padded:
		problems.append(f"options with leading/trailing whitespace: {padded}")
	dupes = sorted(o for o, k in Counter(o.strip() for o in non_blank).items() if k > 1)
	if dupes:
		problems.append(f"duplicate options: {dupes}")
	blank_inside = [i + 1 for i, o in enumerate(options) if not o.strip() and i > 0]
	if blank_inside:
		problems.append(f"blank options after the first line (lines {blank_inside})")
	default = f.get("default")
	if default not in (None, "") and str(default) not in options:
		problems.append(f"default {default!r} is not one of the options {non_blank}")
	c.fail_if(problems, f"{owner}: Select field {f.get('fieldname')!r}")
