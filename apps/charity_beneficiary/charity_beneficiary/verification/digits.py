"""Digit normalisation for numbers typed on Arabic keyboards or copied from Arabic documents."""

import re

_ASCII_DIGITS = "0123456789"
# U+0660-U+0669, produced by Arabic keyboards and printed on Saudi ID cards.
_ARABIC_INDIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
# U+06F0-U+06F9, produced by Persian and Urdu keyboards; they look almost the same, so officers mix them in.
_EXTENDED_ARABIC_INDIC_DIGITS = "۰۱۲۳۴۵۶۷۸۹"

_DIGIT_TABLE = str.maketrans(
	_ARABIC_INDIC_DIGITS + _EXTENDED_ARABIC_INDIC_DIGITS,
	_ASCII_DIGITS + _ASCII_DIGITS,
)

# Visual separators people put inside numbers: any whitespace (incl. no-break spaces), hyphens and dashes,
# tatweel (U+0640), and the invisible direction marks that copying from right-to-left text drags along.
_SEPARATORS = re.compile(
	"[\\s\\-\u2010-\u2015\u2212\ufe63\uff0d\u0640\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]+"
)


def to_ascii_digits(value: str | None) -> str:
	"""Replace Arabic-Indic and Eastern Arabic (Persian) digits with ASCII digits; keep everything else."""
	return (value or "").translate(_DIGIT_TABLE)


def normalize_digits(value: str | None) -> str:
	"""Return ``value`` with ASCII digits and without spaces, dashes, tatweel or direction marks.

	>>> normalize_digits("١٠٠-٠٠٠ ٠٠٠٨")
	'1000000008'
	"""
	return _SEPARATORS.sub("", to_ascii_digits(value))
