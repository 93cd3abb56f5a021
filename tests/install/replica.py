"""A MariaDB primary and its replica, started by the suite on two free loopback ports.

The machine's own server runs without a binary log (log_bin OFF), and turning it on needs a restart
that every bench on the machine would feel; so the suite starts a primary of its own, with a binary
log, and a real replica of it (read_only, replicating over TCP from the primary's binlog). A site's
database is loaded into the primary only; the replica gets it by replication. Both servers, their
data and logs live in a temporary folder and are shut down and removed at the end.
"""

import gzip
import shutil
import socket
import subprocess
import time
from pathlib import Path

MARIADBD = shutil.which("mariadbd") or shutil.which("mariadbd", path="/usr/sbin:/usr/local/sbin")
INSTALL_DB = shutil.which("mariadb-install-db")
REPLICATION_USER, REPLICATION_PASSWORD = "replication", "replication-test"


def free_port() -> int:
	with socket.socket() as sock:
		sock.bind(("127.0.0.1", 0))
		return sock.getsockname()[1]


class Server:
	def __init__(self, folder: Path, name: str, server_id: int, *options: str):
		self.name, self.server_id, self.options = name, server_id, options
		self.datadir = folder / name
		self.socket = folder / f"{name}.sock"
		self.general_log = folder / f"{name}-general.log"
		self.error_log = folder / f"{name}.err"
		self.port = free_port()
		self.process = None

	def start(self) -> None:
		self.process = subprocess.Popen(
			[
				MARIADBD,
				"--no-defaults",
				f"--datadir={self.datadir}",
				"--user=root",
				f"--port={self.port}",
				"--bind-address=127.0.0.1",
				f"--socket={self.socket}",
				f"--pid-file={self.datadir}.pid",
				f"--server-id={self.server_id}",
				"--character-set-server=utf8mb4",
				"--collation-server=utf8mb4_unicode_ci",
				"--innodb-buffer-pool-size=256M",
				f"--log-error={self.error_log}",
				f"--general-log-file={self.general_log}",
				*self.options,
			],
			stdout=subprocess.DEVNULL,
			stderr=subprocess.DEVNULL,
		)
		for _ in range(120):
			if self.socket.exists() and self.sql("SELECT 1", check=False) is not None:
				return
			assert self.process.poll() is None, self.error_log.read_text()[-2000:]
			time.sleep(0.5)
		raise AssertionError(f"mariadbd {self.name} did not start: {self.error_log.read_text()[-2000:]}")

	def sql(self, query: str, database: str = "", check: bool = True, stdin: bytes | None = None):
		"""Rows of a query as root over the server's socket (None when it fails and check is off)."""
		done = subprocess.run(
			["mariadb", "-S", str(self.socket), "-uroot", "-N", "-B", "-e", query, database]
			if stdin is None
			else ["mariadb", "-S", str(self.socket), "-uroot", database],
			input=stdin,
			capture_output=True,
		)
		if done.returncode != 0:
			assert not check, done.stderr.decode()[-2000:]
			return None
		return [line.split("\t") for line in done.stdout.decode().splitlines()]

	def stop(self) -> None:
		if self.process and self.process.poll() is None:
			subprocess.run(
				["mariadb-admin", "-S", str(self.socket), "-uroot", "shutdown"], capture_output=True
			)
			try:
				self.process.wait(timeout=60)
			except subprocess.TimeoutExpired:
				self.process.kill()

	def logged(self) -> str:
		return self.general_log.read_text(errors="replace") if self.general_log.exists() else ""


class PrimaryAndReplica:
	def __init__(self, folder: Path):
		self.folder = folder
		folder.mkdir(parents=True, exist_ok=True)
		self.primary = Server(
			folder, "primary", 1, f"--log-bin={folder}/primary/binlog", "--binlog-format=ROW"
		)
		self.replica = Server(folder, "replica", 2, "--read-only", f"--relay-log={folder}/replica/relay")

	def start(self) -> None:
		subprocess.run(
			[
				INSTALL_DB,
				"--no-defaults",
				f"--datadir={self.primary.datadir}",
				"--user=root",
				"--auth-root-authentication-method=normal",
				"--skip-test-db",
			],
			capture_output=True,
			check=True,
		)
		shutil.copytree(self.primary.datadir, self.replica.datadir, symlinks=True)  # the same empty server
		self.primary.start()
		self.replica.start()
		(binlog, position, *_), *_ = self.primary.sql("SHOW MASTER STATUS")
		# everything the primary does from here on reaches the replica, from its first binlog event
		self.primary.sql(
			f"CREATE USER '{REPLICATION_USER}'@'%' IDENTIFIED BY '{REPLICATION_PASSWORD}';"
			f"GRANT REPLICATION SLAVE ON *.* TO '{REPLICATION_USER}'@'%';"
		)
		self.replica.sql(
			f"CHANGE MASTER TO MASTER_HOST='127.0.0.1', MASTER_PORT={self.primary.port},"
			f" MASTER_USER='{REPLICATION_USER}', MASTER_PASSWORD='{REPLICATION_PASSWORD}',"
			f" MASTER_LOG_FILE='{binlog}', MASTER_LOG_POS={position}; START SLAVE;"
		)

	def load(self, dump: Path, db_name: str, db_password: str) -> None:
		"""A site's database and its user into the primary; the replica catches up by replication."""
		self.primary.sql(
			f"CREATE DATABASE `{db_name}` CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci;"
			f"CREATE USER '{db_name}'@'%' IDENTIFIED BY '{db_password}';"
			f"GRANT ALL PRIVILEGES ON `{db_name}`.* TO '{db_name}'@'%';"
		)
		with gzip.open(dump) as file:
			self.primary.sql("", database=db_name, stdin=file.read())
		self.wait_for_replica()

	def wait_for_replica(self) -> None:
		(binlog, position, *_), *_ = self.primary.sql("SHOW MASTER STATUS")
		((waited,),) = self.replica.sql(f"SELECT MASTER_POS_WAIT('{binlog}', {position}, 300)")
		assert waited not in ("-1", "NULL"), "the replica did not catch up with the primary"

	def replica_status(self) -> dict:
		done = subprocess.run(
			["mariadb", "-S", str(self.replica.socket), "-uroot", "-e", "SHOW SLAVE STATUS\\G"],
			capture_output=True,
			text=True,
			check=True,
		)
		pairs = (line.strip().split(": ", 1) for line in done.stdout.splitlines() if ": " in line)
		return dict(pair for pair in pairs if len(pair) == 2)

	def general_log(self, on: bool) -> None:
		for server in (self.primary, self.replica):
			server.sql(f"SET GLOBAL general_log = {int(on)}")

	def stop(self) -> None:
		for server in (self.replica, self.primary):
			server.stop()
		shutil.rmtree(self.folder, ignore_errors=True)
