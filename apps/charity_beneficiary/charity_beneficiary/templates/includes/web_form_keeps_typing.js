// Included by the app's web form scripts (a Jinja include: frappe renders those scripts before
// sending them), after frappe has drawn the form.
//
// After any field's change frappe re-evaluates every mandatory_depends_on, and sets the result
// with set_df_property, which redraws the field from its stored value even when nothing changed.
// A value still being typed is not stored yet (frappe stores it 500 ms after the last key), so the
// description's delayed change emptied the amount the beneficiary was typing, and sending it then
// said the amount was missing. Only a property that really changes redraws its field, as frappe's
// desk form already does (Form.set_df_property).
frappe.ready(function () {
	const web_form = frappe.web_form;
	if (!web_form || web_form.keeps_typing) return;
	const set_df_property = web_form.set_df_property.bind(web_form);
	web_form.set_df_property = function (fieldname, prop, value, ...row) {
		// (a child row's property, with its row as further arguments, is left to frappe)
		const field = fieldname && !row.length && web_form.get_field(fieldname);
		if (field && field.df[prop] === value) return;
		return set_df_property(fieldname, prop, value, ...row);
	};
	web_form.keeps_typing = true;
});
