"""The access log's recording (partners/access.py): refusals recorded by the middleware, one
INSERT per event, a log line even when the row cannot be written, and the purge after the
retention period (docs/decisions/0025)."""

import datetime
import json
import logging

import pytest
from django.db import DatabaseError, connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse
from django.utils import timezone

from isa_portal.scheduler import run_scheduler
from partners.access import access_event_record, access_events_purge
from partners.models import AccessEvent, AccessKind, Role
from partners.permissions import memberships_keep
from tests.access_helpers import ACCESS_LOGGER, access_lines, assert_no_personal_data, events, line_of, only_event
from tests.auth import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(roles):
    return roles.member(
        roles.unrelated_organisation, Role.PRACTITIONER, username="ffion.access-person", first_name="Ffion",
        last_name="Gwilliam", email="ffion.gwilliam@felpersham.example",
    )


class TestRefusals:
    def test_a_404_to_a_signed_in_user_is_recorded_with_the_route_not_the_path(self, client, roles, person, caplog):
        entry = roles.disclosure
        caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)

        response = sign_in(client, person).get(
            reverse("sharing_log:detail", args=[entry.pk]), {"q": entry.case_reference},
        )

        assert response.status_code == 404
        event = only_event(kind=AccessKind.REFUSED)
        assert (event.status_code, event.url_name, event.url_ids) == (404, "sharing_log:detail", {"pk": entry.pk})
        assert (event.user_id, event.user_organisations) == (person.pk, [roles.unrelated_organisation.pk])
        assert (event.object_type, event.object_id, event.object_organisations) == ("", None, [])
        assert line_of(caplog, event)["status"] == 404
        assert_no_personal_data(event, caplog, entry.case_reference, "Ffion", "Gwilliam", person.email,
                                person.username, f"/log/{entry.pk}/")

    def test_a_403_to_a_signed_in_user_is_recorded(self, client, roles):
        response = sign_in(client, roles.lead_signatory).get(reverse("sharing_log:list"))

        assert response.status_code == 403
        event = only_event(kind=AccessKind.REFUSED)
        assert (event.status_code, event.url_name, event.user_id) == (403, "sharing_log:list", roles.lead_signatory.pk)

    def test_a_signed_in_user_asking_for_a_page_that_does_not_exist_is_recorded_without_the_path(
        self, client, roles, caplog,
    ):
        caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)

        response = sign_in(client, roles.spoc).get("/log/ASB-SECRET-REF/")

        assert response.status_code == 404
        event = only_event(kind=AccessKind.REFUSED)
        assert (event.url_name, event.url_ids) == ("", {})
        assert_no_personal_data(event, caplog, "ASB-SECRET-REF")

    def test_an_anonymous_404_on_an_object_url_is_recorded_without_its_token(self, client, caplog):
        caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)
        token = "not-a-real-invitation-token-3f9a"

        response = client.get(reverse("join", args=[token]))

        assert response.status_code == 404
        event = only_event(kind=AccessKind.REFUSED)
        assert (event.user_id, event.url_name, event.url_ids, event.status_code) == (None, "join", {}, 404)
        assert_no_personal_data(event, caplog, token)

    def test_an_anonymous_404_for_a_path_that_names_nothing_is_not_recorded(self, client):
        response = client.get("/wp-admin/setup-config.php")

        assert response.status_code in (302, 404)
        assert events() == []

    def test_static_files_are_not_recorded(self, client, roles):
        response = sign_in(client, roles.spoc).get("/static/no-such-file.css")

        assert response.status_code == 404
        assert events() == []

    def test_a_page_served_is_not_a_refusal(self, client, roles):
        response = sign_in(client, roles.spoc).get(reverse("home"))

        assert response.status_code == 200
        assert events() == []

    def test_every_response_carries_its_request_id(self, client, roles):
        first = sign_in(client, roles.spoc).get(reverse("home"))
        second = client.get(reverse("home"))

        assert len(first["X-Request-ID"]) == 32
        assert first["X-Request-ID"] != second["X-Request-ID"]

    def test_a_request_id_passed_on_by_the_proxy_is_kept_only_if_it_looks_like_one(self, client, roles):
        sign_in(client, roles.spoc)

        kept = client.get("/log/999999999/", headers={"X-Request-ID": "proxy-req-0123456789"})
        replaced = client.get("/log/999999998/", headers={"X-Request-ID": "bad\nid ASB-1"})

        assert kept["X-Request-ID"] == "proxy-req-0123456789"
        assert replaced["X-Request-ID"] != "bad\nid ASB-1" and len(replaced["X-Request-ID"]) == 32
        assert [event.request_id for event in events()] == [kept["X-Request-ID"], replaced["X-Request-ID"]]


class TestRecording:
    def request(self, user, path: str):
        request = RequestFactory().get(path, REMOTE_ADDR="198.51.100.23")
        request.user = user
        request.resolver_match = resolve(path)
        return request

    def test_is_one_insert_and_no_read(self, roles):
        entry = roles.disclosure
        request = self.request(roles.spoc, reverse("sharing_log:detail", args=[entry.pk]))
        memberships_keep(roles.spoc)  # as the membership middleware does for every request

        with CaptureQueriesContext(connection) as captured:
            access_event_record(request=request, kind=AccessKind.ENTRY_OPENED, object_type="sharing_log.disclosure",
                                object_id=entry.pk)

        # Inside a transaction (as here) the INSERT has a savepoint around it; in autocommit, alone.
        statements = [query["sql"].split()[0].upper() for query in captured.captured_queries]
        assert [statement for statement in statements if statement not in ("SAVEPOINT", "RELEASE")] == ["INSERT"]

    def test_the_address_is_a_keyed_hash_the_same_for_the_same_address(self, roles, settings):
        path = reverse("home")
        first = access_event_record(request=self.request(roles.spoc, path), kind=AccessKind.REFUSED, status_code=404)
        again = access_event_record(request=self.request(roles.spoc, path), kind=AccessKind.REFUSED, status_code=404)
        settings.SECRET_KEY = "another-key-for-this-test-only-0123456789"
        other_key = access_event_record(
            request=self.request(roles.spoc, path), kind=AccessKind.REFUSED, status_code=404,
        )

        assert first.address_hash == again.address_hash != other_key.address_hash
        assert "198.51.100.23" not in json.dumps(AccessEvent.objects.filter(pk=first.pk).values().get(), default=str)

    def test_a_row_that_cannot_be_written_is_logged_and_the_page_still_served(
        self, client, roles, monkeypatch, caplog,
    ):
        entry = roles.disclosure
        caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)

        def unwritable(*args, **kwargs):
            raise DatabaseError("the access log table is unwritable")

        monkeypatch.setattr(AccessEvent, "save", unwritable)
        response = sign_in(client, roles.spoc).get(reverse("sharing_log:detail", args=[entry.pk]))

        assert response.status_code == 200
        lines = access_lines(caplog)
        opened = [json.loads(line.removeprefix("access ")) for line in lines if line.startswith("access {")]
        assert [(line["kind"], line["object_id"]) for line in opened] == [("entry_opened", entry.pk)]
        assert any(line.startswith("access event not stored kind=entry_opened") for line in lines)


class TestPurge:
    def event_at(self, when: datetime.datetime) -> AccessEvent:
        return AccessEvent.objects.create(occurred_at=when, kind=AccessKind.REFUSED, status_code=404)

    def test_the_daily_scheduler_deletes_events_past_the_retention_period_and_keeps_the_rest(self, settings):
        settings.ACCESS_LOG_RETENTION_DAYS = 400
        now = timezone.now()
        expired = self.event_at(now - datetime.timedelta(days=400, minutes=1))
        kept = self.event_at(now - datetime.timedelta(days=399, hours=23))

        results = {result.name: result.count for result in run_scheduler(now=now)}

        assert results["access_log"] == 1
        assert list(AccessEvent.objects.values_list("pk", flat=True)) == [kept.pk]
        assert not AccessEvent.objects.filter(pk=expired.pk).exists()

    def test_the_period_is_the_setting(self, settings):
        now = timezone.now()
        self.event_at(now - datetime.timedelta(days=31))
        settings.ACCESS_LOG_RETENTION_DAYS = 30

        assert access_events_purge(now=now) == 1
        assert AccessEvent.objects.count() == 0

    def test_the_default_period_is_400_days(self):
        from django.conf import settings

        assert settings.ACCESS_LOG_RETENTION_DAYS == 400


def test_access_lines_are_written_even_when_the_log_level_is_warning():
    import copy
    import logging.config

    from django.conf import settings

    quiet = copy.deepcopy(settings.LOGGING)
    quiet["root"]["level"] = "WARNING"
    try:
        logging.config.dictConfig(quiet)
        assert logging.getLogger("partners.access").isEnabledFor(logging.INFO)
        assert not logging.getLogger("partners.services").isEnabledFor(logging.INFO)
    finally:
        logging.config.dictConfig(settings.LOGGING)
