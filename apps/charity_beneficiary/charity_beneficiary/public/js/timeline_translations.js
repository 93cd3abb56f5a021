// frappe's form timeline (form/footer/version_timeline_content_builder.js) prints a version's values as they
// are stored ("Approved", "For", and "null" for no value) and the labels of a child row's fields untranslated
// (frappe.meta.get_label). Both are translatable strings — a Select option, a workflow state, a field label —
// so the timeline is fed translated copies of the versions, with a translating get_label, for as long as it
// builds its entries; nothing stored changes. The builder is a module frappe does not expose, hence the
// patch of the timeline's method that calls it.
(() => {
	function translated_value(value) {
		if (value === null || value === undefined) return ""; // no value: frappe shows "" (not "null")
		return typeof value === "string" ? __(value) : value;
	}

	function translated_change([fieldname, from, to]) {
		return [fieldname, translated_value(from), translated_value(to)];
	}

	function translated_version(version) {
		if (!version.data) return version;
		const data = JSON.parse(version.data);
		if (data.changed) {
			// docstatus keeps its number: frappe reads 1 and 2 as submitted and cancelled
			data.changed = data.changed.map((change) =>
				change[0] === "docstatus" ? change : translated_change(change)
			);
		}
		if (data.row_changed) {
			// frappe stores the row's position counted from 0; the grid numbers its rows from 1
			data.row_changed = data.row_changed.map(([table, index, name, changes]) => [
				table,
				index + 1,
				name,
				changes.map(translated_change),
			]);
		}
		return { ...version, data: JSON.stringify(data) };
	}

	function translate_timeline(timeline) {
		const timeline_class = Object.getPrototypeOf(timeline);
		if (timeline_class.charity_translated) return false;
		const build = timeline_class.get_version_timeline_contents;
		timeline_class.get_version_timeline_contents = function () {
			const versions = this.doc_info.versions;
			const get_label = frappe.meta.get_label;
			this.doc_info.versions = (versions || []).map(translated_version);
			frappe.meta.get_label = (doctype, fieldname, name) =>
				__(get_label.call(frappe.meta, doctype, fieldname, name), null, doctype);
			try {
				return build.call(this);
			} finally {
				this.doc_info.versions = versions;
				frappe.meta.get_label = get_label;
			}
		};
		timeline_class.charity_translated = true;
		return true;
	}

	// the timeline class is reachable only through a form's timeline: patched at the first form shown,
	// whose timeline is then drawn again
	$(document).on("form-refresh", (event, frm) => {
		if (frm.timeline && translate_timeline(frm.timeline)) frm.timeline.refresh();
	});
})();
