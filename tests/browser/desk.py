"""What a staff member does in frappe's desk, as clicks and keys: the flows of test_flows.py use these.

The desk is driven through its own controls (link fields, grids, the primary button, the confirm
dialog); the test only waits on the form's state (`cur_frm`) to know when frappe has finished."""

import time

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

TIMEOUT = 15


def wait_until(driver, script: str, *args, timeout: float = TIMEOUT):
	"""Wait until the JavaScript `script` (a `return …` expression) is true."""
	return WebDriverWait(driver, timeout).until(lambda d: d.execute_script(script, *args))


def open_workspace(browser) -> None:
	"""Wait until the workspace the desk opened on has drawn its widgets (charts and cards included)."""
	browser.wait_for(".page-container")
	wait_until(
		browser.driver,
		"return document.querySelector('.codex-editor:not(.hidden) .ce-block')"
		" && !document.querySelector('.workspace-skeleton');",
	)
	settle(browser.driver)


def open_form(browser, url: str, doctype: str) -> None:
	"""Open a desk form and wait until frappe has rendered it."""
	browser.driver.get(url)
	wait_until(
		browser.driver,
		"return window.cur_frm && cur_frm.doctype === arguments[0] && !frappe.dom.freeze_count"
		" && document.querySelector('.form-layout') && !document.querySelector('.page-form .loading');",
		doctype,
	)
	settle(browser.driver)


def settle(driver) -> None:
	"""Wait until frappe has no request under way and no freeze on the page."""
	wait_until(
		driver,
		"return !frappe.request.ajax_count && !frappe.dom.freeze_count && document.readyState === 'complete';",
	)


def set_value(driver, fieldname: str, value) -> None:
	"""Set a field as its control does once a person has chosen or typed the value (cur_frm.set_value
	runs the same triggers and fetches: a link's fetched fields, the form script's events).

	Link fields are set so rather than typed: frappe's link control drops the suggestions the server
	sends unless its input matches `:focus`, which headless Chromium does not report (the search
	request itself goes out and answers)."""
	driver.execute_script("cur_frm.set_value(arguments[0], arguments[1]);", fieldname, value)
	wait_until(driver, "return cur_frm.doc[arguments[0]] == arguments[1];", fieldname, value)
	settle(driver)


def set_grid_value(driver, table: str, idx: int, fieldname: str, value: str) -> None:
	"""Set a column of row `idx` of a child table as its cell's control does (frappe.model.set_value):
	a column may be one the grid does not show, but only in the row's own form."""
	driver.execute_script(
		"const row = cur_frm.doc[arguments[0]].find((r) => r.idx === arguments[1]);"
		"frappe.model.set_value(row.doctype, row.name, arguments[2], arguments[3]);"
		"cur_frm.refresh_field(arguments[0]);",
		table,
		idx,
		fieldname,
		value,
	)
	wait_until(
		driver,
		"return (cur_frm.doc[arguments[0]] || []).find((r) => r.idx === arguments[1])[arguments[2]]"
		" === arguments[3];",
		table,
		idx,
		fieldname,
		value,
	)
	settle(driver)


def click_custom_button(driver, label: str) -> None:
	"""A button the form's script added (its label as the desk shows it, translated)."""
	driver.execute_script("cur_frm.custom_buttons[__(arguments[0])].trigger('click');", label)
	settle(driver)


def save(driver) -> None:
	"""Ctrl+S, as the desk's keyboard shortcut saves; waits until the form is saved."""
	driver.find_element(By.TAG_NAME, "body").send_keys(Keys.CONTROL, "s")
	wait_until(driver, "return !cur_frm.is_new() && !cur_frm.is_dirty() && !cur_frm.save_disabled;")
	settle(driver)


def submit(driver) -> None:
	"""The primary button (Submit), then Yes in frappe's confirmation; waits until submitted."""
	driver.find_element(By.CSS_SELECTOR, ".page-head .primary-action").click()
	WebDriverWait(driver, TIMEOUT).until(
		lambda d: next(
			(b for b in d.find_elements(By.CSS_SELECTOR, ".modal.show .btn-primary") if b.is_displayed()),
			None,
		)
	).click()
	wait_until(driver, "return cur_frm.doc.docstatus === 1 && !cur_frm.is_dirty();")
	settle(driver)


def open_report(browser, url: str, report: str) -> None:
	"""Open a query report and wait until frappe has run it and drawn what it returned (filters,
	summary, chart and table, or its empty state)."""
	browser.driver.get(url)
	wait_until(
		browser.driver,
		"const report = frappe.query_report;"
		"return report && report.report_name === arguments[0] && report.last_ajax"
		" && report.last_ajax.state() !== 'pending' && !document.querySelector('.page-form .loading');",
		report,
		timeout=30,
	)
	settle(browser.driver)
	if browser.driver.execute_script("return !!frappe.query_report.chart_options"):
		# frappe-charts draws 700 ms after it is made and animates for 400 ms more (INIT_CHART_UPDATE_TIMEOUT,
		# CHART_POST_ANIMATE_TIMEOUT): its bars, axes and legend are read once they are drawn
		time.sleep(1.2)
