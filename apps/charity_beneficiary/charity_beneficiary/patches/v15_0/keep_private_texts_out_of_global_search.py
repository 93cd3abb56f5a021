"""frappe's global search shows the texts of ToDo, Note, Event, Contact and Address (beneficiaries'
names in assignments and review reminders, portal accounts' contacts) to whoever reads the DocType,
past the per-record rules of their lists (setup/install.py): out of Global Search Settings, and their
rows out of __global_search. Safe to run again."""

from charity_beneficiary.setup.install import keep_private_texts_out_of_global_search


def execute():
	keep_private_texts_out_of_global_search(clear_index=True)
