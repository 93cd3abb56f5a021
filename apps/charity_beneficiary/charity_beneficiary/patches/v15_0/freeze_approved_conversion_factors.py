"""Approved item rows keep the conversion factor of their unit (balance.freeze_factors): rows approved
before it was kept take the item's factor of today, the best record there is of the approval's."""

import frappe

from charity_beneficiary.disbursement.balance import conversion_factor


def execute():
	item = frappe.qb.DocType("Assistance Request Item")
	units = (
		frappe.qb.from_(item)
		.select(item.item_code, item.uom)
		.distinct()
		.where(item.parenttype == "Assistance Request")
		.where(item.parentfield == "approved_items")
		.where((item.conversion_factor.isnull()) | (item.conversion_factor == 0))
	).run(as_dict=True)
	for unit in units:
		try:
			factor = conversion_factor(unit.item_code, unit.uom)
		except frappe.ValidationError:
			continue  # a unit the item no longer has: the row keeps falling back (and is refused)
		query = (
			frappe.qb.update(item)
			.set(item.conversion_factor, factor)
			.where(item.parenttype == "Assistance Request")
			.where(item.parentfield == "approved_items")
			.where(item.item_code == unit.item_code)
			.where((item.conversion_factor.isnull()) | (item.conversion_factor == 0))
		)
		query = query.where(item.uom == unit.uom) if unit.uom else query.where(item.uom.isnull())
		query.run()
