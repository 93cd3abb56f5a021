// Copyright (c) 2026, charity_beneficiary developers and contributors
// For license information, please see license.txt

frappe.query_reports["Aid Programme Reach"] = {
	filters: [
		{
			fieldname: "programme",
			label: __("Aid Programme"),
			fieldtype: "Link",
			options: "Aid Programme",
		},
	],
	formatter(value, row, column, data, default_formatter) {
		return charity_beneficiary.report_cell(value, row, column, data, default_formatter);
	},
};
