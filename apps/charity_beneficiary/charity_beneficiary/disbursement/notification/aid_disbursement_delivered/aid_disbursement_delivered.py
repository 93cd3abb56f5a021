from charity_beneficiary.disbursement.notices import notification_context


def get_context(context):
	# sent after the commit (disbursement/notices.py), on the channels that reach the beneficiary
	notification_context(context)
