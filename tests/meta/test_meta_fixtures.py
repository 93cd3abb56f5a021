"""Check 8: fixture JSON - the app's <pkg>/fixtures/*.json and the bench demo data in <repo>/fixtures.
Each doc has "doctype"; the doctype exists; its keys (and nested child rows' keys) are fields of that
doctype; Custom Field / Property Setter fixtures are complete and point at existing DocTypes/fields."""

import catalog as c
import pytest

APP = c.app()
FW = c.framework()
ALL_FIXTURES = APP.fixture_docs + APP.bench_fixture_docs


def _files():
	files = {}
	fixture_dir = APP.pkg / "fixtures"
	for jf in APP.json_files:
		if jf.path.parent == fixture_dir or jf.rel.startswith("bench-fixtures/"):
			files[jf.rel] = jf
	return list(files.values())


@pytest.mark.parametrize(
	"jf", c.cases(_files(), lambda jf: jf.rel, "no fixture files (app fixtures/ or bench fixtures/)")
)
def test_fixture_file_is_list_of_docs(jf):
	if not jf.ok:
		c.fail_if([f"does not parse: {jf.error}"], jf.rel)
	data = jf.data if isinstance(jf.data, list) else [jf.data]
	bad = [i for i, d in enumerate(data) if not isinstance(d, dict) or not d.get("doctype")]
	c.fail_if([f'items without a "doctype" key at positions {bad}'] if bad else [], jf.rel)


def _known_keys(doctype):
	return {f.get("fieldname"): f for f in APP.fields_of(doctype) if f.get("fieldname")}


def _key_problems(data: dict, doctype: str, path: str):
	"""Unknown keys, layout-field keys, and recursion into Table rows."""
	problems = []
	fields = _known_keys(doctype)
	allowed_extra = c.EXTRA_DOC_KEYS | APP.workflow_fields(doctype)
	for key, value in data.items():
		if key in allowed_extra:
			continue
		f = fields.get(key)
		if f is None:
			problems.append(f"{path}.{key}: {doctype!r} has no field {key!r}")
		elif f.get("fieldtype") in c.NO_VALUE_FIELDTYPES:
			problems.append(f"{path}.{key}: {key!r} is a {f.get('fieldtype')} and holds no value")
		elif f.get("fieldtype") in c.TABLE_FIELDTYPES:
			if not isinstance(value, list):
				problems.append(f"{path}.{key}: table field must be a list, got {type(value).__name__}")
				continue
			child_dt = f.get("options")
			for i, row in enumerate(value):
				if not isinstance(row, dict):
					problems.append(f"{path}.{key}[{i}]: child row must be an object")
					continue
				if row.get("doctype") not in (None, child_dt):
					problems.append(
						f"{path}.{key}[{i}]: doctype {row.get('doctype')!r}, expected {child_dt!r}"
					)
				if APP.find_doctype(child_dt):
					problems += _key_problems(row, child_dt, f"{path}.{key}[{i}]")
	return problems


@pytest.mark.parametrize("doc", c.cases(ALL_FIXTURES, lambda d: d.where, "no fixture docs"))
def test_fixture_doc_fields_known(doc):
	dt = doc.doctype
	if not dt:
		c.fail_if(['no "doctype" key'], doc.where)
	known = APP.doctype_known(dt)
	if known is None:
		pytest.skip(f"{doc.where}: {dt!r} is not an app DocType; {FW.skip_reason}")
	if not known:
		c.fail_if([f"doctype {dt!r} does not exist in the app, frappe or erpnext"], doc.where)
	data = doc.data
	problems = []
	if doc.file.rel.startswith("bench-fixtures/"):
		data = {k: v for k, v in data.items() if k != "_match"}
		problems += _match_problems(doc.data, dt)
	problems += _key_problems(data, dt, "doc")
	c.fail_if(problems, f"{doc.where} ({dt})")


def _match_problems(data: dict, doctype: str):
	"""Bench demo data (setup/site_setup.py load_demo_data): a doc is found again by `name`, else by
	the fields listed in `_match`; without either, every load inserts it again."""
	match = data.get("_match")
	if match is None:
		return [] if data.get("name") else ["neither 'name' nor '_match': every load would insert it again"]
	if not (isinstance(match, list) and match and all(isinstance(m, str) for m in match)):
		return [f"_match must be a non-empty list of fieldnames, got {match!r}"]
	fields = _known_keys(doctype)
	problems = [
		f"_match names {m!r}, which is not a field of {doctype!r}"
		for m in match
		if m not in fields and m not in c.EXTRA_DOC_KEYS
	]
	problems += [
		f"_match names {m!r}, but the doc has no value for it" for m in match if data.get(m) in (None, "")
	]
	return problems


CUSTOM_FIELDS = [d for d in ALL_FIXTURES if d.doctype == "Custom Field"]
PROPERTY_SETTERS = [d for d in ALL_FIXTURES if d.doctype == "Property Setter"]


def _doctype_problem(doc, key):
	"""Problem text when doc[key] names no DocType; skips when that cannot be known."""
	dt = doc.data.get(key)
	if not dt:
		return []
	known = APP.doctype_known(dt)
	if known is None:
		pytest.skip(f"{doc.where}: {key} {dt!r} is not an app DocType; {FW.skip_reason}")
	return [] if known else [f"{key} {dt!r} is not a DocType of the app, frappe or erpnext"]


@pytest.mark.parametrize("doc", c.cases(CUSTOM_FIELDS, lambda d: d.where, "no Custom Field fixtures"))
def test_custom_field_fixture(doc):
	d = doc.data
	problems = [f"{key!r} is missing" for key in ("dt", "fieldname", "fieldtype") if not d.get(key)]
	if d.get("dt") and d.get("fieldname") and d.get("name") and d["name"] != f"{d['dt']}-{d['fieldname']}":
		problems.append(f"name {d['name']!r} should be '{d['dt']}-{d['fieldname']}' (Custom Field autoname)")
	insert_after = d.get("insert_after")
	if (
		insert_after
		and d.get("dt")
		and APP.find_doctype(d["dt"])
		and insert_after not in _known_keys(d["dt"])
	):
		problems.append(f"insert_after {insert_after!r} is not a field of {d['dt']!r}")
	problems += _doctype_problem(doc, "dt")
	c.fail_if(problems, doc.where)


@pytest.mark.parametrize("doc", c.cases(PROPERTY_SETTERS, lambda d: d.where, "no Property Setter fixtures"))
def test_property_setter_fixture(doc):
	d = doc.data
	problems = [f"{key!r} is missing" for key in ("doc_type", "property") if not d.get(key)]
	if "value" not in d:
		problems.append("'value' is missing")
	is_field = d.get("doctype_or_field") == "DocField"
	if is_field and not d.get("field_name"):
		problems.append("doctype_or_field is DocField but 'field_name' is missing")
	if is_field and d.get("field_name") and APP.find_doctype(d.get("doc_type") or ""):
		if d["field_name"] not in _known_keys(d["doc_type"]):
			problems.append(f"{d['doc_type']!r} has no field {d['field_name']!r}")
	problems += _doctype_problem(doc, "doc_type")
	c.fail_if(problems, doc.where)
