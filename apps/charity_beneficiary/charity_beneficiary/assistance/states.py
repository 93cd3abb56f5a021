"""The Assistance Request's workflow states that other modules decide on (hooks.py has the workflow).

A module of their own, importing nothing of the app, so that every module that groups the states
(the request's controller, the committee meeting, the disbursement balance, the portal, the reports)
imports them from here instead of writing the tuples again, and none imports another for them.
"""

VERIFICATION_STATE = "Pending Verification"
RESEARCH_STATE = "Under Research"
COMMITTEE_STATE = "Pending Committee"
RETURNED_STATE = "Returned"
REJECTED_STATE = "Rejected"
# The state of a request whose approval is fully disbursed.
DISBURSED_STATE = "Disbursed"
CANCELLED_STATE = "Cancelled"

# Submitted requests that still wait for the committee's answer (the beneficiary waits too).
PENDING_STATES = (VERIFICATION_STATE, RESEARCH_STATE, COMMITTEE_STATE, RETURNED_STATE)
# The committee's approvals, in full or in part: the request states a disbursement is made from.
APPROVAL_STATES = ("Approved", "Partly Approved")
DISBURSABLE_STATES = APPROVAL_STATES
# The committee's decisions: the states a request leaves Pending Committee for.
DECISION_STATES = (*APPROVAL_STATES, REJECTED_STATE)
# The answers that carry the committee's (or the officer's) reason, shown to the applicant.
REASONED_STATES = (REJECTED_STATE, RETURNED_STATE)
# States in which the answer date is no longer awaited.
DECIDED_STATES = (*APPROVAL_STATES, DISBURSED_STATE, REJECTED_STATE, CANCELLED_STATE)
# Requests that count towards a service's yearly limits: submitted and not refused or withdrawn.
COUNTED_STATES = (*PENDING_STATES, *APPROVAL_STATES, DISBURSED_STATE)
