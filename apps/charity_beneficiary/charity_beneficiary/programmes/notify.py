"""After delivery (R6.2, R5.1): each household of a paid batch is told in Arabic what it received, and
invited to rate the service (service_quality/survey.invite, tied to its programme request).

The run does not wait for them: after each batch's commit it queues a job (`queue`), as a single
disbursement queues its survey invitation after its commit. The notices were two thirds of a batch's
time (issue 11: benchmark tests/benchmark/programme_vs_single.py).

A job claims the paid lines not yet notified with a locking read, a chunk at a time, and commits the
queued mails (Email Queue), the survey invitations and the lines' `notified` flags together: two jobs
never tell the same household (the second waits for the first and finds its lines notified), and
the lines of a run killed between a batch and its notices are taken by the next job — once. A
channel that is not set up is noted for the manager by channels.send_mail and never stops the run.
"""

import frappe
from frappe import _
from frappe.translate import print_language
from frappe.utils import escape_html

from charity_beneficiary.service_quality import survey
from charity_beneficiary.utils import channels
from charity_beneficiary.utils.money import format_money

QUEUE = "long"
TIMEOUT = 4 * 60 * 60
CHUNK = 200  # lines told per transaction


def queue(programme: str) -> None:
	"""The notices of what `programme` paid, in a job of their own; a queue out of reach is logged and
	the lines stay to be told by the next job."""
	try:
		frappe.enqueue(
			"charity_beneficiary.programmes.notify.notify_programme",
			queue=QUEUE,
			timeout=TIMEOUT,
			programme=programme,
		)
	except Exception:
		frappe.log_error(
			title=_("Aid programme notices not queued"),
			reference_doctype="Aid Programme",
			reference_name=programme,
		)


def notify_programme(programme: str) -> int:
	"""The job: every paid, not yet notified household of `programme`; returns how many."""
	doc = frappe.get_doc("Aid Programme", programme)
	told = 0
	while count := notify_paid(doc, CHUNK):
		told += count
	return told


def notify_paid(doc, limit: int = CHUNK) -> int:
	"""Tell up to `limit` paid, not yet notified households of `doc`; returns how many. Commits."""
	candidates = frappe.db.sql(
		"""select name from `tabAid Programme Line`
		where parent = %s and parenttype = 'Aid Programme' and status = 'Paid' and notified = 0
		order by idx limit %s""",
		(doc.name, limit),
		pluck=True,
	)
	# claimed by their primary key with a locking read: the latest committed flags (a second job
	# waits for this one, then skips what it told), and no lock on the lines the run is paying
	names = (
		frappe.db.sql(
			"""select name from `tabAid Programme Line` where name in %s and notified = 0 for update""",
			(candidates,),
			pluck=True,
		)
		if candidates
		else []
	)
	lines = paid_lines(names)
	for line in lines:
		tell(doc, line)
		invite(line)
	if lines:
		line_table = frappe.qb.DocType("Aid Programme Line")
		frappe.qb.update(line_table).set(line_table.notified, 1).where(line_table.name.isin(names)).run()
	frappe.db.commit()  # the notices and their flags together (see above)
	return len(lines)


def paid_lines(names: list[str]) -> list[frappe._dict]:
	if not names:
		return []
	return frappe.db.sql(
		"""select line.name, line.beneficiary, line.beneficiary_name, line.amount, line.items_summary,
			line.assistance_request, ben.email_id
		from `tabAid Programme Line` line
		left join `tabBeneficiary` ben on ben.name = line.beneficiary
		where line.name in %s
		order by line.idx""",
		(names,),
		as_dict=True,
	)


def tell(doc, line) -> bool:
	email = line.email_id or survey.recipient_email(line.beneficiary)
	if not email:
		return False
	with print_language("ar"):
		what = (
			format_money(line.amount, doc.get("company"))
			if doc.delivery_type == "Cash"
			else line.items_summary
		)
		message = _("Dear {0}, the association has delivered your aid from the programme {1}: {2}.").format(
			escape_html(line.beneficiary_name or ""), escape_html(doc.title), escape_html(what or "")
		)
		subject = _("Your aid from the programme {0}").format(doc.title)
	return channels.send_mail(
		recipients=[email],
		subject=subject,
		message=f"<p dir='rtl'>{message}</p>",
		reference_doctype="Aid Programme",
		reference_name=doc.name,
	)


def invite(line) -> None:
	try:
		survey.invite(line.assistance_request)
	except Exception:
		frappe.log_error(
			title=_("Survey invitation failed"),
			reference_doctype="Assistance Request",
			reference_name=line.assistance_request,
		)
