"""A real HTTP server for the test site, so REST tests go through frappe's full stack.

The server runs in its own process (gunicorn with frappe's WSGI app), so what a test
wants it to see must be committed, and the test cleans up after itself. One server is
started lazily per test process and stopped when the process exits; it serves the site
the tests are connected to (header X-Frappe-Site-Name), whichever runner started them.
"""

import atexit
import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import frappe
import requests

_server: "LiveServer | None" = None


class LiveServer:
	def __init__(self, site: str, sites_path: str):
		self.site = site
		self.port = _free_port()
		self.url = f"http://127.0.0.1:{self.port}"
		gunicorn = Path(sys.executable).with_name("gunicorn")
		# the server's own errors go to a log that a failing test prints (tests/integration/conftest.py)
		logs = Path(sites_path).parent / "logs"
		logs.mkdir(exist_ok=True)
		self.log_path = logs / f"live-server-{site}.log"
		self.log = open(self.log_path, "w")
		self.process = subprocess.Popen(
			[str(gunicorn), "-b", f"127.0.0.1:{self.port}", "-w", "2", "-t", "120", "frappe.app:application"],
			cwd=sites_path,
			stdout=self.log,
			stderr=subprocess.STDOUT,
			env={**os.environ, "SITES_PATH": sites_path},
		)
		atexit.register(self.stop)
		self._wait_until_up()

	def _wait_until_up(self, timeout: float = 60) -> None:
		deadline = time.monotonic() + timeout
		while time.monotonic() < deadline:
			try:
				requests.get(f"{self.url}/api/method/ping", headers=self.headers, timeout=2)
				return
			except (requests.ConnectionError, requests.Timeout):
				time.sleep(0.3)
		self.stop()
		raise RuntimeError(f"test HTTP server did not start on {self.url}")

	@property
	def headers(self) -> dict:
		return {"X-Frappe-Site-Name": self.site, "Accept": "application/json"}

	def session(self, user: str | None = None, password: str | None = None) -> requests.Session:
		"""A requests session, logged in as `user` when given."""
		session = requests.Session()
		session.headers.update(self.headers)
		if user:
			response = session.post(f"{self.url}/api/method/login", data={"usr": user, "pwd": password})
			response.raise_for_status()
		return session

	def tail(self, lines: int = 60) -> str:
		"""The end of the server's log (tracebacks of requests that failed on the server)."""
		self.log.flush()
		return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

	def stop(self) -> None:
		if self.process.poll() is None:
			self.process.terminate()
			try:
				self.process.wait(10)
			except subprocess.TimeoutExpired:
				self.process.kill()


def live_server() -> LiveServer:
	global _server
	if _server is None:
		_server = LiveServer(frappe.local.site, os.path.abspath(frappe.local.sites_path))
	return _server


def _free_port() -> int:
	with socket.socket() as s:
		s.bind(("127.0.0.1", 0))
		return s.getsockname()[1]
