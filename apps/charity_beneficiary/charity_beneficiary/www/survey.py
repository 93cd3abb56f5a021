"""/survey (R5.2): the beneficiary rates the service, in the site's language for a guest with a link
(portal/language.py, before_request) and in his own once logged in, as on every page of the portal.

/survey?token=... shows the survey of an invitation (the token, sent to the beneficiary, is the
credential: no login needed); an answered, expired or unknown link shows why it cannot be answered.
/survey without a token lists the logged-in beneficiary's pending surveys (his portal); a guest is sent
to the sign-up page (which links to the login), as on every page of the portal, and brought back here.
Answers go to charity_beneficiary.service_quality.survey.submit_survey.
"""

import frappe
from charity_beneficiary.portal.redirects import sign_up_path
from charity_beneficiary.service_quality.survey import (
	SURVEY_ROUTE,
	SurveyLinkError,
	open_invitation,
	pending_invitations,
	template_questions,
)
from frappe import _
from frappe.utils.jinja_globals import is_rtl

no_cache = 1


def get_context(context):
	context.no_cache = 1
	context.rtl = is_rtl()
	context.title = _("Service Satisfaction Survey")
	context.route = SURVEY_ROUTE
	context.error = None
	context.questions = []
	context.pending = []
	token = frappe.form_dict.get("token")

	if not token:
		if frappe.session.user == "Guest":
			# 302 as portal/guest.py answers (frappe.redirect's 301 is the browser's to keep)
			frappe.flags.redirect_location = sign_up_path(f"/{SURVEY_ROUTE}")
			raise frappe.Redirect(302)
		context.pending = pending_invitations(frappe.session.user)
		return context

	try:
		invitation = open_invitation(token)
	except SurveyLinkError as err:
		frappe.clear_last_message()
		frappe.local.message_log = []
		context.error = str(err)
		return context

	context.token = token
	# Not `context.template`: frappe reads that key as the page's own Jinja template (TemplateNotFound).
	context.survey_template = invitation.survey_template
	context.assistance_request = invitation.assistance_request
	context.questions = template_questions(invitation.survey_template)
	return context
