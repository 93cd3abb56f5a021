"""The Assistance Request's workflow states that other modules decide on (hooks.py has the workflow).

A module of their own so that the request's controller and the disbursement balance, which each
need the other's rules, both import the states from here instead of from each other.
"""

# The committee's decisions: the states a request leaves Pending Committee for.
DECISION_STATES = ("Approved", "Partly Approved", "Rejected")
# The request states a disbursement is made from.
DISBURSABLE_STATES = ("Approved", "Partly Approved")
# The state of a request whose approval is fully disbursed.
DISBURSED_STATE = "Disbursed"
