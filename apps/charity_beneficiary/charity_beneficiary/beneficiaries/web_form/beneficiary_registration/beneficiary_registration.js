// Rendered by frappe as a Jinja template before it is sent: no double braces or brace-percent here
// but the one include below.
{% include "charity_beneficiary/templates/includes/web_form_keeps_typing.js" %}

// Before frappe draws the form (its own ready handler comes first): the texts it does not send
// translated, the child tables' columns and this script's messages (portal/web_form_texts.py).
frappe._messages = Object.assign(frappe._messages || {}, (frappe.web_form_doc || {}).script_messages || {});
// frappe's date picker speaks the desk user's language; a web page's boot has only the page's (lang)
frappe.boot.user = frappe.boot.user || {};
frappe.boot.user.language = frappe.boot.user.language || frappe.boot.lang;

frappe.ready(function () {
	const web_form = frappe.web_form;
	const web_form_doc = frappe.web_form_doc || {};
	if (!web_form) return;

	if (web_form_doc.registration_message) {
		web_form.show_message(
			web_form_doc.registration_message,
			web_form_doc.registration_message_color,
			true
		);
	}

	// The login is usually the applicant's e-mail address.
	const user = frappe.session && frappe.session.user;
	if (web_form_doc.is_new && user && user.includes("@") && !web_form.get_value("email_id")) {
		web_form.set_value("email_id", user);
	}

	// R1.2: the applicant accepts and signs the declaration with his registration.
	web_form.validate = () => {
		if (!web_form.get_value("declaration_accepted")) {
			frappe.msgprint(__("Please accept the declaration"), __("Declaration"));
			return false;
		}
		if (!web_form.get_value("declaration_signature")) {
			frappe.msgprint(__("Please sign the declaration"), __("Declaration"));
			return false;
		}
		return true;
	};
});
