// Copyright (c) 2026, charity_beneficiary developers and contributors
// For license information, please see license.txt

frappe.query_reports["Service Quality"] = {
	filters: [
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: [
				{ value: "Service", label: __("Service") },
				{ value: "Branch", label: __("Branch") },
				{ value: "Channel", label: __("Channel") },
				{ value: "Staff Member", label: __("Staff Member") },
				{ value: "Month", label: __("Month") },
			],
			default: "Service",
			reqd: 1,
		},
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.add_months(frappe.datetime.get_today(), -12),
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
		},
		{
			fieldname: "aid_service",
			label: __("Aid Service"),
			fieldtype: "Link",
			options: "Aid Service",
		},
		{
			fieldname: "branch",
			label: __("Branch"),
			fieldtype: "Link",
			options: "Branch",
		},
	],
	formatter(value, row, column, data, default_formatter) {
		return charity_beneficiary.report_cell(value, row, column, data, default_formatter);
	},
};
