"""The error raised by every verification helper, and the translation marker used for its messages.

This package must stay importable without Frappe (it is unit-tested with plain pytest), so it cannot call
``frappe._``. Each message is instead an English template wrapped in the local ``_`` marker below: Frappe's
string extractor looks for ``_("...")`` calls and still collects the literal, and the Frappe layer translates
at the edge with ``frappe._(err.message).format(*err.args)``.
"""

from collections.abc import Callable


def _(message: str) -> str:
	"""Mark a message template for translation extraction; it is translated later, by the Frappe layer."""
	return message


class VerificationError(ValueError):
	"""Beneficiary data failed verification.

	``message`` is the untranslated English template (``{0}``-style placeholders) and ``args`` the values
	for its placeholders, so the caller can translate the template before filling it in.
	"""

	def __init__(self, message: str, *args: object) -> None:
		super().__init__(message, *args)
		self.message = message
		# BaseException.args would hold the template too; callers expect only the placeholder values here.
		self.args = args

	def __str__(self) -> str:
		return self.render()

	def __reduce__(self) -> tuple:
		# Default pickling calls cls(*self.args) and would drop the template (background jobs pickle errors).
		return (self.__class__, (self.message, *self.args))

	def render(self, translate: Callable[[str], str] = _) -> str:
		"""Return the message filled in; pass ``frappe._`` as ``translate`` to get it in the user's language."""
		return translate(self.message).format(*self.args)
