"""Past one machine (issue 10.7): with frappe's read_from_replica configured, the heavy reports run on
the read replica. A primary and a real replica of it are started (replica.py), the upgraded site's
database is loaded into the primary and reaches the replica by replication; a copy of the site's
configuration points at the primary with the replica configured. Each report's queries are found in
the replica's query log and not in the primary's, and its rows are those the site itself computes."""

import os
import shutil

import pytest
from replica import INSTALL_DB, MARIADBD, PrimaryAndReplica
from site_steps import REPORTS


@pytest.fixture(scope="module")
def replica_run(second_bench, upgraded, work):
	if not (MARIADBD and INSTALL_DB):
		message = "the MariaDB server binaries (mariadbd, mariadb-install-db) are not installed"
		if os.environ.get("CI", "false") not in ("", "false"):
			pytest.fail(message)
		pytest.skip(message)
	servers = PrimaryAndReplica(work / "mariadb")
	site = upgraded["site"].replace(".", "-replica.", 1)
	folder = second_bench.root / "sites" / site
	try:
		servers.start()
		conf = second_bench.site_config(upgraded["site"])
		seed = second_bench.dump(upgraded["site"], work / "seed.sql.gz")
		servers.load(seed, conf["db_name"], conf["db_password"])
		for sub in ("logs", "locks", "private/files", "public/files"):
			(folder / sub).mkdir(parents=True, exist_ok=True)
		conf.update(
			db_host="127.0.0.1",
			db_port=servers.primary.port,
			read_from_replica=1,
			replica_host="127.0.0.1",
			replica_db_port=servers.replica.port,
		)
		(folder / "site_config.json").write_text(__import__("json").dumps(conf, indent=1))
		servers.general_log(True)
		on_replica = second_bench.step("reports", site)
		servers.general_log(False)
		yield {
			"on_replica": on_replica,
			"on_site": second_bench.step("reports", upgraded["site"]),
			"primary_log": servers.primary.logged(),
			"replica_log": servers.replica.logged(),
			"status": servers.replica_status(),
			"db_user": conf["db_name"],
		}
	finally:
		servers.stop()
		shutil.rmtree(folder, ignore_errors=True)


def test_the_replica_replicates_the_primary(replica_run):
	assert replica_run["status"]["Slave_IO_Running"] == "Yes"
	assert replica_run["status"]["Slave_SQL_Running"] == "Yes"


@pytest.mark.parametrize("report", REPORTS)
def test_the_report_reads_from_the_replica(replica_run, report):
	table = REPORTS[report]
	replica_queries = [line for line in replica_run["replica_log"].splitlines() if table in line]
	assert replica_queries, f"no query of {report.rsplit('.', 1)[-1]} on the replica"
	assert table not in replica_run["primary_log"], "a report query went to the primary"


def test_the_replica_gives_the_same_numbers(replica_run):
	assert replica_run["on_replica"] == replica_run["on_site"]
	register = next(rows for report, rows in replica_run["on_site"].items() if "register" in report)
	assert [row["amount"] for row in register if row.get("disbursement")] == [1200.0]
