# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class BeneficiaryFamilyMember(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		date_of_birth: DF.Date | None
		date_of_birth_hijri: DF.Data | None
		education_status: DF.Literal[
			"", "Not of School Age", "Student", "University Student", "Graduate", "Not Studying", "Illiterate"
		]
		gender: DF.Link | None
		health_status: DF.Literal["", "Healthy", "Chronic Illness", "Disability", "Bedridden", "Other"]
		id_number: DF.Data | None
		id_type: DF.Literal["National ID", "Iqama", "Passport", "Border Number"]
		is_dependent: DF.Check
		member_name: DF.Data
		monthly_income: DF.Currency
		parent: DF.Data
		parentfield: DF.Data
		parenttype: DF.Data
		relation: DF.Literal[
			"", "Spouse", "Son", "Daughter", "Father", "Mother", "Brother", "Sister", "Grandchild", "Other"
		]
	# end: auto-generated types
	pass
