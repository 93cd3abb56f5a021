"""Check 3: Link / Table / Table MultiSelect targets exist (app, or frappe/erpnext when their sources are
present); Table targets are child tables; Table MultiSelect targets are child tables with a Link field;
Dynamic Link options name a Link-to-DocType or Select field of the same DocType."""

import catalog as c
import pytest

APP = c.app()
FW = c.framework()
LINKS = [item for item in c.iter_fields(APP) if item[2].get("fieldtype") in ("Link", *c.TABLE_FIELDTYPES)]
DYNAMIC = [item for item in c.iter_fields(APP) if item[2].get("fieldtype") == "Dynamic Link"]


def _fid(item):
	owner, _doctype, f = item
	return f"{owner}::{f.get('fieldname')}"


@pytest.mark.parametrize("item", c.cases(LINKS, _fid, "the app has no Link/Table fields", required=True))
def test_link_target_exists(item):
	owner, _doctype, f = item
	fieldtype, name, options = f.get("fieldtype"), f.get("fieldname"), f.get("options")
	header = f"{owner}: {fieldtype} field {name!r}"
	target = (options or "").strip()
	if not target:
		c.fail_if(["has no options (target DocType)"], header)
	if target != options:
		c.fail_if([f"options {options!r} has surrounding whitespace"], header)
	known = APP.doctype_known(target)
	if known is None:
		pytest.skip(f"{header} -> {target!r} is not an app DocType; {FW.skip_reason}")
	if not known:
		c.fail_if([f"points to {target!r}, which is not a DocType of the app, frappe or erpnext"], header)
	info = APP.find_doctype(target)
	problems = []
	if fieldtype in c.TABLE_FIELDTYPES and not info.istable:
		problems.append(f"-> {target!r} is not a child table (istable: 1) [{info.rel}]")
	if fieldtype == "Table MultiSelect" and not any(df.get("fieldtype") == "Link" for df in info.fields):
		problems.append(f"-> {target!r} has no Link field [{info.rel}]")
	if fieldtype == "Link" and info.istable:
		problems.append(f"-> {target!r} is a child table; a Link cannot point to one [{info.rel}]")
	c.fail_if(problems, header)


@pytest.mark.parametrize("item", c.cases(DYNAMIC, _fid, "the app has no Dynamic Link fields"))
def test_dynamic_link_options(item):
	owner, doctype, f = item
	pointer = f.get("options")
	header = f"{owner}: Dynamic Link {f.get('fieldname')!r}"
	if not pointer:
		c.fail_if(["has no options (the field holding the DocType)"], header)
	fields = APP.fields_of(doctype)
	if not fields and APP.doctype_known(doctype) is None:
		pytest.skip(f"{header}: fields of {doctype!r} unknown; {FW.skip_reason}")
	target = next((df for df in fields if df.get("fieldname") == pointer), None)
	if target is None:
		c.fail_if([f"options {pointer!r} is not a field of {doctype!r}"], header)
	ok = target.get("fieldtype") == "Select" or (
		target.get("fieldtype") == "Link" and target.get("options") == "DocType"
	)
	if not ok:
		c.fail_if(
			[
				f"options {pointer!r} must be a Link field to 'DocType' or a Select field, it is "
				f"{target.get('fieldtype')} -> {target.get('options')!r}"
			],
			header,
		)
