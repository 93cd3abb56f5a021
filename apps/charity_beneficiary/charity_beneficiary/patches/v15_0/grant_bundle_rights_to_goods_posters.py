"""Sites made before the storekeeper issued serial- and batch-tracked goods: the posters of goods get
their rights on ERPNext's Serial and Batch Bundle (setup/role_access.py; rules already there are kept)."""

from charity_beneficiary.setup.role_access import grant_staff_access


def execute():
	grant_staff_access()
