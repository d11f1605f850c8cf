"""The override confirmation page (sharing_log/views/overrides.py) and the entry's page: only
the designated manager the entry names reaches the page; the entry shows who confirmed and when."""

import pytest
from django.urls import reverse

from sharing_log.models import ConsentStatus, OverrideConfirmation
from sharing_log.services import disclosure_log
from tests.auth import sign_in
from tests.sharing_log.helpers import error_summary
from tests.sharing_log.helpers.overrides import designated_manager
from tests.sharing_log.test_disclosures import PINNED, law, share  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


@pytest.fixture
def logged(request, roles):
    manager = designated_manager(roles.owner_party)
    make = request.getfixturevalue("share")
    entry = disclosure_log(**make(
        consent_status=ConsentStatus.REFUSED_OVERRIDDEN, consent_reason="Serious risk of harm to a child.",
        designated_manager=manager,
    ))
    authorisation = entry.override_authorisation
    return entry, manager, authorisation, reverse("sharing_log:override_confirm", args=[authorisation.pk])


def test_the_named_manager_sees_the_page(client, logged):
    entry, manager, _, page = logged

    response = sign_in(client, manager.user).get(page)

    assert response.status_code == 200
    assert "Confirm an override you authorised" in response.content.decode()


@pytest.mark.parametrize("subject", ["practitioner", "governance_manager", "spoc", "admin", "unrelated"])
def test_anyone_else_gets_404(client, logged, roles, subject):
    *_, page = logged

    assert sign_in(client, getattr(roles, subject)).get(page).status_code == 404
    assert sign_in(client, getattr(roles, subject)).post(page, {"confirmed": "on"}).status_code == 404
    assert OverrideConfirmation.objects.count() == 0


def test_confirming_without_the_tick_is_a_govuk_error_and_saves_nothing(client, logged):
    _, manager, _, page = logged

    response = sign_in(client, manager.user).post(page, {})

    assert response.status_code == 200
    assert '<a href="#id_confirmed">Confirm that you authorised this override</a>' in error_summary(response)
    assert OverrideConfirmation.objects.count() == 0


def test_confirming_records_it_and_the_entry_shows_who_and_when(client, logged, roles):
    entry, manager, _, page = logged

    response = sign_in(client, manager.user).post(page, {"confirmed": "on"}, follow=True)

    assert OverrideConfirmation.objects.get().confirmed_by == manager.user
    assert f"You confirmed that you authorised the override on entry {entry.pk}" in response.content.decode()
    entry_page = sign_in(client, roles.practitioner).get(reverse("sharing_log:detail", args=[entry.pk]))
    assert ("Alex Example, Head of Safeguarding: confirmed by Alex Example on 17 June 2026 at 10:00am"
            in entry_page.content.decode())


def test_the_entry_shows_it_awaits_confirmation(client, logged, roles):
    entry, *_ = logged

    entry_page = sign_in(client, roles.practitioner).get(reverse("sharing_log:detail", args=[entry.pk]))

    assert "awaiting confirmation by Alex Example" in entry_page.content.decode()


def test_whats_due_asks_the_manager_to_confirm(client, logged):
    entry, manager, _, page = logged

    html = sign_in(client, manager.user).get(reverse("due")).content.decode()

    assert f"Confirm you authorised the override on entry {entry.pk}" in html
    assert f'href="{page}"' in html
