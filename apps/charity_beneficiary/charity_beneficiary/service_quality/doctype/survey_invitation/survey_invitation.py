# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""One invitation to rate a service (service_quality.survey.invite): a token valid until expires_on."""

from frappe.model.document import Document


class SurveyInvitation(Document):
	pass
