"""Aid Programme Reach totals its programme rows in its summary: frappe's total row added the
programme rows and their detail rows together. frappe keeps a site's own `add_total_row` of a
standard report when it imports the report again, so existing sites are switched off here."""

import frappe


def execute():
	frappe.db.set_value("Report", "Aid Programme Reach", "add_total_row", 0, update_modified=False)
