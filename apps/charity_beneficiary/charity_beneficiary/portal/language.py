"""An Arabic site speaks Arabic to its guests (R8.1).

frappe gives a guest the language of his browser's Accept-Language header when that language is
enabled, so the charity's login, sign-up and survey pages open in English for most phones. On a site
whose language is Arabic, a guest gets Arabic unless he chose otherwise (frappe's `_lang` parameter or
its `preferred_language` cookie, set by the language switcher). Sites in another language keep
frappe's behaviour.
"""

import frappe

ARABIC = "ar"


def guests_get_the_site_language() -> None:
	"""before_request (after frappe set the request's language)."""
	session = getattr(frappe.local, "session", None)
	if session and session.get("user") not in (None, "Guest"):
		return
	if frappe.form_dict.get("_lang") or frappe.request.cookies.get("preferred_language"):
		return
	language = frappe.get_system_settings("language") or ""
	if language.split("-")[0] == ARABIC:
		frappe.local.lang = language
