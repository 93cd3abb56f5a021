// Copyright (c) 2026, charity_beneficiary developers and contributors
// For license information, please see license.txt

frappe.query_reports["Assistance Request Ageing"] = {
	filters: [
		{
			fieldname: "as_of_date",
			label: __("As of Date"),
			fieldtype: "Date",
			default: frappe.datetime.get_today(),
			reqd: 1,
		},
		{
			fieldname: "branch",
			label: __("Branch"),
			fieldtype: "Link",
			options: "Branch",
		},
		{
			fieldname: "aid_service",
			label: __("Aid Service"),
			fieldtype: "Link",
			options: "Aid Service",
		},
		{
			fieldname: "workflow_state",
			label: __("Status"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "Pending Verification", label: __("Pending Verification") },
				{ value: "Under Research", label: __("Under Research") },
				{ value: "Pending Committee", label: __("Pending Committee") },
				{ value: "Returned", label: __("Returned") },
			],
		},
		{
			fieldname: "bucket",
			label: __("Ageing"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "Overdue", label: __("Overdue (all)") },
				{ value: "Overdue more than 7 days", label: __("Overdue more than 7 days") },
				{ value: "Overdue 1-7 days", label: __("Overdue 1-7 days") },
				{ value: "Due within 2 days", label: __("Due within 2 days") },
				{ value: "On track", label: __("On track") },
			],
		},
	],

	formatter(value, row, column, data, default_formatter) {
		value = charity_beneficiary.report_cell(value, row, column, data, default_formatter);
		if (!data) return value;
		if (column.fieldname === "days_overdue" || column.fieldname === "bucket") {
			const style = {
				"Overdue more than 7 days": "text-danger font-weight-bold",
				"Overdue 1-7 days": "text-danger",
				"Due within 2 days": "text-warning",
				"On track": "text-success",
			}[data.bucket_key];
			if (style) value = `<span class="${style}">${value}</span>`;
		}
		return value;
	},
};
