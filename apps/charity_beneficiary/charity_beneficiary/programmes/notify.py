"""After delivery (R6.2, R5.1): each household of a paid batch is told in Arabic what it received, and
invited to rate the service (service_quality/survey.invite, tied to its programme request).

Runs after the batch's commit, in a transaction of its own: the queued mails (Email Queue), the
survey invitations and the lines' `notified` flags are committed together, so a run that was killed
between a batch and its notices tells those households when it is resumed — once. A channel that
is not set up is noted for the manager by channels.send_mail and never stops the run.
"""

import frappe
from frappe import _
from frappe.translate import print_language
from frappe.utils import escape_html

from charity_beneficiary.service_quality import survey
from charity_beneficiary.utils import channels
from charity_beneficiary.utils.money import format_money


def notify_paid(doc) -> int:
	"""Tell the paid, not yet notified households of `doc`; returns how many. Commits."""
	lines = frappe.db.sql(
		"""select line.name, line.beneficiary, line.beneficiary_name, line.amount, line.items_summary,
			line.assistance_request, ben.email_id
		from `tabAid Programme Line` line
		left join `tabBeneficiary` ben on ben.name = line.beneficiary
		where line.parent = %s and line.parenttype = 'Aid Programme' and line.status = 'Paid'
			and line.notified = 0
		order by line.idx""",
		doc.name,
		as_dict=True,
	)
	for line in lines:
		tell(doc, line)
		invite(line)
	if lines:
		line_table = frappe.qb.DocType("Aid Programme Line")
		frappe.qb.update(line_table).set(line_table.notified, 1).where(
			line_table.name.isin([line.name for line in lines])
		).run()
	frappe.db.commit()  # the notices and their flags together (see above)
	return len(lines)


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
