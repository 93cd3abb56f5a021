// Copyright (c) 2026, charity_beneficiary developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Charity Settings", {
	setup(frm) {
		const ledger = (extra) => () => ({ filters: { company: frm.doc.company, is_group: 0, ...extra } });
		frm.set_query("cost_center", ledger());
		frm.set_query("warehouse", ledger());
		frm.set_query("paid_from_account", ledger({ account_type: ["in", ["Cash", "Bank"]] }));
		frm.set_query("beneficiary_payable_account", ledger({ account_type: "Payable" }));
		for (const field of ["cash_expense_account", "in_kind_expense_account", "service_expense_account"]) {
			frm.set_query(field, ledger({ root_type: "Expense" }));
		}
		frm.set_query("provider_service_item", () => ({ filters: { is_stock_item: 0 } }));
		frm.set_query("mode_of_payment", () => ({ filters: { enabled: 1 } }));
	},
	refresh(frm) {
		// notifications are not sent on a channel that is not set up: the manager sees it here
		const channels = (frm.doc.__onload || {}).channels || {};
		const missing = [];
		if (channels.email === false) {
			missing.push(__("No outgoing e-mail account: e-mails to beneficiaries and staff are not sent."));
		}
		if (channels.sms === false) {
			missing.push(__("No SMS gateway in SMS Settings: text messages to beneficiaries are not sent."));
		}
		if (missing.length) {
			frm.dashboard.set_headline_alert(missing.map((m) => frappe.utils.escape_html(m)).join("<br>"), "orange");
		}
	},
});
