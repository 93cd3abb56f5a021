"""Framework-free catalog of a Frappe app's metadata (DocType / Report / Workspace ... JSON, fixtures,
roles, translatable strings, locale/ar.po). Used by the tests in this folder and by extract_strings.py.

Nothing here imports frappe: every fact is read from JSON / source files.

Environment variables (all optional):
	META_APP_ROOT            the app to check: the app repo dir (apps/<app>) or its package dir (the one
	                         holding modules.txt). Default: <repo>/apps/charity_beneficiary.
	META_FRAMEWORK_APPS_DIR  dir holding the frappe/ and erpnext/ app checkouts. Default: <repo>/apps.
	META_BENCH_FIXTURES      dir of bench-level demo data (*.json). Default: <repo>/fixtures.
"""

from __future__ import annotations

import ast
import json
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO_ROOT = HERE.parents[1]

FRAMEWORK_APP_NAMES = ("frappe", "erpnext")

# --- Frappe constants (mirrors frappe/model/__init__.py and BaseDocument._reserved_keywords) -------
DEFAULT_FIELDS = ("doctype", "name", "owner", "creation", "modified", "modified_by", "docstatus", "idx")
CHILD_TABLE_FIELDS = ("parent", "parentfield", "parenttype")
OPTIONAL_FIELDS = ("_user_tags", "_comments", "_assign", "_liked_by", "_seen")
RESERVED_FIELDNAMES = frozenset(
	DEFAULT_FIELDS
	+ CHILD_TABLE_FIELDS
	+ OPTIONAL_FIELDS
	+ ("meta", "flags", "parent_doc", "permitted_fieldnames", "dont_update_if_missing")
)
TABLE_FIELDTYPES = ("Table", "Table MultiSelect")
NO_VALUE_FIELDTYPES = frozenset(
	("Section Break", "Column Break", "Tab Break", "HTML", "Button", "Image", "Fold", "Heading")
)
# Keys a fixture doc may carry besides declared fields.
EXTRA_DOC_KEYS = frozenset(DEFAULT_FIELDS + CHILD_TABLE_FIELDS + OPTIONAL_FIELDS + ("__newname",))

# Roles every site has (frappe.permissions.AUTOMATIC_ROLES + frappe.utils.install).
AUTOMATIC_ROLES = ("Administrator", "Guest", "All", "Desk User")
FRAPPE_INSTALL_ROLES = ("System Manager", "Report Manager", "Translator")
# Created by frappe.utils.install.install_basic_docs on every site.
FRAPPE_WORKFLOW_STATES = ("Pending", "Approved", "Rejected")
FRAPPE_WORKFLOW_ACTIONS = ("Approve", "Reject", "Review")

# Folder name under a module -> doctype of the JSON doc stored there.
STANDARD_DOC_FOLDERS = {
	"report": "Report",
	"web_form": "Web Form",
	"print_format": "Print Format",
	"workspace": "Workspace",
	"number_card": "Number Card",
	"dashboard_chart": "Dashboard Chart",
	"dashboard": "Dashboard",
	"notification": "Notification",
	"page": "Page",
	"module_onboarding": "Module Onboarding",
	"onboarding_step": "Onboarding Step",
	"form_tour": "Form Tour",
}

# frappe/gettext/extractors/doctype.py skips these Select fields
EXCLUDE_SELECT_OPTIONS = {"naming_series", "number_format", "float_precision", "currency_precision"}

SNAKE_CASE = re.compile(r"^[a-z][a-z0-9]*(_[a-z0-9]+)*$")


def scrub(txt: str) -> str:
	"""frappe.scrub"""
	return txt.replace(" ", "_").replace("-", "_").lower()


def _env_path(var: str, default: Path) -> Path:
	value = os.environ.get(var)
	return Path(value).expanduser().resolve() if value else default


def app_root() -> Path:
	return _env_path("META_APP_ROOT", REPO_ROOT / "apps" / "charity_beneficiary")


def framework_apps_dir() -> Path:
	return _env_path("META_FRAMEWORK_APPS_DIR", REPO_ROOT / "apps")


def bench_fixtures_dir() -> Path:
	return _env_path("META_BENCH_FIXTURES", REPO_ROOT / "fixtures")


# --- file walking -----------------------------------------------------------------------------------
def _skip_dir(path: Path) -> bool:
	return path.name in {"node_modules", ".git", "__pycache__", ".pytest_cache"} or (
		path.name == "dist" and path.parent.name == "public"
	)


def walk_files(root: Path, suffixes: tuple[str, ...]):
	"""Files under root with one of the suffixes, sorted, skipping node_modules / public/dist / .git."""
	found = []
	for dirpath, dirnames, filenames in os.walk(root):
		dirnames[:] = sorted(d for d in dirnames if not _skip_dir(Path(dirpath) / d))
		found.extend(Path(dirpath) / f for f in filenames if f.endswith(suffixes))
	return sorted(found)


@dataclass
class JsonFile:
	path: Path
	rel: str  # path shown in test ids / messages
	data: object = None
	error: str | None = None

	@property
	def ok(self) -> bool:
		return self.error is None


def load_json(path: Path, rel: str) -> JsonFile:
	try:
		with open(path, encoding="utf-8") as f:
			return JsonFile(path, rel, json.load(f))
	except (OSError, ValueError) as e:
		return JsonFile(path, rel, None, f"{type(e).__name__}: {e}")


@dataclass
class Doc:
	"""One document inside a JSON file (the file itself, or an item of a list)."""

	data: dict
	file: JsonFile
	index: int | None = None  # position in a list file

	@property
	def doctype(self) -> str | None:
		return self.data.get("doctype")

	@property
	def where(self) -> str:
		label = self.data.get("name") or self.data.get(_title_key(self.doctype)) or ""
		pos = f"[{self.index}]" if self.index is not None else ""
		return f"{self.file.rel}{pos}" + (f" ({label})" if label else "")


def _title_key(doctype):
	return {
		"Role": "role_name",
		"Workflow": "workflow_name",
		"Workflow State": "workflow_state_name",
		"Workflow Action Master": "workflow_action_name",
		"Custom Field": "fieldname",
		"Property Setter": "property",
	}.get(doctype, "name")


def docs_in(jf: JsonFile) -> list[Doc]:
	if not jf.ok:
		return []
	if isinstance(jf.data, dict):
		return [Doc(jf.data, jf)]
	if isinstance(jf.data, list):
		return [Doc(d, jf, i) for i, d in enumerate(jf.data) if isinstance(d, dict)]
	return []


def rows(data: dict, key: str) -> list[dict]:
	value = data.get(key)
	return [r for r in value if isinstance(r, dict)] if isinstance(value, list) else []


def role_references(data: dict) -> list[tuple[str, str]]:
	"""(where-in-doc, role) for every role a doc names."""
	refs = []
	dt = data.get("doctype")
	for i, perm in enumerate(rows(data, "permissions")):
		if perm.get("role"):
			refs.append((f"permissions[{i}]", perm["role"]))
	for i, r in enumerate(rows(data, "roles")):
		if r.get("role"):
			refs.append((f"roles[{i}]", r["role"]))
	for i, r in enumerate(rows(data, "recipients")):
		for key in ("receiver_by_role", "email_by_role"):
			if r.get(key):
				refs.append((f"recipients[{i}].{key}", r[key]))
	if dt == "Workflow":
		for i, t in enumerate(rows(data, "transitions")):
			if t.get("allowed"):
				refs.append((f"transitions[{i}].allowed", t["allowed"]))
		for i, s in enumerate(rows(data, "states")):
			if s.get("allow_edit"):
				refs.append((f"states[{i}].allow_edit", s["allow_edit"]))
	if dt in ("Custom DocPerm", "DocPerm", "Has Role", "Portal Menu Item") and data.get("role"):
		refs.append(("role", data["role"]))
	return refs


# --- DocType model --------------------------------------------------------------------------------
@dataclass
class DocTypeInfo:
	name: str
	data: dict
	origin: str  # "app" / "frappe" / "erpnext"
	rel: str

	@property
	def fields(self) -> list[dict]:
		return rows(self.data, "fields")

	@property
	def istable(self) -> bool:
		return bool(self.data.get("istable"))

	@property
	def is_submittable(self) -> bool:
		return bool(self.data.get("is_submittable"))

	def field(self, fieldname: str) -> dict | None:
		return next((f for f in self.fields if f.get("fieldname") == fieldname), None)


def _doctype_json_paths(pkg: Path):
	"""<pkg>/<module>/doctype/<dt>/<dt>.json"""
	for path in sorted(pkg.glob("*/doctype/*/*.json")):
		if path.stem == path.parent.name:
			yield path


# --- framework (frappe + erpnext) ----------------------------------------------------------------
ROLE_NAME_IN_PY = re.compile(r"""["']role_name["']\s*[:=]\s*["']([^"'\n]+)["']""")


@dataclass
class Framework:
	apps_dir: Path
	present: list[str] = field(default_factory=list)
	missing: list[str] = field(default_factory=list)
	doctypes: dict[str, DocTypeInfo] = field(default_factory=dict)
	roles: set[str] = field(default_factory=set)

	@property
	def complete(self) -> bool:
		return not self.missing

	@property
	def skip_reason(self) -> str:
		return f"frappe/erpnext sources absent (no {', '.join(str(self.apps_dir / m) for m in self.missing)})"


@cache
def framework() -> Framework:
	fw = Framework(framework_apps_dir())
	for app in FRAMEWORK_APP_NAMES:
		pkg = fw.apps_dir / app / app
		if not (pkg / "modules.txt").is_file():
			fw.missing.append(app)
			continue
		fw.present.append(app)
		for path in _doctype_json_paths(pkg):
			jf = load_json(path, str(path.relative_to(fw.apps_dir)))
			if (
				jf.ok
				and isinstance(jf.data, dict)
				and jf.data.get("doctype") == "DocType"
				and jf.data.get("name")
			):
				fw.doctypes[jf.data["name"]] = DocTypeInfo(jf.data["name"], jf.data, app, jf.rel)
				fw.roles.update(role for _, role in role_references(jf.data))
		for folder in ("report", "page", "workspace", "dashboard_chart", "notification"):
			for path in sorted(pkg.glob(f"*/{folder}/*/*.json")):
				jf = load_json(path, str(path))
				for doc in docs_in(jf):
					fw.roles.update(role for _, role in role_references(doc.data))
		for path in sorted(pkg.glob("**/fixtures/*.json")):
			for doc in docs_in(load_json(path, str(path))):
				if doc.doctype == "Role" and doc.data.get("role_name"):
					fw.roles.add(doc.data["role_name"])
				fw.roles.update(role for _, role in role_references(doc.data))
		# roles created from Python at install time ({"doctype": "Role", "role_name": "Stock User"})
		for path in walk_files(pkg, (".py",)):
			if path.name.startswith("test_") or "tests" in path.parts:
				continue
			text = path.read_text(encoding="utf-8", errors="replace")
			if "role_name" in text and '"Role"' in text:
				fw.roles.update(ROLE_NAME_IN_PY.findall(text))
	if "frappe" in fw.present:
		fw.roles.update(AUTOMATIC_ROLES + FRAPPE_INSTALL_ROLES)
	return fw


# --- app roles (setup/roles.py) -------------------------------------------------------------------
def load_roles_module(path: Path) -> list[dict]:
	"""ROLES from setup/roles.py without importing the package (and so without frappe).

	Tries a literal parse first; falls back to executing just that file."""
	source = path.read_text(encoding="utf-8")
	tree = ast.parse(source, str(path))
	for node in tree.body:
		target = None
		if isinstance(node, ast.Assign) and len(node.targets) == 1:
			target = node.targets[0]
		elif isinstance(node, ast.AnnAssign):
			target = node.target
		if isinstance(target, ast.Name) and target.id == "ROLES" and node.value is not None:
			try:
				return ast.literal_eval(node.value)
			except ValueError:
				break
	namespace: dict = {"__file__": str(path), "__name__": "roles"}
	exec(compile(tree, str(path), "exec"), namespace)
	return namespace["ROLES"]


# --- the app ----------------------------------------------------------------------------------------
@dataclass
class App:
	root: Path
	pkg: Path
	modules: list[str]
	json_files: list[JsonFile]  # every JSON in the package + bench fixtures
	doctypes: dict[str, DocTypeInfo]
	doctype_files: list[JsonFile]
	standard_docs: list[tuple[str, JsonFile]]  # (expected doctype, file)
	fixture_docs: list[Doc]  # <pkg>/fixtures/*.json
	bench_fixture_docs: list[Doc]  # <repo>/fixtures/*.json
	docs: list[Doc]  # every doc in every app JSON (not bench fixtures)
	roles: list[dict]
	roles_error: str | None

	@property
	def name(self) -> str:
		return self.pkg.name

	def rel(self, path: Path) -> str:
		try:
			return str(path.relative_to(self.pkg))
		except ValueError:
			return str(path)

	def docs_of(self, doctype: str) -> list[Doc]:
		return [d for d in self.docs if d.doctype == doctype]

	@property
	def role_names(self) -> set[str]:
		names = {r.get("role_name") for r in self.roles if isinstance(r, dict)}
		names.update(d.data.get("role_name") or d.data.get("name") for d in self.docs_of("Role"))
		return {n for n in names if n}

	@property
	def workflows(self) -> list[Doc]:
		return self.docs_of("Workflow")

	def custom_fields(self, doctype: str | None = None) -> list[Doc]:
		return [d for d in self.docs_of("Custom Field") if doctype is None or d.data.get("dt") == doctype]

	def find_doctype(self, name: str) -> DocTypeInfo | None:
		return self.doctypes.get(name) or framework().doctypes.get(name)

	def fields_of(self, doctype: str) -> list[dict]:
		"""Declared fields of a doctype plus the app's Custom Field fixtures for it."""
		info = self.find_doctype(doctype)
		return (info.fields if info else []) + [d.data for d in self.custom_fields(doctype)]

	def doctype_known(self, name: str) -> bool | None:
		"""True / False, or None when unknown because frappe/erpnext sources are absent."""
		if name in self.doctypes or name in framework().doctypes:
			return True
		return False if framework().complete else None

	def workflow_fields(self, doctype: str) -> set[str]:
		"""Fields a Workflow creates on its document_type (Workflow.on_update adds a Custom Field)."""
		return {
			w.data.get("workflow_state_field") or "workflow_state"
			for w in self.workflows
			if w.data.get("document_type") == doctype
		}


def _find_pkg(root: Path) -> Path:
	if (root / "modules.txt").is_file():
		return root
	candidate = root / root.name
	if (candidate / "modules.txt").is_file():
		return candidate
	for child in sorted(root.iterdir()) if root.is_dir() else []:
		if child.is_dir() and (child / "modules.txt").is_file() and (child / "hooks.py").is_file():
			return child
	raise FileNotFoundError(f"no Frappe app package (a dir with modules.txt) in {root}")


@cache
def app() -> App:
	root = app_root()
	pkg = _find_pkg(root)
	modules_txt = pkg / "modules.txt"
	modules = [m.strip() for m in modules_txt.read_text(encoding="utf-8").splitlines() if m.strip()]

	def rel(p: Path) -> str:
		return str(p.relative_to(pkg))

	json_files = [load_json(p, rel(p)) for p in walk_files(pkg, (".json",))]
	by_path = {jf.path: jf for jf in json_files}

	doctypes: dict[str, DocTypeInfo] = {}
	doctype_files = []
	for path in _doctype_json_paths(pkg):
		jf = by_path[path]
		doctype_files.append(jf)
		if jf.ok and isinstance(jf.data, dict) and jf.data.get("name"):
			doctypes[jf.data["name"]] = DocTypeInfo(jf.data["name"], jf.data, "app", jf.rel)

	standard_docs = []
	for folder, doctype in STANDARD_DOC_FOLDERS.items():
		for path in sorted(pkg.glob(f"*/{folder}/*/*.json")):
			if path.stem == path.parent.name:
				standard_docs.append((doctype, by_path[path]))

	fixture_docs = [d for p in sorted((pkg / "fixtures").glob("*.json")) for d in docs_in(by_path[p])]
	bench_dir = bench_fixtures_dir()
	bench_files = (
		[
			load_json(p, f"bench-fixtures/{p.relative_to(bench_dir)}")
			for p in walk_files(bench_dir, (".json",))
		]
		if bench_dir.is_dir()
		else []
	)
	bench_fixture_docs = [d for jf in bench_files for d in docs_in(jf)]

	# test records (doctype/*/test_records.json, tests/) are not shipped metadata
	docs = [
		d
		for jf in json_files
		if not jf.path.name.startswith("test_records") and "tests" not in jf.path.relative_to(pkg).parts
		for d in docs_in(jf)
	]

	roles, roles_error = [], None
	roles_py = pkg / "setup" / "roles.py"
	if roles_py.is_file():
		try:
			roles = load_roles_module(roles_py)
		except Exception as e:
			roles_error = f"{rel(roles_py)}: {type(e).__name__}: {e}"
	else:
		roles_error = f"{rel(roles_py)} does not exist"

	return App(
		root=root,
		pkg=pkg,
		modules=modules,
		json_files=json_files + bench_files,
		doctypes=doctypes,
		doctype_files=doctype_files,
		standard_docs=standard_docs,
		fixture_docs=fixture_docs,
		bench_fixture_docs=bench_fixture_docs,
		docs=docs,
		roles=roles,
		roles_error=roles_error,
	)


def iter_fields(a: App):
	"""(owner, doctype, field) for every field the app defines: DocType fields and Custom Field fixtures.
	owner is the file the field lives in (for ids and messages)."""
	for name, info in sorted(a.doctypes.items()):
		for f in info.fields:
			yield info.rel, name, f
	for doc in a.custom_fields():
		yield doc.where, doc.data.get("dt"), doc.data


# --- gettext .po ---------------------------------------------------------------------------------
_PO_ESCAPES = {
	"n": "\n",
	"t": "\t",
	"r": "\r",
	'"': '"',
	"\\": "\\",
	"a": "\a",
	"b": "\b",
	"f": "\f",
	"v": "\v",
}


def po_unescape(s: str) -> str:
	return re.sub(r"\\(.)", lambda m: _PO_ESCAPES.get(m.group(1), m.group(1)), s)


def po_escape(s: str) -> str:
	return s.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")


def po_quote(keyword: str, s: str) -> str:
	"""`msgid "..."`; gettext's multi-line layout when the string has newlines."""

	def esc(part: str) -> str:
		return po_escape(part).replace("\n", "\\n")

	if "\n" not in s:
		return f'{keyword} "{esc(s)}"'
	return "\n".join([f'{keyword} ""'] + [f'"{esc(p)}"' for p in re.findall(r"[^\n]*\n|[^\n]+", s)])


@dataclass
class PoEntry:
	msgid: str
	msgctxt: str | None = None
	msgstr: list[str] = field(default_factory=list)
	fuzzy: bool = False
	obsolete: bool = False
	line: int = 0

	@property
	def translated(self) -> bool:
		return not self.fuzzy and not self.obsolete and any(s.strip() for s in self.msgstr)


def parse_po(text: str) -> list[PoEntry]:
	"""Small gettext .po parser: msgctxt, msgid, msgid_plural, msgstr, msgstr[n], multi-line strings,
	escapes, `#, fuzzy` flags and `#~` obsolete entries."""
	entries: list[PoEntry] = []
	cur: dict = {}
	flags: set[str] = set()
	key = None

	def flush():
		nonlocal cur, flags, key
		if "msgid" in cur:
			entries.append(
				PoEntry(
					msgid=cur["msgid"],
					msgctxt=cur.get("msgctxt"),
					msgstr=[v for k, v in sorted(cur.items()) if k.startswith("msgstr")],
					fuzzy="fuzzy" in flags,
					obsolete=cur.get("_obsolete", False),
					line=cur.get("_line", 0),
				)
			)
		cur, flags, key = {}, set(), None

	for lineno, raw in enumerate(text.splitlines(), 1):
		line = raw.strip()
		obsolete = line.startswith("#~")
		if obsolete:
			line = line[2:].strip()
		elif line.startswith("#") or not line:
			if key and key.startswith("msgstr"):
				flush()  # a comment or blank line after msgstr ends the entry
			if line.startswith("#,"):
				flags.update(f.strip() for f in line[2:].split(","))
			continue
		m = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+"(.*)"\s*$', line)
		if m:
			kw, value = m.group(1), po_unescape(m.group(2))
			if kw in ("msgctxt", "msgid") and key and key.startswith("msgstr"):
				flush()
			cur.setdefault("_line", lineno)
			cur[kw] = value
			key = kw
			if obsolete:
				cur["_obsolete"] = True
			continue
		m = re.match(r'^"(.*)"\s*$', line)
		if m and key:
			cur[key] += po_unescape(m.group(1))
			continue
		raise ValueError(f"line {lineno}: cannot parse {raw!r}")
	flush()
	return entries


def po_path(a: App | None = None, lang: str = "ar") -> Path:
	a = a or app()
	return a.pkg / "locale" / f"{lang}.po"


@cache
def po_catalog(path: Path) -> dict[tuple[str | None, str], PoEntry]:
	entries = parse_po(path.read_text(encoding="utf-8"))
	return {(e.msgctxt, e.msgid): e for e in entries if e.msgid}


def is_translated(catalog: dict, msgid: str, context: str | None) -> bool:
	"""frappe._(): with a context, "msgid:context" is tried first, then the plain msgid."""
	if context and (e := catalog.get((context, msgid))) and e.translated:
		return True
	e = catalog.get((None, msgid))
	return bool(e and e.translated)


# --- user-facing strings -------------------------------------------------------------------------
@dataclass(frozen=True)
class Message:
	msgid: str
	source: str  # file, relative to the app package
	where: str  # what the string is (e.g. "label of field beneficiary_name")
	context: str | None = None


def is_translatable(s) -> bool:
	"""Not empty, not only digits/punctuation/whitespace."""
	return isinstance(s, str) and any(c.isalpha() for c in s)


def _code_message_ok(s: str) -> bool:
	# frappe/gettext/extractors/utils.py is_translatable
	return is_translatable(s) and not s.startswith(("fa fa-", "eval:")) and not s.endswith("px")


def select_options(options) -> list[str]:
	return options.split("\n") if isinstance(options, str) else []


def _field_messages(f: dict):
	fname = f.get("fieldname") or "?"
	if f.get("label"):
		yield f["label"], f"label of {f.get('fieldtype')} field '{fname}'"
	if f.get("description"):
		yield f["description"], f"description of field '{fname}'"
	if f.get("fieldtype") == "Select" and fname not in EXCLUDE_SELECT_OPTIONS:
		opts = [o for o in select_options(f.get("options")) if o.strip()]
		if opts and "icon" in opts[0]:
			return
		for o in opts:
			yield o, f"option of Select field '{fname}'"


def _json_messages(a: App):
	"""(msgid, source, where) for every user-facing string in the app's JSON."""
	for name, info in sorted(a.doctypes.items()):
		d = info.data
		yield name, info.rel, "DocType name"
		if d.get("description"):
			yield d["description"], info.rel, "DocType description"
		for f in info.fields:
			for msg, where in _field_messages(f):
				yield msg, info.rel, where
		for link in rows(d, "links"):
			if link.get("group"):
				yield link["group"], info.rel, "connections group"

	for doctype, jf in a.standard_docs:
		d = jf.data if jf.ok and isinstance(jf.data, dict) else {}
		if doctype == "Report":
			yield d.get("report_name") or d.get("name"), jf.rel, "Report name"
			for key in ("columns", "filters"):
				for i, c in enumerate(rows(d, key)):
					yield c.get("label"), jf.rel, f"{key}[{i}] label"
		elif doctype == "Web Form":
			yield d.get("title"), jf.rel, "Web Form title"
			for f in rows(d, "web_form_fields"):
				yield f.get("label"), jf.rel, f"label of web form field '{f.get('fieldname')}'"
		elif doctype == "Print Format":
			yield d.get("name"), jf.rel, "Print Format name"
		elif doctype == "Workspace":
			yield d.get("label"), jf.rel, "Workspace label"
			yield d.get("title"), jf.rel, "Workspace title"
			for key in ("charts", "number_cards", "links", "shortcuts", "quick_lists", "custom_blocks"):
				for i, item in enumerate(rows(d, key)):
					yield item.get("label"), jf.rel, f"{key}[{i}] label"
					if key == "links":
						yield item.get("description"), jf.rel, f"{key}[{i}] description"
					if key == "shortcuts":
						yield item.get("format"), jf.rel, f"{key}[{i}] format"
			try:
				content = json.loads(d.get("content") or "[]")
			except ValueError:
				content = []
			for block in content if isinstance(content, list) else []:
				if not isinstance(block, dict):
					continue
				text = (block.get("data") or {}).get("text")
				if block.get("type") == "header" and text:
					# header.js translates the text inside the markup
					yield re.sub(r"<[^>]+>", "", text).strip(), jf.rel, "header block text"
				elif block.get("type") == "paragraph" and text:
					yield text, jf.rel, "paragraph block text"
		elif doctype == "Number Card":
			yield d.get("label"), jf.rel, "Number Card label"
		elif doctype == "Dashboard Chart":
			yield d.get("chart_name") or d.get("name"), jf.rel, "Dashboard Chart name"
		elif doctype == "Page":
			yield d.get("title"), jf.rel, "Page title"

	for doc in a.docs:
		dt, d, src = doc.doctype, doc.data, doc.file.rel
		if dt == "Workflow":
			for s in rows(d, "states"):
				yield s.get("state"), src, f"workflow state of '{d.get('name') or d.get('workflow_name')}'"
			for t in rows(d, "transitions"):
				yield t.get("action"), src, f"workflow action of '{d.get('name') or d.get('workflow_name')}'"
		elif dt == "Workflow State":
			yield d.get("workflow_state_name") or d.get("name"), src, "Workflow State"
		elif dt == "Workflow Action Master":
			yield d.get("workflow_action_name") or d.get("name"), src, "Workflow Action"
		elif dt == "Role":
			yield d.get("role_name") or d.get("name"), src, "Role name"
		elif dt == "Custom Field":
			for msg, where in _field_messages(d):
				yield msg, src, f"{where} (Custom Field on {d.get('dt')})"
		elif dt == "Property Setter" and d.get("property") == "label":
			yield d.get("value"), src, f"label Property Setter for {d.get('doc_type')}.{d.get('field_name')}"

	for r in a.roles:
		if isinstance(r, dict):
			yield r.get("role_name"), a.rel(a.pkg / "setup" / "roles.py"), "Role name"


# _("...") / __("...") literal calls ------------------------------------------------------------------
_JS_CALL = re.compile(
	r"""(?<![\w$.])__\(\s*(?P<q>["'`])(?P<msg>(?:\\.|(?!(?P=q)).)*?)(?P=q)\s*(?=[,)])""", re.S
)
_JS_CONTEXT = re.compile(
	r"""\s*,\s*(?:null|undefined|\[[^\]]*\]|\{[^}]*\}|\w+)\s*,\s*(?P<q>["'])(?P<ctx>(?:\\.|(?!(?P=q)).)*?)(?P=q)\s*\)"""
)
_TEMPLATE_CALL = re.compile(
	r"""(?<![\w$])(?:frappe\.)?__?\(\s*(?P<q>["'])(?P<msg>(?:\\.|(?!(?P=q)).)*?)(?P=q)\s*(?=[,)])""", re.S
)
_PY_CONTEXT = re.compile(r"""\s*,\s*context\s*=\s*(?P<q>["'])(?P<ctx>(?:\\.|(?!(?P=q)).)*?)(?P=q)""")
_JS_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", "\\": "\\", "'": "'", '"': '"', "`": "`"}


def _js_unescape(s: str) -> str:
	return re.sub(r"\\(.)", lambda m: _JS_ESCAPES.get(m.group(1), m.group(1)), s, flags=re.S)


def _line_of(text: str, pos: int) -> int:
	return text.count("\n", 0, pos) + 1


def python_messages(text: str, filename: str = "<py>"):
	"""(msgid, context, line) for _("literal") / _lt("literal") / frappe._("literal")."""
	try:
		tree = ast.parse(text, filename)
	except SyntaxError:
		yield from template_messages(text)
		return
	for node in ast.walk(tree):
		if not isinstance(node, ast.Call) or not node.args:
			continue
		func = node.func
		name = (
			func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else None
		)
		if name not in ("_", "_lt"):
			continue
		first = node.args[0]
		if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
			continue  # non-literal call: not extractable
		context = None
		for kw in node.keywords:
			if kw.arg == "context" and isinstance(kw.value, ast.Constant) and isinstance(kw.value.value, str):
				context = kw.value.value
		if (
			len(node.args) >= 3
			and isinstance(node.args[2], ast.Constant)
			and isinstance(node.args[2].value, str)
		):
			context = node.args[2].value
		yield first.value, context, node.lineno


def js_messages(text: str):
	for m in _JS_CALL.finditer(text):
		if m.group("q") == "`" and "${" in m.group("msg"):
			continue
		ctx = _JS_CONTEXT.match(text, m.end())
		yield (
			_js_unescape(m.group("msg")),
			_js_unescape(ctx.group("ctx")) if ctx else None,
			_line_of(text, m.start()),
		)


def template_messages(text: str):
	"""Jinja `_("...")` and JS micro-template `__("...")` in .html / .vue."""
	for m in _TEMPLATE_CALL.finditer(text):
		ctx = _PY_CONTEXT.match(text, m.end()) or _JS_CONTEXT.match(text, m.end())
		yield (
			_js_unescape(m.group("msg")),
			_js_unescape(ctx.group("ctx")) if ctx else None,
			_line_of(text, m.start()),
		)


def _is_test_file(path: Path, pkg: Path) -> bool:
	parts = path.relative_to(pkg).parts
	return path.name.startswith("test_") or "tests" in parts or "locale" in parts


def _code_messages(a: App):
	extractors = {
		".py": python_messages,
		".js": js_messages,
		".html": template_messages,
		".vue": template_messages,
	}
	for path in walk_files(a.pkg, tuple(extractors)):
		if _is_test_file(path, a.pkg):
			continue
		text = path.read_text(encoding="utf-8", errors="replace")
		extract = extractors[path.suffix]
		args = (text, str(path)) if extract is python_messages else (text,)
		for msgid, context, line in sorted(extract(*args), key=lambda m: m[2]):
			if _code_message_ok(msgid):
				yield Message(msgid, a.rel(path), f"line {line}", context)


def collect_messages(a: App | None = None) -> list[Message]:
	"""Every user-facing string of the app, deduplicated per (source, msgid, context)."""
	a = a or app()
	seen, out = set(), []
	json_msgs = (Message(m, src, where) for m, src, where in _json_messages(a) if is_translatable(m))
	for msg in (*json_msgs, *_code_messages(a)):
		key = (msg.source, msg.msgid, msg.context)
		if key not in seen:
			seen.add(key)
			out.append(msg)
	return out


def missing_translations(a: App | None = None, lang: str = "ar") -> tuple[Path, list[Message]]:
	a = a or app()
	path = po_path(a, lang)
	catalog = po_catalog(path) if path.is_file() else {}
	return path, [m for m in collect_messages(a) if not is_translated(catalog, m.msgid, m.context)]


def group_by_source(messages: list[Message]) -> dict[str, list[Message]]:
	grouped: dict[str, list[Message]] = {}
	for m in messages:
		grouped.setdefault(m.source, []).append(m)
	return grouped


# --- pytest helpers ---------------------------------------------------------------------------------
def cases(items, ids, empty_reason: str, required: bool = False):
	"""pytest.param list with readable ids. When there is nothing: one skipped param (with the reason)
	for what the app may lack (Custom Field fixtures…); the collection fails for what it must have
	(`required`: DocTypes, fields, workflows…), since a lost folder must not turn a check off."""
	import pytest

	items = list(items)
	if not items and required:
		pytest.fail(f"{empty_reason}: the app must have them", pytrace=False)
	if not items:
		return [pytest.param(None, id="nothing", marks=pytest.mark.skip(reason=empty_reason))]
	seen: dict[str, int] = {}
	params = []
	for item in items:
		pid = ids(item)
		seen[pid] = seen.get(pid, 0) + 1
		params.append(pytest.param(item, id=pid if seen[pid] == 1 else f"{pid}#{seen[pid]}"))
	return params


def fail_if(problems: list[str], header: str):
	"""Fail with every problem listed (no assertion introspection noise)."""
	if problems:
		import pytest

		if len(problems) == 1:
			pytest.fail(f"{header}: {problems[0]}", pytrace=False)
		pytest.fail(f"{header}:\n  " + "\n  ".join(problems), pytrace=False)
