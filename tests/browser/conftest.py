"""Headless Chromium through the app's flows, on a live gunicorn of the test site (R6.1, R8.1).

Each step saves a screenshot under tests/.results/browser/ and fails on a JavaScript error in the
console (SEVERE), on an HTTP error of the page or of its requests, or on an English word in the
visible text of an Arabic page (a short, reviewed allow-list below). The site stays English (ERPNext's
test records need it); the portal user's language and the guest's browser are Arabic.
"""

import json
import os
import re
import shutil
import tempfile
from pathlib import Path

import pytest

BENCH_ROOT = Path(__file__).resolve().parents[2]
SITE = os.environ.get("CHARITY_TEST_SITE", "test.localhost")
# a folder per site: people who run the suite on sites of their own do not wipe each other's shots
SHOTS = BENCH_ROOT / "tests" / ".results" / ("browser" if SITE == "test.localhost" else f"browser-{SITE}")
AUDIT = bool(os.environ.get("CHARITY_BROWSER_AUDIT"))
CHROMIUM_FLAGS = (
	"--headless",
	"--no-sandbox",
	"--disable-gpu",
	"--disable-quic",
	"--no-first-run",
	"--disable-background-networking",
	"--disable-component-update",
	"--disable-sync",
	"--disable-dev-shm-usage",
	"--lang=ar",
)
# Words a reviewed Arabic page may show in Latin letters: product and format names.
# "SA" is how a Saudi IBAN begins (the hint under the IBAN field); "Ctrl" is the key's name on the
# keyboard (the desk's search bar: "Ctrl + G").
ALLOWED_WORDS = frozenset(
	{"ERPNext", "Frappe", "PDF", "PNG", "JPG", "SAR", "SA", "IBAN", "SMS", "OK", "Ctrl"}
)
# Reviewed places where an Arabic page shows the English of its Arabic on purpose (R8.1 "in Arabic,
# with English"): the survey's question_en under each question, the declaration's English beside it.
ENGLISH_COMPANIONS = (".survey-en", ".english-companion")
# The text a person sees: text nodes in a box on the page, not in closed pop-ups (date pickers,
# link suggestions), which frappe keeps rendered off-screen.
VISIBLE_TEXT = (
	"const ENGLISH_COMPANIONS = "
	+ json.dumps(", ".join(ENGLISH_COMPANIONS))
	+ ";"
	+ """
const parts = [];
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const width = document.documentElement.scrollWidth;
while (walker.nextNode()) {
	const node = walker.currentNode, el = node.parentElement;
	if (!el || !node.textContent.trim() || el.closest("script,style,noscript,[hidden],.visually-hidden,.sr-only")) continue;
	// the English companion a page deliberately shows under its Arabic text (R8.1, "Arabic, with English")
	if (el.closest(ENGLISH_COMPANIONS)) continue;
	const style = getComputedStyle(el);
	if (style.visibility === "hidden" || style.display === "none" || style.opacity === "0") continue;
	const box = el.getBoundingClientRect();
	// 1-px boxes are screen-reader-only texts (awesomplete's English status line: a library string)
	if (box.width <= 1 || box.height <= 1 || box.right < 0 || box.left > width) continue;
	parts.push(node.textContent);
}
// the hints inside empty inputs (frappe's search bar, filters) are read as much as labels
for (const input of document.querySelectorAll("input[placeholder], textarea[placeholder]")) {
	const box = input.getBoundingClientRect();
	if (input.value || box.width <= 1 || box.height <= 1 || input.closest("[hidden]")) continue;
	const style = getComputedStyle(input);
	if (style.visibility === "hidden" || style.display === "none") continue;
	parts.push(input.placeholder);
}
// a blank rich-text editor shows its hint from data-placeholder (frappe's comment box under a form)
for (const editor of document.querySelectorAll(".ql-editor.ql-blank[data-placeholder]")) {
	const box = editor.getBoundingClientRect();
	if (box.width > 1 && box.height > 1 && !editor.closest("[hidden]")) parts.push(editor.dataset.placeholder);
}
return parts.join(" ");
"""
)
# Noise that is not the page's fault: the browser asks for a favicon the site may not have, and the
# desk polls the realtime server (socket.io), which the test does not run. frappe-charts (2.0.0-rc27 in
# frappe 15) redraws a chart from a ResizeObserver and throws when its svg is not in its container at
# that moment (frappe/charts#368, open upstream): on a report whose table appears under a donut while
# the donut is drawn, about one load in three here; the chart is drawn all the same.
IGNORED = re.compile(
	r"favicon|/socket\.io/|Error connecting to socket\.io"
	r"|desk\.bundle\.\w+\.js \d+:\d+ Uncaught DOMException: Failed to execute 'removeChild' on 'Node'"
)


def pytest_configure(config):
	import frappe

	os.chdir(BENCH_ROOT / "sites")
	frappe.init(site=SITE, sites_path=".")
	if not frappe.conf.allow_tests:
		raise pytest.UsageError(f"{SITE} does not allow tests")
	frappe.connect()
	frappe.flags.in_test = True
	frappe.set_user("Administrator")
	# the app's Arabic catalogue as committed, not as the site's cache last saw it
	from frappe.translate import clear_cache

	clear_cache()
	frappe.db.commit()
	shutil.rmtree(SHOTS, ignore_errors=True)
	SHOTS.mkdir(parents=True, exist_ok=True)


def pytest_unconfigure(config):
	import frappe

	if getattr(frappe.local, "site", None):
		frappe.destroy()


@pytest.fixture(scope="session")
def server():
	import frappe
	from charity_beneficiary.tests import live_server

	class BrowserServer(live_server.LiveServer):
		"""The live server, also serving /assets and /files as nginx would for a browser."""

		def __init__(self, site: str, sites_path: str):
			import atexit
			import subprocess
			import sys

			self.site, self.port = site, live_server._free_port()
			self.url = f"http://127.0.0.1:{self.port}"
			gunicorn = Path(sys.executable).with_name("gunicorn")
			app = "frappe.app:application_with_statics()"
			self.process = subprocess.Popen(
				[
					str(gunicorn),
					"-b",
					f"127.0.0.1:{self.port}",
					"-w",
					"2",
					"-t",
					"120",
					app,
				],
				cwd=sites_path,
				stdout=subprocess.DEVNULL,
				stderr=subprocess.DEVNULL,
				env={**os.environ, "SITES_PATH": sites_path},
			)
			atexit.register(self.stop)
			self._wait_until_up()

	server = BrowserServer(frappe.local.site, os.path.abspath(frappe.local.sites_path))
	# the browser reaches the site by its name (*.localhost is the loopback); frappe ignores the port
	server.browser_url = f"http://{frappe.local.site}:{server.port}"
	yield server
	server.stop()


@pytest.fixture
def browser(request):
	from selenium import webdriver
	from selenium.webdriver.chrome.service import Service

	profile = tempfile.mkdtemp(prefix="charity-chromium-")
	options = webdriver.ChromeOptions()
	options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
	for flag in CHROMIUM_FLAGS:
		options.add_argument(flag)
	options.add_argument(f"--user-data-dir={profile}")
	options.add_experimental_option("prefs", {"intl.accept_languages": "ar"})
	options.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
	driver = webdriver.Chrome(
		options=options,
		service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"),
	)
	driver.set_window_size(1280, 900)
	driver.implicitly_wait(0)
	yield Browser(driver, request.node.name)
	driver.quit()
	shutil.rmtree(profile, ignore_errors=True)


class Browser:
	"""A Chromium session whose every `step` is screenshotted and checked."""

	def __init__(self, driver, test_name: str):
		self.driver = driver
		self.test_name = test_name
		self.count = 0
		self.allowed_words = set(ALLOWED_WORDS)

	def allow(self, *texts: str) -> None:
		"""Names from the test data (a company, a person) may be in Latin letters."""
		for text in texts:
			self.allowed_words.update(re.findall(r"[A-Za-z]+", text or ""))

	def phone(self) -> None:
		self.driver.set_window_size(390, 844)

	def wait_for(self, css: str, timeout: float = 20):
		from selenium.webdriver.support import expected_conditions as ec

		return self.until(ec.visibility_of_element_located, css, timeout)

	def wait_for_gone(self, css: str, timeout: float = 20) -> None:
		from selenium.webdriver.support import expected_conditions as ec

		self.until(ec.invisibility_of_element_located, css, timeout)

	def until(self, condition, css: str, timeout: float):
		"""`condition` of the element at `css` within `timeout`, or a failure saying what the page showed."""
		from selenium.common.exceptions import TimeoutException
		from selenium.webdriver.common.by import By
		from selenium.webdriver.support.ui import WebDriverWait

		try:
			return WebDriverWait(self.driver, timeout).until(condition((By.CSS_SELECTOR, css)))
		except TimeoutException:
			pytest.fail(self.stuck_report(css, timeout), pytrace=False)

	def stuck_report(self, css: str, timeout: float) -> str:
		"""What the page showed when `css` never appeared: a CI log is all there is to go on later."""
		name = f"{self.test_name}-{self.count + 1:02d}-timeout.png"
		self.driver.save_screenshot(str(SHOTS / name))
		dialogs = self.driver.execute_script(
			"return [...document.querySelectorAll('.modal.show, .msgprint, .alert, .freeze-message-container')]"
			".map((el) => el.innerText.trim()).filter(Boolean);"
		)
		return "\n".join(
			[f"{css!r}: still waiting after {timeout} s ({self.driver.current_url}, {name})"]
			+ [f"shown: {text!r}" for text in dialogs]
			+ self.console_errors()
			+ self.http_errors()
		)

	def step(self, label: str, arabic: bool = True) -> None:
		"""Screenshot the page, then fail on console errors, HTTP errors, or English on an Arabic page."""
		self.count += 1
		name = f"{self.test_name}-{self.count:02d}-{label}.png"
		self.driver.save_screenshot(str(SHOTS / name))
		problems = self.console_errors() + self.http_errors()
		if arabic:
			problems += [f"English on an Arabic page: {w!r}" for w in self.english_words()]
		report = f"{label} ({self.driver.current_url}, {name}):\n" + "\n".join(problems)
		if problems and AUDIT:
			# CHARITY_BROWSER_AUDIT=1 lists every step's problems in audit.txt instead of stopping at one
			with open(SHOTS / "audit.txt", "a", encoding="utf-8") as audit:
				audit.write(report + "\n\n")
			return
		assert not problems, report

	def console_errors(self) -> list[str]:
		return [
			f"console: {entry['message']}"
			for entry in self.driver.get_log("browser")
			if entry["level"] == "SEVERE" and not IGNORED.search(entry["message"])
		]

	def http_errors(self) -> list[str]:
		errors = []
		for entry in self.driver.get_log("performance"):
			message = json.loads(entry["message"])["message"]
			if message.get("method") != "Network.responseReceived":
				continue
			response = message["params"]["response"]
			if response["status"] >= 400 and not IGNORED.search(response["url"]):
				errors.append(f"HTTP {response['status']}: {response['url']}")
		return errors

	def english_words(self) -> list[str]:
		text = self.driver.execute_script(VISIBLE_TEXT)
		words = []
		for token in text.split():
			# a word's own punctuation is not a reference ("No." is a word, "BEN-2026-00001." is not)
			token = token.strip(".,:;!?()[]\"'…")
			# references, e-mails, URLs and numbers (BEN-2026-00001, x@y.z) are not words
			if re.search(r"[0-9@/_.:-]", token):
				continue
			words += [w for w in re.findall(r"[A-Za-z]{2,}", token) if w not in self.allowed_words]
		return sorted(set(words))
