"""Where the portal may send a browser back to (R8.2): only a path on this site.

frappe's sanitize_redirect lets through any value without a host, but a browser reads `/\\evil.example`
as `//evil.example` and drops tabs and line breaks inside a URL, so such a "path" still leads to
another site. Framework-free, so it is tested without a site.
"""

from urllib.parse import quote, urlsplit

SIGN_UP_ROUTE = "/sign-up"
HOME_ROUTE = "/portal"


def local_path(target: str | None, default: str) -> str:
	"""`target` when it is a path on this site, else `default`."""
	target = (target or "").strip()
	if not target.startswith("/") or target.startswith("//"):
		return default
	# a backslash or a control character lets a browser turn the path into another host
	if "\\" in target or any(ord(char) < 32 or ord(char) == 127 for char in target):
		return default
	parts = urlsplit(target)
	return default if parts.scheme or parts.netloc else target


def sign_up_path(back_to: str | None) -> str:
	"""Where a guest is sent from a page that needs an account: the sign-up page (which links to the
	login), bringing him back to `back_to` — a path on this site, else the portal home — afterwards."""
	return f"{SIGN_UP_ROUTE}?redirect-to={quote(local_path(back_to, HOME_ROUTE), safe='')}"
