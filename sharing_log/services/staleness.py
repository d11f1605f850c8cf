"""What a stale agreement means for logging (issue 13, item 8; the rules are read in
``agreements.selectors.staleness``): sharing under an agreement whose review is overdue is warned
of, then refused after the agreement's grace period; a recipient that has not signed a changed
version in its grace period may not be shared with.

Both rules stop shares only (``Decision.SHARED``): a decision not to share, or the refusal of a
request, must always be recordable (DOMAIN.md rule 2), stale agreement or not."""

import datetime

from agreements.models import Agreement, Party
from agreements.selectors.staleness import ReviewOverdue, resigning_overdue, review_overdue
from govuk_blocks.dates import long_date
from partners.models import Organisation

from ..models.disclosures import Decision


def review_overdue_refusal(overdue: ReviewOverdue) -> str:
    return (
        f"The review of {overdue.agreement} has been overdue since {long_date(overdue.due_on)}, longer than "
        f"the {overdue.agreement.review_overdue_grace_days} days the agreement allows: nothing more may be "
        "shared under it until its review is completed. Ask its governance manager to complete the review. "
        "A decision not to share may still be logged."
    )


def review_overdue_warning(agreement: Agreement, *, on: datetime.date) -> str | None:
    """The warning for logging under ``agreement`` on ``on`` while its review is overdue but
    within its grace period; ``None`` otherwise."""
    overdue = review_overdue(agreement, on=on)
    if overdue is None or overdue.refused:
        return None
    return (
        f"The review of {agreement} has been overdue since {long_date(overdue.due_on)}. Sharing under it "
        f"will be refused after {long_date(overdue.grace_ends_on)} unless the review is completed."
    )


# ``party`` not given: the recipient's party is read here.
UNREAD = object()


def _recipient_party(agreement: Agreement, recipient_organisation: Organisation, party) -> Party | None:
    if party is UNREAD:
        return Party.objects.filter(agreement=agreement, organisation=recipient_organisation).first()
    return party


def stale_problems(problems, *, agreement: Agreement, recipient_organisation: Organisation,
                   day: datetime.date, decision: str, party=UNREAD) -> None:
    """Add to ``problems`` (``disclosures.Problems``) the refusals for a share under a stale
    agreement on ``day``; none for a decision not to share or a refused request. ``party``: the
    recipient's party to ``agreement`` (``None`` when it is none) if already read, best with its
    signature status (``agreements.selectors.signing.parties_with_signature_status``)."""
    if decision != Decision.SHARED:
        return
    overdue = review_overdue(agreement, on=day)
    if overdue is not None and overdue.refused and "agreement" not in problems:
        problems.add("agreement", review_overdue_refusal(overdue))
    if "recipient_organisation" in problems:
        return
    party = _recipient_party(agreement, recipient_organisation, party)
    lapse = resigning_overdue(party, on=day) if party is not None else None
    if lapse is not None and lapse.lapsed:
        problems.add(
            "recipient_organisation",
            f"{recipient_organisation} has not signed version {lapse.version_label} of {agreement}, a "
            f"substantive change made on {long_date(lapse.made_on)}, and the {agreement.resigning_grace_days} "
            f"days it had to sign it ended on {long_date(lapse.grace_ends_on)}: nothing new may be shared "
            "with it under this agreement until it signs. Choose a partner that has signed.",
        )


def stale_notices(agreements, *, on: datetime.date) -> list[str]:
    """For the logging page: each of ``agreements`` whose review is overdue on ``on``, with the
    warning while it is in its grace period and the refusal after it."""
    notices = []
    for agreement in agreements:
        overdue = review_overdue(agreement, on=on)
        if overdue is not None and overdue.refused:
            notices.append(review_overdue_refusal(overdue))
        elif overdue is not None:
            notices.append(review_overdue_warning(agreement, on=on))
    return notices


def resigning_warning(agreement: Agreement, *, recipient_organisation: Organisation, on: datetime.date,
                      party=UNREAD) -> str | None:
    """The warning after logging a share to a party that has still to sign the latest version,
    within its grace period; ``None`` otherwise. ``party`` as for ``stale_problems``."""
    party = _recipient_party(agreement, recipient_organisation, party)
    lapse = resigning_overdue(party, on=on) if party is not None else None
    if lapse is None or lapse.lapsed:
        return None
    return (
        f"{recipient_organisation} has not yet signed version {lapse.version_label} of {agreement}. Nothing new "
        f"may be shared with it under this agreement after {long_date(lapse.grace_ends_on)} unless it signs."
    )


def logged_warnings(*, agreement: Agreement, recipient_organisation: Organisation, on: datetime.date,
                    decision: str = Decision.SHARED, recipient_party=UNREAD) -> list[str]:
    """What the person who has just logged an entry for ``on`` is warned of: a decision not to
    share hears of an overdue review, but not of a recipient still to sign (it received nothing).
    ``recipient_party`` as ``disclosure_log`` read it (``Disclosure.recipient_party``), if given."""
    warnings = (
        review_overdue_warning(agreement, on=on),
        resigning_warning(agreement, recipient_organisation=recipient_organisation, on=on, party=recipient_party)
        if decision == Decision.SHARED else None,
    )
    return [warning for warning in warnings if warning]
