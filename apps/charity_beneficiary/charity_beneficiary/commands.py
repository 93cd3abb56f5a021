"""bench commands of the app: `bench --site X charity-setup [--language ar|en] [--demo]`."""

import click
from frappe.commands import get_site, pass_context

# set in site_config.json by bin/up when it creates the demo site, and nowhere else
DEMO_FLAG = "charity_demo_site"


@click.command("charity-setup")
@click.option("--language", type=click.Choice(["ar", "en"]), default="ar", help="Site language")
@click.option("--demo", is_flag=True, default=False, help="Load the demo data of fixtures/")
@pass_context
def charity_setup(context, language: str, demo: bool):
	"""Finish ERPNext's setup without the wizard (Saudi company, SAR) and load demo data."""
	import frappe

	from charity_beneficiary.portal.branding import name_the_portal
	from charity_beneficiary.setup.demo import load_demo_workflow
	from charity_beneficiary.setup.site_setup import complete_setup, load_demo_data

	site = get_site(context)
	frappe.init(site=site)
	if demo and not frappe.conf.get(DEMO_FLAG):
		# demo users have a published password: never on a site that was not created as a demo
		frappe.destroy()
		raise click.ClickException(
			f"{site} was not created as a demo site (no {DEMO_FLAG} in its site_config.json): "
			"no demo data is loaded on it"
		)
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		complete_setup(language)
		name_the_portal()
		frappe.db.commit()
		if demo:
			created = load_demo_data()
			load_demo_workflow()
			click.echo(f"Demo data: {created} new records")
	finally:
		frappe.destroy()


commands = [charity_setup]
