"""Overriding a refusal of consent, or sharing confidential information without consent, names a
designated manager of the disclosing party (002 §4.6–4.7; DOMAIN.md rule 2), who is told and
confirms it in the portal. The entry is never changed: the authorisation is written with it and
the confirmation later, each as a row of its own (``sharing_log.models.overrides``).
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from agreements.models import Agreement
from govuk_blocks.dates import long_date
from partners.models import Contact, Organisation
from partners.services import notification_send

from ..models.disclosures import Disclosure
from ..models.overrides import OverrideAuthorisation, OverrideConfirmation
from ..permissions import can_confirm_override
from ..selectors.overrides import designated_managers_of


def authorised_by_text(contact: Contact | None) -> str:
    """The designated manager as the entry's ``authorised_by`` text (name and job title), which
    old entries hold as typed."""
    if contact is None:
        return ""
    return f"{contact.name}, {contact.job_title}" if contact.job_title else contact.name


def designated_manager_problems(
    problems, *, agreement: Agreement, organisation: Organisation, designated_manager: Contact | None,
    overridden: bool,
) -> None:
    """An override names one of the disclosing party's designated managers for ``agreement``,
    who signs in to the portal to confirm it; a party with none such is told what to do."""
    if not overridden:
        return
    choices = designated_managers_of(agreement=agreement, organisation=organisation)
    if not choices.exists():
        # Said instead of "Choose the designated manager…": there is nobody to choose.
        problems["designated_manager"] = [(
            f"{organisation} has no designated manager for {agreement} who can confirm an override in the "
            "portal. Name one on the agreement's parties page (they need a login), then log this share."
        )]
    elif designated_manager is not None and not choices.filter(pk=designated_manager.pk).exists():
        problems.add("designated_manager", f"Choose one of {organisation}'s designated managers for {agreement}.")


def override_authorisation_request(
    *, disclosure: Disclosure, designated_manager: Contact, by_user,
) -> OverrideAuthorisation:
    """Record that ``disclosure`` names ``designated_manager`` as having authorised its override,
    and ask them to confirm it in the portal (a notification and an e-mail, with no case detail).
    Called by ``disclosure_log`` inside its transaction."""
    authorisation = OverrideAuthorisation.objects.create(
        disclosure=disclosure, designated_manager=designated_manager, requested_by=by_user,
    )
    who = by_user.get_full_name() or by_user.get_username()
    notification_send(
        contacts=[designated_manager],
        subject=f"Confirm you authorised an override for {disclosure.disclosing_organisation}",
        body=(
            f"{who} has logged a disclosure {disclosure.disclosing_organisation} made on "
            f"{long_date(timezone.localdate(disclosure.occurred_at))} under {disclosure.agreement}, and named you "
            "as the designated manager who authorised overriding a refusal of consent or sharing confidential "
            "information without consent.\n\nPlease confirm in the portal that you authorised it. Until you do, "
            "the entry shows it as awaiting your confirmation."
        ),
        url=authorisation.get_absolute_url(), event_key=f"override-{authorisation.pk}-requested",
    )
    return authorisation


@transaction.atomic
def override_confirm(*, authorisation: OverrideAuthorisation, by_user) -> OverrideConfirmation:
    """The designated manager named by ``authorisation`` confirms they authorised the override.
    Once; nobody else may."""
    if not can_confirm_override(by_user, authorisation):
        raise PermissionDenied(f"Only {authorisation.designated_manager.name} may confirm this authorisation.")
    # Locked through its entry: the application's role may lock only the entry's row (0023).
    Disclosure.objects.select_for_update().filter(pk=authorisation.disclosure_id).first()
    existing = OverrideConfirmation.objects.filter(authorisation=authorisation).first()
    if existing is not None:
        raise ValidationError({NON_FIELD_ERRORS: [already_confirmed(existing)]})
    confirmation = OverrideConfirmation(authorisation=authorisation, confirmed_by=by_user, confirmed_at=timezone.now())
    confirmation.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            confirmation.save()
    except IntegrityError:
        raise ValidationError({NON_FIELD_ERRORS: [already_confirmed(authorisation.confirmation)]}) from None
    return confirmation


def already_confirmed(confirmation: OverrideConfirmation) -> str:
    return f"You confirmed this authorisation on {long_date(timezone.localdate(confirmation.confirmed_at))}."
