"""A partner's withdrawal taking effect, and the withdrawn partner confirming what it did with what
it holds under the agreement (001 §3.5). Notice is given on the parties' pages (``parties``)."""

import datetime

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from govuk_blocks.dates import long_date

from .. import permissions
from ..models import HoldingsOutcome, Party, PartyStatus, WithdrawalHoldings


def holdings_refusal(party: Party) -> str | None:
    """Why ``party`` cannot confirm its holdings now; ``None`` when it can."""
    if party.status != PartyStatus.WITHDRAWN:
        return (f"{party.organisation} has not withdrawn from this agreement: it confirms what it did with "
                "what it holds once its withdrawal has taken effect.")
    holdings = WithdrawalHoldings.objects.filter(party=party).first()
    if holdings is not None:
        return (f"{party.organisation} confirmed on {long_date(timezone.localdate(holdings.confirmed_at))} that it "
                f"{holdings.get_outcome_display().lower()} what it held.")
    return None


@transaction.atomic
def party_holdings_confirm(*, party: Party, by_user, outcome: str, retained_reason: str = "") -> WithdrawalHoldings:
    """``party``, withdrawn, confirms what it did with the information it received: returned,
    destroyed, or retained with its reason. Once; by its own SPOCs or governance managers."""
    if not permissions.can_confirm_holdings(by_user, party):
        raise PermissionDenied(f"Only {party.organisation}'s SPOC or governance manager may confirm this.")
    party = Party.objects.select_for_update(of=("self",)).select_related("organisation").get(pk=party.pk)
    refusal = holdings_refusal(party)
    if refusal:
        raise ValidationError({NON_FIELD_ERRORS: [refusal]})
    errors = {}
    if outcome not in HoldingsOutcome.values:
        errors["outcome"] = "Select what your organisation did with the information it holds"
    reason = retained_reason.strip()
    if outcome == HoldingsOutcome.RETAINED and not reason:
        errors["retained_reason"] = "Give the reason your organisation retained the information"
    if errors:
        raise ValidationError(errors)
    holdings = WithdrawalHoldings(
        party=party, outcome=outcome, retained_reason=reason if outcome == HoldingsOutcome.RETAINED else "",
        confirmed_by=by_user, confirmed_at=timezone.now(),
    )
    holdings.full_clean()
    try:
        with transaction.atomic():
            holdings.save()
    except IntegrityError:
        raise ValidationError({NON_FIELD_ERRORS: [holdings_refusal(party)]}) from None
    return holdings


@transaction.atomic
def party_withdrawals_complete(*, on: datetime.date) -> list[Party]:
    """Mark withdrawn every party whose withdrawal took effect on or before ``on``.

    The daily scheduler calls this; running it twice on a day changes nothing the second time.
    """
    due = Party.objects.select_for_update().filter(
        status=PartyStatus.WITHDRAWAL_NOTIFIED, withdrawal_effective_on__lte=on,
    )
    completed = []
    for party in due:
        party.status = PartyStatus.WITHDRAWN
        party.full_clean()
        party.save()
        completed.append(party)
    return completed
