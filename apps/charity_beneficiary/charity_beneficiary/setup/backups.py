"""Scheduled backups with files (issue 10.6).

Frappe v15 has no scheduled local backup of its own: `bench setup backups` adds a crontab that dumps
the database only (no attachments), and the S3 / Dropbox / Google Drive integrations need an account
at that service. A charity's private attachments (identity papers, signed receipts) are half of what
a restore needs, so the app runs frappe's own backup (`frappe.utils.backups.new_backup`, the code
behind `bench backup --with-files`) daily from frappe's scheduler.

Both switches live in the site's config, where an administrator sets them with `bench set-config`:
install turns them on only when they are absent, so a value an administrator chose (0 to stop the
backups, more hours to keep more of them) is never overwritten.
"""

import frappe
from frappe.installer import update_site_config
from frappe.utils import cint

# site_config.json: 1 = the daily job backs the site up with its files
WITH_FILES = "charity_backup_with_files"
# frappe's own key: every new backup first deletes those older than this (frappe's default is 24, so a
# daily backup would delete yesterday's before today's is complete); three days are kept
KEEP_HOURS = "keep_backups_for_hours"
DEFAULTS = {WITH_FILES: 1, KEEP_HOURS: 72}


def enable_scheduled_backups() -> None:
	"""Switch the daily backup with files on, leaving any value an administrator set."""
	conf = frappe.get_site_config()
	for key, value in DEFAULTS.items():
		if key not in conf:
			update_site_config(key, value)


def scheduled_backups_enabled() -> bool:
	return bool(cint(frappe.get_site_config().get(WITH_FILES)))


def backup_with_files(backup_path: str | None = None):
	"""The daily job (hooks.py, `daily_long`): database, site config, public and private files, in the
	site's backup folder (private/backups) unless `backup_path` names another. Returns frappe's
	BackupGenerator (its backup_path_* attributes name the files), or None when switched off."""
	if not scheduled_backups_enabled():
		return None
	from frappe.utils.backups import new_backup

	return new_backup(ignore_files=False, backup_path=backup_path, force=True)
