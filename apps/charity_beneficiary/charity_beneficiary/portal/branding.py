"""The portal speaks for the charity (R6.1, R8.1): its name and logo in the navbar, the footer and the
mails, not the software vendor's "Built on Frappe" / "Powered by ERPNext".

The name is Website Settings' App Name when the charity set one, else its company (Charity Settings,
else the default company); the logo is Website Settings' App Logo, else the company's logo. Whatever a
charity sets itself in Website Settings (brand HTML, footer "powered by") is kept.
"""

import frappe
from frappe import _
from frappe.utils import escape_html
from frappe.utils.jinja_globals import is_rtl

# App names frappe and ERPNext fill in themselves: they name the software, not the charity.
VENDOR_NAMES = frozenset({"", "Frappe", "ERPNext", "Frappe Framework"})


def charity_company() -> str | None:
	return frappe.db.get_single_value("Charity Settings", "company") or frappe.db.get_default("company")


def charity_name() -> str:
	name = frappe.db.get_single_value("Website Settings", "app_name") or ""
	if name.strip() not in VENDOR_NAMES:
		return name.strip()
	company = charity_company()
	return (company and frappe.db.get_value("Company", company, "company_name")) or _("The Association")


def charity_logo() -> str | None:
	logo = frappe.db.get_single_value("Website Settings", "app_logo")
	company = charity_company()
	return logo or (company and frappe.db.get_value("Company", company, "company_logo")) or None


# frappe's website template names the page's language but not its direction (<html lang="ar">): the
# right-to-left styles frappe loads for an Arabic reader flip the layout, but the page still reads left
# to right — the navbar's brand on the left, tables and forms aligned to the wrong side.
RTL_PAGE = '<script>document.documentElement.setAttribute("dir", "rtl");</script>'


def website_context(context) -> dict:
	"""`update_website_context` hook: the charity's brand and footer where the site has none of its own,
	and a right-to-left page for a right-to-left language."""
	name = escape_html(charity_name())
	values = {"footer_powered": context.get("footer_powered") or name}
	if is_rtl():
		values["head_include"] = (context.get("head_include") or "") + RTL_PAGE
	if not context.get("brand_html"):
		logo = charity_logo()
		image = (
			f'<img src="{escape_html(logo)}" alt="" style="max-height: 32px;" class="me-2 ms-2">'
			if logo
			else ""
		)
		values["brand_html"] = f"{image}<span>{name}</span>"
	return values


def name_the_portal() -> None:
	"""The login page and frappe's mails say "Login to <App Name>": on a site still carrying the
	vendor's name, the charity's name goes into Website Settings (a name the charity set is kept)."""
	current = (frappe.db.get_single_value("Website Settings", "app_name") or "").strip()
	if current in VENDOR_NAMES and charity_company():
		frappe.db.set_single_value("Website Settings", "app_name", charity_name())
