import base64

import pytest
from charity_beneficiary.verification import VerificationError, validate_signature
from charity_beneficiary.verification.signature import MAX_SIGNATURE_BYTES

# A 1x1 PNG, as frappe's signature pad stores it.
PNG = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


def data_url(image_format: str, image: bytes) -> str:
	return f"data:image/{image_format};base64,{base64.b64encode(image).decode()}"


JPEG = data_url("jpeg", b"\xff\xd8\xff\xe0" + b"\x00" * 16)
WEBP = data_url("webp", b"RIFF\x10\x00\x00\x00WEBPVP8 " + b"\x00" * 8)


def message_of(value) -> str:
	with pytest.raises(VerificationError) as excinfo:
		validate_signature(value)
	return excinfo.value.message


@pytest.mark.parametrize("value", [PNG, JPEG, WEBP])
def test_image_data_urls_are_accepted(value):
	assert validate_signature(value) == value


def test_surrounding_whitespace_is_dropped():
	assert validate_signature(f" {PNG}\n") == PNG


@pytest.mark.parametrize("value", [None, ""])
def test_empty_stays_empty(value):
	assert validate_signature(value) == ""


@pytest.mark.parametrize(
	"value",
	[
		"<img src=x onerror=alert(1)>",
		'x" onerror="alert(1)',
		"javascript:alert(1)",
		"https://example.com/signature.png",
		"/files/signature.png",
		"data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
		"data:image/png,iVBORw0KGgo=",  # not base64
		PNG + '" onerror="alert(1)',  # an image with an attribute appended
		"data:image/png;base64,not base64!",
		"data:image/png;base64,iVBORw0KGgo",  # truncated base64
	],
)
def test_anything_but_an_image_data_url_is_refused(value):
	message_of(value)


@pytest.mark.parametrize("value", [123, 1.5, True, ["data:image/png;base64,"], {"src": PNG}])
def test_values_that_are_not_text_are_refused_without_crashing(value):
	message_of(value)


def test_svg_is_refused_because_it_can_carry_script():
	svg = data_url("svg+xml", b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>")
	message_of(svg)
	assert (
		message_of(data_url("gif", b"GIF89a")) == "The signature must be a PNG, JPEG or WebP image, not {0}"
	)


@pytest.mark.parametrize(
	"value",
	[
		data_url("png", b"<script>alert(1)</script>"),
		data_url("jpeg", b"\x89PNG\r\n\x1a\n"),
		data_url("webp", b"RIFF\x10\x00\x00\x00AVI "),
	],
)
def test_the_payload_must_be_an_image_of_the_declared_format(value):
	assert message_of(value) == "The signature is not a valid {0} image"


def test_a_huge_image_is_refused():
	big = data_url("png", b"\x89PNG\r\n\x1a\n" + b"\x00" * MAX_SIGNATURE_BYTES)
	assert message_of(big) == "The signature image is too large ({0} KB); at most {1} KB is accepted"
