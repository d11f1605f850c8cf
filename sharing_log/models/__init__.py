"""The sharing log's models, one module per feature. Other apps import them from
``sharing_log.models``; modules of this app, from the feature module.

``disclosures`` holds the entry itself and its acknowledgement; every other record points at an
entry: ``amendments`` (correction, voiding, notice of inaccuracy), ``onward``, ``escalations``,
``closures``, ``overrides`` (a designated manager's authorisation and its confirmation),
``retention`` (destruction) and ``quality`` (each recipient's confirmation about its copy).
"""

from .amendments import Amendment, AmendmentKind
from .closures import CaseClosure
from .disclosures import (
    Acknowledgement,
    AppendOnlyError,
    CanIShareOutcome,
    ConsentStatus,
    DataCategory,
    Decision,
    Disclosure,
    DisclosureQuerySet,
    FactOrOpinion,
    SpecialCategory,
    SubjectInformed,
    SubjectType,
)
from .escalations import Escalation, EscalationOutcome, EscalationStatus
from .ledger import GuardedWrite, LogCheckpoint, LogEvent, LogEventKind
from .onward import OnwardDecision, OnwardDisclosureRequest
from .overrides import OverrideAuthorisation, OverrideConfirmation
from .quality import ConfirmationOutcome, ConfirmationReason, RecipientDestructionConfirmation
from .retention import Destruction

__all__ = [
    "Acknowledgement",
    "Amendment",
    "AmendmentKind",
    "AppendOnlyError",
    "CanIShareOutcome",
    "CaseClosure",
    "ConfirmationOutcome",
    "ConfirmationReason",
    "ConsentStatus",
    "DataCategory",
    "Decision",
    "Destruction",
    "Disclosure",
    "DisclosureQuerySet",
    "Escalation",
    "EscalationOutcome",
    "EscalationStatus",
    "FactOrOpinion",
    "GuardedWrite",
    "LogCheckpoint",
    "LogEvent",
    "LogEventKind",
    "OnwardDecision",
    "OnwardDisclosureRequest",
    "OverrideAuthorisation",
    "OverrideConfirmation",
    "RecipientDestructionConfirmation",
    "SpecialCategory",
    "SubjectInformed",
    "SubjectType",
]
