"""R8.2: the sign-up page sends a browser back only to a path on this site."""

import pytest
from charity_beneficiary.portal.redirects import local_path

HOME = "/portal"


@pytest.mark.parametrize(
	"target",
	["/my-requests", "/assistance-request/new?x=1", "/portal#documents"],
)
def test_a_path_on_this_site_is_kept(target):
	assert local_path(target, HOME) == target


@pytest.mark.parametrize(
	"target",
	[
		None,
		"",
		"https://evil.example/portal",
		"//evil.example/portal",
		"/\\evil.example",
		"/\t/evil.example",
		"/\n/evil.example",
		"javascript:alert(1)",
		"portal",
	],
)
def test_anything_else_goes_home(target):
	assert local_path(target, HOME) == HOME
