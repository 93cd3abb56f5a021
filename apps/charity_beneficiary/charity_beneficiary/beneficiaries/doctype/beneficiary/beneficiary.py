# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import cint, flt, getdate, now_datetime, today

from charity_beneficiary.beneficiaries import duplicates, portal
from charity_beneficiary.beneficiaries.verify import InvalidBeneficiaryData, checked, throw_for_field
from charity_beneficiary.utils import code_owned
from charity_beneficiary.utils.signature import check_signatures
from charity_beneficiary.verification import (
	VerificationError,
	from_hijri,
	hijri_display,
	is_expired,
	normalize_mobile,
	saudi_bank,
	to_hijri,
	validate_birth_date,
	validate_iban,
	validate_id,
)


class ActivationError(frappe.ValidationError):
	pass


# set by the portal's upload of a renewed document (portal/home.py), on the record it loaded
DOCUMENT_RENEWAL_FLAG = "document_renewal"


# the genders of the policies' forms; the form offers only these (beneficiary.js)
POLICY_GENDERS = ("Male", "Female")


class Beneficiary(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from charity_beneficiary.beneficiaries.doctype.beneficiary_category_row.beneficiary_category_row import (
			BeneficiaryCategoryRow,
		)
		from charity_beneficiary.beneficiaries.doctype.beneficiary_document.beneficiary_document import (
			BeneficiaryDocument,
		)
		from charity_beneficiary.beneficiaries.doctype.beneficiary_family_member.beneficiary_family_member import (
			BeneficiaryFamilyMember,
		)
		from charity_beneficiary.beneficiaries.doctype.beneficiary_income.beneficiary_income import (
			BeneficiaryIncome,
		)

		bank_iban: DF.Data | None
		bank_name: DF.Data | None
		beneficiary_name: DF.Data
		beneficiary_name_en: DF.Data | None
		branch: DF.Link | None
		categories: DF.TableMultiSelect[BeneficiaryCategoryRow]
		city: DF.Data | None
		date_of_birth: DF.Date | None
		date_of_birth_hijri: DF.Data | None
		declaration_accepted: DF.Check
		declaration_on: DF.Datetime | None
		declaration_taken_by: DF.Link | None
		district: DF.Data | None
		documents: DF.Table[BeneficiaryDocument]
		duplicate_override: DF.Check
		duplicate_override_reason: DF.SmallText | None
		email_id: DF.Data | None
		family_members: DF.Table[BeneficiaryFamilyMember]
		gender: DF.Link | None
		household_size: DF.Int
		housing_type: DF.Literal[
			"", "Owned", "Rented", "Family House", "Charity Housing", "Government Housing", "Other"
		]
		id_expiry_date: DF.Date | None
		id_expiry_hijri: DF.Data | None
		id_number: DF.Data
		id_type: DF.Literal["National ID", "Iqama", "Passport", "Border Number"]
		income_sources: DF.Table[BeneficiaryIncome]
		marital_status: DF.Literal["", "Single", "Married", "Divorced", "Widowed", "Abandoned"]
		mobile_no: DF.Data | None
		monthly_rent: DF.Currency
		naming_series: DF.Literal["BEN-.YYYY.-.#####"]
		national_address: DF.SmallText | None
		nationality: DF.Link | None
		need_score: DF.Float
		next_review_date: DF.Date | None
		per_capita_income: DF.Currency
		social_security_status: DF.Literal[
			"", "Not Registered", "Applied", "Registered - Receiving", "Registered - Not Receiving"
		]
		status: DF.Literal["Applicant", "Active", "Suspended", "Inactive", "Rejected"]
		total_monthly_income: DF.Currency
		user: DF.Link | None
	# end: auto-generated types

	def before_validate(self):
		code_owned.refuse_user_changes(self)
		portal.protect_portal_fields(self)

	def validate(self):
		self.validate_branch()
		self.verify_identity()
		self.verify_dates()
		self.verify_contact()
		self.verify_bank_account()
		self.verify_family_members()
		self.verify_genders()
		self.verify_documents()
		check_signatures(self)
		self.compute_household()
		duplicates.check_one_person_one_beneficiary(self)
		self.record_declaration()
		if self.status == "Active" and not self.is_document_renewal():
			self.validate_activation()

	def on_update(self):
		duplicates.audit_override(self)
		duplicates.flag_possible_duplicates(self)

	def on_trash(self):
		duplicates.remove_reviews(self.name)

	def validate_branch(self):
		if not self.branch and portal.is_branch_only(frappe.session.user):
			frappe.throw(_("Please select the branch of this beneficiary"), exc=frappe.MandatoryError)

	# --- R1.1 verified at submission ----------------------------------------------
	def verify_identity(self):
		self.id_number = checked(validate_id, self.id_type, self.id_number, doc=self, fieldname="id_number")

	def verify_dates(self):
		if self.id_expiry_hijri and self.has_value_changed("id_expiry_hijri"):
			self.id_expiry_date = checked(
				from_hijri, self.id_expiry_hijri, doc=self, fieldname="id_expiry_hijri"
			)
		if self.id_expiry_date:
			self.id_expiry_hijri = hijri_text(self.id_expiry_date, numeric=True)
		verify_birth_date(self)

	def verify_contact(self):
		if self.mobile_no:
			self.mobile_no = checked(normalize_mobile, self.mobile_no, doc=self, fieldname="mobile_no")

	def verify_bank_account(self):
		if not self.bank_iban:
			self.bank_name = None
			return
		self.bank_iban = checked(validate_iban, self.bank_iban, doc=self, fieldname="bank_iban")
		bank = saudi_bank(self.bank_iban)
		self.bank_name = (bank["name_ar"] if frappe.local.lang == "ar" else bank["name_en"]) if bank else None

	def verify_genders(self):
		"""The policies' forms know two genders (ذكر / أنثى), not ERPNext's long list."""
		for row in (self, *self.family_members):
			if row.gender and row.gender not in POLICY_GENDERS:
				throw_for_field(_("please choose Male or Female"), doc=row, fieldname="gender")

	def verify_family_members(self):
		for member in self.family_members:
			if member.id_number:
				member.id_number = checked(
					validate_id, member.id_type, member.id_number, doc=member, fieldname="id_number"
				)
				if member.id_number == self.id_number:
					throw_for_field(
						_("a family member cannot have the beneficiary's own ID number"),
						doc=member,
						fieldname="id_number",
					)
			verify_birth_date(member)
		ids = [m.id_number for m in self.family_members if m.id_number]
		if len(ids) != len(set(ids)):
			frappe.throw(
				_("The same ID number is entered for two family members"), exc=InvalidBeneficiaryData
			)

	def verify_documents(self):
		before = self.get_doc_before_save()
		issued = {row.name: row.issue_date for row in before.documents} if before else {}
		for document in self.documents:
			verify_issue_date(document, issued.get(document.name))
			if (
				document.issue_date
				and document.expiry_date
				and getdate(document.expiry_date) < getdate(document.issue_date)
			):
				throw_for_field(
					_("the expiry date is before the issue date"), doc=document, fieldname="expiry_date"
				)
			document.expiry_date_hijri = hijri_text(document.expiry_date, numeric=True)
			self.record_verification(document)

	def record_verification(self, document):
		"""Who verified a document and when are the server's to write: the user who ticks "verified"
		(now), kept while it stays ticked; whatever a request sends for them is replaced."""
		before = self.get_doc_before_save()
		stored = next((r for r in (before.documents if before else []) if r.name == document.name), None)
		if not document.verified:
			document.verified_by = document.verified_on = None
		elif stored and stored.verified:
			document.verified_by, document.verified_on = stored.verified_by, stored.verified_on
		else:
			document.verified_by, document.verified_on = frappe.session.user, now_datetime()

	# --- computed household figures (R1.5) ------------------------------------------
	def compute_household(self):
		self.household_size = 1 + len(self.family_members)
		income = sum(flt(i.monthly_amount) for i in self.income_sources)
		income += sum(flt(m.monthly_income) for m in self.family_members)
		self.total_monthly_income = income
		self.per_capita_income = flt(income / self.household_size, self.precision("per_capita_income"))

	# --- R1.2 declaration -------------------------------------------------------------
	def record_declaration(self):
		"""When the declaration was given and who took it (code-owned fields): the user who saves the
		signature, now — the officer at the desk, or the beneficiary himself when he signs on the
		portal. Kept while the signature stays; recorded afresh where either is missing (a portal
		signature of before, which recorded no one), so ticking the declaration again completes it.
		A declaration withdrawn (unticked) takes its signature with it: ticked again, it is a new
		declaration, signed again — the old signature was re-credited to whoever ticked it (R1.2)."""
		if not self.declaration_accepted:
			before = self.get_doc_before_save()
			if before and before.declaration_accepted:
				self.declaration_signature = None
			self.declaration_on = self.declaration_taken_by = None
			return
		recorded = self.declaration_on and self.declaration_taken_by
		if not recorded or self.has_value_changed("declaration_signature"):
			self.declaration_on = now_datetime()
			self.declaration_taken_by = frappe.session.user

	# --- R1.2 / R1.3 activation --------------------------------------------------------
	def is_document_renewal(self) -> bool:
		"""The portal's save of a renewed document for a record that was already Active: it only adds
		an unverified row, which the officer verifies later, so the activation is not checked again —
		an expired identity or a renewal awaiting verification must not refuse the upload (R6.2).
		Every other save of an Active record, an officer's included, is still checked, so nobody
		leaves an Active record without its declaration or verified documents."""
		before = self.get_doc_before_save()
		return bool(self.flags.get(DOCUMENT_RENEWAL_FLAG) and before and before.status == "Active")

	def validate_activation(self):
		missing = []
		if not cint(self.declaration_accepted):
			missing.append(_("the declaration is not accepted"))
		if not self.declaration_signature:
			missing.append(_("the applicant has not signed the declaration"))
		if not self.declaration_on or not self.declaration_taken_by:
			missing.append(_("the declaration's time or the officer who took it is not recorded"))
		if self.id_expiry_date and is_expired(getdate(self.id_expiry_date), getdate(today())):
			missing.append(
				_("the identity expired on {0}").format(frappe.format(self.id_expiry_date, "Date"))
			)
		missing += self.missing_documents()
		if missing:
			frappe.throw(
				_("The beneficiary cannot be activated:")
				+ "<ul><li>"
				+ "</li><li>".join(missing)
				+ "</li></ul>",
				exc=ActivationError,
				title=_("Registration Incomplete"),
			)

	def missing_documents(self) -> list[str]:
		"""Every mandatory document type (all beneficiaries + the categories') must be attached,
		verified and unexpired (R1.3), in one of its rows: a renewed copy waiting for verification
		stands beside the verified one, which still counts until it expires."""
		problems = []
		for document_type in self.mandatory_document_types():
			rows = [d for d in self.documents if d.document_type == document_type and d.attachment]
			problem = document_problem(rows, document_type)
			if problem:
				problems.append(problem)
		return problems

	def mandatory_document_types(self) -> list[str]:
		required = frappe.get_all("Beneficiary Document Type", filters={"is_mandatory": 1}, pluck="name")
		categories = [row.category for row in self.categories]
		if categories:
			required += frappe.get_all(
				"Beneficiary Document Type Row",
				filters={"parenttype": "Beneficiary Category", "parent": ("in", categories)},
				pluck="document_type",
			)
		return list(dict.fromkeys(required))


def document_problem(rows: list, document_type: str) -> str | None:
	"""Why the attached `rows` of a mandatory `document_type` do not count, or None when one does."""
	name = frappe.bold(_(document_type))
	if not rows:
		return _("document {0} is missing").format(name)
	current = [row for row in rows if not row_expired(row)]
	if any(row.verified for row in current):
		return None
	# a current copy, or only unverified ones: what is left to do is the officer's verification
	if current or not any(row.verified for row in rows):
		return _("document {0} is not verified").format(name)
	return _("document {0} has expired").format(name)


def row_expired(row) -> bool:
	return bool(row.expiry_date) and is_expired(getdate(row.expiry_date), getdate(today()))


def verify_birth_date(person) -> None:
	"""The beneficiary's or a family member's birth date: a possible one, with its Hijri text."""
	if person.date_of_birth:
		checked(
			validate_birth_date,
			getdate(person.date_of_birth),
			getdate(today()),
			doc=person,
			fieldname="date_of_birth",
		)
	person.date_of_birth_hijri = hijri_text(person.date_of_birth)


def hijri_text(value, numeric: bool = False) -> str | None:
	"""The Umm al-Qura date shown beside a Gregorian date (R8.1); empty when the calendar's tables
	(1924-08-01 to 2077-11-16) do not reach it. The Gregorian date is the record's and stays valid —
	a birth in 1910 within the age rule, an identity expiring in 2080 — the Hijri text only shows it,
	as the print formats' `hijri` filter (utils/jinja.py) does."""
	if not value:
		return None
	try:
		if numeric:
			return to_hijri(getdate(value))
		return hijri_display(getdate(value), lang=frappe.local.lang or "ar")
	except VerificationError:  # the only error of a valid date: outside the tables
		return None


def on_doctype_update():
	"""Lists of 100k beneficiaries by status or branch, newest first, read an index (utils/list_indexes)."""
	from charity_beneficiary.utils.list_indexes import add_list_indexes

	add_list_indexes("Beneficiary", ("status", "branch"))


def verify_issue_date(document, stored_issue_date) -> None:
	"""A document is not issued after today. Checked when the date is entered or changed: a row stored
	before this check (an import) does not block every later save of the record."""
	if not document.issue_date or getdate(document.issue_date) <= getdate(today()):
		return
	if stored_issue_date and getdate(stored_issue_date) == getdate(document.issue_date):
		return
	throw_for_field(_("the issue date is in the future"), doc=document, fieldname="issue_date")
