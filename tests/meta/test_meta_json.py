"""Check 1: every JSON parses; DocType / standard-doc JSON has the keys Frappe needs and sits in
the folder Frappe looks for it in (<module folder>/<kind>/<scrub(name)>/<scrub(name)>.json)."""

import catalog as c
import pytest

APP = c.app()


@pytest.mark.parametrize(
	"jf", c.cases(APP.json_files, lambda jf: jf.rel, "no JSON files in the app or bench fixtures")
)
def test_json_parses(jf):
	c.fail_if([] if jf.ok else [f"not valid JSON: {jf.error}"], jf.rel)


def test_modules_txt():
	problems = [
		f"module {m!r} has no package folder {c.scrub(m)!r}"
		for m in APP.modules
		if not (APP.pkg / c.scrub(m)).is_dir()
	]
	problems += [
		f"module {m!r} listed twice" for m in sorted({m for m in APP.modules if APP.modules.count(m) > 1})
	]
	c.fail_if(problems, APP.rel(APP.pkg / "modules.txt"))


def _shape_problems(jf, expected_doctype, module_required=True):
	if not jf.ok:
		return [f"does not parse: {jf.error}"]
	d = jf.data
	if not isinstance(d, dict):
		return [f"must be a JSON object, got {type(d).__name__}"]
	problems = []
	if d.get("doctype") != expected_doctype:
		problems.append(f'"doctype" is {d.get("doctype")!r}, expected {expected_doctype!r}')
	name, module = d.get("name"), d.get("module")
	if not name:
		problems.append('"name" is missing')
	if module and module not in APP.modules:
		problems.append(f"module {module!r} is not in modules.txt {APP.modules}")
	elif not module and module_required:
		problems.append('"module" is missing')
	parts = jf.path.relative_to(APP.pkg).parts
	if module and parts[0] != c.scrub(module):
		problems.append(
			f"module {module!r} but the file is in module folder {parts[0]!r} (expected {c.scrub(module)!r})"
		)
	if name and parts[2] != c.scrub(name):
		problems.append(f"name {name!r} but the folder is {parts[2]!r} (expected {c.scrub(name)!r})")
	return problems


@pytest.mark.parametrize(
	"jf", c.cases(APP.doctype_files, lambda jf: jf.rel, "the app has no DocTypes", required=True)
)
def test_doctype_json_shape(jf):
	problems = _shape_problems(jf, "DocType")
	if jf.ok and isinstance(jf.data, dict) and not isinstance(jf.data.get("fields"), list):
		problems.append('"fields" is missing or not a list')
	c.fail_if(problems, jf.rel)


@pytest.mark.parametrize(
	"item",
	c.cases(
		APP.standard_docs,
		lambda item: item[1].rel,
		"no Reports/Web Forms/Workspaces/... in the app",
		required=True,
	),
)
def test_standard_doc_json_shape(item):
	doctype, jf = item
	c.fail_if(_shape_problems(jf, doctype, module_required=doctype != "Workspace"), jf.rel)
