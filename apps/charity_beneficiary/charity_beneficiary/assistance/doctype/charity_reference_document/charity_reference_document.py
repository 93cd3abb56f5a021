# Copyright (c) 2026, charity_beneficiary developers and contributors
# For license information, please see license.txt
"""The officer's tools (R7.1): the association's bylaws, services guide, each service's technical
guidelines, the officer's guide and the service providers' guide, readable by every staff role from
the desk workspace "علاقات المستفيدين". Drafts (not published) are seen only by those who edit them."""

import frappe
from frappe import _
from frappe.model.document import Document
from frappe.utils import strip_html

# Roles that write the reference documents and so also see the unpublished ones.
EDITOR_ROLES = {"Charity Manager", "System Manager"}


class CharityReferenceDocument(Document):
	# begin: auto-generated types
	# This code is auto-generated. Do not modify anything in this block.

	from typing import TYPE_CHECKING

	if TYPE_CHECKING:
		from frappe.types import DF

		aid_service: DF.Link | None
		attachment: DF.Attach | None
		content: DF.TextEditor | None
		document_category: DF.Literal[
			"Bylaws",
			"Services Guide",
			"Service Guidelines",
			"Officer's Guide",
			"Service Providers' Guide",
			"Policy",
			"Other",
		]
		is_published: DF.Check
		summary: DF.SmallText | None
		title: DF.Data
	# end: auto-generated types

	def validate(self):
		self.title = (self.title or "").strip()
		if self.document_category == "Service Guidelines" and not self.aid_service:
			frappe.throw(
				_("Please select the aid service these technical guidelines are for"),
				exc=frappe.MandatoryError,
			)
		if not strip_html(self.content or "").strip() and not self.attachment:
			frappe.throw(
				_("Please write the content of the document or attach it"), exc=frappe.MandatoryError
			)


def is_editor(user: str | None = None) -> bool:
	user = user or frappe.session.user
	return user == "Administrator" or bool(EDITOR_ROLES & set(frappe.get_roles(user)))


def has_permission(doc, ptype: str | None = None, user: str | None = None, debug: bool = False):
	"""Staff read only published documents; the role permissions decide the rest."""
	if is_editor(user) or doc.get("is_published"):
		return None
	return False


def permission_query_conditions(user: str | None = None, doctype: str | None = None) -> str | None:
	if is_editor(user):
		return None
	return "`tabCharity Reference Document`.`is_published` = 1"
