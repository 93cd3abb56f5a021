app_name = "charity_beneficiary"
app_title = "Charity Beneficiary"
app_publisher = "charity_beneficiary developers"
app_description = "Beneficiary relations for Saudi charitable associations on ERPNext"
app_email = "dev@charity.localhost"
app_license = "mit"

# "org/repo" form (as hrms does): a bare "erpnext" makes frappe ask GitHub for the org at install.
required_apps = ["frappe/erpnext"]

# Controllers get a generated, typed field block (bench --site X migrate / doctype save).
export_python_type_annotations = True

# Installation
# ------------
after_install = "charity_beneficiary.setup.install.after_install"
after_migrate = "charity_beneficiary.setup.install.after_migrate"
before_uninstall = "charity_beneficiary.setup.install.before_uninstall"

# Testing
# -------
before_tests = "charity_beneficiary.setup.install.before_tests"

# Desk: Hijri beside every date of the app's forms
app_include_js = [
	"/assets/charity_beneficiary/js/hijri_dates.js",
	"/assets/charity_beneficiary/js/ltr_values.js",  # report cells: typed text escaped, IDs left to right
	"/assets/charity_beneficiary/js/timeline_translations.js",  # a form's history in the user's language
]

# Jinja (print formats): Hijri beside Gregorian dates
jinja = {"methods": ["charity_beneficiary.utils.jinja.hijri"]}

# Portal
# ------
standard_portal_menu_items = [
	{"title": "My Portal", "route": "/portal", "role": "Beneficiary"},
	{
		"title": "Beneficiary Registration",
		"route": "/beneficiary-registration",
		"reference_doctype": "Beneficiary",
		"role": "Beneficiary",
	},
	{
		"title": "Request Assistance",
		"route": "/assistance-request/new",
		"reference_doctype": "Assistance Request",
		"role": "Beneficiary",
	},
	{
		"title": "My Assistance Requests",
		"route": "/my-requests",
		"reference_doctype": "Assistance Request",
		"role": "Beneficiary",
	},
	{"title": "Service Surveys", "route": "/survey", "role": "Beneficiary"},
	{
		"title": "Complaints and Suggestions",
		"route": "/feedback",
		"reference_doctype": "Beneficiary Feedback",
		"role": "Beneficiary",
	},
]

# A beneficiary lands on his portal home; guests on its pages go to the sign-up page first (R6.1)
role_home_page = {"Beneficiary": "portal"}
# The navbar and footer speak for the charity, not for the software vendor (R8.1)
update_website_context = ["charity_beneficiary.portal.branding.website_context"]

# ERPNext: the Charity Fund accounting dimension is carried by disbursements too
accounting_dimension_doctypes = ["Aid Disbursement"]

# Permissions
# -----------
has_permission = {
	"Aid Disbursement": [
		"charity_beneficiary.disbursement.permissions.has_permission",
		"charity_beneficiary.beneficiaries.branch_access.has_permission",
	],
	"Beneficiary": [
		"charity_beneficiary.beneficiaries.portal.has_permission",
		"charity_beneficiary.assistance.research_access.beneficiary_has_permission",
		"charity_beneficiary.assistance.committee_access.beneficiary_has_permission",
		"charity_beneficiary.disbursement.permissions.beneficiary_has_permission",
	],
	"Assistance Request": [
		"charity_beneficiary.assistance.research_access.request_has_permission",
		"charity_beneficiary.assistance.committee_access.request_has_permission",
		"charity_beneficiary.assistance.portal.has_permission",
		"charity_beneficiary.beneficiaries.branch_access.has_permission",
		"charity_beneficiary.disbursement.permissions.request_has_permission",
	],
	# ERPNext's bundles of tracked goods: the posters' rights hold inside the app's postings only
	"Serial and Batch Bundle": "charity_beneficiary.disbursement.permissions.bundle_has_permission",
	"Research Report": [
		"charity_beneficiary.assistance.research_access.report_has_permission",
		"charity_beneficiary.assistance.committee_access.report_has_permission",
	],
	"Charity Reference Document": "charity_beneficiary.assistance.doctype.charity_reference_document.charity_reference_document.has_permission",
	"Beneficiary Feedback": [
		"charity_beneficiary.service_quality.feedback.has_permission",
		"charity_beneficiary.beneficiaries.branch_access.has_permission",
	],
}
permission_query_conditions = {
	"*": [
		# adds no condition: refuses lists filtered, sorted or grouped on fields the user cannot read
		"charity_beneficiary.utils.list_guard.query_conditions",
		# the app's child tables: only the rows of parents the user may list (utils/child_access.py)
		"charity_beneficiary.utils.child_access.query_conditions",
	],
	"Aid Disbursement": [
		"charity_beneficiary.beneficiaries.branch_access.query_conditions",
		# the storekeeper lists the goods' disbursements, not the cash paid to beneficiaries
		"charity_beneficiary.disbursement.permissions.disbursement_query_conditions",
	],
	"Beneficiary": [
		"charity_beneficiary.beneficiaries.portal.permission_query_conditions",
		"charity_beneficiary.assistance.research_access.beneficiary_query_conditions",
		"charity_beneficiary.assistance.committee_access.beneficiary_query_conditions",
		"charity_beneficiary.disbursement.permissions.beneficiary_query_conditions",
	],
	"Assistance Request": [
		"charity_beneficiary.assistance.research_access.request_query_conditions",
		"charity_beneficiary.assistance.committee_access.request_query_conditions",
		"charity_beneficiary.assistance.portal.query_conditions",
		"charity_beneficiary.beneficiaries.branch_access.query_conditions",
		# the accountant and the storekeeper: the requests they disburse
		"charity_beneficiary.disbursement.permissions.request_query_conditions",
	],
	"Research Report": [
		"charity_beneficiary.assistance.research_access.report_query_conditions",
		"charity_beneficiary.assistance.committee_access.report_query_conditions",
	],
	"Charity Reference Document": "charity_beneficiary.assistance.doctype.charity_reference_document.charity_reference_document.permission_query_conditions",
	"Beneficiary Feedback": [
		"charity_beneficiary.service_quality.feedback.permission_query_conditions",
		"charity_beneficiary.beneficiaries.branch_access.query_conditions",
	],
	# a file attached to a person's record is listed only with a record the user may list
	"File": "charity_beneficiary.utils.file_access.query_conditions",
	# beneficiaries' portal accounts (ID number, mobile) are listed by the staff who look after them
	"User": "charity_beneficiary.beneficiaries.portal.user_query_conditions",
}
# frappe.client.get_count counts without permissions in v15: the app's DocTypes get a checked count
override_whitelisted_methods = {
	"frappe.client.get_count": "charity_beneficiary.utils.list_guard.get_count",
	# no shortcut to a new record the user may not create (setup/staff_desk.py)
	"frappe.desk.desktop.get_desktop_page": "charity_beneficiary.setup.staff_desk.get_desktop_page",
	# frappe reads a heatmap past every permission: none of the app's DocTypes (utils/list_guard.py)
	"frappe.desk.doctype.dashboard_chart.dashboard_chart.get": "charity_beneficiary.utils.list_guard.get_dashboard_chart",
	# the form's timeline shows no change to a field the user may not read (utils/read_levels.py)
	"frappe.desk.form.load.getdoc": "charity_beneficiary.utils.read_levels.getdoc",
	"frappe.desk.form.load.get_docinfo": "charity_beneficiary.utils.read_levels.get_docinfo",
	# link searches, the sidebar's assignment counts and the form's next record list within the
	# user's permissions and never by a field he may not read, for the app's DocTypes (utils/list_guard.py)
	"frappe.desk.search.search_link": "charity_beneficiary.utils.list_guard.search_link",
	"frappe.desk.search.search_widget": "charity_beneficiary.utils.list_guard.search_widget",
	"frappe.desk.listview.get_group_by_count": "charity_beneficiary.utils.list_guard.get_group_by_count",
	"frappe.desk.form.utils.get_next": "charity_beneficiary.utils.list_guard.get_next",
	# a print is of the stored record, never of a document built from the request (utils/read_levels.py)
	"frappe.www.printview.get_html_and_style": "charity_beneficiary.utils.read_levels.get_html_and_style",
	"frappe.www.printview.get_rendered_raw_commands": "charity_beneficiary.utils.read_levels.get_rendered_raw_commands",
}

# Scheduled Tasks
# ---------------
scheduler_events = {
	# frappe's own backup with the private files, daily on the long queue (setup/backups.py)
	"daily_long": ["charity_beneficiary.setup.backups.backup_with_files"],
	"daily": [
		"charity_beneficiary.assistance.escalation.escalate_due_requests",
		"charity_beneficiary.service_quality.feedback.escalate_overdue_feedback",
		"charity_beneficiary.service_quality.survey.expire_invitations",
		# R6.2: expiry reminders, expiry flags, periodic re-assessment (beneficiaries/reminders.py)
		"charity_beneficiary.beneficiaries.reminders.remind_expiring_documents",
		"charity_beneficiary.beneficiaries.reminders.flag_expired_documents",
		"charity_beneficiary.beneficiaries.reminders.flag_due_reviews",
	],
}
has_website_permission = {
	"Beneficiary": "charity_beneficiary.beneficiaries.portal.has_website_permission",
	"Beneficiary Feedback": "charity_beneficiary.service_quality.feedback.has_website_permission",
	"Assistance Request": "charity_beneficiary.assistance.portal.has_website_permission",
}

# R8.3: the payload of frappe's document endpoints for the app's DocTypes is checked before a document is
# built from it; guests never see a traceback.
before_request = [
	"charity_beneficiary.utils.guest_errors.hide_traceback_outside_the_desk",
	"charity_beneficiary.utils.input_guard.check_request",
	"charity_beneficiary.portal.guest.redirect_guests",
	"charity_beneficiary.portal.language.guests_get_the_site_language",
]

# Document Events
# ---------------
doc_events = {
	# R8.3: every field of the app's DocTypes is type-, length- and range-checked before validate
	"*": {
		"before_validate": "charity_beneficiary.utils.input_guard.guard_document",
		"before_update_after_submit": "charity_beneficiary.utils.input_guard.guard_submitted_document",
		# a print format shows only what its reader may read (utils/read_levels.py)
		"before_print": "charity_beneficiary.utils.read_levels.drop_unreadable_before_print",
	},
	"User": {
		"validate": [
			"charity_beneficiary.beneficiaries.branch_access.validate_branch_assignment",
			# staff-only users: the app's module profile and their role's workspace (R8.1)
			"charity_beneficiary.setup.staff_desk.apply_staff_desk",
		],
		"on_update": "charity_beneficiary.beneficiaries.branch_access.sync_branch_permission",
	},
	"Call Log": {
		# a call logged by hand has no telephony id to be named by (R2.4)
		"before_insert": "charity_beneficiary.assistance.calls.set_call_id",
		"validate": [
			"charity_beneficiary.assistance.calls.validate_recording_url",
			"charity_beneficiary.assistance.calls.validate_duration",
			"charity_beneficiary.assistance.calls.check_staff_member",
			"charity_beneficiary.assistance.calls.link_request_beneficiary",
		],
	},
	"Aid Disbursement": {
		"on_submit": "charity_beneficiary.service_quality.survey.on_disbursement_submit",
		"on_cancel": "charity_beneficiary.service_quality.survey.on_disbursement_cancel",
	},
	"Assistance Request": {
		"before_validate": "charity_beneficiary.beneficiaries.branch_access.set_branch_from_beneficiary",
		"on_update_after_submit": "charity_beneficiary.service_quality.survey.on_request_update",
	},
	"Beneficiary Feedback": {
		"before_validate": "charity_beneficiary.beneficiaries.branch_access.set_branch_from_beneficiary"
	},
	"Beneficiary": {"on_update": "charity_beneficiary.beneficiaries.branch_access.follow_beneficiary_branch"},
	# the link to a disbursement is its posting's alone, and its documents are cancelled with it
	"Journal Entry": {
		"before_validate": "charity_beneficiary.disbursement.ledger_links.refuse_user_link",
		"before_cancel": "charity_beneficiary.disbursement.ledger_links.prevent_direct_cancel",
	},
	"Stock Entry": {
		"before_validate": "charity_beneficiary.disbursement.ledger_links.refuse_user_link",
		"before_cancel": "charity_beneficiary.disbursement.ledger_links.prevent_direct_cancel",
	},
	"Purchase Invoice": {
		"before_validate": "charity_beneficiary.disbursement.ledger_links.refuse_user_link",
		"before_cancel": "charity_beneficiary.disbursement.ledger_links.prevent_direct_cancel",
	},
	# ToDo, Note, Event, Contact, Address: private texts stay out of global search (setup/install.py)
	"Global Search Settings": {"before_validate": "charity_beneficiary.setup.install.drop_private_texts"},
	# files on personal records are private, whatever the uploader ticked (utils/file_access.py)
	"File": {"on_update": "charity_beneficiary.utils.file_access.keep_personal_files_private"},
	"GL Entry": {"before_validate": "charity_beneficiary.disbursement.ledger_links.set_beneficiary_party"},
}

# Fixtures (filtered: only the app's own records are exported and re-imported)
# --------
fixtures = [
	{"dt": "Workflow", "filters": [["name", "in", ["Assistance Request"]]]},
	{
		"dt": "Workflow State",
		"filters": [
			[
				"name",
				"in",
				[
					"Draft",
					"Pending Verification",
					"Under Research",
					"Pending Committee",
					"Approved",
					"Partly Approved",
					"Rejected",
					"Returned",
					"Disbursed",
					"Cancelled",
				],
			]
		],
	},
	{
		"dt": "Workflow Action Master",
		"filters": [
			[
				"name",
				"in",
				[
					"Approve",
					"Cancel",
					"Mark Disbursed",
					"Partly Approve",
					"Reject",
					"Resubmit",
					"Return",
					"Send to Committee",
					"Send to Research",
					"Submit",
				],
			]
		],
	},
]
