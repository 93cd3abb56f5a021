"""Check 5: every role the app names (DocType permissions, Report/Page/Workspace/Dashboard Chart roles,
Notification recipients, Workflow transitions `allowed` / states `allow_edit`, Custom DocPerm) is a
known role: frappe/erpnext roles (read from their JSON and install code) or the app's own roles
(setup/roles.py ROLES, Role fixtures)."""

import re

import catalog as c
import pytest

APP = c.app()
FW = c.framework()
REFS = [
	(doc, where, role)
	for doc in APP.docs + APP.bench_fixture_docs
	for where, role in c.role_references(doc.data)
]
ARABIC = re.compile(r"[\u0600-\u06FF]")


def test_roles_module():
	if APP.roles_error:
		c.fail_if([APP.roles_error], "setup/roles.py")
	if not (isinstance(APP.roles, list) and APP.roles):
		c.fail_if(["ROLES must be a non-empty list"], "setup/roles.py")
	problems = []
	names = []
	for i, r in enumerate(APP.roles):
		if not isinstance(r, dict):
			problems.append(f"ROLES[{i}] is not a dict")
			continue
		extra = set(r) - {"role_name", "desk_access", "label_ar"}
		missing = {"role_name", "desk_access", "label_ar"} - set(r)
		if missing or extra:
			problems.append(f"ROLES[{i}] keys: missing {sorted(missing)}, unexpected {sorted(extra)}")
		name = r.get("role_name")
		names.append(name)
		if not isinstance(name, str) or not name.strip() or name != name.strip():
			problems.append(f"ROLES[{i}] role_name {name!r} is empty or padded")
		if r.get("desk_access") not in (0, 1):
			problems.append(f"ROLES[{i}] ({name}) desk_access must be 0 or 1, got {r.get('desk_access')!r}")
		if not (isinstance(r.get("label_ar"), str) and ARABIC.search(r["label_ar"])):
			problems.append(f"ROLES[{i}] ({name}) label_ar must be Arabic text, got {r.get('label_ar')!r}")
		if name in c.AUTOMATIC_ROLES or name in c.FRAPPE_INSTALL_ROLES:
			problems.append(f"ROLES[{i}] redefines the standard role {name!r}")
	dupes = sorted({n for n in names if names.count(n) > 1})
	if dupes:
		problems.append(f"role_name used twice: {dupes}")
	c.fail_if(problems, "setup/roles.py")


@pytest.mark.parametrize(
	"ref",
	c.cases(
		REFS,
		lambda r: f"{r[0].file.rel}{'' if r[0].index is None else f'[{r[0].index}]'}::{r[1]}={r[2]}",
		"the app's JSON names no roles yet",
	),
)
def test_role_is_known(ref):
	doc, where, role = ref
	if role in APP.role_names or role in FW.roles:
		return
	if role in c.AUTOMATIC_ROLES or role in c.FRAPPE_INSTALL_ROLES:
		return
	if not FW.complete:
		pytest.skip(f"{doc.where} {where}: {role!r} is not an app role; {FW.skip_reason}")
	c.fail_if(
		[
			f"unknown role {role!r}. Add it to setup/roles.py ROLES or use a frappe/erpnext role. "
			f"App roles: {sorted(APP.role_names)}"
		],
		f"{doc.where} {where}",
	)
