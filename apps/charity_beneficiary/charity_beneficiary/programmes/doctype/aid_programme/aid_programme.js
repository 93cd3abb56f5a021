// Copyright (c) 2026, charity_beneficiary developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Aid Programme", {
	refresh(frm) {
		if (frm.doc.docstatus === 0 && !frm.is_new()) {
			frm.add_custom_button(__("Get Beneficiaries"), () => {
				frappe
					.call({
						method: "charity_beneficiary.programmes.doctype.aid_programme.aid_programme.get_beneficiaries",
						args: { programme: frm.doc.name },
						freeze: true,
					})
					.then((r) => {
						frm.reload_doc();
						const s = r.message || {};
						frappe.show_alert(
							__("{0} eligible, {1} selected, total {2}", [
								s.eligible,
								s.selected,
								format_currency(s.total_amount, erpnext.get_currency(frm.doc.company)),
							])
						);
					});
			});
		}
		if (frm.doc.docstatus === 1 && frm.doc.approval_status === "Approved") {
			if (!["Completed", "Running", "Queued"].includes(frm.doc.run_status)) {
				frm.add_custom_button(__("Run Programme"), () => call_run(frm, "run_programme"));
			}
			if (["Running", "Queued"].includes(frm.doc.run_status)) {
				frm.add_custom_button(__("Stop"), () => call_run(frm, "stop_programme"));
			}
		}
		if (frm.doc.docstatus === 1 && frappe.user.has_role("Charity Manager")) {
			frm.add_custom_button(__("Open Portal Accounts"), () =>
				frappe
					.xcall("charity_beneficiary.portal.bulk_accounts.create_portal_accounts", {
						programme: frm.doc.name,
					})
					.then((r) =>
						frappe.show_alert(__("Opening portal accounts for {0} beneficiaries", [r.beneficiaries]))
					)
			);
		}
		if ((frm.doc.lines || []).some((line) => line.status === "Paid" && !line.received_on)) {
			frm.add_custom_button(__("Sign Receipt"), () => sign_receipt(frm));
		}
	},
});

// the household paid signs for its aid (programmes/receipts.py, the rules of a single receipt)
function sign_receipt(frm) {
	const unsigned = frm.doc.lines.filter((line) => line.status === "Paid" && !line.received_on);
	const dialog = new frappe.ui.Dialog({
		title: __("Sign Receipt"),
		fields: [
			{
				fieldname: "line",
				fieldtype: "Select",
				label: __("Beneficiary"),
				reqd: 1,
				options: unsigned.map((line) => ({
					value: line.name,
					label: `${line.idx}: ${line.beneficiary_name || line.beneficiary}`,
				})),
			},
			{
				fieldname: "receiver_type",
				fieldtype: "Select",
				label: __("Received By"),
				options: ["Beneficiary", "Family Member"].map((value) => ({ value, label: __(value) })),
				default: "Beneficiary",
			},
			{
				fieldname: "received_by",
				fieldtype: "Data",
				label: __("Receiver's Name"),
				depends_on: "eval:doc.receiver_type==='Family Member'",
			},
			{ fieldname: "receiver_signature", fieldtype: "Signature", label: __("Receiver's Signature"), reqd: 1 },
		],
		primary_action_label: __("Sign"),
		primary_action(values) {
			frappe
				.xcall("charity_beneficiary.programmes.receipts.sign_receipt", {
					programme: frm.doc.name,
					...values,
				})
				.then(() => {
					dialog.hide();
					frm.reload_doc();
				});
		},
	});
	dialog.show();
}

function call_run(frm, method) {
	frappe
		.call({
			method: `charity_beneficiary.programmes.run.${method}`,
			args: { programme: frm.doc.name },
		})
		.then(() => frm.reload_doc());
}
