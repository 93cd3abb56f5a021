"""Finish a fresh site without the setup wizard, and load the demo data set.

Used by `bench --site X charity-setup` (bin/up, bin/test) and by `before_tests`.
Both steps are idempotent: a site that is already set up is left as it is and
demo records that exist are not created twice.
"""

import json
from pathlib import Path

import frappe
from frappe.utils import get_bench_path, getdate, nowdate

# The test site stays in English: ERPNext's test records expect English root names.
LANGUAGES = {"ar": "العربية", "en": "English"}

COMPANIES = {
	"ar": {"company_name": "جمعية البر الخيرية", "company_abbr": "JBK", "full_name": "مدير الجمعية"},
	"en": {"company_name": "Charity Test Association", "company_abbr": "CTA", "full_name": "Charity Manager"},
}


def complete_setup(language: str = "ar") -> None:
	"""Run ERPNext's setup wizard stages non-interactively: a Saudi company in SAR."""
	if frappe.is_setup_complete() and frappe.db.a_row_exists("Company"):
		return

	from frappe.desk.page.setup_wizard.setup_wizard import setup_complete

	year = getdate(nowdate()).year
	company = COMPANIES[language]
	setup_complete(
		{
			"language": LANGUAGES[language],
			"country": "Saudi Arabia",
			"timezone": "Asia/Riyadh",
			"currency": "SAR",
			"company_name": company["company_name"],
			"company_abbr": company["company_abbr"],
			"company_tagline": company["company_name"],
			"chart_of_accounts": "Standard",
			"fy_start_date": f"{year}-01-01",
			"fy_end_date": f"{year}-12-31",
			"full_name": company["full_name"],
			"email": "manager@charity.localhost",
			"password": frappe.generate_hash(length=16),
			"industry": "Non Profit",
		}
	)
	frappe.db.commit()
	if not frappe.is_setup_complete():
		frappe.throw(frappe._("ERPNext setup did not complete; see the error log"))
	from charity_beneficiary.disbursement.setup import setup_disbursement

	setup_disbursement()
	frappe.db.commit()


def demo_data_path() -> Path:
	return Path(get_bench_path()) / "fixtures"


def load_demo_data(path: Path | None = None) -> int:
	"""Insert the demo documents of `fixtures/*.json` (bench level) that are not there yet.

	Each file holds a list of documents. A document is matched by `name` when it has one,
	otherwise by the fields listed in its `_match` key, so loading twice creates nothing new.
	Files load in name order, so later files can link to records of earlier ones.
	"""
	created = 0
	for file in sorted((path or demo_data_path()).glob("*.json")):
		for doc in json.loads(file.read_text(encoding="utf-8")):
			if _exists(doc):
				continue
			clean = {k: v for k, v in doc.items() if k != "_match"}
			frappe.get_doc(clean).insert(ignore_permissions=True)
			created += 1
	frappe.db.commit()
	return created


def _exists(doc: dict) -> bool:
	if doc.get("name"):
		return bool(frappe.db.exists(doc["doctype"], doc["name"]))
	match = {field: doc[field] for field in doc.get("_match", [])}
	return bool(match) and bool(frappe.db.exists(doc["doctype"], match))
