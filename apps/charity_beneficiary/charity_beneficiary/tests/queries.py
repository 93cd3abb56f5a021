"""The SQL a block of code sends, for tests that count or inspect it."""

from contextlib import contextmanager

import frappe


@contextmanager
def recorded_queries():
	"""The queries run inside, recorded as frappe's own assertQueryCount records them: on the
	database class, so no instance attribute is left behind to hide a later recorder."""
	queries: list[str] = []
	database = frappe.db.__class__
	sql = database.sql

	def recording(db, *args, **kwargs):
		result = sql(db, *args, **kwargs)
		queries.append(db.last_query)
		return result

	database.sql = recording
	try:
		yield queries
	finally:
		database.sql = sql
