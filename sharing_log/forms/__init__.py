"""Forms of the sharing log, one module per journey. They check input is well formed; the rules
are the services'. Import from ``sharing_log.forms``."""

from .amendments import AmendmentForm, VoidForm
from .can_i_share import question_form
from .closures import CaseChangeForm, CaseCloseForm, CaseReopenForm
from .disclosures import DisclosureForm
from .escalations import EscalationForm, EscalationResolveForm
from .lists import LogFilterForm
from .onward import OnwardDecisionForm, OnwardRequestForm
from .quality import ConfirmCopyForm, InaccurateForm
from .retention import ConfirmDestroyedForm

__all__ = [
    "CaseChangeForm",
    "CaseCloseForm",
    "CaseReopenForm",
    "EscalationForm",
    "EscalationResolveForm",
    "ConfirmCopyForm",
    "ConfirmDestroyedForm",
    "AmendmentForm",
    "DisclosureForm",
    "InaccurateForm",
    "LogFilterForm",
    "OnwardDecisionForm",
    "OnwardRequestForm",
    "VoidForm",
    "question_form",
]
