# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""A beneficiary's answers, created only by service_quality.survey.submit_survey; read by managers only."""

import frappe
from frappe import _
from frappe.model.document import Document

from charity_beneficiary.utils import code_owned


class SurveyResponse(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		from charity_beneficiary.service_quality.doctype.survey_answer.survey_answer import SurveyAnswer

		aid_disbursement: DF.Link | None
		aid_service: DF.Link | None
		answers: DF.Table[SurveyAnswer]
		assistance_request: DF.Link | None
		average_rating: DF.Float
		beneficiary: DF.Link | None
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
		nps_category: DF.Literal["", "Promoter", "Passive", "Detractor"]
		nps_score: DF.Int
		satisfaction_score: DF.Percent
		served_by: DF.Link | None
		submitted_on: DF.Datetime | None
		survey_invitation: DF.Link | None
		survey_template: DF.Link

	# end: auto-generated types
	def before_validate(self):
		code_owned.refuse_user_changes(self)

	def before_insert(self):
		if not code_owned.writing_as(code_owned.SURVEY):
			frappe.throw(
				_("Survey responses are created only by the beneficiary's answer"), frappe.PermissionError
			)

	def validate(self):
		if self.get_doc_before_save() and not code_owned.writing_as(code_owned.SURVEY):
			frappe.throw(_("A survey response cannot be changed"), frappe.PermissionError)
