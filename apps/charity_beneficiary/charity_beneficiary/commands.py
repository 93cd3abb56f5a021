"""bench commands of the app: `bench --site X charity-setup [--language ar|en] [--demo]`."""

import click
from frappe.commands import get_site, pass_context


@click.command("charity-setup")
@click.option("--language", type=click.Choice(["ar", "en"]), default="ar", help="Site language")
@click.option("--demo", is_flag=True, default=False, help="Load the demo data of fixtures/")
@pass_context
def charity_setup(context, language: str, demo: bool):
	"""Finish ERPNext's setup without the wizard (Saudi company, SAR) and load demo data."""
	import frappe

	from charity_beneficiary.setup.demo import load_demo_workflow
	from charity_beneficiary.setup.site_setup import complete_setup, load_demo_data

	site = get_site(context)
	frappe.init(site=site)
	frappe.connect()
	try:
		frappe.set_user("Administrator")
		complete_setup(language)
		if demo:
			created = load_demo_data()
			load_demo_workflow()
			click.echo(f"Demo data: {created} new records")
	finally:
		frappe.destroy()


commands = [charity_setup]
