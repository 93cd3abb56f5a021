# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

import frappe
from frappe.model.document import Document

PENDING_INDEX = "parent_status_idx_index"


class AidProgrammeLine(Document):
	# begin: auto-generated types
	# end: auto-generated types

	pass


def on_doctype_update():
	"""The run takes its next batch with a locking read of the programme's Pending lines in order
	(run.pending_lines): through (parent, status, idx) it reads and locks only those, not every line
	of the programme, so the notices job (notify.py), which locks Paid lines, never waits for it nor
	it for the job."""
	frappe.db.add_index("Aid Programme Line", ["parent", "status", "idx"], PENDING_INDEX)
