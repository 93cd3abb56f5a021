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

# Jinja (print formats): Hijri beside Gregorian dates
jinja = {"methods": ["charity_beneficiary.utils.jinja.hijri"]}

# Portal
# ------
standard_portal_menu_items = [
	{
		"title": "Beneficiary Registration",
		"route": "/beneficiary-registration",
		"reference_doctype": "Beneficiary",
		"role": "Beneficiary",
	},
]

# Permissions
# -----------
has_permission = {
	"Beneficiary": "charity_beneficiary.beneficiaries.portal.has_permission",
	"Assistance Request": "charity_beneficiary.assistance.research_access.request_has_permission",
	"Research Report": "charity_beneficiary.assistance.research_access.report_has_permission",
	"Charity Reference Document": "charity_beneficiary.assistance.doctype.charity_reference_document.charity_reference_document.has_permission",
}
permission_query_conditions = {
	"Beneficiary": "charity_beneficiary.beneficiaries.portal.permission_query_conditions",
	"Assistance Request": "charity_beneficiary.assistance.research_access.request_query_conditions",
	"Research Report": "charity_beneficiary.assistance.research_access.report_query_conditions",
	"Charity Reference Document": "charity_beneficiary.assistance.doctype.charity_reference_document.charity_reference_document.permission_query_conditions",
}

# Scheduled Tasks
# ---------------
scheduler_events = {
	"daily": [
		"charity_beneficiary.assistance.escalation.escalate_due_requests",
	],
}
has_website_permission = {"Beneficiary": "charity_beneficiary.beneficiaries.portal.has_website_permission"}

# Document Events
# ---------------
doc_events = {
	"User": {"on_update": "charity_beneficiary.beneficiaries.branch_access.sync_branch_permission"},
	"Call Log": {"validate": "charity_beneficiary.assistance.calls.link_request_beneficiary"},
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
