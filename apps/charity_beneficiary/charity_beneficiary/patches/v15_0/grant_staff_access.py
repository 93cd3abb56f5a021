"""Existing sites: the staff roles read the masters and ERPNext documents their work needs
(new sites get them at install)."""

from charity_beneficiary.setup.role_access import grant_staff_access


def execute():
	grant_staff_access()
