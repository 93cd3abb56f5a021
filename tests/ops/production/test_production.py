"""The production site (issue 10, item 2), checked from outside as a client sees it, without a browser.

Runs only when CHARITY_PRODUCTION_SITE names a site that `bin/up --production SITE` runs on this
bench (CHARITY_PRODUCTION_URL, default http://127.0.0.1:8080, is where nginx listens):

  cd tests/ops/production && CHARITY_PRODUCTION_SITE=prod.localhost ../../../env/bin/python -m pytest -c pytest.ini -q

It checks gunicorn behind nginx serving the desk login and the portal, socket.io (refusing another
site's Origin), the three RQ workers processing a queued job, a forged X-Forwarded-For that does not
reach frappe's rate limit key, a guest 500 without traceback, the cache and queue in two Redis
instances with their own eviction policy, a database user limited to the site's database, no demo
account, and supervisord restarting a killed worker. It leaves on the site only what any client's requests leave: the two
Error Logs of its 500s and frappe's rate-limit and failed-login counters.
"""

import json
import os
import re
import signal
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import frappe
import pytest

SITE = os.environ.get("CHARITY_PRODUCTION_SITE", "")
URL = os.environ.get("CHARITY_PRODUCTION_URL", "http://127.0.0.1:8080").rstrip("/")
BENCH_ROOT = Path(__file__).resolve().parents[3]
SITES = BENCH_ROOT / "sites"
SUPERVISOR_CONF = BENCH_ROOT / "config" / "production" / "run" / "supervisord.conf"

if not SITE:
	pytest.skip(
		"no production site: set CHARITY_PRODUCTION_SITE to a site run by `bin/up --production SITE`",
		allow_module_level=True,
	)
if getattr(frappe.local, "site", None):
	# collected by the restore drill's run of tests/ops, whose conftest holds the test site open
	pytest.skip(
		"run it from tests/ops/production with its own pytest.ini (see above)", allow_module_level=True
	)
if not SUPERVISOR_CONF.exists():
	pytest.skip(
		f"production is not set up on this bench ({SUPERVISOR_CONF} missing)", allow_module_level=True
	)

RESET_PASSWORD = "frappe.core.doctype.user.user.reset_password"


class NoRedirect(urllib.request.HTTPRedirectHandler):
	def redirect_request(self, *args, **kwargs):
		return None


def http(path: str, data: bytes | None = None, headers: dict | None = None, base: str = URL):
	"""(status, headers, body) of one request; redirects are returned, not followed."""
	request = urllib.request.Request(base + path, data=data, headers=headers or {})
	opener = urllib.request.build_opener(NoRedirect)
	try:
		with opener.open(request, timeout=60) as response:
			return response.status, response.headers, response.read().decode("utf-8", "replace")
	except urllib.error.HTTPError as error:
		return error.code, error.headers, error.read().decode("utf-8", "replace")


def site_config() -> dict:
	return json.loads((SITES / SITE / "site_config.json").read_text())


def supervisor(*args: str) -> str:
	return subprocess.run(
		["supervisorctl", "-c", str(SUPERVISOR_CONF), *args], capture_output=True, text=True, check=False
	).stdout


def running_pid(program: str) -> int:
	"""The pid of a program supervisord reports RUNNING (0 when it is not)."""
	match = re.search(r"RUNNING\s+pid (\d+)", supervisor("status", program))
	return int(match.group(1)) if match else 0


def redis_for(key: str):
	import redis

	return redis.from_url(site_config()[key])


@pytest.fixture(scope="module")
def frappe_site():
	"""frappe initialised on the production site, as a bench command would be (to enqueue jobs)."""
	cwd = os.getcwd()
	os.chdir(SITES)
	frappe.init(site=SITE, sites_path=".")
	frappe.connect()
	yield frappe
	frappe.destroy()
	os.chdir(cwd)


def test_gunicorn_behind_nginx_answers():
	status, headers, body = http("/api/method/ping")
	assert (status, json.loads(body)) == (200, {"message": "pong"})
	assert headers["Server"].startswith("nginx")
	pid = running_pid("site:web")
	assert pid, supervisor("status")
	args = subprocess.run(["ps", "-o", "args=", "-p", str(pid)], capture_output=True, text=True).stdout
	assert "gunicorn" in args and "127.0.0.1:" in args
	workers = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
	assert len(workers) == 2 * os.cpu_count() + 1


def test_desk_login_page_and_assets():
	status, headers, body = http("/login")
	assert status == 200 and 'id="login_email"' in body
	# the desk sends a guest to the login page
	status, headers, _ = http("/app")
	assert status in (301, 302) and "/login" in headers["Location"]
	# the built assets come from disk through nginx
	asset = re.search(r'(/assets/[^"?]+\.(?:js|css))', body).group(1)
	status, headers, _ = http(asset)
	assert status == 200 and headers["Server"].startswith("nginx")


def test_portal_pages():
	status, _, body = http("/sign-up")
	assert status == 200 and "<form" in body
	status, headers, _ = http("/portal")
	assert status in (301, 302) and "redirect-to=%2Fportal" in headers["Location"]


def socketio_connect(origin: str) -> str:
	"""What socket.io answers a guest joining the site's namespace (engine.io 4 over long polling)."""
	path = "/socket.io/?EIO=4&transport=polling"
	headers = {"Origin": origin, "Cookie": "sid=Guest"}
	status, _, body = http(path, headers=headers)
	assert status == 200 and body.startswith("0{"), body
	path += "&sid=" + json.loads(body[1:])["sid"]
	assert http(path, f"40/{SITE},".encode(), headers)[0] == 200
	return http(path, headers=headers)[2]


def test_socketio_behind_nginx():
	# socket.io (on a unix socket) checks the guest with frappe through nginx and lets him in
	assert socketio_connect(URL).startswith(f'40/{SITE},{{"sid"')
	# nginx passes the browser's Origin: another site's page cannot open the charity's socket
	assert "Invalid origin" in socketio_connect("http://evil.example")


def test_no_demo_account_and_no_developer_mode():
	conf = site_config()
	assert (
		not conf.get("charity_demo_site") and not conf.get("developer_mode") and not conf.get("allow_tests")
	)
	form = urllib.parse.urlencode({"usr": "officer@charity.localhost", "pwd": "Charity@2026"}).encode()
	status, _, _ = http("/api/method/login", data=form)
	assert status == 401


def test_forged_x_forwarded_for_does_not_change_the_client_address():
	"""frappe keys its rate limits on the first X-Forwarded-For entry: nginx replaces the header."""
	cache = redis_for("redis_cache")
	pattern = f"*rl:{RESET_PASSWORD}:*"
	for key in cache.scan_iter(pattern):
		cache.delete(key)
	form = urllib.parse.urlencode({"user": "nobody@example.invalid"}).encode()
	path = f"/api/method/{RESET_PASSWORD}"
	http(path, data=form, headers={"X-Forwarded-For": "203.0.113.7"})
	keys = {k.decode().rsplit(":", 1)[1] for k in cache.scan_iter(pattern)}
	assert keys == {"127.0.0.1"}
	# the control: straight to gunicorn the same header is believed (so the check above can fail)
	gunicorn = re.search(r"--bind (127\.0\.0\.1:\d+)", SUPERVISOR_CONF.read_text()).group(1)
	http(
		path, data=form, headers={"X-Forwarded-For": "198.51.100.9", "Host": SITE}, base=f"http://{gunicorn}"
	)
	keys = {k.decode().rsplit(":", 1)[1] for k in cache.scan_iter(pattern)}
	assert keys == {"127.0.0.1", "198.51.100.9"}
	for key in cache.scan_iter(pattern):
		cache.delete(key)


@pytest.mark.parametrize("accept", ["application/json", "text/html"])
def test_guest_server_error_has_no_traceback(accept):
	# a body that says JSON and is not: frappe fails with a 500 before any app code runs
	headers = {"Content-Type": "application/json", "Accept": accept}
	status, _, body = http("/api/method/ping" if "json" in accept else "/login", b"{not json", headers)
	assert status == 500
	assert "Traceback" not in body and 'File "' not in body and "JSONDecodeError:" not in body


def test_cache_and_queue_are_separate_redis_instances():
	conf = site_config()
	assert conf["redis_cache"] != conf["redis_queue"]
	cache, queue = redis_for("redis_cache"), redis_for("redis_queue")
	assert cache.info("server")["tcp_port"] != queue.info("server")["tcp_port"]
	assert cache.config_get("maxmemory-policy")["maxmemory-policy"] == "allkeys-lru"
	assert int(cache.config_get("maxmemory")["maxmemory"]) > 0
	assert queue.config_get("maxmemory-policy")["maxmemory-policy"] == "noeviction"


def test_database_user_is_limited_to_the_site_database():
	import pymysql

	conf = site_config()
	connection = pymysql.connect(
		host=conf.get("db_host", "127.0.0.1"),
		port=int(conf.get("db_port", 3306)),
		user=conf["db_name"],
		password=conf["db_password"],
	)
	with connection.cursor() as cursor:
		cursor.execute("SELECT CURRENT_USER()")
		user_host = cursor.fetchone()[0].rsplit("@", 1)[1]
		cursor.execute("SHOW GRANTS")
		grants = [row[0] for row in cursor.fetchall()]
	connection.close()
	assert user_host not in ("%", "'%'")
	for grant in grants:
		on = re.search(r" ON (\S+) TO ", grant).group(1)
		assert on == f"`{conf['db_name']}`.*" or grant.startswith("GRANT USAGE ON *.*"), grant
		assert "WITH GRANT OPTION" not in grant


def wait_for_job(job, seconds: int = 60) -> str:
	for _ in range(seconds * 2):
		status = job.get_status(refresh=True)
		if status in ("finished", "failed"):
			return status
		time.sleep(0.5)
	return job.get_status(refresh=True)


@pytest.mark.parametrize("queue", ["short", "default", "long"])
def test_workers_process_a_queued_job(frappe_site, queue):
	job = frappe_site.enqueue("frappe.ping", queue=queue)
	assert wait_for_job(job) == "finished", supervisor("status")


def test_supervisor_restarts_a_killed_worker(frappe_site):
	before = running_pid("site:worker-short")
	assert before, supervisor("status")
	os.kill(before, signal.SIGKILL)
	after = 0
	for _ in range(60):
		after = running_pid("site:worker-short")
		if after and after != before:
			break
		time.sleep(0.5)
	assert after and after != before, supervisor("status")
	# and the restarted worker takes jobs
	assert wait_for_job(frappe_site.enqueue("frappe.ping", queue="short")) == "finished"
