// Rendered by frappe as a Jinja template before it is sent: no double braces or brace-percent here
// but the one include below.
{% include "charity_beneficiary/templates/includes/web_form_keeps_typing.js" %}

// Before frappe draws the form (its own ready handler comes first): the texts it does not send
// translated, the item columns and this script's messages (portal/web_form_texts.py).
frappe._messages = Object.assign(frappe._messages || {}, (frappe.web_form_doc || {}).script_messages || {});

frappe.ready(function () {
	const web_form = frappe.web_form;
	const web_form_doc = frappe.web_form_doc || {};
	if (!web_form) return;

	const services = {};
	(web_form_doc.eligible_services || []).forEach((service) => {
		services[service.name] = service;
	});

	if (web_form_doc.portal_notice) {
		web_form.show_message(web_form_doc.portal_notice, web_form_doc.portal_notice_color, true);
	}
	if (web_form_doc.block_form) {
		// He cannot apply: keep the notice, hide the fields and the send button.
		$(".web-form .form-page, .web-form .web-form-footer").hide();
		return;
	}

	// Only the chosen service's items, and its limit per request.
	const show_service = (name) => {
		const service = services[name];
		const grid =
			web_form.fields_dict.requested_items && web_form.fields_dict.requested_items.grid;
		if (grid) {
			const items = service ? service.items : [];
			const allowed = items.map((item) => item.value);
			grid.update_docfield_property("item_code", "options", items);
			if (grid.df.data) {
				grid.df.data = grid.df.data.filter(
					(row) => !row.item_code || allowed.includes(row.item_code)
				);
				grid.df.data.forEach((row, index) => (row.idx = index + 1));
				grid.refresh();
			}
		}
		const limit = service && service.max_amount;
		const amount =
			limit && window.format_currency ? window.format_currency(limit, web_form_doc.currency) : limit;
		// Only the help text: set_df_property would refresh the amount's input and wipe what he
		// is typing there while the service's link is still being checked.
		const amount_field = web_form.fields_dict.requested_amount;
		if (amount_field) {
			amount_field.set_description(limit ? __("Up to {0} per request", [amount]) : "");
		}
	};
	if (web_form.fields_dict.aid_service) {
		web_form.on("aid_service", (field, value) => show_service(value));
		show_service(web_form.get_value("aid_service"));
	}

	// Sending files the request already submitted, in one call (assistance/portal_intake.py): it
	// goes to the research committee with its reference number and answer date. A refusal saves
	// nothing; the form keeps what he typed and frappe.call shows the server's message.
	web_form.save = function () {
		const valid = web_form.validate && web_form.validate();
		if (!valid && valid !== undefined) return false;
		const values = web_form.get_values(); // null, with frappe's message, when a required field is empty
		if (!values || window.saving) return false;
		window.saving = true;
		frappe.call({
			method: "charity_beneficiary.assistance.portal_intake.file_request",
			type: "POST",
			args: {
				aid_service: values.aid_service,
				description: values.description,
				requested_amount: values.requested_amount || 0,
				requested_items: JSON.stringify(
					(values.requested_items || []).map((row) => ({
						item_code: row.item_code,
						qty: row.qty,
					}))
				),
			},
			freeze: true,
			callback: (r) => {
				if (!r.exc && r.message) show_received(r.message);
			},
			always: () => {
				window.saving = false;
			},
		});
		return false; // the page's form is never posted itself
	};

	function show_received(received) {
		frappe.form_dirty = false;
		$(".web-form-container").hide();
		$(".success-page").removeClass("hide");
		$(".success-title").text(__("Request Received"));
		const $message = $(".success-message").empty();
		$("<p>").text(received.message).appendTo($message);
		const $details = $("<p class='request-details'>").appendTo($message);
		$("<span>")
			.text(__("Reference Number") + ": ")
			.appendTo($details);
		$("<b>").text(received.name).appendTo($details);
		$("<br>").appendTo($details);
		$("<span>")
			.text(__("Expected Answer Date") + ": ")
			.appendTo($details);
		$("<b>")
			.text(
				received.expected_decision_date_formatted +
					(received.expected_decision_date_hijri
						? " (" + received.expected_decision_date_hijri + ")"
						: "")
			)
			.appendTo($details);
		$(".success-footer .view-button, .success-footer .edit-button").remove();
		// frappe's "Submit another response" is a survey's wording
		$(".success-footer .new-btn").text(__("Send another request"));
		$("<a class='btn btn-default btn-md my-requests-button'>")
			.attr("href", web_form_doc.my_requests_route || "/my-requests")
			.text(__("Follow my requests"))
			.appendTo(".success-footer");
	}
});
