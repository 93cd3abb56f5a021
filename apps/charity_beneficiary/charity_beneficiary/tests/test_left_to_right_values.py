"""R8.1: numbers that read left to right stay left to right inside Arabic text.

A phone number, an IBAN, an ID number or a document's name inside a right-to-left page is printed in an
isolated left-to-right run (`<bdi dir="ltr">`), so "+966…" is not shown as "966…+"; the reports'
columns of dates and identifiers are wide enough not to cut their start."""

import re

import frappe
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.assistance.report.assistance_request_ageing import assistance_request_ageing
from charity_beneficiary.beneficiaries.report.expiring_beneficiary_documents import (
	expiring_beneficiary_documents,
)
from charity_beneficiary.disbursement.report.aid_disbursement_register import aid_disbursement_register
from charity_beneficiary.programmes.report.aid_programme_reach import aid_programme_reach
from charity_beneficiary.tests.factories import make_beneficiary

LTR_OPEN = '<bdi class="ltr" dir="ltr">'
# the values of the prints that read left to right: IDs, phones, IBANs, document names
LTR_VALUE = re.compile(
	r"\{\{[^}]*\b(id_number|mobile_no|bank_iban|email_id|doc\.name|assistance_request|bill_no)\b[^}]*\}\}"
)
MIN_WIDTH = {"Date": 120, "Datetime": 170}
MIN_ID_WIDTH = 160  # links to records named by a series (ASR-2026-00001…)
SERIES_NAMED = {"Assistance Request", "Aid Disbursement", "Beneficiary", "Aid Programme"}


class TestPrintsKeepValuesLeftToRight(FrappeTestCase):
	def test_every_identifier_of_the_prints_is_an_isolated_left_to_right_run(self):
		formats = frappe.get_all(
			"Print Format", {"module": ("in", frappe.get_module_list("charity_beneficiary"))}, pluck="name"
		)
		self.assertEqual(len(formats), 4)
		for name in formats:
			html = frappe.db.get_value("Print Format", name, "html")
			for match in LTR_VALUE.finditer(html):
				with self.subTest(print_format=name, value=match.group(0)):
					before = html[: match.start()]
					self.assertTrue(
						before.rstrip(" (").endswith(LTR_OPEN) or before.endswith('dir="ltr">'),
						before[-80:],
					)

	def test_the_beneficiary_file_prints_phone_iban_and_id_left_to_right(self):
		doc = make_beneficiary(mobile_no="+966501234567", bank_iban="SA0380000000608010167519")
		html = frappe.get_print("Beneficiary", doc.name, print_format="ملف المستفيد", doc=doc)
		for value in (doc.mobile_no, doc.bank_iban, doc.id_number, doc.name):
			with self.subTest(value=value):
				self.assertIn(f"{LTR_OPEN}{value}</bdi>", html)


class TestReportColumnsFitTheirValues(FrappeTestCase):
	def test_dates_and_identifiers_are_not_cut(self):
		reports = {
			"Aid Disbursement Register": aid_disbursement_register.get_columns(),
			"Assistance Request Ageing": assistance_request_ageing.get_columns(),
			"Expiring Beneficiary Documents": expiring_beneficiary_documents.get_columns(),
			"Aid Programme Reach": aid_programme_reach.columns(),
		}
		for report, columns in reports.items():
			for column in columns:
				with self.subTest(report=report, column=column["fieldname"]):
					minimum = MIN_WIDTH.get(column["fieldtype"], 0)
					linked_doctype = column.get("link_doctype") or column.get("options")
					if linked_doctype in SERIES_NAMED or column["fieldname"] in (
						"beneficiary",
						"assistance_request",
					):
						minimum = max(minimum, MIN_ID_WIDTH)
					if column["fieldname"] == "mobile_no":
						minimum = 140
					self.assertGreaterEqual(column["width"], minimum)
