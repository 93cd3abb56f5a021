"""Portal web form "feedback" (R6.3): a logged-in beneficiary sends a complaint, suggestion, praise or
inquiry and follows its answer. service_quality/feedback.py (called by the controller) sets him as the
beneficiary, the channel Website and resets every officer field; he sees only his own feedback."""


def get_context(context):
	context.no_cache = 1
