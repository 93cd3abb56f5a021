"""What a restore must bring back, read from one site: run as a script in a process of its own.

	env/bin/python tests/ops/site_facts.py '{"site": "x.localhost", "secret": [...], "records": [...]}'

(run from sites/). The drill reads the source and the restored site the same way, each in a fresh
process, so one site's frappe state (connection, cache, config) never answers for the other. The
facts are printed as JSON on the last line:

- counts: rows of every DocType of the app (child tables included) and of the ledger, files and
  password tables frappe keeps beside them;
- gl_balances: debit minus credit per account over the GL entries that are not cancelled;
- files: sha1 of every file on disk under the site's private/files and public/files;
- secret: the decrypted value of an encrypted password field, or the error class that refused it;
- records: the docstatus of the named records (null when missing).
"""

import hashlib
import json
import sys
from pathlib import Path

APP = "charity_beneficiary"
# what the app posts and attaches, besides its own DocTypes
LEDGER_AND_FILES = (
	"GL Entry",
	"Journal Entry",
	"Journal Entry Account",
	"Payment Ledger Entry",
	"Stock Ledger Entry",
	"File",
)


def app_doctypes() -> list[str]:
	import frappe

	return frappe.get_all(
		"DocType",
		filters={"module": ("in", frappe.get_module_list(APP)), "issingle": 0, "is_virtual": 0},
		pluck="name",
		order_by="name",
	)


def counts() -> dict[str, int]:
	import frappe

	return {doctype: frappe.db.count(doctype) for doctype in [*app_doctypes(), *LEDGER_AND_FILES]}


def gl_balances() -> dict[str, str]:
	import frappe
	from frappe.query_builder.functions import Sum
	from frappe.utils import flt

	gle = frappe.qb.DocType("GL Entry")
	rows = (
		frappe.qb.from_(gle)
		.select(gle.account, Sum(gle.debit) - Sum(gle.credit))
		.where(gle.is_cancelled == 0)
		.groupby(gle.account)
	).run()
	return {account: f"{flt(balance, 2):.2f}" for account, balance in rows}


def files() -> dict[str, str]:
	import frappe

	site = Path(frappe.get_site_path()).resolve()
	found = {}
	for folder in ("private/files", "public/files"):
		for path in sorted((site / folder).rglob("*")):
			if path.is_file():
				found[str(path.relative_to(site))] = hashlib.sha1(path.read_bytes()).hexdigest()
	return found


def secret(doctype: str, name: str, fieldname: str) -> dict[str, str]:
	import frappe
	from frappe.utils.password import get_decrypted_password

	try:
		return {"value": get_decrypted_password(doctype, name, fieldname)}
	except frappe.ValidationError as error:  # frappe.throw of a key that cannot decrypt
		return {"error": type(error).__name__}


def records(names: list[list[str]]) -> dict[str, int | None]:
	import frappe

	return {f"{doctype}/{name}": frappe.db.get_value(doctype, name, "docstatus") for doctype, name in names}


def site_facts(query: dict) -> dict:
	import frappe

	frappe.init(site=query["site"], sites_path=".")
	frappe.connect()
	try:
		return {
			"counts": counts(),
			"gl_balances": gl_balances(),
			"files": files(),
			"secret": secret(*query["secret"]),
			"records": records(query.get("records", [])),
		}
	finally:
		frappe.destroy()


if __name__ == "__main__":
	print(json.dumps(site_facts(json.loads(sys.argv[1])), sort_keys=True))
