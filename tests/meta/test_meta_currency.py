"""Money is in the charity's currency, never one written in the metadata (issue 13).

A Currency field has no options (frappe's default currency, which the setup wizard sets to the
company's) or, in a DocType with a `company` field, "Company:company:default_currency"; frappe's
third way, naming a field of the same DocType that holds the currency, is accepted too. A web form
field carries no currency of its own, and a number card none either (it then formats with its field).
"""

import catalog as c
import pytest

APP = c.app()
COMPANY_CURRENCY = "Company:company:default_currency"
CURRENCY_FIELDS = [item for item in c.iter_fields(APP) if item[2].get("fieldtype") == "Currency"]


def _fid(item):
	owner, _doctype, f = item
	return f"{owner}::{f.get('fieldname')}"


def currency_problem(options: str | None, fields: list[dict]) -> str | None:
	"""Why `options` of a Currency field among `fields` is not the company's currency, else None."""
	if not options:
		return None
	by_name = {f.get("fieldname"): f for f in fields}
	if options == COMPANY_CURRENCY:
		company = by_name.get("company") or {}
		if company.get("fieldtype") == "Link" and company.get("options") == "Company":
			return None
		return f"options {options!r} but the DocType has no Link field 'company' to Company"
	holder = by_name.get(options) or {}
	if holder.get("fieldtype") == "Link" and holder.get("options") == "Currency":
		return None
	return (
		f"options {options!r} names a currency of its own: leave options empty (the company's "
		f"currency) or, with a company field, use {COMPANY_CURRENCY!r}"
	)


@pytest.mark.parametrize("item", c.cases(CURRENCY_FIELDS, _fid, "the app has no Currency fields"))
def test_currency_field_in_company_currency(item):
	owner, doctype, f = item
	problem = currency_problem(f.get("options"), APP.fields_of(doctype) if doctype else [])
	c.fail_if([problem] if problem else [], f"{owner}::{f.get('fieldname')}")


WEB_FORMS = [jf for doctype, jf in APP.standard_docs if doctype == "Web Form" and jf.ok]
NUMBER_CARDS = [jf for doctype, jf in APP.standard_docs if doctype == "Number Card" and jf.ok]


@pytest.mark.parametrize("jf", c.cases(WEB_FORMS, lambda jf: jf.rel, "the app has no web forms"))
def test_web_form_currency_fields(jf):
	fields = APP.fields_of(jf.data.get("doc_type") or "")
	problems = [
		f"{f.get('fieldname')}: {problem}"
		for f in c.rows(jf.data, "web_form_fields")
		if f.get("fieldtype") == "Currency" and (problem := currency_problem(f.get("options"), fields))
	]
	c.fail_if(problems, jf.rel)


@pytest.mark.parametrize("jf", c.cases(NUMBER_CARDS, lambda jf: jf.rel, "the app has no number cards"))
def test_number_card_names_no_currency(jf):
	currency = jf.data.get("currency")
	c.fail_if(
		[f"currency {currency!r}: leave it empty, the card formats in its field's (the company's) currency"]
		if currency
		else [],
		jf.rel,
	)
