// Copyright (c) 2026, charity_beneficiary developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Charity Reference Document", {
	refresh(frm) {
		if (!frm.is_new() && !frm.doc.is_published) {
			frm.dashboard.set_headline(
				__("This document is not published: the staff do not see it yet."),
				"orange"
			);
		}
		if (frm.doc.aid_service && !frm.is_new()) {
			frm.add_custom_button(__("Aid Service"), () =>
				frappe.set_route("Form", "Aid Service", frm.doc.aid_service)
			);
		}
	},
	document_category(frm) {
		if (
			!["Service Guidelines", "Service Providers' Guide"].includes(frm.doc.document_category)
		) {
			frm.set_value("aid_service", null);
		}
	},
});
