"""Agreements, the parties to them, their signatures, legal gateways, reviews and breaches.

One module per feature, with the same name as its selectors, services, views, forms and urls;
every model is imported here, so Django finds them and ``from agreements.models import Breach``
works as it always has.
"""

from .breaches import (
    AFFECTED_DATED,
    AffectedPeopleDecision,
    Breach,
    BreachKind,
    BreachNotification,
)
from .consultation import ConsultationComment
from .documents import (
    PreparedPdf,
    SignedCopy,
)
from .dpias import (
    Dpia,
    DpiaOutcome,
    ScreeningCriterion,
)
from .dpo_reviews import DpoReview, DpoReviewOutcome
from .drafting import (
    NO_RETENTION_RULE,
    Agreement,
    AgreementGroupObjectPermission,
    AgreementQuerySet,
    AgreementUserObjectPermission,
    DataLevel,
    DocumentLanguage,
    Jurisdiction,
    Kind,
    ProtectiveMarking,
    Purpose,
    RetentionBasis,
    Section,
    Status,
    TransferMethod,
)
from .gateways import (
    GatewayCategory,
    GatewayProposal,
    GatewayStatus,
    LegalGateway,
    ProposalStatus,
)
from .holdings import HoldingsOutcome, WithdrawalHoldings
from .kinds import Article28Term, KindTerms, SubProcessor
from .parties import (
    NOT_TAKING_PART,
    ContactRole,
    DataItem,
    Party,
    PartyContact,
    PartyGroupObjectPermission,
    PartyQuerySet,
    PartyStatus,
    PartyUserObjectPermission,
)
from .qa_reviews import QaCheckpoint, QaFinding, QaOutcome, QaResult, QaReview, QaSource
from .requests import (
    RIGHTS_KINDS,
    InformationRequest,
    RequestKind,
)
from .reviews import (
    Review,
    ReviewAction,
    ReviewOutcome,
    ReviewTrigger,
)
from .signing import (
    Signature,
    SignatureMethod,
    SignatureReminder,
)
from .versions import (
    AgreementVersion,
)

__all__ = [
    "Article28Term",
    "KindTerms",
    "SubProcessor",
    "DpoReview",
    "DpoReviewOutcome",
    "QaCheckpoint",
    "QaFinding",
    "QaOutcome",
    "QaResult",
    "QaReview",
    "QaSource",
    "ConsultationComment",
    "HoldingsOutcome",
    "WithdrawalHoldings",
    "Dpia",
    "DpiaOutcome",
    "ScreeningCriterion",
    "GatewayCategory",
    "GatewayProposal",
    "GatewayStatus",
    "LegalGateway",
    "ProposalStatus",
    "Kind",
    "Status",
    "DocumentLanguage",
    "ProtectiveMarking",
    "TransferMethod",
    "DataLevel",
    "Jurisdiction",
    "AgreementQuerySet",
    "Agreement",
    "AgreementUserObjectPermission",
    "AgreementGroupObjectPermission",
    "Purpose",
    "RetentionBasis",
    "NO_RETENTION_RULE",
    "Section",
    "PartyStatus",
    "NOT_TAKING_PART",
    "PartyQuerySet",
    "Party",
    "PartyUserObjectPermission",
    "PartyGroupObjectPermission",
    "ContactRole",
    "PartyContact",
    "DataItem",
    "AgreementVersion",
    "SignatureMethod",
    "SignatureReminder",
    "Signature",
    "SignedCopy",
    "PreparedPdf",
    "ReviewTrigger",
    "ReviewOutcome",
    "Review",
    "ReviewAction",
    "BreachKind",
    "AffectedPeopleDecision",
    "AFFECTED_DATED",
    "Breach",
    "BreachNotification",
    "RequestKind",
    "RIGHTS_KINDS",
    "InformationRequest",
]
