"""The restore drill (issue 10.6): a backup the charity cannot restore is no backup.

The test site gets beneficiaries with private attachments (identity papers), their requests, a posted
cash disbursement with its Journal Entry and an encrypted password, all committed. The app's daily
job backs it up with its files (frappe's own backup); the backup is restored into a fresh site with
the commands the README gives, the source site's encryption_key copied into it; then every record
count, every file, the GL balance of every account and the encrypted password must be the same.
The restored site and its database are dropped, and the source's data removed, whatever happens.

The drill site is named after the test site (ops.localhost → ops-drill.localhost, database
charity_ops_drill); CHARITY_DRILL_SITE / CHARITY_DRILL_DB name others. Both are the drill's own: a
left-over of an interrupted run is dropped.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import frappe
import pytest
from charity_beneficiary.disbursement.doctype.aid_disbursement.test_aid_disbursement import (
	purge,
	purge_disbursements,
	purge_requests,
)
from charity_beneficiary.setup import backups
from charity_beneficiary.tests.factories import (
	make_active_beneficiary,
	make_aid_service,
	make_approved_request,
	make_disbursement,
	make_request,
)
from frappe.utils.password import delete_all_passwords_for, set_encrypted_password

BENCH_ROOT = Path(os.environ.get("CHARITY_BENCH_ROOT") or Path(__file__).resolve().parents[2])
BENCH = BENCH_ROOT / "env" / "bench-cli" / "bin" / "bench"
SITE = os.environ.get("CHARITY_TEST_SITE", "test.localhost")
LABEL = SITE.split(".")[0]
DRILL_SITE = os.environ.get("CHARITY_DRILL_SITE", f"{LABEL}-drill.localhost")
DRILL_DB = os.environ.get("CHARITY_DRILL_DB", f"charity_{LABEL}_drill".replace("-", "_"))
CASH_SERVICE = "مساعدة نقدية (تمرين الاستعادة)"
SECRET_FIELD = "restore_drill_secret"


def bench(*args: str) -> None:
	"""A bench command from the bench's root, as an administrator types it; its output is shown
	when it fails."""
	done = subprocess.run([str(BENCH), *args], cwd=BENCH_ROOT, capture_output=True, text=True)
	assert (
		done.returncode == 0
	), f"bench {' '.join(args[:3])} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"


def db_admin() -> list[str]:
	"""The database administrator bin/lib.sh creates sites with (ensure_db_admin)."""
	return [
		"--db-root-username",
		os.environ.get("CHARITY_DB_ADMIN_USER", "charity_admin"),
		"--db-root-password",
		os.environ.get("CHARITY_DB_ADMIN_PASSWORD", "charity_admin"),
	]


def facts(site: str, data: "DrillData") -> dict:
	"""site_facts.py in a process of its own (see there)."""
	query = {"site": site, "secret": data.secret_key, "records": data.records}
	done = subprocess.run(
		[sys.executable, str(Path(__file__).with_name("site_facts.py")), json.dumps(query)],
		cwd=BENCH_ROOT / "sites",
		capture_output=True,
		text=True,
	)
	assert done.returncode == 0, done.stderr[-3000:]
	return json.loads(done.stdout.strip().splitlines()[-1])


class DrillData:
	"""What the backup must hold, committed on the test site, and removed again by `remove`."""

	def __init__(self):
		self.beneficiaries, self.files, self.requests, self.disbursements = [], [], [], []
		self.secret = frappe.generate_hash(length=24)

	@property
	def secret_key(self) -> list[str]:
		return ["Beneficiary", self.beneficiaries[0], SECRET_FIELD]

	@property
	def records(self) -> list[list[str]]:
		journal_entry = frappe.db.get_value("Aid Disbursement", self.disbursements[0], "journal_entry")
		return [
			*(["Beneficiary", name] for name in self.beneficiaries),
			*(["Assistance Request", name] for name in self.requests),
			*(["Aid Disbursement", name] for name in self.disbursements),
			["Journal Entry", journal_entry],
		]

	def commit(self) -> "DrillData":
		frappe.set_user("Administrator")
		make_aid_service(CASH_SERVICE, delivery_type="Cash")
		for _ in range(2):
			beneficiary = make_active_beneficiary().name
			self.beneficiaries.append(beneficiary)
			self.files.append(self.attach_identity_paper(beneficiary))
		approved = make_approved_request(
			self.beneficiaries[0], CASH_SERVICE, approved_amount=1500, requested_amount=1500
		)
		self.requests.append(approved.name)
		self.requests.append(make_request(self.beneficiaries[1], CASH_SERVICE, submit=True).name)
		self.disbursements.append(make_disbursement(approved.name, amount=1500, submit=True).name)
		set_encrypted_password(*self.secret_key[:2], self.secret, SECRET_FIELD)
		frappe.db.commit()
		return self

	@staticmethod
	def attach_identity_paper(beneficiary: str) -> str:
		content = b"%PDF-1.4\n" + os.urandom(4096)
		return (
			frappe.get_doc(
				{
					"doctype": "File",
					"file_name": f"identity-{frappe.generate_hash(length=8)}.pdf",
					"content": content,
					"is_private": 1,
					"attached_to_doctype": "Beneficiary",
					"attached_to_name": beneficiary,
				}
			)
			.insert(ignore_permissions=True)
			.name
		)

	def remove(self) -> None:
		frappe.db.rollback()  # a fresh snapshot of what is committed
		frappe.set_user("Administrator")
		for name in self.files:  # File's own delete removes the file from the disk too
			if frappe.db.exists("File", name):
				frappe.delete_doc("File", name, ignore_permissions=True)
		purge_disbursements(self.disbursements)
		purge_requests(self.requests)
		for name in self.beneficiaries:
			delete_all_passwords_for("Beneficiary", name)
		purge("Beneficiary", self.beneficiaries)
		frappe.db.commit()


def drop_drill_site(archive: Path) -> None:
	"""Drop the drill site and its database (no backup of it; its folder archived where the drill's
	temporary files are, and deleted with them)."""
	if (BENCH_ROOT / "sites" / DRILL_SITE / "site_config.json").exists():
		bench(
			"drop-site",
			DRILL_SITE,
			"--force",
			"--no-backup",
			*db_admin(),
			"--archived-sites-path",
			str(archive),
		)
	shutil.rmtree(BENCH_ROOT / "sites" / DRILL_SITE, ignore_errors=True)


def restore(backup, encryption_key: str, data: DrillData) -> tuple[dict, dict]:
	"""The README's restore into a new site. Returns the restored site's facts before and after its
	encryption_key was replaced by the source's."""
	bench(
		"new-site",
		DRILL_SITE,
		"--db-name",
		DRILL_DB,
		"--db-host",
		str(frappe.conf.db_host or "127.0.0.1"),
		"--db-port",
		str(frappe.conf.db_port or 3306),
		*db_admin(),
		"--admin-password",
		frappe.generate_hash(length=16),
		"--source_sql",
		backup.backup_path_db,
		"--force",  # the drill's own database: a left-over of an interrupted drill is replaced
	)
	without_key = facts(DRILL_SITE, data)
	# `--` ends the options: a key is random base64 and may begin with "-" (click took one for an option)
	bench("--site", DRILL_SITE, "set-config", "--", "encryption_key", encryption_key)
	for archive in (backup.backup_path_private_files, backup.backup_path_files):
		# what `bench restore --with-private-files/--with-public-files` does (frappe.installer.extract_files)
		subprocess.run(
			["tar", "-xf", archive, "-C", str(BENCH_ROOT / "sites" / DRILL_SITE), "--strip-components", "2"],
			check=True,
		)
	return without_key, facts(DRILL_SITE, data)


@pytest.fixture(scope="module")
def drill(tmp_path_factory):
	work = tmp_path_factory.mktemp("restore-drill")
	data = DrillData()
	try:
		data.commit()
		source = facts(SITE, data)
		backup = backups.backup_with_files(backup_path=str(work / "backups"))
		assert backup, "the daily backup is switched off on this site (charity_backup_with_files)"
		# the key is kept with the backup set (frappe copies site_config.json beside it)
		kept_key = json.loads(Path(backup.backup_path_conf).read_text())["encryption_key"]
		try:
			without_key, restored = restore(backup, kept_key, data)
		finally:
			drop_drill_site(work / "archived")
		yield frappe._dict(
			data=data, source=source, restored=restored, without_key=without_key, kept_key=kept_key
		)
	finally:
		data.remove()


def test_the_drill_data_is_in_the_restored_site(drill):
	# the beneficiaries as saved; the requests, the disbursement and its Journal Entry submitted
	expected = {
		f"{doctype}/{name}": 0 if doctype == "Beneficiary" else 1 for doctype, name in drill.data.records
	}
	assert drill.source["records"] == expected
	assert drill.restored["records"] == expected


def test_every_record_count_is_the_same(drill):
	assert drill.restored["counts"] == drill.source["counts"]
	for doctype in ("Beneficiary", "Assistance Request", "Aid Disbursement", "GL Entry", "File"):
		assert drill.source["counts"][doctype] > 0, doctype


def test_every_file_is_back_with_the_same_content(drill):
	private = {path for path in drill.source["files"] if path.startswith("private/files/")}
	for name in drill.data.files:
		file_url = frappe.db.get_value("File", name, "file_url")
		assert file_url.lstrip("/") in private, file_url
	assert drill.restored["files"] == drill.source["files"]


def test_the_gl_balance_of_every_account_is_the_same(drill):
	cash_expense = frappe.db.get_single_value("Charity Settings", "cash_expense_account")
	assert cash_expense in drill.source["gl_balances"]
	assert drill.restored["gl_balances"] == drill.source["gl_balances"]


def test_encrypted_passwords_need_the_kept_encryption_key(drill):
	assert drill.kept_key == frappe.conf.encryption_key
	assert drill.source["secret"] == {"value": drill.data.secret}
	# restored with a key of its own, the site cannot read them: the key is what must be kept
	assert drill.without_key["secret"] == {"error": "ValidationError"}
	assert drill.restored["secret"] == {"value": drill.data.secret}


def test_the_drill_site_and_its_database_are_dropped(drill):
	import pymysql

	assert not (BENCH_ROOT / "sites" / DRILL_SITE).exists()
	_flag, user, _flag, password = db_admin()
	connection = pymysql.connect(
		host=frappe.conf.db_host or "127.0.0.1",
		port=int(frappe.conf.db_port or 3306),
		user=user,
		password=password,
	)
	try:
		with connection.cursor() as cursor:
			cursor.execute(
				"SELECT COUNT(*) FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = %s", (DRILL_DB,)
			)
			assert cursor.fetchone()[0] == 0
	finally:
		connection.close()


def test_scheduled_backups_with_files_are_on():
	assert backups.scheduled_backups_enabled()
	assert frappe.get_site_config()[backups.KEEP_HOURS] >= 24
	job = frappe.db.get_value(
		"Scheduled Job Type",
		{"method": "charity_beneficiary.setup.backups.backup_with_files"},
		["frequency", "stopped"],
		as_dict=True,
	)
	assert job and (job.frequency, job.stopped) == ("Daily Long", 0)


def test_install_keeps_what_an_administrator_chose():
	from frappe.installer import update_site_config

	chosen = frappe.get_site_config()[backups.WITH_FILES]
	try:
		update_site_config(backups.WITH_FILES, 0)
		backups.enable_scheduled_backups()
		assert frappe.get_site_config()[backups.WITH_FILES] == 0
		assert backups.backup_with_files() is None
	finally:
		update_site_config(backups.WITH_FILES, chosen)
