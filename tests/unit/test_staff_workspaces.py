"""R8.1: each staff role names a workspace of the app to land on, and only staff roles do."""

import json
from pathlib import Path

from charity_beneficiary.setup.roles import ROLES, STAFF_WORKSPACES

APP = Path(__file__).resolve().parents[2] / "apps" / "charity_beneficiary" / "charity_beneficiary"


def test_every_desk_role_of_the_app_lands_on_one_of_its_workspaces():
	workspaces = {json.loads(p.read_text())["name"] for p in APP.glob("*/workspace/*/*.json")}
	desk_roles = {role["role_name"] for role in ROLES if role["desk_access"]}
	assert set(STAFF_WORKSPACES) == desk_roles
	assert set(STAFF_WORKSPACES.values()) <= workspaces
