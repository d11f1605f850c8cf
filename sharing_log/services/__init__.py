"""Writes for the sharing log: every change to an entry goes through here, one module per journey.
Import from ``sharing_log.services``."""

from .acknowledgements import disclosure_acknowledge
from .amendments import disclosure_amend, disclosure_void
from .closures import case_close, case_closure_change, case_reopen, retention_due
from .disclosures import (
    Problems,
    case_reference_problem,
    disclosure_log,
    reason_problems,
    summary_warning,
)
from .escalations import escalation_problem, escalation_raise, escalation_resolve, free_text_warning
from .legal_basis import lawful_basis_problems
from .onward import (
    onward_disclosure_decide,
    onward_disclosure_request,
    onward_request_problem,
    onward_requested_event_key,
)
from .overrides import override_confirm
from .quality import disclosure_mark_inaccurate, inaccuracy_problem, inaccuracy_warning, recipient_copy_confirm
from .retention import disclosure_destroy, disclosures_destroy_due

__all__ = [
    "Problems",
    "case_close",
    "case_closure_change",
    "case_reference_problem",
    "case_reopen",
    "disclosure_acknowledge",
    "disclosure_amend",
    "disclosure_destroy",
    "disclosure_log",
    "disclosure_mark_inaccurate",
    "disclosure_void",
    "disclosures_destroy_due",
    "escalation_problem",
    "escalation_raise",
    "escalation_resolve",
    "free_text_warning",
    "inaccuracy_problem",
    "inaccuracy_warning",
    "lawful_basis_problems",
    "onward_disclosure_decide",
    "onward_disclosure_request",
    "onward_request_problem",
    "onward_requested_event_key",
    "override_confirm",
    "reason_problems",
    "recipient_copy_confirm",
    "retention_due",
    "summary_warning",
]
