// Values that read left to right — identifiers, phone numbers, IBANs, dates, Latin names — stay left to
// right inside an Arabic page. Without an isolated run the browser's bidirectional algorithm moves a
// leading "+" to the far end ("966…+") and a narrow column's ellipsis cuts the start of an ID or a date.
frappe.provide("charity_beneficiary");

// Arabic, Hebrew, Syriac, Thaana… and the Arabic presentation forms
charity_beneficiary.RTL_CHARACTERS = /[\u0590-\u08FF\uFB1D-\uFDFF\uFE70-\uFEFF]/;
charity_beneficiary.NUMERIC_FIELDTYPES = ["Currency", "Float", "Int", "Percent", "Check"];

charity_beneficiary.ltr = function (html) {
	return html === null || html === undefined || html === "" ? html : `<bdi dir="ltr">${html}</bdi>`;
};

// A report formatter's cell: wrapped when its raw value has no right-to-left letter (numbers are
// aligned by the table and need nothing)
charity_beneficiary.ltr_cell = function (html, column, raw) {
	if (raw === null || raw === undefined || raw === "" || !column) return html;
	if (charity_beneficiary.NUMERIC_FIELDTYPES.includes(column.fieldtype)) return html;
	if (charity_beneficiary.RTL_CHARACTERS.test(String(raw))) return html;
	return charity_beneficiary.ltr(html);
};
