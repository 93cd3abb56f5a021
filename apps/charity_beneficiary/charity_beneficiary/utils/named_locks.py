"""Checks that must take turns until their commit (a duplicate ID, a household paid twice in a season).

A check that reads "is this already there?" and then writes cannot see a competitor that has not
committed yet. The competitors take one MariaDB named lock from their check to the end of their
transaction, and read with locking reads (a snapshot taken earlier in the transaction would not show
what the other committed while this one waited). A named lock holds across workers and hosts and is
freed with the connection if the worker dies; it is released when the transaction commits or rolls
back (frappe's after_commit / after_rollback callbacks).
"""

import frappe


def hold_until_commit(key: str, timeout: int) -> bool:
	"""Take the site's lock `key` until this transaction ends; False when another holds it for longer
	than `timeout` seconds. Taken once per transaction (a second save in it holds it already)."""
	name = f"{frappe.conf.db_name}:{key}"
	if frappe.db.sql("select is_used_lock(%s) <=> connection_id()", (name,))[0][0]:
		return True
	if frappe.db.sql("select get_lock(%s, %s)", (name, timeout))[0][0] != 1:
		return False

	def release():
		frappe.db.sql("select release_lock(%s)", (name,))

	frappe.db.after_commit.add(release)
	frappe.db.after_rollback.add(release)
	return True
