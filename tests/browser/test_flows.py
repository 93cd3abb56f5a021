"""The flows a person walks through, in headless Chromium (R6.1, R8.1). One test per flow."""

import re

import frappe
import pytest
from charity_beneficiary.tests.factories import (
	TEST_PASSWORD,
	make_active_beneficiary,
	make_aid_service,
	make_approved_request,
	make_disbursement,
	make_document_type,
	make_id,
	make_request,
	make_user,
)
from charity_beneficiary.tests.users import role_user
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

PORTAL_USER = "browser-beneficiary@portal.test.localhost"
DOCUMENT_TYPE = "هوية وطنية (اختبار المتصفح)"
SERVICE = "مساعدة نقدية (اختبار المتصفح)"
NEW_PASSWORD = "Browser-Activ8-Secret!"
PNG = bytes.fromhex(
	"89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c6360000002"
	"0000050001e226059b0000000049454e44ae426082"
)


def fill(driver, css: str, value: str) -> None:
	field = driver.find_element(By.CSS_SELECTOR, css)
	field.clear()
	field.send_keys(value)


def charity_words() -> list[str]:
	from charity_beneficiary.portal.branding import charity_name

	return [charity_name()]


@pytest.fixture
def cleanup():
	records = []
	yield records
	frappe.db.rollback()
	for doctype, name in reversed(records):
		if frappe.db.exists(doctype, name):
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
	frappe.db.commit()


def test_a_guest_opens_his_account_in_arabic_and_reaches_the_registration(server, browser, cleanup):
	driver = browser.driver
	browser.allow(*charity_words())
	id_number = make_id("1")
	email = f"browser-{id_number}@portal.test.localhost"
	cleanup.append(("User", email))
	frappe.cache.delete_keys("rl:charity_beneficiary.portal.signup")

	driver.get(server.browser_url + "/beneficiary-registration/new")
	browser.wait_for(".sign-up-form")
	assert "/sign-up" in driver.current_url
	browser.step("sign-up")

	fill(driver, "#signup-full-name", "سعد محمد الغامدي")
	fill(driver, "#signup-id-number", id_number)
	fill(driver, "#signup-mobile", "0501234567")
	fill(driver, "#signup-email", email)
	driver.find_element(By.CSS_SELECTOR, ".btn-sign-up").click()
	browser.wait_for(".sign-up-done")
	browser.step("signed-up")

	# the activation link the mail carries (frappe's set-password link), made afresh here
	frappe.db.commit()
	link = frappe.get_doc("User", email).reset_password()
	frappe.db.commit()
	key = re.search(r"key=([0-9a-f]+)", link).group(1)
	driver.get(f"{server.browser_url}/update-password?key={key}")
	browser.wait_for("#new_password")
	browser.step("set-password")
	fill(driver, "#new_password", NEW_PASSWORD)
	fill(driver, "#confirm_password", NEW_PASSWORD)
	browser.wait_for("#update:enabled").click()
	browser.wait_for(".portal-home")
	browser.step("portal-home-new")

	driver.find_element(By.CSS_SELECTOR, ".btn-register").click()
	browser.wait_for(".web-form")
	browser.step("registration-form")
	assert (
		driver.find_element(By.CSS_SELECTOR, "[data-fieldname='id_number'] input").get_attribute("value")
		== id_number
	)


@pytest.fixture
def beneficiary_user(cleanup):
	make_user(PORTAL_USER, ["Beneficiary"], user_type="Website User")
	frappe.db.set_value("User", PORTAL_USER, "language", "ar")
	make_document_type(DOCUMENT_TYPE)
	make_aid_service(SERVICE, delivery_type="Cash")
	for name in frappe.get_all("Beneficiary", filters={"user": PORTAL_USER}, pluck="name"):
		frappe.delete_doc("Beneficiary", name, force=True, ignore_permissions=True)
	beneficiary = make_active_beneficiary(
		user=PORTAL_USER,
		beneficiary_name="سعد المتصفح",
		documents=[
			{
				"document_type": DOCUMENT_TYPE,
				"expiry_date": frappe.utils.add_days(frappe.utils.today(), 10),
			}
		],
	).name
	request = make_request(beneficiary, SERVICE, requested_amount=500).name
	frappe.db.commit()
	cleanup.extend([("Beneficiary", beneficiary), ("Assistance Request", request)])
	return beneficiary


def log_in(server, browser, user: str, password: str) -> None:
	driver = browser.driver
	driver.get(server.browser_url + "/login")
	browser.wait_for("#login_email")
	fill(driver, "#login_email", user)
	fill(driver, "#login_password", password)
	driver.find_element(By.CSS_SELECTOR, ".btn-login").click()


def test_a_beneficiary_uploads_a_document_follows_his_request_and_complains_on_a_phone(
	server, browser, beneficiary_user, cleanup, tmp_path
):
	driver = browser.driver
	browser.allow(*charity_words())
	browser.phone()
	log_in(server, browser, PORTAL_USER, TEST_PASSWORD)
	browser.wait_for(".portal-home")
	browser.step("portal-home")

	image = tmp_path / "renewed-id.png"
	image.write_bytes(PNG)
	Select(driver.find_element(By.ID, "doc-type")).select_by_value(DOCUMENT_TYPE)
	driver.find_element(By.ID, "doc-file").send_keys(str(image))
	driver.find_element(By.CSS_SELECTOR, ".btn-upload").click()
	browser.wait_for(".upload-done")
	browser.step("document-uploaded")

	driver.find_element(By.CSS_SELECTOR, ".request-row a").click()
	browser.wait_for(".web-form")
	browser.step("request")

	driver.get(server.browser_url + "/feedback/new")
	browser.wait_for(".web-form")
	Select(driver.find_element(By.CSS_SELECTOR, "[data-fieldname='feedback_type'] select")).select_by_value(
		"Complaint"
	)
	fill(driver, "[data-fieldname='subject'] input", "تأخر الرد")
	fill(
		driver,
		"[data-fieldname='description'] textarea",
		"تأخر الرد على طلبي أكثر من المعتاد",
	)
	browser.step("complaint")
	driver.find_element(By.CSS_SELECTOR, ".submit-btn").click()
	browser.wait_for(".success-page")
	browser.step("complaint-sent")
	for name in frappe.get_all(
		"Beneficiary Feedback", filters={"beneficiary": beneficiary_user}, pluck="name"
	):
		cleanup.append(("Beneficiary Feedback", name))


def test_an_officer_records_a_request(server, browser):
	officer = role_user("Beneficiary Relations Officer")
	log_in(server, browser, officer, TEST_PASSWORD)
	browser.wait_for(".page-container")
	browser.driver.get(server.browser_url + "/app/assistance-request/new")
	browser.wait_for("[data-fieldname='beneficiary'] input")
	# the staff of the English test site see the desk in English: console and HTTP are checked
	browser.step("officer-new-request", arabic=False)


def answer_question(driver, fieldset) -> None:
	"""Answer one survey question by its type: the top of each scale, Yes, or a comment."""
	kind = fieldset.get_attribute("data-type")
	if kind == "Text":
		fieldset.find_element(By.TAG_NAME, "textarea").send_keys("خدمة ممتازة، شكرًا لكم")
		return
	value = {"Rating": "5", "NPS": "10", "Yes-No": "Yes"}[kind]
	fieldset.find_element(By.CSS_SELECTOR, f"input[value='{value}']").click()


def test_a_guest_answers_his_survey_from_its_link_on_a_phone(server, browser, beneficiary_user, cleanup):
	from charity_beneficiary.service_quality.survey import invite, survey_url

	driver = browser.driver
	browser.allow(*charity_words())
	browser.phone()
	request = frappe.get_all("Assistance Request", filters={"beneficiary": beneficiary_user}, pluck="name")[0]
	invitation = invite(request)
	assert invitation, "no active survey template on the site"
	frappe.db.commit()
	cleanup.append(("Survey Invitation", invitation))
	token = frappe.db.get_value("Survey Invitation", invitation, "token")

	# the link the mail carries, opened on the test server
	path = survey_url(token).split("://", 1)[1].split("/", 1)[1]
	driver.get(f"{server.browser_url}/{path}")
	browser.wait_for("#survey-form")
	browser.step("survey")

	questions = driver.find_elements(By.CSS_SELECTOR, ".survey-question")
	assert {q.get_attribute("data-type") for q in questions} == {"Rating", "Yes-No", "NPS", "Text"}
	for fieldset in questions:
		answer_question(driver, fieldset)
	browser.step("survey-answered")
	driver.find_element(By.CSS_SELECTOR, "#survey-form button[type=submit]").click()
	browser.wait_for(".survey-thanks")
	browser.step("survey-thanks")

	frappe.db.rollback()
	answered = frappe.db.get_value(
		"Survey Invitation", invitation, ["status", "survey_response"], as_dict=True
	)
	assert answered.status == "Answered"
	cleanup.append(("Survey Response", answered.survey_response))


@pytest.fixture
def cash_disbursement():
	"""A submitted cash disbursement of 750 (its journal entry and survey invitation made by the hooks),
	cancelled and removed afterwards."""
	make_aid_service(SERVICE, delivery_type="Cash")
	beneficiary = make_active_beneficiary(beneficiary_name="ناصر سند الصرف").name
	request = make_approved_request(beneficiary, SERVICE, approved_amount=750, requested_amount=750).name
	disbursement = make_disbursement(request, amount=750, submit=True)
	frappe.db.commit()
	yield disbursement.name
	frappe.db.rollback()
	frappe.set_user("Administrator")
	disbursement = frappe.get_doc("Aid Disbursement", disbursement.name)
	if disbursement.docstatus == 1:
		disbursement.cancel()
	for name in frappe.get_all("Survey Invitation", {"assistance_request": request}, pluck="name"):
		frappe.delete_doc("Survey Invitation", name, force=True, ignore_permissions=True)
	frappe.delete_doc("Aid Disbursement", disbursement.name, force=True, ignore_permissions=True)
	if disbursement.journal_entry:
		frappe.delete_doc("Journal Entry", disbursement.journal_entry, force=True, ignore_permissions=True)
	remove_submitted("Assistance Request", request)
	frappe.delete_doc("Beneficiary", beneficiary, force=True, ignore_permissions=True)
	frappe.db.commit()


def remove_submitted(doctype: str, name: str) -> None:
	doc = frappe.get_doc(doctype, name)
	if doc.docstatus == 1:
		doc.flags.ignore_permissions = True
		doc.cancel()
	frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)


def test_the_accountant_opens_the_voucher_of_a_cash_disbursement(server, browser, cash_disbursement):
	from urllib.parse import urlencode

	driver = browser.driver
	doc = frappe.get_doc("Aid Disbursement", cash_disbursement)
	# names of the English test company's records (fund, account, who prepared it), printed as data
	browser.allow(*charity_words(), doc.charity_fund, doc.paid_from_account, doc.owner)
	# frappe's print toolbar button "Get PDF", which frappe's Arabic catalogue does not translate
	browser.allow("Get")
	log_in(server, browser, role_user("Charity Accountant"), TEST_PASSWORD)
	browser.wait_for(".page-container")
	query = urlencode(
		{"doctype": "Aid Disbursement", "name": cash_disbursement, "format": "سند صرف", "_lang": "ar"}
	)
	driver.get(f"{server.browser_url}/printview?{query}")
	voucher = browser.wait_for(".aid-voucher")
	# the print language the desk picks for it: the format's default, Arabic, whatever the desk's language
	browser.step("voucher")
	assert driver.execute_script("return getComputedStyle(arguments[0]).direction", voucher) == "rtl"
	assert "750" in voucher.text
