"""Acknowledging receipt of an entry: the recipient organisation's SPOC confirms the
information arrived (003 Q21). Append-only like the rest of the log: an acknowledgement is a
row of its own, made once."""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from govuk_blocks.dates import long_date

from ..models.disclosures import Acknowledgement, Decision, Disclosure
from ..models.ledger import LogEventKind
from ..permissions import can_acknowledge
from ..selectors.disclosures import acknowledgement_of
from .disclosures import _refuse_if_voided
from .ledger import log_event_append


@transaction.atomic
def disclosure_acknowledge(*, disclosure: Disclosure, by_user) -> Acknowledgement:
    """The recipient organisation's SPOC confirms the information arrived (003 Q21)."""
    if not can_acknowledge(by_user, disclosure):
        raise PermissionDenied("Only a SPOC of the organisation it was shared with may acknowledge receipt.")
    if disclosure.decision != Decision.SHARED:
        raise ValidationError({NON_FIELD_ERRORS: [
            "This entry records a decision not to share: there is nothing to acknowledge."
        ]})
    _refuse_if_voided(disclosure, "acknowledged")
    existing = acknowledgement_of(disclosure)
    if existing is not None:
        raise ValidationError({NON_FIELD_ERRORS: [_already_acknowledged(existing)]})
    acknowledgement = Acknowledgement(disclosure=disclosure, acknowledged_by=by_user)
    acknowledgement.full_clean(validate_constraints=False, validate_unique=False)
    try:
        with transaction.atomic():
            acknowledgement.save()
    except IntegrityError:
        existing = acknowledgement_of(disclosure)
        if existing is None:
            raise
        raise ValidationError({NON_FIELD_ERRORS: [_already_acknowledged(existing)]}) from None
    log_event_append(kind=LogEventKind.ACKNOWLEDGED, record=acknowledgement)
    return acknowledgement


def _already_acknowledged(acknowledgement: Acknowledgement) -> str:
    who = acknowledgement.acknowledged_by
    name = who.get_full_name() or who.get_username()
    return f"Receipt was acknowledged by {name} on {long_date(timezone.localdate(acknowledgement.acknowledged_at))}."
