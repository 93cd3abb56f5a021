"""Upgrades (issue 10.5): a site made with an earlier release of the app, with data, migrated to the
current release. Its data is intact, each of the app's patches ran once, and what an administrator
changed stays as he left it (fixture `upgraded`, conftest.py)."""

from site_steps import ADMIN_ROLE_CHANGES


def test_the_upgrade_starts_from_a_release_without_the_patches(upgraded):
	assert upgraded["old_patches"] == []
	assert upgraded["patches"], "the current release has patches (patches.txt)"
	assert upgraded["before"]["patch_log"] == []


def test_the_data_is_intact_after_migrate(upgraded):
	before, after = upgraded["before"], upgraded["after"]
	assert after["records"] == before["records"]
	assert after["counts"] == before["counts"]
	assert after["gl_balances"] == before["gl_balances"]
	assert before["counts"]["Aid Disbursement"] == 1
	assert before["gl_balances"], "the disbursement posted to the ledger"


def test_each_patch_ran_once(upgraded):
	ran = [patch for patch, _when in upgraded["after"]["patch_log"]]
	assert sorted(ran) == sorted(upgraded["patches"])
	assert len(ran) == len(set(ran))


def test_the_patches_are_idempotent(upgraded):
	# run once more after the migrate, they change nothing and log nothing
	assert upgraded["rerun"] == upgraded["after"]


def test_migrate_keeps_what_the_administrator_changed(upgraded):
	after = upgraded["after"]
	assert after["category_description"] == "Changed by the administrator"
	# a role's desk access and home page (the module profile is newer than the release upgraded from:
	# setup/tests/test_migrate_keeps_admin_changes.py covers it)
	assert after["roles"] == ADMIN_ROLE_CHANGES
	# the backup switch he turned off stays off; the key he never set is added
	assert after["backup_config"] == {"charity_backup_with_files": 0, "keep_backups_for_hours": 72}
