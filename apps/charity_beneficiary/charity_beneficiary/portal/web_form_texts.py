"""The texts of a web form page that frappe does not send translated (R8.1).

frappe's web form page carries only the translations of its own short list of texts and of the form's
labels, set after the form's get_context has run. Its grid's "Add Row", the buttons of its success page
and the columns of child tables therefore stayed English on an Arabic page. A form's get_context puts
them in `web_form_doc.script_messages`; its script adds them to frappe's before the form is drawn.
"""

from frappe import _

# frappe's own texts on the page ("text:context" is how frappe keys a text with a context)
FRAPPE_TEXTS = (
	"Add Row",
	"No.:Title of the 'row number' column",
	"Edit your response:Button in web form",
	"View your response:Button in web form",
	# what frappe says when a required field is empty as he sends the form
	"Missing Values Required",
	"Following fields have missing values:",
)


def script_messages(texts) -> dict[str, str]:
	"""{text: its translation} of frappe's texts and `texts` (empty ones left out)."""
	return {text: _(text) for text in (*FRAPPE_TEXTS, *texts) if text}
