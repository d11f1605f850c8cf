"""Data-quality correction (001 §5.6; DOMAIN.md rule 9): the originator marks a disclosure
inaccurate, every recipient is told, and each confirms it corrected or destroyed its copy.

The notice is an ``Amendment`` of kind "inaccurate" beside the entry (the log is append-only);
each recipient's answer is a ``RecipientDestructionConfirmation``. The recipients of an entry are
its recipient organisation and every directory organisation it was passed on to with the
originator's consent; other entries of the same case that carry the same inaccurate
information are marked with it, and their recipients told too.
"""

from collections.abc import Sequence

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from govuk_blocks.dates import long_date
from partners.models import Organisation
from partners.services import notice_send

from .. import database, privacy
from ..models.amendments import Amendment, AmendmentKind
from ..models.disclosures import Decision, Disclosure
from ..models.ledger import LogEventKind
from ..models.quality import ConfirmationOutcome, ConfirmationReason, RecipientDestructionConfirmation
from ..permissions import can_confirm, can_mark_inaccurate
from ..selectors.onward import onward_recipients
from ..selectors.quality import entries_of_the_same_case, inaccuracy_of
from ..selectors.retention import is_destroyed
from .disclosures import Problems, _refuse_if_voided
from .ledger import log_event_append
from .onward import spoc_contacts


def inaccuracy_warning(text: str) -> str | None:
    """What to tell the originator when the description of what is wrong appears to hold identifiers."""
    kinds = privacy.identifier_kinds(text)
    if not kinds:
        return None
    return (
        f"What you have written may identify someone: it looks like it holds {privacy.describe(kinds)}. "
        "Say what is wrong without identifying anyone, or tick the box to confirm it holds nothing identifying."
    )


def inaccuracy_problem(disclosure: Disclosure) -> str | None:
    """Why ``disclosure`` may not be marked inaccurate (voiding aside), or ``None``."""
    if disclosure.decision != Decision.SHARED:
        return ("This entry records a decision not to share: no partner received information from it. "
                "Correct the entry instead.")
    if is_destroyed(disclosure):
        return "This entry's personal details were destroyed under the retention rule: it cannot be marked inaccurate."
    notice = inaccuracy_of(disclosure)
    if notice is not None:
        return _already_marked(notice)
    return None


def _already_marked(notice: Amendment) -> str:
    who = notice.made_by
    return (f"This entry was marked inaccurate on {long_date(timezone.localdate(notice.made_at))} "
            f"by {who.get_full_name() or who.get_username()}.")


@transaction.atomic
def disclosure_mark_inaccurate(
    *,
    disclosure: Disclosure,
    by_user,
    what_is_wrong: str,
    also_entries: Sequence[Disclosure] = (),
    text_checked: bool = False,
) -> Amendment:
    """Mark ``disclosure`` — and ``also_entries``, other entries of the same case carrying the
    same inaccurate information — inaccurate, saying what is wrong. Every recipient of each is
    asked to correct or destroy its copy, and its SPOCs are told. ``text_checked`` confirms that
    a description which looks as if it holds identifiers holds none."""
    if not can_mark_inaccurate(by_user, disclosure):
        raise PermissionDenied("Only the person who logged the entry, or a SPOC or governance manager of the "
                               "organisation that made it, may mark it inaccurate.")
    Disclosure.objects.select_for_update().filter(pk=disclosure.pk).first()
    _refuse_if_voided(disclosure, "marked inaccurate")
    problem = inaccuracy_problem(disclosure)
    if problem:
        raise ValidationError({NON_FIELD_ERRORS: [problem]})

    problems = Problems()
    what_is_wrong = what_is_wrong.strip()
    if not what_is_wrong:
        problems.add("what_is_wrong", "Say what is wrong with the information that was shared.")
    elif not text_checked and inaccuracy_warning(what_is_wrong):
        problems.add("text_checked", inaccuracy_warning(what_is_wrong))
    same_case = {entry.pk: entry for entry in entries_of_the_same_case(disclosure)}
    also = list({entry.pk: entry for entry in also_entries}.values())
    if any(entry.pk not in same_case for entry in also):
        problems.add("also_entries", "Choose only other entries your organisation shared under the same case "
                                     "reference that have not been voided or marked inaccurate already.")
    problems.raise_if_any()

    notice = _notice(disclosure, by_user, what_is_wrong, {"also_entries": [entry.pk for entry in also]})
    _ask_recipients(disclosure)
    for entry in also:
        Disclosure.objects.select_for_update().filter(pk=entry.pk).first()
        _notice(entry, by_user, what_is_wrong, {"same_as_entry": disclosure.pk})
        _ask_recipients(entry)
    return notice


def _notice(disclosure: Disclosure, by_user, what_is_wrong: str, changes: dict) -> Amendment:
    notice = Amendment(disclosure=disclosure, kind=AmendmentKind.INACCURATE, reason=what_is_wrong,
                       changes=changes, made_by=by_user)
    notice.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            notice.save()
    except IntegrityError:
        # Marked by someone else a moment ago.
        existing = inaccuracy_of(disclosure)
        if existing is None:
            raise
        raise ValidationError({NON_FIELD_ERRORS: [_already_marked(existing)]}) from None
    log_event_append(kind=LogEventKind.AMENDED, record=notice)
    return notice


def _ask_recipients(disclosure: Disclosure) -> None:
    """Ask each recipient of ``disclosure`` to confirm, and tell its SPOCs. The message carries
    no case detail: what is wrong is read in the portal."""
    recipients = {disclosure.recipient_organisation_id: disclosure.recipient_organisation}
    recipients.update({organisation.pk: organisation for organisation in onward_recipients(disclosure)})
    recipients.pop(disclosure.disclosing_organisation_id, None)
    for organisation in sorted(recipients.values(), key=lambda organisation: organisation.name):
        confirmation = RecipientDestructionConfirmation.objects.create(disclosure=disclosure, organisation=organisation)
        log_event_append(kind=LogEventKind.COPY_REQUESTED, record=confirmation)
        _tell(confirmation, organisation)


def _tell(confirmation: RecipientDestructionConfirmation, organisation: Organisation) -> None:
    disclosure = confirmation.disclosure
    notice_send(
        recipients=[(organisation, list(spoc_contacts(organisation)))],
        responsible_organisation=disclosure.disclosing_organisation,
        shown_at=reverse("sharing_log:detail", args=[disclosure.pk]),
        subject=f"{disclosure.disclosing_organisation} says information it shared was inaccurate",
        body=(
            f"{disclosure.disclosing_organisation} has marked information it shared on "
            f"{long_date(timezone.localdate(disclosure.occurred_at))} as inaccurate. {organisation} holds a copy.\n\n"
            "Please read what is wrong in the portal, correct or destroy your copy, and confirm which you did."
        ),
        url=reverse("sharing_log:copy_confirm", kwargs={"pk": confirmation.pk}),
        event_key=f"inaccuracy-confirmation-{confirmation.pk}",
    )


@transaction.atomic
def recipient_copy_confirm(
    *, confirmation: RecipientDestructionConfirmation, by_user, outcome: str,
) -> RecipientDestructionConfirmation:
    """A SPOC of the recipient organisation confirms it corrected or destroyed its copy; once."""
    if not can_confirm(by_user, confirmation):
        raise PermissionDenied(f"Only a SPOC of {confirmation.organisation} may confirm what it did with its copy.")
    # Locked through its entry: the application's role may not lock the confirmation's own row (0023).
    Disclosure.objects.select_for_update().filter(pk=confirmation.disclosure_id).first()
    confirmation = RecipientDestructionConfirmation.objects.select_related(
        "organisation", "confirmed_by",
    ).get(pk=confirmation.pk)
    if confirmation.outcome != ConfirmationOutcome.PENDING:
        raise ValidationError({NON_FIELD_ERRORS: [already_confirmed(confirmation)]})
    if confirmation.reason == ConfirmationReason.RETENTION:
        # The record was destroyed under the retention rule: so must every copy be.
        if outcome != ConfirmationOutcome.DESTROYED:
            raise ValidationError({"outcome": ["Confirm that your organisation destroyed its copy."]})
    elif outcome not in (ConfirmationOutcome.CORRECTED, ConfirmationOutcome.DESTROYED):
        raise ValidationError({"outcome": ["Select whether your organisation corrected or destroyed its copy."]})
    confirmation.outcome = outcome
    confirmation.confirmed_by = by_user
    confirmation.confirmed_at = timezone.now()
    confirmation.full_clean(validate_constraints=False)
    database.decide(confirmation, ["outcome", "confirmed_by", "confirmed_at"])
    log_event_append(kind=LogEventKind.COPY_CONFIRMED, record=confirmation)
    return confirmation


def already_confirmed(confirmation: RecipientDestructionConfirmation) -> str:
    who = confirmation.confirmed_by
    return (f"{confirmation.organisation} already confirmed its copy "
            f"{confirmation.get_outcome_display().lower()}: {who.get_full_name() or who.get_username()}, "
            f"{long_date(timezone.localdate(confirmation.confirmed_at))}.")
