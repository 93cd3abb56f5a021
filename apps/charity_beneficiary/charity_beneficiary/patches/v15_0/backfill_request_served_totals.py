"""The running totals of a request's disbursements (disbursement/balance.py) that the request did not
keep before: the served amount of its cash and provider-service disbursements, and what each approved
item row served in the item's stock unit. Set-based, and safe to run again.

- `served_amount`: the sum of the request's submitted Cash and Provider Service disbursements; a
  seasonal programme's cash request (served by the programme's journal entry, not by disbursements)
  served its disbursed amount.
- `disbursed_stock_qty`: the row's `disbursed_qty`, which the balance has always kept (the served
  quantity spread over the approved rows in order; a programme's rows in full), in the stock unit.
  A row in another unit than the item's is converted with the item's factor, one statement per
  (item, unit), rounded to 6 decimals to undo the rounding of the stored quantity.
"""

import frappe

from charity_beneficiary.disbursement.balance import AMOUNT_TYPES, conversion_factor


def execute():
	backfill_served_amount()
	backfill_stock_qty()


def backfill_served_amount() -> None:
	frappe.db.sql(
		"""update `tabAssistance Request` r
		join (
			select assistance_request, sum(amount) as amount from `tabAid Disbursement`
			where docstatus = 1 and disbursement_type in %(types)s
			group by assistance_request
		) d on d.assistance_request = r.name
		set r.served_amount = d.amount""",
		{"types": AMOUNT_TYPES},
	)
	frappe.db.sql(
		"""update `tabAssistance Request` r
		join `tabAid Programme Line` l on l.assistance_request = r.name
		set r.served_amount = r.disbursed_amount
		where r.delivery_type in %(types)s""",
		{"types": AMOUNT_TYPES},
	)


def backfill_stock_qty() -> None:
	frappe.db.sql(
		"""update `tabAssistance Request Item` ri
		join `tabItem` i on i.name = ri.item_code
		set ri.disbursed_stock_qty = ri.disbursed_qty
		where ri.parenttype = 'Assistance Request' and ri.parentfield = 'approved_items'
		and (coalesce(ri.uom, '') = '' or ri.uom = i.stock_uom)"""
	)
	other_units = frappe.db.sql(
		"""select distinct ri.item_code, ri.uom from `tabAssistance Request Item` ri
		join `tabItem` i on i.name = ri.item_code
		where ri.parenttype = 'Assistance Request' and ri.parentfield = 'approved_items'
		and coalesce(ri.uom, '') != '' and ri.uom != i.stock_uom"""
	)
	for item_code, uom in other_units:
		frappe.db.sql(
			"""update `tabAssistance Request Item` ri
			set ri.disbursed_stock_qty = round(ri.disbursed_qty * %(factor)s, 6)
			where ri.parenttype = 'Assistance Request' and ri.parentfield = 'approved_items'
			and ri.item_code = %(item_code)s and ri.uom = %(uom)s""",
			{"factor": conversion_factor(item_code, uom), "item_code": item_code, "uom": uom},
		)
