# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""One invitation to rate a service (service_quality.survey.invite): a token valid until expires_on."""

from frappe.model.document import Document

from charity_beneficiary.utils import code_owned


class SurveyInvitation(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		aid_disbursement: DF.Link | None
		aid_service: DF.Link | None
		answered_on: DF.Datetime | None
		assistance_request: DF.Link
		beneficiary: DF.Link
		beneficiary_name: DF.Data | None
		branch: DF.Link | None
		channel: DF.Literal[
			"In-person Interview",
			"Phone Call",
			"Social Media",
			"Letter",
			"Help Request Service",
			"Volunteer Service",
			"Website",
			"Branch Representative",
		]
		expires_on: DF.Date | None
		sent_on: DF.Datetime | None
		served_by: DF.Link | None
		status: DF.Literal["Pending", "Answered", "Expired"]
		survey_response: DF.Link | None
		survey_template: DF.Link
		token: DF.Data | None

	# end: auto-generated types
	def before_validate(self):
		code_owned.refuse_user_changes(self)  # every field of it is the survey code's
