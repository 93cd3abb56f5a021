// Copyright (c) 2026, charity_beneficiary developers and contributors
// For license information, please see license.txt

const REQUEST_METHODS = "charity_beneficiary.assistance.doctype.assistance_request.assistance_request";

frappe.ui.form.on("Assistance Request", {
	setup(frm) {
		frm.set_query("aid_service", () => ({ filters: { is_active: 1 } }));
		frm.set_query("researcher", () => ({
			query: "frappe.core.doctype.user.user.user_query",
			filters: { role: "Social Researcher" },
		}));
		frm.set_query("referred_to", () => ({
			query: "frappe.core.doctype.user.user.user_query",
			filters: { role: "Social Researcher" },
		}));
	},

	refresh(frm) {
		if (frm.doc.expected_decision_date) {
			frm.dashboard.set_headline(
				__("Expected decision by {0} ({1})", [
					frappe.datetime.str_to_user(frm.doc.expected_decision_date),
					frm.doc.expected_decision_date_hijri || "",
				])
			);
		}
		if (frm.doc.docstatus === 1 && frm.doc.workflow_state === "Under Research" && !frm.doc.research_report) {
			frm.add_custom_button(__("Research Report"), () =>
				frappe.model.open_mapped_doc({
					method: "charity_beneficiary.assistance.doctype.research_report.research_report.make_research_report",
					frm,
				})
			, __("Create"));
		}
		if (!frm.is_new() && frm.doc.docstatus < 2) {
			frm.add_custom_button(__("Refer to Researcher"), () => refer_dialog(frm), __("Actions"));
			frm.add_custom_button(__("Log a Call"), () =>
				frappe.new_doc("Call Log", {}, (call) => {
					// a row of the form's model (doctype, name, idx), as the links grid expects
					const link = frappe.model.add_child(call, "links");
					link.link_doctype = "Assistance Request";
					link.link_name = frm.doc.name;
				})
			, __("Actions"));
		}
		if (frm.doc.referred_to === frappe.session.user && !frm.doc.referral_answer) {
			frm.add_custom_button(__("Answer Referral"), () => answer_dialog(frm), __("Actions"));
		}
	},

	before_workflow_action(frm) {
		// R3.3: a request is returned with the reason the applicant is told (return_request); the
		// server refuses frappe's plain Return. The pending promise keeps frappe from applying it.
		if (frm.selected_workflow_action !== "Return" || frm.doc.workflow_state === "Pending Committee") {
			return;
		}
		frappe.dom.unfreeze();
		return new Promise(() => return_dialog(frm));
	},
});

function return_dialog(frm) {
	frappe.prompt(
		{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason for returning"), reqd: 1 },
		({ reason }) =>
			frappe
				.call({ method: `${REQUEST_METHODS}.return_request`, args: { request: frm.doc.name, reason } })
				.then(() => frm.reload_doc()),
		__("Return the Request"),
		__("Return")
	);
}

function refer_dialog(frm) {
	frappe.prompt(
		[
			{ fieldname: "researcher", fieldtype: "Link", options: "User", label: __("Social Researcher"), reqd: 1,
				get_query: () => ({ query: "frappe.core.doctype.user.user.user_query", filters: { role: "Social Researcher" } }) },
			{ fieldname: "question", fieldtype: "Small Text", label: __("Question Referred"), reqd: 1 },
		],
		(values) =>
			frappe.call({
				method: `${REQUEST_METHODS}.refer_to_researcher`,
				args: { request: frm.doc.name, ...values },
				callback: () => frm.reload_doc(),
			}),
		__("Refer to Researcher")
	);
}

function answer_dialog(frm) {
	frappe.prompt(
		[{ fieldname: "answer", fieldtype: "Small Text", label: __("Answer"), reqd: 1 }],
		(values) =>
			frappe.call({
				method: `${REQUEST_METHODS}.answer_referral`,
				args: { request: frm.doc.name, answer: values.answer },
				callback: () => frm.reload_doc(),
			}),
		__("Answer Referral")
	);
}
