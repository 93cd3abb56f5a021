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
	},
});

function call_run(frm, method) {
	frappe
		.call({
			method: `charity_beneficiary.programmes.run.${method}`,
			args: { programme: frm.doc.name },
		})
		.then(() => frm.reload_doc());
}
