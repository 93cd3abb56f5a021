"""Check 6: Workflow docs (app fixtures or any app JSON with "doctype": "Workflow")."""

from collections import Counter, deque

import catalog as c
import pytest

APP = c.app()
FW = c.framework()
WORKFLOWS = APP.workflows


def _wid(doc):
	return f"{doc.file.rel}::{doc.data.get('name') or doc.data.get('workflow_name')}"


def _docstatus(value):
	try:
		return int(value)
	except (TypeError, ValueError):
		return None


def _states(doc):
	return [s.get("state") for s in c.rows(doc.data, "states")]


@pytest.mark.parametrize("doc", c.cases(WORKFLOWS, _wid, "the app has no Workflows", required=True))
def test_workflow_graph(doc):
	d = doc.data
	states = _states(doc)
	problems = []
	if not states:
		c.fail_if(["workflow has no states"], doc.where)
	if None in states or "" in states:
		problems.append("a state row has no 'state'")
	dupes = sorted(s for s, k in Counter(states).items() if s and k > 1)
	if dupes:
		problems.append(f"states listed twice: {dupes}")
	status = {s.get("state"): _docstatus(s.get("doc_status", 0)) for s in c.rows(d, "states")}
	for s in c.rows(d, "states"):
		if _docstatus(s.get("doc_status", 0)) not in (0, 1, 2):
			problems.append(f"state {s.get('state')!r}: doc_status {s.get('doc_status')!r} is not 0/1/2")
	edges: dict[str, set] = {}
	transitions = c.rows(d, "transitions")
	if not transitions and len(states) > 1:
		problems.append("workflow has several states but no transitions")
	for i, t in enumerate(transitions):
		src, dst, action = t.get("state"), t.get("next_state"), t.get("action")
		label = f"transition[{i}] {src!r} --{action!r}--> {dst!r}"
		for key, value in (("state", src), ("next_state", dst)):
			if value not in status:
				problems.append(f"{label}: {key} {value!r} is not one of the workflow states {states}")
		if not action:
			problems.append(f"{label}: no action")
		if not t.get("allowed"):
			problems.append(f"{label}: no 'allowed' role")
		edges.setdefault(src, set()).add(dst)
		a, b = status.get(src), status.get(dst)
		if a == 2:
			problems.append(f"{label}: leaves a Cancelled (docstatus 2) state")
		elif a == 1 and b == 0:
			problems.append(f"{label}: goes from Submitted (1) back to Draft (0)")
		elif a == 0 and b == 2:
			problems.append(f"{label}: cancels (0 -> 2) without submitting first")
	# reachability from the first state
	start = states[0]
	seen, queue = {start}, deque([start])
	while queue:
		for nxt in edges.get(queue.popleft(), ()):
			if nxt not in seen:
				seen.add(nxt)
				queue.append(nxt)
	unreachable = [s for s in states if s not in seen]
	if unreachable:
		problems.append(f"states not reachable from the first state {start!r}: {unreachable}")
	c.fail_if(problems, doc.where)


@pytest.mark.parametrize("doc", c.cases(WORKFLOWS, _wid, "the app has no Workflows", required=True))
def test_workflow_document_type(doc):
	d = doc.data
	dt = d.get("document_type")
	if not dt:
		c.fail_if(["no document_type"], doc.where)
	known = APP.doctype_known(dt)
	if known is None:
		pytest.skip(f"{doc.where}: document_type {dt!r} is not an app DocType; {FW.skip_reason}")
	if not known:
		c.fail_if([f"document_type {dt!r} is not a DocType of the app, frappe or erpnext"], doc.where)
	info = APP.find_doctype(dt)
	problems = []
	field = d.get("workflow_state_field") or "workflow_state"
	if field not in {f.get("fieldname") for f in APP.fields_of(dt)}:
		problems.append(
			f"workflow_state_field {field!r} is neither a field of {dt!r} ({info.rel}) nor a Custom Field fixture"
		)
	submit_states = [s.get("state") for s in c.rows(d, "states") if _docstatus(s.get("doc_status")) in (1, 2)]
	if submit_states and not info.is_submittable:
		problems.append(
			f"states {submit_states} have doc_status 1/2 but {dt!r} is not submittable ({info.rel})"
		)
	c.fail_if(problems, doc.where)


@pytest.mark.parametrize("doc", c.cases(WORKFLOWS, _wid, "the app has no Workflows", required=True))
def test_workflow_states_and_actions_exist(doc):
	"""Workflow State / Workflow Action Master records must exist (app fixtures or frappe's defaults):
	the form loads each state with frappe.get_doc("Workflow State", ...)."""
	states = {
		d.data.get("workflow_state_name") or d.data.get("name") for d in APP.docs_of("Workflow State")
	} | set(c.FRAPPE_WORKFLOW_STATES)
	actions = {
		d.data.get("workflow_action_name") or d.data.get("name")
		for d in APP.docs_of("Workflow Action Master")
	} | set(c.FRAPPE_WORKFLOW_ACTIONS)
	missing_states = sorted({s for s in _states(doc) if s and s not in states})
	missing_actions = sorted(
		{
			t.get("action")
			for t in c.rows(doc.data, "transitions")
			if t.get("action") and t["action"] not in actions
		}
	)
	problems = []
	if missing_states:
		problems.append(f"states without a 'Workflow State' fixture: {missing_states}")
	if missing_actions:
		problems.append(f"actions without a 'Workflow Action Master' fixture: {missing_actions}")
	c.fail_if(problems, doc.where)


def test_one_active_workflow_per_doctype():
	active = Counter(w.data.get("document_type") for w in WORKFLOWS if w.data.get("is_active"))
	dupes = sorted(dt for dt, k in active.items() if k > 1)
	c.fail_if(
		[f"more than one active Workflow for {dt!r} (Frappe keeps only the last one active)" for dt in dupes],
		"Workflows",
	)
