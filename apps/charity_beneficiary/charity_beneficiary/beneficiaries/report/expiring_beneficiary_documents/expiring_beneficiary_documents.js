// Copyright (c) 2026, charity_beneficiary developers and contributors
// For license information, please see license.txt

frappe.query_reports["Expiring Beneficiary Documents"] = {
	filters: [
		{
			fieldname: "days",
			label: __("Expiring Within (Days)"),
			fieldtype: "Int",
			description: __("Empty: the reminder days of Charity Settings"),
		},
		{
			fieldname: "branch",
			label: __("Branch"),
			fieldtype: "Link",
			options: "Branch",
		},
		{
			fieldname: "include_expired",
			label: __("Include Expired"),
			fieldtype: "Check",
			default: 1,
		},
	],
	formatter(value, row, column, data, default_formatter) {
		value = charity_beneficiary.report_cell(value, row, column, data, default_formatter);
		if (column.fieldname === "days_left" && data && data.days_left < 0) {
			value = `<span class="text-danger">${value}</span>`;
		}
		return value;
	},
};
