// Copyright (c) 2026, charity_beneficiary developers and contributors
// For license information, please see license.txt

const LEDGER_DOCTYPES = ["Journal Entry", "Stock Entry", "Purchase Invoice"];

frappe.ui.form.on("Aid Disbursement", {
	setup(frm) {
		// cancelling the disbursement cancels its documents itself (they refuse to be cancelled first)
		frm.ignore_doctypes_on_cancel_all = LEDGER_DOCTYPES;
		const ledger = (extra) => () => ({ filters: { company: frm.doc.company, is_group: 0, ...extra } });
		frm.set_query("assistance_request", () => ({
			filters: { docstatus: 1, workflow_state: ["in", ["Approved", "Partly Approved"]] },
		}));
		frm.set_query("paid_from_account", ledger({ account_type: ["in", ["Cash", "Bank", "Payable"]] }));
		frm.set_query("expense_account", ledger({ root_type: "Expense" }));
		frm.set_query("cost_center", ledger());
		frm.set_query("warehouse", ledger());
		frm.set_query("warehouse", "items", ledger());
		frm.set_query("item_code", "items", () => ({
			filters: { is_stock_item: frm.doc.disbursement_type === "In-Kind" ? 1 : 0, disabled: 0 },
		}));
		frm.set_query("supplier", () => ({ filters: { disabled: 0 } }));
		frm.set_query("charity_fund", () => ({ filters: { is_active: 1 } }));
	},

	refresh(frm) {
		frm.events.toggle_rate(frm);
		frm.events.set_receivers(frm);
		frm.events.show_balance(frm);
		if (frm.doc.docstatus === 1) {
			frm.add_custom_button(
				__("Accounting Ledger"),
				() => {
					const voucher = frm.doc.journal_entry || frm.doc.stock_entry || frm.doc.purchase_invoice;
					frappe.route_options = {
						company: frm.doc.company,
						voucher_no: voucher,
						from_date: frm.doc.posting_date,
						to_date: frm.doc.posting_date,
						group_by: "Group by Voucher (Consolidated)",
					};
					frappe.set_route("query-report", "General Ledger");
				},
				__("View")
			);
			if (frm.doc.stock_entry) {
				frm.add_custom_button(
					__("Stock Ledger"),
					() => {
						frappe.route_options = {
							company: frm.doc.company,
							voucher_no: frm.doc.stock_entry,
							from_date: frm.doc.posting_date,
							to_date: frm.doc.posting_date,
						};
						frappe.set_route("query-report", "Stock Ledger");
					},
					__("View")
				);
			}
		}
	},

	assistance_request(frm) {
		frm.events.show_balance(frm);
	},

	beneficiary(frm) {
		frm.events.set_receivers(frm);
	},

	disbursement_type(frm) {
		frm.events.toggle_rate(frm);
	},

	receiver_type(frm) {
		frm.set_value("received_by", frm.doc.receiver_type === "Beneficiary" ? frm.doc.beneficiary_name : "");
		frm.events.set_receivers(frm);
	},

	toggle_rate(frm) {
		// goods leave the store at their valuation rate; a provider's rates are entered
		frm.fields_dict.items.grid.toggle_enable("rate", frm.doc.disbursement_type !== "In-Kind");
	},

	set_receivers(frm) {
		if (!frm.doc.beneficiary) return;
		frappe
			.xcall("charity_beneficiary.disbursement.receipt.receivers", { beneficiary: frm.doc.beneficiary })
			.then((people) => {
				const type = frm.doc.receiver_type || "Beneficiary";
				const options = people.filter((p) => p.type === type).map((p) => ({ value: p.value, label: p.label }));
				frm.set_df_property("received_by", "options", options);
			});
	},

	show_balance(frm) {
		if (!frm.doc.assistance_request) return;
		frappe
			.xcall("charity_beneficiary.disbursement.balance.get_balance", {
				assistance_request: frm.doc.assistance_request,
				aid_disbursement: frm.is_new() ? null : frm.doc.name,
			})
			.then((state) => {
				const fmt = (value) => format_currency(value, erpnext.get_currency(frm.doc.company));
				let text = __("Approved {0}, disbursed {1}, remaining {2}", [
					fmt(state.approved_amount),
					fmt(state.disbursed_amount),
					fmt(state.remaining_amount),
				]);
				const items = state.items
					.filter((row) => row.qty)
					.map((row) =>
						__("{0}: {1} of {2} remaining", [
							frappe.utils.escape_html(row.item_code),
							row.remaining_qty,
							row.qty,
						])
					);
				if (items.length) text += "<br>" + items.join("<br>");
				frm.set_intro(text, state.fully_disbursed ? "green" : "blue");
			});
	},
});

frappe.ui.form.on("Aid Disbursement Item", {
	qty: update_amount,
	rate: update_amount,
});

function update_amount(frm, cdt, cdn) {
	const row = locals[cdt][cdn];
	frappe.model.set_value(cdt, cdn, "amount", flt(row.qty) * flt(row.rate));
	if (frm.doc.disbursement_type === "Provider Service") {
		frm.set_value(
			"amount",
			(frm.doc.items || []).reduce((total, item) => total + flt(item.amount), 0)
		);
	}
}
