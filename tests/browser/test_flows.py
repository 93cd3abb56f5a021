"""The flows a person walks through, in headless Chromium (R6.1, R8.1). One test per flow."""

import re

import desk
import frappe
import pytest
from charity_beneficiary.tests.committed import purge_beneficiary
from charity_beneficiary.tests.factories import (
	TEST_PASSWORD,
	make_active_beneficiary,
	make_aid_service,
	make_approved_request,
	make_disbursement,
	make_document_type,
	make_id,
	make_meeting_as_members,
	make_request,
)
from charity_beneficiary.tests.users import portal_email, portal_user, role_user
from charity_beneficiary.verification import hijri_display
from frappe import _
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.expected_conditions import staleness_of
from selenium.webdriver.support.ui import Select, WebDriverWait

OFFICER = "Beneficiary Relations Officer"
COMMITTEE = "Research Committee Member"
ACCOUNTANT = "Charity Accountant"
MANAGER = "Charity Manager"

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
	"""(doctype, name) of the records a flow committed, removed afterwards: a beneficiary with his
	requests and their disbursements, the rest by name."""
	from charity_beneficiary.disbursement.doctype.aid_disbursement.test_aid_disbursement import purge

	records = []
	yield records
	frappe.db.rollback()
	frappe.set_user("Administrator")
	for doctype, name in reversed(records):
		if doctype == "Beneficiary":
			purge_beneficiary(name)
		elif doctype == "Research Committee Meeting":
			purge(doctype, [name])
		elif frappe.db.exists(doctype, name):
			frappe.delete_doc(doctype, name, force=True, ignore_permissions=True)
	frappe.db.commit()


@pytest.fixture
def arabic_staff():
	"""Staff users see the desk in Arabic, as on the charity's own site (the test site stays English
	for ERPNext's test records): `arabic_staff(role)` is the role's user, in Arabic until the end."""
	users = {}

	def arabic(role: str) -> str:
		user = role_user(role)
		users.setdefault(user, frappe.db.get_value("User", user, "language"))
		frappe.db.set_value("User", user, "language", "ar")
		frappe.db.commit()
		return user

	yield arabic
	frappe.db.rollback()
	for user, language in users.items():
		frappe.db.set_value("User", user, "language", language)
	frappe.db.commit()


def test_a_guest_registers_applies_and_follows_his_request_to_its_decision_in_arabic(
	server, browser, cleanup
):
	driver = browser.driver
	browser.allow(*charity_words())
	id_number = make_id("1")
	email = f"browser-{id_number}@portal.test.localhost"
	cleanup.append(("User", email))
	frappe.cache.delete_keys("rl:charity_beneficiary.portal.signup")
	make_aid_service(SERVICE, delivery_type="Cash")
	frappe.db.commit()

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
	assert (
		driver.find_element(By.CSS_SELECTOR, "[data-fieldname='id_number'] input").get_attribute("value")
		== id_number
	)
	register(browser)
	beneficiary = frappe.db.get_value("Beneficiary", {"user": email})
	assert beneficiary, "the registration web form saved no Beneficiary for the new user"
	cleanup.append(("Beneficiary", beneficiary))

	# an officer checks the registration and activates it (server-side: the officer's desk is not
	# this flow)
	activate(beneficiary)
	driver.get(server.browser_url + "/portal")
	browser.wait_for(".btn-new-request").click()
	browser.wait_for(".web-form")
	request = file_request(browser)

	# the officer sends it to the committee, which approves it in a meeting (flow of its own below)
	meeting = decide(request, "Approved")
	cleanup.append(("Research Committee Meeting", meeting))
	driver.get(server.browser_url + "/portal")
	row = browser.wait_for(f".request-row[data-name='{request}']")
	browser.step("portal-request-decided")
	assert _("Approved", lang="ar") in row.text
	assert hijri_display(frappe.utils.getdate(), lang="ar") in row.text


def register(browser) -> None:
	"""Fill the registration web form page by page, accept and sign the declaration, and send it."""
	driver = browser.driver
	browser.step("registration-identity")
	driver.find_element(By.CSS_SELECTOR, "[data-fieldname='date_of_birth'] input").click()
	browser.wait_for(".datepicker.active")
	browser.step("registration-date-picker")
	driver.find_element(By.CSS_SELECTOR, ".web-form-head").click()  # closes the picker
	for page in range(2, 10):
		if not driver.find_element(By.CSS_SELECTOR, ".btn-next").is_displayed():
			break
		driver.find_element(By.CSS_SELECTOR, ".btn-next").click()
		browser.step(f"registration-page-{page}")
	else:
		pytest.fail("the registration form never reached its last page")
	driver.find_element(By.CSS_SELECTOR, "[data-fieldname='declaration_accepted'] input").click()
	pad = browser.wait_for("[data-fieldname='declaration_signature'] canvas")
	ActionChains(driver).move_to_element_with_offset(pad, -60, 0).click_and_hold().move_by_offset(
		40, 15
	).move_by_offset(40, -20).move_by_offset(40, 10).release().perform()
	browser.step("registration-declaration")
	driver.find_element(By.CSS_SELECTOR, ".submit-btn").click()
	browser.wait_for(".success-page")
	browser.step("registration-sent")


def activate(beneficiary: str) -> None:
	"""What the officer does with a portal registration: he takes the declaration and activates it."""
	from charity_beneficiary.utils.code_owned import REGISTRATION, owner_writes

	frappe.db.rollback()
	frappe.set_user(role_user(OFFICER))
	doc = frappe.get_doc("Beneficiary", beneficiary)
	doc.status = "Active"
	with owner_writes(REGISTRATION):
		doc.declaration_taken_by = frappe.session.user
		doc.save()
	frappe.set_user("Administrator")
	frappe.db.commit()


def file_request(browser) -> str:
	"""Choose the service, describe the need, send the request; returns its name."""
	driver = browser.driver
	service = driver.find_element(By.CSS_SELECTOR, "[data-fieldname='aid_service'] input")
	service.click()
	service.send_keys(SERVICE[:6])
	browser.wait_for(".awesomplete ul li")
	next(
		li for li in driver.find_elements(By.CSS_SELECTOR, ".awesomplete ul li") if SERVICE in li.text
	).click()
	fill(driver, "[data-fieldname='description'] textarea", "إيجار المنزل متأخر ثلاثة أشهر")
	# sent without the amount: frappe's refusal names the field, in Arabic (the step checks)
	driver.find_element(By.CSS_SELECTOR, ".submit-btn").click()
	refusal = browser.wait_for(".modal.show .msgprint")
	assert _("Requested Amount", lang="ar") in refusal.text
	browser.step("request-missing-amount")
	driver.find_element(By.CSS_SELECTOR, ".modal.show [data-dismiss='modal']").click()
	browser.wait_for_gone(".modal.show")
	fill(driver, "[data-fieldname='requested_amount'] input", "1500")
	# frappe stores a typed number 500 ms after the last key; another field's change re-evaluating the
	# form's conditions meanwhile (the description's own delayed change did) must not empty it
	driver.execute_script("frappe.web_form.refresh_dependency();")
	amount = driver.find_element(By.CSS_SELECTOR, "[data-fieldname='requested_amount'] input")
	assert amount.get_attribute("value") == "1500", "the amount being typed was emptied"
	browser.step("request-form")
	driver.find_element(By.CSS_SELECTOR, ".submit-btn").click()
	details = browser.wait_for(".request-details")
	browser.step("request-sent")
	new_request = driver.find_element(By.CSS_SELECTOR, ".success-footer .new-btn")
	assert new_request.text == _("Send another request", lang="ar")
	name = details.find_element(By.TAG_NAME, "b").text
	frappe.db.rollback()
	assert frappe.db.get_value("Assistance Request", name, "workflow_state") == "Pending Verification"
	return name


def send_to_committee(request: str) -> None:
	from frappe.model.workflow import apply_workflow

	frappe.db.rollback()
	frappe.set_user(role_user(OFFICER))
	apply_workflow(frappe.get_doc("Assistance Request", request), "Send to Committee")
	frappe.set_user("Administrator")
	frappe.db.commit()


def draft_meeting(request: str, decision: str | None = None) -> str:
	"""A committee meeting of two members (the association's smallest quorum by default) with
	`request` on its agenda, not yet submitted: the second member's vote for it is recorded (by
	himself); with a `decision`, the first member's vote and the decision too."""
	first, second = role_user(COMMITTEE), role_user(COMMITTEE, 2)
	frappe.set_user(first)
	frappe.local.lang = "ar"  # the meeting's Hijri date is written in the language of whoever saves it
	for_it = [{"assistance_request": request, "member": member, "vote": "For"} for member in (second, first)]
	meeting = make_meeting_as_members(
		{
			"doctype": "Research Committee Meeting",
			"meeting_date": frappe.utils.today(),
			"quorum": 2,
			"location": "مقر الجمعية",
			"members": [{"member": first, "attended": 1, "is_chair": 1}, {"member": second, "attended": 1}],
			"agenda": [{"assistance_request": request, "decision": decision}],
			"votes": for_it if decision else for_it[:1],
		}
	)
	frappe.local.lang = "en"
	frappe.set_user("Administrator")
	frappe.db.commit()
	return meeting.name


def decide(request: str, decision: str) -> str:
	"""The committee's decision on `request`, taken server-side (its desk flow is a test of its own)."""
	send_to_committee(request)
	meeting = draft_meeting(request, decision)
	frappe.set_user(role_user(COMMITTEE))
	frappe.get_doc("Research Committee Meeting", meeting).submit()
	frappe.set_user("Administrator")
	frappe.db.commit()
	return meeting


@pytest.fixture
def beneficiary_user(cleanup):
	"""The shared portal account, in Arabic for the test, with an active beneficiary and a request."""
	user = portal_user()
	language = frappe.db.get_value("User", user, "language")
	frappe.db.set_value("User", user, "language", "ar")
	beneficiary = active_beneficiary(user, cleanup)
	yield beneficiary
	frappe.db.rollback()
	frappe.db.set_value("User", user, "language", language)
	frappe.db.commit()


def active_beneficiary(user: str, cleanup: list) -> str:
	make_document_type(DOCUMENT_TYPE)
	make_aid_service(SERVICE, delivery_type="Cash")
	for name in frappe.get_all("Beneficiary", filters={"user": user}, pluck="name"):
		frappe.delete_doc("Beneficiary", name, force=True, ignore_permissions=True)
	beneficiary = make_active_beneficiary(
		user=user,
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
	log_in(server, browser, portal_email(), TEST_PASSWORD)
	browser.wait_for(".portal-home")
	browser.step("portal-home")

	image = tmp_path / "renewed-id.png"
	image.write_bytes(PNG)
	Select(driver.find_element(By.ID, "doc-type")).select_by_value(DOCUMENT_TYPE)
	driver.find_element(By.ID, "doc-file").send_keys(str(image))
	driver.find_element(By.CSS_SELECTOR, ".btn-upload").click()
	done = browser.wait_for(".upload-done")
	browser.step("document-uploaded")
	# the page reloads itself to list the new document: follow the request once it has
	WebDriverWait(driver, 20).until(staleness_of(done))
	browser.wait_for(".request-row a")

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


def test_an_officer_records_a_request(server, browser, arabic_staff):
	log_in(server, browser, arabic_staff(OFFICER), TEST_PASSWORD)
	desk.open_workspace(browser)
	browser.step("officer-workspace")
	desk.open_form(browser, server.browser_url + "/app/assistance-request/new", "Assistance Request")
	browser.wait_for("[data-fieldname='beneficiary'] input")
	browser.step("officer-new-request")


def test_the_committee_decides_a_request_in_its_meeting(server, browser, cleanup, arabic_staff):
	driver = browser.driver
	make_aid_service(SERVICE, delivery_type="Cash")
	beneficiary = make_active_beneficiary(beneficiary_name="هند لجنة البحث").name
	request = make_request(beneficiary, SERVICE, requested_amount=1200, submit=True).name
	frappe.db.commit()
	cleanup.append(("Beneficiary", beneficiary))
	send_to_committee(request)
	meeting = draft_meeting(request)
	cleanup.append(("Research Committee Meeting", meeting))

	log_in(server, browser, arabic_staff(COMMITTEE), TEST_PASSWORD)
	desk.open_workspace(browser)
	browser.step("committee-workspace")
	desk.open_form(
		browser,
		f"{server.browser_url}/app/research-committee-meeting/{meeting}",
		"Research Committee Meeting",
	)
	browser.step("meeting")

	desk.click_custom_button(driver, "Prepare Vote Sheet")
	desk.set_grid_value(driver, "votes", 2, "vote", "For")  # his row, after the other member's vote
	desk.set_grid_value(driver, "agenda", 1, "decision", "Approved")
	browser.step("meeting-votes")
	desk.save(driver)
	browser.step("meeting-saved")
	desk.submit(driver)
	browser.step("meeting-submitted")
	# the meeting's history: votes and decisions as frappe's timeline tells them, in Arabic
	driver.execute_script("document.querySelector('.new-timeline').scrollIntoView();")
	browser.step("meeting-history")

	desk.open_form(browser, f"{server.browser_url}/app/assistance-request/{request}", "Assistance Request")
	browser.allow("Administrator")  # who filed the request in the test: a user's name, printed as data
	browser.step("request-decided")
	assert driver.execute_script("return cur_frm.doc.workflow_state") == "Approved"
	assert driver.execute_script("return cur_frm.doc.committee_meeting") == meeting


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


def test_the_accountant_disburses_cash_and_opens_its_voucher(server, browser, cleanup, arabic_staff):
	from urllib.parse import quote, urlencode

	from charity_beneficiary.disbursement.defaults import get_defaults
	from charity_beneficiary.disbursement.report.aid_disbursement_register.aid_disbursement_register import (
		aid_expense_accounts,
	)

	driver = browser.driver
	make_aid_service(SERVICE, delivery_type="Cash")
	beneficiary = make_active_beneficiary(beneficiary_name="ناصر سند الصرف").name
	request = make_approved_request(beneficiary, SERVICE, approved_amount=750, requested_amount=750).name
	frappe.db.commit()
	cleanup.append(("Beneficiary", beneficiary))

	log_in(server, browser, arabic_staff(ACCOUNTANT), TEST_PASSWORD)
	desk.open_workspace(browser)
	browser.step("accountant-workspace")
	desk.open_form(browser, server.browser_url + "/app/aid-disbursement/new", "Aid Disbursement")
	desk.set_value(driver, "assistance_request", request)
	desk.set_value(driver, "amount", 750)
	# the fund and the cash account the accountant picks: the charity's defaults
	defaults = get_defaults()
	desk.set_value(driver, "charity_fund", defaults.default_fund)
	desk.set_value(driver, "paid_from_account", defaults.paid_from_account)
	browser.step("disbursement-new")
	desk.save(driver)
	browser.step("disbursement-saved")
	desk.submit(driver)
	disbursement = driver.execute_script("return cur_frm.doc.name")
	frappe.db.rollback()
	doc = frappe.get_doc("Aid Disbursement", disbursement)
	# the English test company's records (company, fund, accounts, cost centre, mode of payment) are
	# data the desk prints as they are named
	browser.allow(
		*charity_words(),
		doc.company,
		doc.charity_fund,
		doc.paid_from_account,
		doc.expense_account,
		doc.cost_center,
		doc.mode_of_payment,
	)
	browser.step("disbursement-submitted")
	assert doc.journal_entry and frappe.db.get_value("Journal Entry", doc.journal_entry, "docstatus") == 1

	query = urlencode(
		{"doctype": "Aid Disbursement", "name": disbursement, "format": "سند صرف", "_lang": "ar"}
	)
	driver.get(f"{server.browser_url}/printview?{query}")
	voucher = browser.wait_for(".aid-voucher")
	# the print language the desk picks for it: the format's default, Arabic, whatever the desk's language
	browser.step("voucher")
	assert driver.execute_script("return getComputedStyle(arguments[0]).direction", voucher) == "rtl"
	assert "750" in voucher.text

	# the accountant follows the aid in his reports (R4.4): the register of the month and the funds' year;
	# the register names the company's aid expense accounts it reconciles, English test records too
	browser.allow(*aid_expense_accounts(doc.company))
	company = quote(doc.company)
	for report in ("Aid Disbursement Register", "Fund Utilisation"):
		desk.open_report(browser, f"{server.browser_url}/app/query-report/{report}?company={company}", report)
		browser.step(report.lower().replace(" ", "-"))
		assert driver.execute_script("return frappe.query_report.data.length") > 0
		# the register's columns of record names come as Data with their DocType (no longer Dynamic
		# Links, a DocType's name on every row): its formatter links them, here the expense accounts
		if report == "Aid Disbursement Register":
			links = "return document.querySelectorAll('.dt-scrollable a[href^=\"/app/account/\"]').length"
			assert driver.execute_script(links) > 0


def test_the_accountants_register_shows_what_was_typed_as_text(server, browser, cleanup, arabic_staff):
	"""A name typed with markup (stored raw, as an import or a direct write leaves it) is a name in the
	register, not an element: frappe's Data formatter, and its Link formatter for a DocType the reader
	cannot read, put the value into the table as HTML; every report of the app escapes it first
	(charity_beneficiary.report_cell)."""
	from urllib.parse import quote

	driver = browser.driver
	make_aid_service(SERVICE, delivery_type="Cash")
	beneficiary = make_active_beneficiary(beneficiary_name="ناصر سجل الصرف").name
	request = make_approved_request(beneficiary, SERVICE, approved_amount=40, requested_amount=40).name
	disbursement = make_disbursement(request, submit=True, amount=40)
	cleanup.append(("Beneficiary", beneficiary))
	payload = '<img src=x class=injected onerror="window.injected=1">'
	for field in ("beneficiary_name", "branch"):
		frappe.db.set_value("Aid Disbursement", disbursement.name, field, payload, update_modified=False)
	frappe.db.commit()

	log_in(server, browser, arabic_staff(ACCOUNTANT), TEST_PASSWORD)
	desk.open_workspace(browser)
	report = "Aid Disbursement Register"
	url = f"{server.browser_url}/app/query-report/{report}?company={quote(disbursement.company)}"
	desk.open_report(browser, url, report)
	driver.execute_script("document.querySelector('.dt-scrollable').scrollIntoView()")
	shown = (
		"return [...document.querySelectorAll('.dt-scrollable .dt-cell__content')]"
		".filter(cell => cell.textContent.includes(arguments[0])).length"
	)
	WebDriverWait(driver, 10).until(lambda d: d.execute_script(shown, payload) >= 2)
	# the payload's words are the test's own, not the page's English
	browser.step("register-typed-markup", arabic=False)
	assert not driver.execute_script("return document.querySelector('.injected') || window.injected")


def rated_requests(cleanup: list) -> None:
	"""Requests of the service rated by their beneficiaries, as many as the smallest group the quality
	report shows (R5.1), so that it draws its chart."""
	from charity_beneficiary.service_quality.settings import min_group_size
	from charity_beneficiary.service_quality.survey import invite, submit_survey
	from charity_beneficiary.service_quality.tests.test_service_quality import answers_for

	make_aid_service(SERVICE, delivery_type="Cash")
	for _n in range(min_group_size()):
		beneficiary = make_active_beneficiary(beneficiary_name="منيرة تقييم الخدمة", email_id=None).name
		cleanup.append(("Beneficiary", beneficiary))
		invitation = invite(make_request(beneficiary, SERVICE, submit=True).name)
		token, template = frappe.db.get_value("Survey Invitation", invitation, ["token", "survey_template"])
		submit_survey(token, answers_for(template, 4, True, 9))
		cleanup.append(
			("Survey Response", frappe.db.get_value("Survey Invitation", invitation, "survey_response"))
		)
		frappe.db.commit()


def test_the_manager_watches_service_quality(server, browser, cleanup, arabic_staff):
	"""The manager's quality report in Arabic (R5.3), grouped by service, channel and month."""
	driver = browser.driver
	rated_requests(cleanup)
	log_in(server, browser, arabic_staff(MANAGER), TEST_PASSWORD)
	desk.open_workspace(browser)
	browser.step("manager-workspace")
	desk.open_report(browser, f"{server.browser_url}/app/query-report/Service Quality", "Service Quality")
	browser.step("service-quality")
	for grouping in ("Channel", "Month"):
		url = f"{server.browser_url}/app/query-report/Service Quality?group_by={grouping}"
		desk.open_report(browser, url, "Service Quality")
		assert driver.execute_script("return frappe.query_report.get_filter_value('group_by')") == grouping
		assert driver.execute_script("return frappe.query_report.chart_options !== undefined")
		browser.step(f"service-quality-by-{grouping.lower()}")
