// Copyright (c) 2026, charity_beneficiary developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Charity Fund", {
	fund_type(frm) {
		if (frm.doc.fund_type !== "Restricted") {
			frm.set_value("restricted_to_service", null);
		}
	},
});
