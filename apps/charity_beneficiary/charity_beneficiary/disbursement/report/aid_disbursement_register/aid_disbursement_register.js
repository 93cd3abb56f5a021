// Copyright (c) 2026, charity_beneficiary developers and contributors
// For license information, please see license.txt

frappe.query_reports["Aid Disbursement Register"] = {
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
			reqd: 1,
		},
		{
			fieldname: "from_date",
			label: __("From Date"),
			fieldtype: "Date",
			default: frappe.datetime.month_start(),
			reqd: 1,
		},
		{
			fieldname: "to_date",
			label: __("To Date"),
			fieldtype: "Date",
			default: frappe.datetime.month_end(),
			reqd: 1,
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
		{
			fieldname: "beneficiary",
			label: __("Beneficiary"),
			fieldtype: "Link",
			options: "Beneficiary",
		},
		{
			fieldname: "fund",
			label: __("Fund"),
			fieldtype: "Link",
			options: "Charity Fund",
		},
		{
			fieldname: "disbursement_type",
			label: __("Disbursement Type"),
			fieldtype: "Select",
			options: [
				{ value: "", label: "" },
				{ value: "Cash", label: __("Cash") },
				{ value: "In-Kind", label: __("In-Kind") },
				{ value: "Provider Service", label: __("Provider Service") },
			],
		},
	],

	formatter(value, row, column, data, default_formatter) {
		// the columns of record names come as Data with their DocType (linked() in the .py)
		value = charity_beneficiary.report_cell(value, row, column, data, default_formatter);
		if (!data) return value;
		if (column.fieldname === "difference" && Math.abs(flt(data.difference)) >= 0.005) {
			value = `<span class="text-danger font-weight-bold">${value}</span>`;
		}
		if (data.unmatched && column.fieldname === "beneficiary_name") {
			value = `<span class="text-danger">${value}</span>`;
		}
		return value;
	},

	onload(report) {
		report.page.add_inner_button(__("General Ledger"), () => {
			const filters = report.get_values() || {};
			frappe.route_options = {
				company: filters.company,
				from_date: filters.from_date,
				to_date: filters.to_date,
				group_by: "Group by Voucher (Consolidated)",
			};
			if (filters.fund) frappe.route_options.charity_fund = [filters.fund];
			frappe.set_route("query-report", "General Ledger");
		});
	},
};
