"""Portal web form "feedback" (R6.3): a logged-in beneficiary sends a complaint, suggestion, praise or
inquiry and follows its answer. service_quality/feedback.py (called by the controller) sets him as the
beneficiary, the channel Website and resets every officer field; he sees only his own feedback, and
of it only what he may read (the officer's assignment and escalation are staff's): in the page through
get_context below, in the form's data call (frappe's get_form_data) through the controller's as_dict."""

from charity_beneficiary.portal.web_form_doc import keep_readable_fields


def get_context(context):
	context.no_cache = 1
	keep_readable_fields(context)  # frappe puts the whole document in the page
