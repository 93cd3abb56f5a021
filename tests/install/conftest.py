"""The install suite works on a second bench of its own (second_bench.py), never on this bench's
sites: the app arrives there as Frappe users get it, with `bench get-app` from a repository made by
bin/release. Sites and databases it makes are its own and dropped at the end; the bench is kept for
the next run (see second_bench.py)."""

import pytest
from second_bench import LABEL, RELEASE_BRANCH, SecondBench, release, run


@pytest.fixture(scope="session")
def work(tmp_path_factory):
	return tmp_path_factory.mktemp("install")


@pytest.fixture(scope="session")
def second_bench() -> SecondBench:
	return SecondBench.build()


@pytest.fixture(scope="session")
def repository(work):
	return release(work)


@pytest.fixture(scope="session")
def erpnext_dump(second_bench):
	"""A site with ERPNext set up and a company of its own, as a database dump (made once)."""
	return second_bench.erpnext_site_dump(f"{LABEL}-erpnext.localhost", f"charity_{LABEL}_inst_base")


@pytest.fixture(scope="session")
def upgraded(second_bench, repository, erpnext_dump):
	"""A site made with the release before the app had patches, with data, upgraded to the current
	release the way the README says (pull, requirements, migrate). Kept for the session: the read
	replica is seeded from it."""
	site, db_name = f"{LABEL}-upgrade.localhost", f"charity_{LABEL}_inst_upg"
	try:
		second_bench.get_app(repository, "upgrade-from")
		old_patches = second_bench.app_patches()
		second_bench.new_site(site, db_name, source_sql=erpnext_dump)
		second_bench.bench("--site", site, "install-app", "charity_beneficiary")
		data = second_bench.step("approve_and_disburse", site)
		changed = second_bench.step("admin_changes", site)
		second_bench.bench("--site", site, "set-config", "--parse", "charity_backup_with_files", "0")
		names = {
			"records": [
				["Beneficiary", data["beneficiary"]],
				["Assistance Request", data["request"]],
				["Aid Disbursement", data["disbursement"]],
				["Journal Entry", data["journal_entry"]],
			],
			"category": changed["category"],
		}
		before = second_bench.step("facts", site, names=names)
		# the upgrade, as the README gives it
		run(["git", "pull", "-q", "--ff-only", "upstream", RELEASE_BRANCH], cwd=second_bench.app)
		second_bench.bench("pip", "install", "-q", "-e", "apps/charity_beneficiary")
		second_bench.bench("--site", site, "migrate", timeout=1200)
		after = second_bench.step("facts", site, names=names)
		second_bench.step("rerun_patches", site, patches=second_bench.app_patches())
		yield {
			"rerun": second_bench.step("facts", site, names=names),
			"site": site,
			"data": data,
			"before": before,
			"after": after,
			"old_patches": old_patches,
			"patches": second_bench.app_patches(),
		}
	finally:
		second_bench.drop_site(site)
