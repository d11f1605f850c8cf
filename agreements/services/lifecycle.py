"""The life of an agreement, and the rules for every move in it.

    draft → consultation → awaiting signatures → in force ⇄ under review → superseded / ended

Every change of ``Agreement.status`` goes through ``agreement_move``; the rules for each move
live here and nowhere else. A refused move raises ``MoveRefused`` with every reason, worded to
be shown to the user as it is ("Cannot come into force: the owner has not signed version 1.0").
``agreement_status_move`` makes a move and tells the parties what it means for them.
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from govuk_blocks.dates import long_date
from partners.models import Contact, Role
from partners.services import notification_send

from ..models import NOT_TAKING_PART, Agreement, ContactRole, Party, PartyStatus, Status
from ..selectors.dpias import dpia_problems
from ..selectors.kinds import kind_problems
from ..selectors.parties import party_spocs
from ..selectors.qa_reviews import qa_problems
from ..selectors.versions import latest_version, next_version_label
from .legal_basis import legal_basis_problems
from .versions import agreement_version_create, version_reviews_ask

ALLOWED_MOVES: dict[str, tuple[str, ...]] = {
    Status.DRAFT: (Status.CONSULTATION, Status.AWAITING_SIGNATURES, Status.ENDED),
    Status.CONSULTATION: (Status.DRAFT, Status.AWAITING_SIGNATURES, Status.ENDED),
    Status.AWAITING_SIGNATURES: (Status.IN_FORCE, Status.CONSULTATION, Status.ENDED),
    Status.IN_FORCE: (Status.UNDER_REVIEW, Status.SUPERSEDED, Status.ENDED),
    Status.UNDER_REVIEW: (Status.IN_FORCE, Status.AWAITING_SIGNATURES, Status.SUPERSEDED, Status.ENDED),
    Status.SUPERSEDED: (),
    Status.ENDED: (),
}
# What the move is called in a refusal: "Cannot <verb>: …"
VERBS = {
    Status.DRAFT: "return to draft",
    Status.CONSULTATION: "go to consultation",
    Status.AWAITING_SIGNATURES: "go for signature",
    Status.IN_FORCE: "come into force",
    Status.UNDER_REVIEW: "go under review",
    Status.SUPERSEDED: "be marked superseded",
    Status.ENDED: "end",
}

# What an agreement in the status is, in a sentence: "… is now out for consultation", "an
# agreement that is in draft cannot …" (the statuses' labels are names, not states: "is now
# consultation" read wrongly).
STATES = {
    Status.DRAFT: "in draft",
    Status.CONSULTATION: "out for consultation",
    Status.AWAITING_SIGNATURES: "awaiting signatures",
    Status.IN_FORCE: "in force",
    Status.UNDER_REVIEW: "under review",
    Status.SUPERSEDED: "superseded",
    Status.ENDED: "ended",
}


class MoveRefused(Exception):
    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__("; ".join(problems))


def readiness_problems(agreement: Agreement) -> list[str]:
    """What the draft still lacks before partners can be asked to sign it."""
    problems = []
    if not agreement.purposes.exists():
        problems.append("add at least one purpose")
    if not agreement.sections.exists():
        problems.append("add the agreement's sections")
    if not agreement.gateways.exists():
        problems.append("choose the legal gateways it relies on")
    if not agreement.parties.exclude(organisation=agreement.owner).exists():
        problems.append("invite at least one partner")
    # What the agreement's kind needs (decision 0065): an Article 26 essence, the Article 28(3) terms…
    problems.extend(kind_problems(agreement))
    return problems


def signature_problems(agreement: Agreement) -> list[str]:
    version = latest_version(agreement)
    if version is None:
        return ["there is no version to sign"]
    signed = set(version.signatures.values_list("party__organisation_id", flat=True))
    problems = []
    if agreement.owner_id not in signed:
        problems.append(f"the owner has not signed version {version.label}")
    if not signed - {agreement.owner_id}:
        problems.append(f"no partner has signed version {version.label}")
    return problems


# Why an agreement without a retention rule may not come into force (DOMAIN.md rule 8; issue 13
# item 7): its entries would never be destroyed.
NO_RETENTION_RULE_PROBLEM = (
    "it has no retention rule (how long shared records are kept: a number of months after the case "
    "is closed, or a fixed period from the disclosure)"
)


def retention_problems(agreement: Agreement) -> list[str]:
    """An agreement comes into force only with a retention rule, so that every entry logged
    under it gets a date on which it is destroyed."""
    return [] if agreement.retention_basis else [NO_RETENTION_RULE_PROBLEM]


def move_problems(agreement: Agreement, to: str) -> list[str]:
    """Why ``agreement`` may not move to ``to`` now; empty when it may."""
    if to not in ALLOWED_MOVES[agreement.status]:
        return [
            f"An agreement that is {STATES[agreement.status]} cannot "
            f"{VERBS[to]}."
        ]
    reasons = []
    if to in (Status.CONSULTATION, Status.AWAITING_SIGNATURES):
        reasons = readiness_problems(agreement)
    elif to == Status.IN_FORCE and agreement.status == Status.AWAITING_SIGNATURES:
        reasons = signature_problems(agreement)
    if to == Status.IN_FORCE:
        # Every move into force, back from review included (and the record that an existing
        # agreement is already in force, which comes through here): the DPIA, the retention
        # rule, the legal basis and the QA review (decision 0064) are checked each time, not only on
        # first signature.
        reasons = [
            *reasons, *dpia_problems(agreement), *retention_problems(agreement), *legal_basis_problems(agreement),
            *qa_problems(agreement),
        ]
    return [f"Cannot {VERBS[to]}: {reason}." for reason in reasons]


@transaction.atomic
def agreement_move(
    *, agreement: Agreement, to: str, by_user, on: datetime.date | None = None,
    change_summary: str = "", label: str = "", issued_on: datetime.date | None = None,
) -> Agreement:
    """Move ``agreement`` to status ``to``, or raise ``MoveRefused`` saying why not.

    Going for signature freezes the current text as a new version. Coming into force for the
    first time sets the effective date and the first review; ending sets the end date.
    """
    on = on or timezone.localdate()
    problems = move_problems(agreement, to)
    if problems:
        raise MoveRefused(problems)
    if to == Status.AWAITING_SIGNATURES:
        agreement_version_create(
            agreement=agreement, label=label or next_version_label(agreement), by_user=by_user,
            change_summary=change_summary or "Sent for signature.", issued_on=issued_on,
        )
    if to == Status.IN_FORCE and agreement.effective_date is None:
        agreement.effective_date = on
        if agreement.review_policy_set:
            agreement.next_review_due = on + relativedelta(months=agreement.review_first_after_months)
    if to in (Status.ENDED, Status.SUPERSEDED):
        agreement.ended_on = max(on, agreement.effective_date) if agreement.effective_date else on
    agreement.status = to
    agreement.full_clean()
    agreement.save()
    return agreement


# Telling the parties -----------------------------------------------------------------------


# Parties that will not sign: nobody there is asked to.
NOT_SIGNING = (PartyStatus.DECLINED, PartyStatus.WITHDRAWAL_NOTIFIED, PartyStatus.WITHDRAWN)


def _lead_signatories(party: Party) -> list[Contact]:
    """The lead signatory the party has named or, until it names one, the people who hold the
    lead signatory role at its organisation in the portal."""
    named = list(Contact.objects.filter(
        party_roles__party=party, party_roles__role=ContactRole.LEAD_SIGNATORY,
    ))
    return named or list(Contact.objects.filter(
        organisation=party.organisation, user__memberships__organisation=party.organisation,
        user__memberships__role=Role.LEAD_SIGNATORY,
    ).distinct())


def _tell_parties_to_sign(agreement: Agreement) -> None:
    version = latest_version(agreement)
    url = agreement.get_absolute_url()
    key = f"agreement-{agreement.pk}-version-{version.number}-to-sign"
    subject = f"Version {version.label} of {agreement.title} is ready to sign"
    for party in agreement.parties.exclude(status__in=NOT_SIGNING).select_related("organisation"):
        organisation = party.organisation
        opening = (
            f"{agreement.owner} has sent version {version.label} of “{agreement.title}” to its "
            f"parties for signature. {organisation} is one of them."
        )
        notification_send(
            contacts=_lead_signatories(party), subject=subject, url=url, event_key=key, in_digest=True,
            body=(
                f"{opening}\n\nAs {organisation}'s lead signatory, please read version "
                f"{version.label} in ISA Portal and sign it for {organisation} as soon as you "
                "can. The agreement cannot come into force until its owner and at least one "
                "partner have signed, and your organisation cannot share under it until it "
                "has signed."
            ),
        )
        notification_send(
            contacts=party_spocs([party]), subject=subject, url=url, event_key=key, in_digest=True,
            body=(
                f"{opening}\n\nAs a single point of contact for {organisation}, please make "
                f"sure your lead signatory reads and signs version {version.label} in ISA "
                "Portal as soon as they can. You cannot share information under this agreement "
                "until your organisation has signed it."
            ),
        )


def _tell_parties_in_force(agreement: Agreement) -> None:
    parties = agreement.parties.exclude(status__in=NOT_TAKING_PART)
    review = (
        f" Its next review is due by {long_date(agreement.next_review_due)}."
        if agreement.next_review_due else ""
    )
    notification_send(
        contacts=party_spocs(parties),
        subject=f"{agreement.title} is in force",
        url=agreement.get_absolute_url(),
        event_key=f"agreement-{agreement.pk}-in-force-{timezone.localdate().isoformat()}", in_digest=True,
        body=(
            f"“{agreement.title}” (version {agreement.version}), owned by {agreement.owner}, has "
            f"been in force since {long_date(agreement.effective_date)}.{review}\n\n"
            "Partners who have signed it may now share information under it. Log each "
            "disclosure, and each decision not to share, in ISA Portal on the day you make it. "
            "A partner that has not signed yet may not share or receive information under this "
            "agreement until it has."
        ),
    )


def _tell_parties_consulted(agreement: Agreement) -> None:
    parties = agreement.parties.exclude(status__in=NOT_TAKING_PART).exclude(organisation=agreement.owner)
    notification_send(
        contacts=party_spocs(parties),
        subject=f"Comment on the draft of {agreement.title}",
        url=reverse("agreements:consultation", args=[agreement.pk]),
        event_key=f"agreement-{agreement.pk}-consultation-{timezone.localdate().isoformat()}", in_digest=True,
        body=(
            f"{agreement.owner} has sent the draft of “{agreement.title}” (version {agreement.version}) "
            "out for consultation, before it goes for signature. Read the draft, and comment on it for "
            f"your organisation on its consultation page, where {agreement.owner} answers each one."
        ),
    )


@transaction.atomic
def agreement_status_move(*, agreement: Agreement, to: str, by_user) -> Agreement:
    """Move the agreement on (``agreement_move``, by the rules above) and tell the parties.

    Going to consultation tells each other party's SPOCs to read the draft and comment on it.
    Going for signature tells each party's lead signatory and SPOCs there is a version to sign, and
    asks for the DPO and QA reviews the new version needs;
    coming into force tells every party's SPOCs. Raises ``MoveRefused`` with every
    reason when the move is refused; nothing is saved and nobody is told.
    """
    agreement = agreement_move(agreement=agreement, to=to, by_user=by_user)
    if to == Status.CONSULTATION:
        _tell_parties_consulted(agreement)
    elif to == Status.AWAITING_SIGNATURES:
        _tell_parties_to_sign(agreement)
        version_reviews_ask(agreement)
    elif to == Status.IN_FORCE:
        _tell_parties_in_force(agreement)
    return agreement
