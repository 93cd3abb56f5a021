"""Addresses users type that the desk and ERPNext put into links (R8.2, R8.3).

A link whose address starts with `javascript:` runs a script in the browser of whoever clicks it, and
frappe stores whatever it is given in an Attach field or a plain Data field holding an address. Only two
shapes are accepted: a file uploaded to the site (`/files/…`, `/private/files/…`, which frappe writes as
the field's value) and a plain absolute web address (http or https).
"""

from urllib.parse import urlsplit

WEB_SCHEMES = ("http", "https")
SITE_FILE_PREFIXES = ("/files/", "/private/files/")
# what would end the attribute or the tag an address is written into, or hide a second address
FORBIDDEN_URL_CHARACTERS = frozenset("\"'<>`\\{}|^")
# an uploaded file's name keeps what its owner called it (spaces, apostrophes, Arabic): only what ends
# an attribute or a tag is refused in it
FORBIDDEN_PATH_CHARACTERS = frozenset('"<>`\\')


def is_plain_web_url(url: str) -> bool:
	"""An absolute http(s) address with a host, no credentials and nothing that could end an HTML
	attribute."""
	if any(not char.isprintable() or char.isspace() or char in FORBIDDEN_URL_CHARACTERS for char in url):
		return False
	try:
		parts = urlsplit(url)
		parts.port  # raises ValueError for a port that is not a number
	except ValueError:
		return False
	return (
		parts.scheme.lower() in WEB_SCHEMES
		and bool(parts.hostname)
		and not parts.username
		and not parts.password
	)


def is_site_file_path(url: str) -> bool:
	"""The address frappe gives a file uploaded to this site."""
	return url.startswith(SITE_FILE_PREFIXES) and not any(
		not char.isprintable() or char in FORBIDDEN_PATH_CHARACTERS for char in url
	)


def is_attachment_address(url: str) -> bool:
	return is_site_file_path(url) or is_plain_web_url(url)
