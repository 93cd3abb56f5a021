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
};
