"""Signatures: a hand-drawn signature is stored as an image data URL and printed as the ``src`` of an
``<img>`` in the beneficiary's file and the disbursement voucher. Anything else in that field (text,
markup, a script URL, an SVG — which can carry script) is refused, so what is printed as a signature is
an image and nothing else."""

import base64
import binascii
import re

from charity_beneficiary.verification.errors import VerificationError, _

# What frappe's signature pad produces (PNG), and the two raster formats a tablet or an upload may give.
# Each format's file starts with its own magic bytes: the payload must really be that image.
IMAGE_SIGNATURES: dict[str, tuple[bytes, ...]] = {
	"png": (b"\x89PNG\r\n\x1a\n",),
	"jpeg": (b"\xff\xd8\xff",),
	"webp": (b"RIFF",),
}

# A drawn signature is a few kilobytes; the bound keeps a megabyte image out of every print of the file.
MAX_SIGNATURE_BYTES = 512 * 1024

_DATA_URL = re.compile(r"data:image/(?P<format>[a-z]+);base64,(?P<payload>[A-Za-z0-9+/]*={0,2})")


def validate_signature(value: object) -> str:
	"""Return the signature unchanged when it is a PNG, JPEG or WebP image data URL (empty stays empty);
	raise VerificationError otherwise."""
	if value in (None, ""):
		return ""
	if not isinstance(value, str):
		raise _not_an_image()
	match = _DATA_URL.fullmatch(value.strip())
	if not match:
		raise _not_an_image()
	image_format = match["format"]
	if image_format not in IMAGE_SIGNATURES:
		raise VerificationError(
			_("The signature must be a PNG, JPEG or WebP image, not {0}"), image_format.upper()
		)
	image = _decode(match["payload"])
	if len(image) > MAX_SIGNATURE_BYTES:
		raise VerificationError(
			_("The signature image is too large ({0} KB); at most {1} KB is accepted"),
			str(len(image) // 1024),
			str(MAX_SIGNATURE_BYTES // 1024),
		)
	if not _is_image(image, image_format):
		raise VerificationError(_("The signature is not a valid {0} image"), image_format.upper())
	return value.strip()


def _decode(payload: str) -> bytes:
	try:
		return base64.b64decode(payload, validate=True)
	except (binascii.Error, ValueError):
		raise _not_an_image() from None


def _is_image(image: bytes, image_format: str) -> bool:
	if not image.startswith(IMAGE_SIGNATURES[image_format]):
		return False
	# a WebP file is a RIFF container whose form type is "WEBP"
	return image_format != "webp" or image[8:12] == b"WEBP"


def _not_an_image() -> VerificationError:
	return VerificationError(
		_("The signature must be an image drawn on the signature pad (a PNG, JPEG or WebP data URL)")
	)
