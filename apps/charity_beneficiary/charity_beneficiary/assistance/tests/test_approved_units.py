"""R4.3: an approval is counted in the units the committee approved. A Box of 12 approved, the item's
Box later made 24 in ERPNext, doubled what the storekeeper could issue against it; the approved rows
keep their conversion factor from the day of the decision."""

import frappe
from frappe.model.workflow import apply_workflow
from frappe.tests.utils import FrappeTestCase

from charity_beneficiary.disbursement.balance import OverDisbursementError, read_request
from charity_beneficiary.tests.factories import (
	committee_decides,
	make_active_beneficiary,
	make_aid_service,
	make_disbursement,
	make_item,
	make_request,
)
from charity_beneficiary.tests.users import role_user
from charity_beneficiary.utils.code_owned import CodeOwnedFieldError

SERVICE = "سلة غذائية (اختبار وحدات الموافقة)"


class TestApprovedUnits(FrappeTestCase):
	def tearDown(self):
		frappe.set_user("Administrator")
		frappe.db.rollback()

	def test_the_approval_keeps_the_unit_it_was_given_in(self):
		item = make_item(
			f"AID-TEST-OIL-{frappe.generate_hash(length=6)}", uoms=[{"uom": "Box", "conversion_factor": 12}]
		)
		box = [{"item_code": item, "qty": 1, "uom": "Box"}]
		make_aid_service(SERVICE, delivery_type="In-Kind", requires_research=0, default_items=box)
		request = make_request(make_active_beneficiary().name, SERVICE, submit=True, requested_items=box)
		apply_workflow(request, "Send to Committee")
		committee_decides({"assistance_request": request.name, "decision": "Approved"})
		frappe.set_user("Administrator")
		approved = frappe.get_doc("Assistance Request", request.name).approved_items
		self.assertEqual([(row.qty, row.uom, row.conversion_factor) for row in approved], [(1, "Box", 12)])

		doc = frappe.get_doc("Item", item)
		doc.uoms[0].conversion_factor = 24
		doc.save()
		self.assertEqual(read_request(request.name).approved_items[0].stock_qty, 12)
		with self.assertRaises(OverDisbursementError):
			make_disbursement(request.name, items=[{"item_code": item, "qty": 13}], submit=True)

		# the frozen factor is the approval's: nobody writes it by hand on the approved request
		frappe.set_user(role_user("Charity Manager"))
		doc = frappe.get_doc("Assistance Request", request.name)
		doc.approved_items[0].conversion_factor = 1000
		with self.assertRaises(CodeOwnedFieldError):
			doc.save()
