// Hijri (Umm al-Qura) beside every date of the app's forms (R8.1). The hint is the server's own
// conversion (utils/hijri_hint.py, hijridate), the one the app stores and prints, in the same Western
// digits as the date above it: the browser's Intl calendar differs from it by a day on some dates.
frappe.provide("charity_beneficiary");

// a form of the app's own DocTypes: frappe's boot maps each module (modules.txt) to its app
const of_this_app = (frm) =>
	frappe.boot.module_app[frappe.model.scrub(frm.meta.module)] === "charity_beneficiary";
const watched = new Set();
const hijri_cache = new Map(); // "YYYY-MM-DD" -> its Hijri text, or the pending request for it

// Promise of {date: hijri text} for `values`; each date is asked of the server once per page
charity_beneficiary.hijri_of = function (values) {
	const dates = [...new Set(values.filter(Boolean).map((value) => String(value).slice(0, 10)))];
	const missing = dates.filter((date) => !hijri_cache.has(date));
	if (missing.length) {
		const request = frappe
			.call({
				method: "charity_beneficiary.utils.hijri_hint.hijri_dates",
				type: "GET",
				args: { dates: JSON.stringify(missing) },
			})
			.then((r) => {
				missing.forEach((date) => hijri_cache.set(date, (r.message || {})[date] || ""));
			})
			.catch(() => missing.forEach((date) => hijri_cache.delete(date)));
		missing.forEach((date) => hijri_cache.set(date, request));
	}
	return Promise.all(dates.map((date) => hijri_cache.get(date))).then(() => {
		const result = {};
		dates.forEach((date) => (result[date] = hijri_cache.get(date) || ""));
		return result;
	});
};

charity_beneficiary.hijri = function (value) {
	if (!value) return Promise.resolve("");
	const date = String(value).slice(0, 10);
	return charity_beneficiary.hijri_of([date]).then((result) => result[date] || "");
};

function hint_of(frm, fieldname) {
	const field = frm.fields_dict[fieldname];
	if (!field || !field.$wrapper) return null;
	let $hint = field.$wrapper.find(".charity-hijri");
	if (!$hint.length) {
		$hint = $('<div class="charity-hijri text-muted small" dir="rtl"></div>').appendTo(
			field.$wrapper.find(".control-input-wrapper, .control-value").first().parent()
		);
	}
	return $hint;
}

function show_hijri(frm, fieldnames) {
	const values = fieldnames.map((fieldname) => frm.doc[fieldname]);
	charity_beneficiary.hijri_of(values).then((result) => {
		fieldnames.forEach((fieldname) => {
			const $hint = hint_of(frm, fieldname);
			if (!$hint) return;
			const value = frm.doc[fieldname];
			const hijri = value ? result[String(value).slice(0, 10)] : "";
			$hint.text(hijri ? __("Hijri: {0}", [hijri]) : "");
		});
	});
}

$(document).on("form-refresh", (event, frm) => {
	if (!frm || !of_this_app(frm)) return;
	const date_fields = frm.meta.fields.filter((df) => df.fieldtype === "Date").map((df) => df.fieldname);
	if (date_fields.length) show_hijri(frm, date_fields); // one request for the form's dates
	if (watched.has(frm.doctype)) return;
	watched.add(frm.doctype);
	const handlers = {};
	date_fields.forEach((fieldname) => (handlers[fieldname] = (f) => show_hijri(f, [fieldname])));
	frappe.ui.form.on(frm.doctype, handlers);
});
