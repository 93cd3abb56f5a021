// frappe's form timeline (form/footer/version_timeline_content_builder.js) prints a version's values as they
// are stored ("Approved", "For", and "null" for no value) and the labels of a child row's fields untranslated
// (frappe.meta.get_label). The values of Select fields and of the workflow's state are translatable strings
// (options, states), as are labels: the timeline is fed copies of the versions with those values translated,
// and a translating get_label, for as long as it builds its entries; nothing stored changes, and what users
// typed (Data, Text, names) is shown as typed. The builder is a module frappe does not expose, hence the
// patch of the timeline's method that calls it. frappe's builder escapes every value it prints.
(() => {
	// a stored option or state is translated; a value someone typed is shown as typed
	function is_translatable(doctype, fieldname) {
		if (!doctype) return false;
		if (fieldname === frappe.workflow.get_state_fieldname(doctype)) return true;
		const df = frappe.meta.get_docfield(doctype, fieldname);
		return Boolean(df && df.fieldtype === "Select");
	}

	function shown_value(value, translate) {
		if (value === null || value === undefined) return ""; // no value: frappe shows "" (not "null")
		return translate && typeof value === "string" ? __(value) : value;
	}

	function translated_change(doctype, [fieldname, from, to]) {
		const translate = is_translatable(doctype, fieldname);
		return [fieldname, shown_value(from, translate), shown_value(to, translate)];
	}

	function translated_version(version, doctype) {
		if (!version.data) return version;
		const data = JSON.parse(version.data);
		if (data.changed) {
			// docstatus keeps its number: frappe reads 1 and 2 as submitted and cancelled
			data.changed = data.changed.map((change) =>
				change[0] === "docstatus" ? change : translated_change(doctype, change)
			);
		}
		if (data.row_changed) {
			// frappe stores the row's position counted from 0; the grid numbers its rows from 1
			data.row_changed = data.row_changed.map(([table, index, name, changes]) => {
				const child = frappe.meta.get_docfield(doctype, table)?.options;
				return [table, index + 1, name, changes.map((change) => translated_change(child, change))];
			});
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
			this.doc_info.versions = (versions || []).map((v) => translated_version(v, this.frm.doctype));
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
