"""Addresses that end up in links (verification/web_addresses.py): a Call Log's recording, every Attach
field of the app."""

import pytest
from charity_beneficiary.verification import VerificationError
from charity_beneficiary.verification.field_values import check_value
from charity_beneficiary.verification.web_addresses import is_plain_web_url

WEB_ADDRESSES = (
	"https://pbx.example.org/recordings/2026/call-17.mp3?token=a1b2",
	"http://10.0.0.5:8080/rec/1.wav",
	"HTTPS://PBX.example.org/r.mp3",
)
SCRIPTS_AND_OTHER_SCHEMES = (
	"javascript:alert(1)",
	" javascript:alert(1)",
	"JavaScript://pbx.example.org/%0aalert(1)",
	"data:audio/mp3;base64,AAAA",
	"vbscript:msgbox(1)",
	"ftp://pbx.example.org/r.mp3",
	"//pbx.example.org/r.mp3",
)
NOT_WEB_ADDRESSES = (
	*SCRIPTS_AND_OTHER_SCHEMES,
	"x\" onerror=\"document.title='XSS-'+document.cookie.length",
	'https://pbx.example.org/r.mp3" onerror="alert(1)',
	"https://pbx.example.org/r.mp3'><script>alert(1)</script>",
	"https://pbx.example.org/<img src=x>",
	"https://pbx.example.org/a b.mp3",
	"https://pbx.example.org/a\tb.mp3",
	"https://pbx.example.org/a\u202eb.mp3",
	"/files/r.mp3",
	"https://",
	"https://user:secret@pbx.example.org/r.mp3",
	"https://pbx.example.org:port/r.mp3",
)


@pytest.mark.parametrize("url", WEB_ADDRESSES)
def test_a_plain_web_address(url):
	assert is_plain_web_url(url)


@pytest.mark.parametrize("url", NOT_WEB_ADDRESSES)
def test_not_a_plain_web_address(url):
	assert not is_plain_web_url(url)


@pytest.mark.parametrize(
	"url",
	[
		*WEB_ADDRESSES,
		"/files/id.png",
		"/private/files/صورة الهوية (1).jpg",
		"/private/files/ahmad's lease.pdf",
	],
)
@pytest.mark.parametrize("fieldtype", ["Attach", "Attach Image"])
def test_an_attachment_is_an_uploaded_file_or_a_web_address(fieldtype, url):
	assert check_value(fieldtype, url) == url


@pytest.mark.parametrize(
	"url",
	[
		*SCRIPTS_AND_OTHER_SCHEMES,
		"files/id.png",
		"/assets/frappe/x.js",
		'/files/x.png" onmouseover="alert(1)',
		"/files/<img src=x onerror=alert(1)>.png",
		"/files/a\nb.png",
		"https://example.org/a b.pdf",
	],
)
@pytest.mark.parametrize("fieldtype", ["Attach", "Attach Image"])
def test_an_attachment_is_nothing_else(fieldtype, url):
	with pytest.raises(VerificationError) as info:
		check_value(fieldtype, url)
	assert "uploaded file" in str(info.value)


@pytest.mark.parametrize("value", [None, ""])
def test_an_empty_attachment_is_frappes_to_require(value):
	assert check_value("Attach", value) == value
