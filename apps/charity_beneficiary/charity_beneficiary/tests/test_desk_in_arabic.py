"""R8.1: the desk speaks Arabic to the staff, frappe's own words included. frappe's Arabic leaves some of
the desk's common strings untranslated (the list's views and filters, the form's menu, the refusal of
a permission check): seen in English in a browser walk-through as each role, they are translated by
the app's locale/ar.po, which frappe reads after its own."""

import frappe
from frappe.tests.utils import FrappeTestCase
from frappe.translate import get_all_translations

# frappe's msgids the staff meet on every list and form
DESK_STRINGS = (
	"List View",
	"Filter By",
	"Edit Filters",
	"Save Filter",
	"Clear all filters",
	"Connections",
	"Copy to Clipboard",
	"Remind Me",
	"Undo",
	"Redo",
	"Not allowed via controller permission check",
	"You need the '{0}' permission on {1} {2} to perform this action.",
	"No {0} found with matching filters. Clear filters to see all {0}.",
)


class TestDeskInArabic(FrappeTestCase):
	def test_frappe_s_desk_strings_are_arabic(self):
		frappe.clear_cache()
		translations = get_all_translations("ar")
		for msgid in DESK_STRINGS:
			with self.subTest(msgid):
				arabic = translations.get(msgid) or ""
				self.assertTrue(arabic and arabic != msgid, arabic)
				self.assertRegex(arabic, "[\u0600-\u06ff]")
				for placeholder in ("{0}", "{1}", "{2}"):
					self.assertEqual(placeholder in arabic, placeholder in msgid, arabic)
