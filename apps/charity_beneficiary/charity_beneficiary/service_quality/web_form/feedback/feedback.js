frappe.ready(function () {
	// A resolved feedback: the beneficiary rates how it was handled (1-5), which closes it.
	const doc = frappe.web_form && frappe.web_form.doc;
	if (!doc || !doc.name || doc.status !== "Resolved") return;
	const wrapper = $(`<div class="feedback-rating my-4">
		<p>${__("How satisfied are you with how your feedback was handled?")}</p>
	</div>`).appendTo(".web-form-container");
	[1, 2, 3, 4, 5].forEach((value) => {
		$(`<button class="btn btn-default btn-sm mx-1">${value}</button>`)
			.appendTo(wrapper)
			.on("click", () => {
				frappe.call({
					method: "charity_beneficiary.service_quality.feedback.rate_resolution",
					args: { feedback: doc.name, rating: value },
					callback: (r) => {
						if (r.exc) return;
						wrapper.html(`<p class="text-success">${__("Thank you for your rating.")}</p>`);
					},
				});
			});
	});
});
