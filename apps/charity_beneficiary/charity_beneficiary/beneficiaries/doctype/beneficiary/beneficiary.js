// Copyright (c) 2026, charity_beneficiary developers and contributors
// For license information, please see license.txt

// the policies' forms know two genders (the server refuses any other: Beneficiary.verify_genders)
const POLICY_GENDERS = ["Male", "Female"];

frappe.ui.form.on("Beneficiary", {
	setup(frm) {
		const genders = () => ({ filters: { name: ["in", POLICY_GENDERS] } });
		frm.set_query("gender", genders);
		frm.set_query("gender", "family_members", genders);
	},
});
