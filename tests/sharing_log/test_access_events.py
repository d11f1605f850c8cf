"""The sharing log's pages record who opened an entry and who exported the log
(partners/access.py; docs/decisions/0025): one event each, without personal data."""

import logging

import pytest
from django.urls import reverse

from partners.models import AccessKind, Role
from tests.access_helpers import ACCESS_LOGGER, assert_no_personal_data, events, line_of, only_event
from tests.auth import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(roles):
    """A practitioner of the owner with a name and an address that must never reach the log."""
    return roles.member(
        roles.owner, Role.PRACTITIONER, username="quentin.marlowe-access", first_name="Quentin",
        last_name="Marlowe", email="quentin.marlowe@borsetshire.example",
    )


def test_opening_an_entry_records_who_opened_which_entry(client, roles, person, caplog):
    entry = roles.disclosure
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)

    response = sign_in(client, person).get(reverse("sharing_log:detail", args=[entry.pk]))

    assert response.status_code == 200
    event = only_event(kind=AccessKind.ENTRY_OPENED)
    assert (event.user_id, event.user_organisations, event.status_code) == (person.pk, [roles.owner.pk], 200)
    assert (event.object_type, event.object_id) == ("sharing_log.disclosure", entry.pk)
    assert sorted(event.object_organisations) == sorted([roles.owner.pk, roles.partner.pk])
    assert (event.url_name, event.url_ids) == ("sharing_log:detail", {"pk": entry.pk})
    assert event.request_id == response["X-Request-ID"]
    line = line_of(caplog, event)
    assert (line["kind"], line["user_id"], line["object_id"], line["status"]) == (
        "entry_opened", person.pk, entry.pk, 200,
    )


def test_an_opened_entry_leaves_no_name_email_case_reference_or_address(client, roles, person, caplog):
    entry = roles.disclosure
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)

    sign_in(client, person).get(reverse("sharing_log:detail", args=[entry.pk]), REMOTE_ADDR="203.0.113.77")

    event = only_event(kind=AccessKind.ENTRY_OPENED)
    assert event.address_hash  # the address is kept only as a keyed hash
    assert_no_personal_data(
        event, caplog, "Quentin", "Marlowe", person.email, person.username, entry.case_reference,
        entry.recipient_name, "203.0.113.77",
    )


def test_an_entry_another_organisation_may_not_see_records_a_refusal_not_an_opening(client, roles):
    entry = roles.disclosure

    response = sign_in(client, roles.unrelated).get(reverse("sharing_log:detail", args=[entry.pk]))

    assert response.status_code == 404
    assert events(kind=AccessKind.ENTRY_OPENED) == []
    event = only_event(kind=AccessKind.REFUSED)
    assert (event.status_code, event.url_name, event.url_ids) == (404, "sharing_log:detail", {"pk": entry.pk})
    assert (event.user_id, event.user_organisations) == (roles.unrelated.pk, [roles.unrelated_organisation.pk])


def test_exporting_the_log_records_the_export_without_the_search(client, roles, person, caplog):
    entry = roles.disclosure
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)

    response = sign_in(client, person).get(
        reverse("sharing_log:export"), {"list": "received", "case_reference": entry.case_reference},
    )
    b"".join(response.streaming_content)

    assert response.status_code == 200
    event = only_event(kind=AccessKind.LOG_EXPORTED)
    assert (event.user_id, event.url_name, event.object_type) == (person.pk, "sharing_log:export", "sharing_log.export")
    assert event.object_organisations == [roles.owner.pk]
    assert_no_personal_data(event, caplog, entry.case_reference, "Quentin", person.email)


def test_the_log_lists_record_nothing(client, roles, person):
    entry = roles.disclosure

    response = sign_in(client, person).get(reverse("sharing_log:received"))

    assert response.status_code == 200
    assert entry.case_reference in response.content.decode()
    assert events() == []
