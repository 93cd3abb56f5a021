from charity_beneficiary.assistance.portal import notification_context


def get_context(context):
	# sent only where SMS Settings are configured and the beneficiary has a mobile number
	notification_context(context, sms=True)
