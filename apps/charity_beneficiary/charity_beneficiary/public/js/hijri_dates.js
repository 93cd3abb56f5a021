// Hijri (Umm al-Qura) beside every date of the app's forms (R8.1). The browser's Intl API
// carries the Umm al-Qura calendar, the same one the server uses (hijridate).
frappe.provide("charity_beneficiary");

const CHARITY_MODULES = ["Beneficiaries", "Assistance", "Disbursement", "Service Quality", "Charity Setup"];
const watched = new Set();

charity_beneficiary.hijri = function (value) {
	if (!value) return "";
	const date = frappe.datetime.str_to_obj(value);
	if (!date || isNaN(date)) return "";
	const locale = (frappe.boot.lang || "ar").startsWith("ar") ? "ar-SA" : "en";
	const text = new Intl.DateTimeFormat(`${locale}-u-ca-islamic-umalqura`, {
		day: "numeric",
		month: "long",
		year: "numeric",
	}).format(date);
	return text;
};

function show_hijri(frm, fieldname) {
	const field = frm.fields_dict[fieldname];
	if (!field || !field.$wrapper) return;
	let $hint = field.$wrapper.find(".charity-hijri");
	if (!$hint.length) {
		$hint = $('<div class="charity-hijri text-muted small"></div>').appendTo(
			field.$wrapper.find(".control-input-wrapper, .control-value").first().parent()
		);
	}
	const hijri = charity_beneficiary.hijri(frm.doc[fieldname]);
	$hint.text(hijri ? __("Hijri: {0}", [hijri]) : "");
}

$(document).on("form-refresh", (event, frm) => {
	if (!frm || !CHARITY_MODULES.includes(frm.meta.module)) return;
	const date_fields = frm.meta.fields.filter((df) => df.fieldtype === "Date").map((df) => df.fieldname);
	date_fields.forEach((fieldname) => show_hijri(frm, fieldname));
	if (watched.has(frm.doctype)) return;
	watched.add(frm.doctype);
	const handlers = {};
	date_fields.forEach((fieldname) => (handlers[fieldname] = (f) => show_hijri(f, fieldname)));
	frappe.ui.form.on(frm.doctype, handlers);
});
