// The cells of the app's reports (report_cell, at the end) and values that read left to right.
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

// The DocType a report column links its value to, or null: a Link's options, a Dynamic Link's
// DocType read from the row, or `link_doctype` (a Data column of record names the server sends so
// that frappe does not refuse the report to whoever cannot read that DocType).
charity_beneficiary.linked_doctype = function (column, data) {
	if (column.link_doctype) return column.link_doctype;
	if (column.fieldtype === "Link") return column.options;
	if (column.fieldtype === "Dynamic Link") return data ? data[column.options] : null;
	return null;
};

// Every cell of the app's reports. frappe's Data formatter, and its Link formatter for a DocType the
// user cannot read, put the value into the table as HTML: a name an applicant typed would be markup
// in the accountant's register. So a text value is escaped first, except where frappe itself builds
// the link element (a DocType the user reads), which sets the value as text.
charity_beneficiary.report_cell = function (value, row, column, data, default_formatter) {
	const doctype = charity_beneficiary.linked_doctype(column, data);
	const df = column.link_doctype ? { ...column, fieldtype: "Link", options: doctype } : column;
	const linked = doctype && frappe.model.can_read(doctype);
	const safe = typeof value === "string" && !linked ? frappe.utils.escape_html(value) : value;
	return charity_beneficiary.ltr_cell(default_formatter(safe, row, df, data), column, value);
};
