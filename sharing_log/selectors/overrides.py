"""Reads of overrides' authorisations: whom an entry may name, and what waits for confirmation."""

from django.db.models import QuerySet

from agreements.models import Agreement, ContactRole
from govuk_blocks.dates import date_time
from partners.models import Contact, Organisation

from ..models.overrides import OverrideAuthorisation


def designated_managers_of(*, agreement: Agreement, organisation: Organisation) -> QuerySet[Contact]:
    """The designated managers ``organisation`` names for ``agreement`` who can confirm an
    override: those with an active login."""
    return Contact.objects.filter(
        organisation=organisation, party_roles__role=ContactRole.DESIGNATED_MANAGER,
        party_roles__party__agreement=agreement, party_roles__party__organisation=organisation,
        user__isnull=False, user__is_active=True,
    ).distinct().order_by("name")


def override_authorisation_of(disclosure) -> OverrideAuthorisation | None:
    return (
        OverrideAuthorisation.objects.filter(disclosure=disclosure)
        .select_related("designated_manager", "confirmation__confirmed_by").first()
    )


def overrides_to_confirm(user) -> QuerySet[OverrideAuthorisation]:
    """The authorisations that name ``user`` and wait for their confirmation."""
    if not user.is_authenticated:
        return OverrideAuthorisation.objects.none()
    return OverrideAuthorisation.objects.filter(
        designated_manager__user=user, confirmation__isnull=True,
    ).select_related("disclosure__disclosing_organisation", "disclosure__agreement")


def override_authorisation_for(user, pk: int) -> OverrideAuthorisation | None:
    """The authorisation ``pk`` when it names ``user``; ``None`` otherwise (the page is 404)."""
    if not user.is_authenticated:
        return None
    return OverrideAuthorisation.objects.filter(pk=pk, designated_manager__user=user).select_related(
        "disclosure__disclosing_organisation", "disclosure__recipient_organisation", "disclosure__agreement",
        "designated_manager",
    ).first()


def authorised_by_display(disclosure) -> str:
    """Who authorised the entry's override, and whether they have confirmed it: "<name, job
    title>: confirmed by <name> on <date> at <time>", or "…: awaiting confirmation by <name>".
    An entry logged before designated managers were chosen shows its free text as typed."""
    authorisation = override_authorisation_of(disclosure)
    if authorisation is None:
        return disclosure.authorised_by
    confirmation = getattr(authorisation, "confirmation", None)
    if confirmation is None:
        return f"{disclosure.authorised_by}: awaiting confirmation by {authorisation.designated_manager.name}"
    who = confirmation.confirmed_by.get_full_name() or confirmation.confirmed_by.get_username()
    return f"{disclosure.authorised_by}: confirmed by {who} on {date_time(confirmation.confirmed_at)}"
