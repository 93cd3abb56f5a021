"""The files attached to a person's record are private (R8.2, utils/file_access.py): those uploaded
public before are moved to private/files by File's own mechanism, as when is_private is unticked. A
file missing on disk, or whose name a private file already has, is marked private where it stands (so
it is listed only with its record) and noted in the Error Log: one still on disk under public/files is
still served at its /files/ address until an administrator renames it. Safe to run again: it takes
only public files."""

import frappe

from charity_beneficiary.utils.file_access import PERSONAL


def execute():
	files = frappe.get_all(
		"File",
		filters={"attached_to_doctype": ("in", PERSONAL), "is_private": 0, "is_folder": 0},
		pluck="name",
	)
	for name in files:
		file = frappe.get_doc("File", name)
		if file.is_private:  # made private with a file of the same content, moved before it
			continue
		file.is_private = 1
		frappe.db.savepoint("personal_file")
		try:
			file.save(ignore_permissions=True)
		except (FileExistsError, FileNotFoundError):  # raised before anything moved
			frappe.db.rollback(save_point="personal_file")
			frappe.clear_last_message()
			frappe.db.set_value("File", name, "is_private", 1, update_modified=False)
			frappe.log_error(
				f"File {name} ({file.file_url}) marked private where it stands: rename it to move it out of public/files"
			)
