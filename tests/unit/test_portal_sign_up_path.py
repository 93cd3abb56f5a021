"""R6.1, R8.2: a guest on a page that needs an account goes to the sign-up page, and back only to a
path on this site (portal/redirects.py, used by portal/guest.py and /survey alike)."""

import pytest
from charity_beneficiary.portal.redirects import sign_up_path


@pytest.mark.parametrize(
	("back_to", "expected"),
	[
		("/survey", "/sign-up?redirect-to=%2Fsurvey"),
		("/portal", "/sign-up?redirect-to=%2Fportal"),
		("/feedback/new?x=1&y=2", "/sign-up?redirect-to=%2Ffeedback%2Fnew%3Fx%3D1%26y%3D2"),
	],
)
def test_the_page_asked_for_is_kept(back_to, expected):
	assert sign_up_path(back_to) == expected


@pytest.mark.parametrize("back_to", [None, "", "//evil.example", "/\\evil.example", "https://evil.example/"])
def test_anything_else_leads_back_to_the_portal_home(back_to):
	assert sign_up_path(back_to) == "/sign-up?redirect-to=%2Fportal"
