"""The second bench of the install suite, and the commands an administrator types on it.

It is built once by make_bench.sh in a cache folder outside the repository (CHARITY_INSTALL_BENCH, else
~/.cache/charity_beneficiary/install-bench-<label>) and reused by later runs, like bin/test reuses
env/; its sites are the suite's own and dropped after each run. The app reaches it only through
`bench get-app` from a repository made by bin/release.
"""

import gzip
import hashlib
import inspect
import json
import os
import shutil
import subprocess
from pathlib import Path

import site_steps

HERE = Path(__file__).resolve().parent
BENCH_ROOT = Path(os.environ.get("CHARITY_BENCH_ROOT") or HERE.parents[1])
BENCH_CLI = BENCH_ROOT / "env" / "bench-cli" / "bin" / "bench"
SITE = os.environ.get("CHARITY_TEST_SITE", "test.localhost")
LABEL = SITE.split(".")[0].replace("-", "_")
RELEASE_BRANCH = "version-15"
# the release the upgrade starts from: the last one before the app had patches (patches.txt)
UPGRADE_FROM = os.environ.get("CHARITY_UPGRADE_FROM", "04a3b4b")


def db_admin() -> dict:
	"""The database administrator bin/lib.sh creates sites with (ensure_db_admin)."""
	return {
		"host": os.environ.get("CHARITY_DB_HOST", "127.0.0.1"),
		"port": int(os.environ.get("CHARITY_DB_PORT", "3306")),
		"user": os.environ.get("CHARITY_DB_ADMIN_USER", "charity_admin"),
		"password": os.environ.get("CHARITY_DB_ADMIN_PASSWORD", "charity_admin"),
	}


def run(args: list[str], cwd: Path, env: dict | None = None, timeout: int = 900) -> str:
	"""A command as an administrator types it; its output is shown when it fails."""
	done = subprocess.run(
		[str(arg) for arg in args],
		cwd=cwd,
		capture_output=True,
		text=True,
		env={**os.environ, **(env or {})},
		timeout=timeout,
	)
	assert (
		done.returncode == 0
	), f"{' '.join(map(str, args[:4]))} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"
	return done.stdout


class SecondBench:
	def __init__(self, root: Path):
		self.root = root
		self.python = root / "env" / "bin" / "python"
		self.app = root / "apps" / "charity_beneficiary"

	@classmethod
	def build(cls) -> "SecondBench":
		cache = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "charity_beneficiary"
		root = Path(os.environ.get("CHARITY_INSTALL_BENCH") or cache / f"install-bench-{LABEL}")
		run(["bash", HERE / "make_bench.sh", root], cwd=BENCH_ROOT)
		return cls(root)

	def bench(self, *args: str, timeout: int = 900) -> str:
		# bench installs with pip, which reads the machine's pip configuration (uv does not)
		return run([BENCH_CLI, *args], cwd=self.root, env={"BENCH_DISABLE_UV": "1"}, timeout=timeout)

	def step(self, step: str, site: str, **arguments) -> dict:
		"""A step of site_steps.py on one of this bench's sites (see there)."""
		out = run(
			[self.python, HERE / "site_steps.py", step, site, json.dumps(arguments)], cwd=self.root / "sites"
		)
		return json.loads(out.strip().splitlines()[-1])

	def get_app(self, repository: Path, branch: str) -> None:
		"""How Frappe users install an app: `bench get-app`, the app's repository and branch."""
		# a copy of an earlier run goes first (bench's --overwrite would clone a local path from GitHub)
		shutil.rmtree(self.app, ignore_errors=True)
		self.bench("get-app", "--skip-assets", "--branch", branch, str(repository))

	def app_patches(self) -> list[str]:
		"""The patches of the app as it is checked out, as frappe keys them in its Patch Log: each line
		of patches.txt but comment lines and [sections]. A line may carry a comment after its module
		(`module #2026-12-03`): frappe's idiom to run a patch again, keyed by the whole line."""
		text = (self.app / "charity_beneficiary" / "patches.txt").read_text()
		lines = (line.strip() for line in text.splitlines())
		return [line for line in lines if line and not line.startswith(("#", ";", "["))]

	def new_site(self, site: str, db_name: str, source_sql: Path | None = None, apps: tuple = ()) -> None:
		admin = db_admin()
		args = ["new-site", site, "--force", "--db-name", db_name, "--db-host", admin["host"]]
		args += ["--db-port", str(admin["port"]), "--db-root-username", admin["user"]]
		args += ["--db-root-password", admin["password"], "--admin-password", "admin"]
		args += ["--source_sql", str(source_sql)] if source_sql else []
		for app in apps:
			args += ["--install-app", app]
		self.bench(*args, timeout=1200)

	def drop_site(self, site: str) -> None:
		if (self.root / "sites" / site / "site_config.json").exists():
			admin = db_admin()
			self.bench(
				"drop-site",
				site,
				"--force",
				"--no-backup",
				"--db-root-username",
				admin["user"],
				"--db-root-password",
				admin["password"],
				"--archived-sites-path",
				str(self.root / "archived-sites"),
			)
		shutil.rmtree(self.root / "sites" / site, ignore_errors=True)
		shutil.rmtree(self.root / "archived-sites", ignore_errors=True)

	def dump(self, site: str, path: Path) -> Path:
		"""The site's database as mariadb-dump writes it (what `bench backup` does, without the files)."""
		db_name = self.site_config(site)["db_name"]
		admin = db_admin()
		out = subprocess.run(
			[
				"mariadb-dump",
				*(
					"-h",
					admin["host"],
					"-P",
					str(admin["port"]),
					"-u",
					admin["user"],
					f"-p{admin['password']}",
				),
				*("--single-transaction", "--quick", db_name),
			],
			capture_output=True,
			check=True,
		).stdout
		with gzip.open(path, "wb", compresslevel=1) as file:
			file.write(out)
		return path

	def site_config(self, site: str) -> dict:
		return json.loads((self.root / "sites" / site / "site_config.json").read_text())

	def erpnext_site_dump(self, site: str, db_name: str) -> Path:
		"""A site with ERPNext and a company of its own, as a database dump: made once (new-site with
		erpnext, its setup, site_steps.existing_company) and kept beside the bench for later runs,
		for these frappe/erpnext versions and this setup."""
		key = hashlib.sha1(
			inspect.getsource(site_steps.existing_company).encode()
			+ (self.root / "apps" / "frappe" / "frappe" / "__init__.py").read_bytes()
			+ (self.root / "apps" / "erpnext" / "erpnext" / "__init__.py").read_bytes()
		).hexdigest()[:12]
		path = self.root / "cache" / f"erpnext-site-{key}.sql.gz"
		if not path.exists():
			path.parent.mkdir(exist_ok=True)
			for old in path.parent.glob("erpnext-site-*.sql.gz"):
				old.unlink()
			self.new_site(site, db_name, apps=("erpnext",))
			try:
				self.step("existing_company", site)
				self.dump(site, path.with_suffix(".tmp"))
				path.with_suffix(".tmp").rename(path)
			finally:
				self.drop_site(site)
		return path


def release(work: Path) -> Path:
	"""The app's repository as users get it: bin/release, in a clone of this repository's committed
	history, pushes the release branch and the branch the upgrade starts from to a repository of
	their own (a local path: bench's --overwrite and bare repositories do not work with one)."""
	source = work / "source"
	repository = work / "charity_beneficiary"
	run(["git", "clone", "-q", BENCH_ROOT, source], cwd=work)
	run(["git", "init", "-q", repository], cwd=work)
	run([source / "bin" / "release", "--push", repository, RELEASE_BRANCH], cwd=source)
	run([source / "bin" / "release", "--push", repository, "upgrade-from", UPGRADE_FROM], cwd=source)
	return repository
