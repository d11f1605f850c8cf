"""The access log's page (partners:access_log): an organisation's auditors and governance managers
read the events of its people and on its records, and nobody else reads anything
(docs/decisions/0025)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import AccessEvent, AccessKind
from partners.selectors import access_events_visible_to
from tests.auth import sign_in

pytestmark = pytest.mark.django_db
URL = reverse("partners:access_log")


def event(*, by=(), on=(), kind=AccessKind.ENTRY_OPENED, object_id=None, when=None, user_id=None) -> AccessEvent:
    return AccessEvent.objects.create(
        occurred_at=when or timezone.now(), kind=kind, user_id=user_id,
        user_organisation_ids=AccessEvent.ids_text(organisation.pk for organisation in by),
        object_type="sharing_log.disclosure" if object_id else "", object_id=object_id,
        object_organisation_ids=AccessEvent.ids_text(organisation.pk for organisation in on),
        url_name="sharing_log:detail", status_code=404 if kind == AccessKind.REFUSED else 200,
    )


@pytest.fixture
def scattered(roles):
    """One event each: by the partner's people on the owner's and partner's entry, by the owner's
    people on an owner-only record, by the unrelated organisation on its own, a refusal of the
    partner's person, and one by the host's administrator."""
    return {
        "partner_on_shared": event(by=[roles.partner], on=[roles.owner, roles.partner], object_id=11,
                                   user_id=roles.spoc.pk),
        "owner_on_shared": event(by=[roles.owner], on=[roles.owner, roles.partner], object_id=12,
                                 user_id=roles.practitioner.pk),
        "owner_on_own": event(by=[roles.owner], on=[roles.owner], kind=AccessKind.AGREEMENT_PDF, object_id=13,
                              user_id=roles.governance_manager.pk),
        "unrelated_on_own": event(by=[roles.unrelated_organisation], on=[roles.unrelated_organisation],
                                  object_id=14, user_id=roles.unrelated.pk),
        "partner_refused": event(by=[roles.partner], kind=AccessKind.REFUSED, user_id=roles.spoc.pk),
        "host_refused": event(by=[roles.host], kind=AccessKind.REFUSED, user_id=roles.admin.pk),
    }


def names(events, scattered) -> set[str]:
    by_pk = {value.pk: key for key, value in scattered.items()}
    return {by_pk[item.pk] for item in events}


@pytest.mark.parametrize(("subject", "expected"), [
    ("auditor", {"partner_on_shared", "owner_on_shared", "partner_refused"}),
    ("spoc", set()),
    ("governance_manager", {"partner_on_shared", "owner_on_shared", "owner_on_own"}),
    ("unrelated", {"unrelated_on_own"}),
    ("admin", set()),
    ("practitioner", set()),
    ("lead_signatory", set()),
])
def test_each_reads_only_their_organisations_events(roles, scattered, subject, expected):
    assert names(access_events_visible_to(roles.subject(subject)), scattered) == expected


def test_an_organisation_id_is_not_matched_by_a_longer_one_that_contains_it(roles):
    longer = event(by=[], on=[], object_id=1)
    AccessEvent.objects.filter(pk=longer.pk).update(user_organisation_ids=f",{roles.partner.pk}0,")

    assert list(access_events_visible_to(roles.auditor)) == []


def test_the_auditor_sees_their_organisations_events_by_user_number_without_names(client, roles, scattered):
    response = sign_in(client, roles.auditor).get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert f"User {roles.spoc.pk}" in html and f"User {roles.practitioner.pk}" in html
    assert f"User {roles.unrelated.pk}" not in html and f"User {roles.admin.pk}" not in html
    assert roles.partner.name in html
    assert roles.spoc.username not in html


@pytest.mark.parametrize("subject", ["admin", "spoc", "practitioner", "lead_signatory"])
def test_no_one_else_reads_the_page(client, roles, scattered, subject):
    response = sign_in(client, roles.subject(subject)).get(URL)

    assert response.status_code == 403


def test_filtered_by_kind(client, roles, scattered):
    response = sign_in(client, roles.auditor).get(URL, {"kind": AccessKind.REFUSED})

    rows = response.context["rows"]
    assert [row[0].pk for row in rows] == [scattered["partner_refused"].pk]


def test_filtered_by_date(client, roles):
    old = event(by=[roles.partner], on=[roles.partner], object_id=1, when=timezone.now() - datetime.timedelta(days=40))
    new = event(by=[roles.partner], on=[roles.partner], object_id=2)
    sign_in(client, roles.auditor)
    day = timezone.localdate(old.occurred_at)

    only_old = client.get(URL, {"date_from": f"{day:%d/%m/%Y}", "date_to": f"{day:%d/%m/%Y}"})
    since = client.get(URL, {"date_from": f"{timezone.localdate() - datetime.timedelta(days=1):%d/%m/%Y}"})

    assert [row[0].pk for row in only_old.context["rows"]] == [old.pk]
    assert [row[0].pk for row in since.context["rows"]] == [new.pk]


@pytest.mark.parametrize(("query", "message"), [
    ({"date_from": "31/2/2026"}, "Enter the date from as a real date, for example 1/3/2026"),
    ({"date_to": "1/1/9999"}, "The date to must be between 2000 and 2999"),
    ({"date_from": "1/1/0001"}, "The date from must be between 2000 and 2999"),
    ({"date_from": "2/3/2026", "date_to": "1/3/2026"}, "The date to must be the same as or after the date from"),
    ({"kind": "everything"}, "Select what happened from the list"),
])
def test_a_bad_filter_is_shown_in_the_error_summary_and_narrows_nothing(client, roles, scattered, query, message):
    response = sign_in(client, roles.auditor).get(URL, query)

    html = response.content.decode()
    assert response.status_code == 200
    assert message in html[html.index('<div class="govuk-error-summary"'):]
    assert len(response.context["rows"]) == 3


def test_paginated_newest_first_fifty_to_a_page(client, roles):
    made = [event(by=[roles.partner], on=[roles.partner], object_id=n + 1) for n in range(55)]
    sign_in(client, roles.auditor)

    first = client.get(URL)
    older = client.get(URL, {"after": first.context["older"]})
    back = client.get(URL, {"before": older.context["newer"]})

    assert [row[0].pk for row in first.context["rows"]] == [item.pk for item in reversed(made)][:50]
    assert first.context["newer"] is None
    assert [row[0].pk for row in older.context["rows"]] == [item.pk for item in reversed(made)][50:]
    assert older.context["older"] is None
    assert [row[0].pk for row in back.context["rows"]] == [row[0].pk for row in first.context["rows"]]
    assert 'rel="next"' in first.content.decode() and 'rel="prev"' in older.content.decode()


@pytest.mark.parametrize("page", ["abc", "-1", "99999999999999999999999", "１２"])
def test_a_nonsense_page_marker_shows_the_first_page(client, roles, scattered, page):
    response = sign_in(client, roles.auditor).get(URL, {"after": page})

    assert response.status_code == 200
    assert len(response.context["rows"]) == 3


@pytest.mark.parametrize(("subject", "offered"), [("auditor", True), ("governance_manager", True), ("admin", False),
                                                  ("spoc", False)])
def test_the_partners_page_links_to_the_access_log_for_its_readers(client, roles, subject, offered):
    response = sign_in(client, roles.subject(subject)).get(reverse("partners:organisation_list"))

    assert (f'href="{URL}"' in response.content.decode()) is offered


def test_a_portal_administrator_cannot_read_the_access_log_in_the_django_admin(client, roles):
    sign_in(client, roles.admin)

    listing = client.get("/admin/partners/accessevent/")
    index = client.get("/admin/")

    roles.admin.refresh_from_db()
    assert roles.admin.is_staff and not roles.admin.is_superuser
    assert listing.status_code == 403
    assert "accessevent" not in index.content.decode().lower()
