from charity_beneficiary.assistance.portal import notification_context


def get_context(context):
	# the beneficiary's current e-mail, the answer date in Gregorian and Hijri, the portal link
	notification_context(context)
