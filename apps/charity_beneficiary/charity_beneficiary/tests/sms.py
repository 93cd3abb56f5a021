"""A real SMS gateway for tests: the site's own ping over HTTP answers 200, so frappe really sends the
SMS and keeps its SMS Log (in the test's transaction), as with a real provider."""

import frappe


def use_test_sms_gateway() -> None:
	from charity_beneficiary.tests.live_server import live_server

	settings = frappe.get_single("SMS Settings")
	settings.update(
		{
			"sms_gateway_url": f"{live_server().url}/api/method/ping",
			"message_parameter": "text",
			"receiver_parameter": "to",
			"parameters": [{"parameter": "X-Frappe-Site-Name", "value": frappe.local.site, "header": 1}],
		}
	)
	settings.save()
	frappe.db.value_cache.pop("SMS Settings", None)


def sms_logs(text: str) -> list[frappe._dict]:
	return frappe.get_all(
		"SMS Log", filters={"message": ("like", f"%{text}%")}, fields=["requested_numbers", "message"]
	)
