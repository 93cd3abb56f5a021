# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt

from frappe.model.document import Document


class AidProgrammeLine(Document):
	# begin: auto-generated types
	# end: auto-generated types

	pass
