"""The information request pages (agreements/views/requests.py, urls/requests.py): recording
a subject access or FOI request, responding, and the GOV.UK errors.

Who may reach each page is the permission matrix's business (tests/test_permission_matrix.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import InformationRequest
from tests.agreements.helpers import date_fields, error_summary
from tests.agreements.helpers.requests import ASKED, PINNED, record

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


class TestPages:
    def test_the_list_marks_an_overdue_request(self, client, cast, sign_in):
        overdue = record(cast, received_on=timezone.localdate() - datetime.timedelta(days=60),
                         on=timezone.localdate())
        sign_in(client, cast.spoc)

        content = client.get(reverse("requests:list")).content.decode()

        assert f'href="/requests/{overdue.pk}/"' in content
        assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in content

    def test_an_empty_form_shows_the_error_summary_and_saves_nothing(self, client, cast, sign_in):
        sign_in(client, cast.governance_manager)

        summary = error_summary(client.post(reverse("requests:create"), {}))

        for message in (
            "Select the kind of request", "Choose the agreement it is about",
            "Choose the partner it concerns, or the partnership as a whole", "Enter the date it was received",
            "Describe what is asked for",
        ):
            assert message in summary
        assert InformationRequest.objects.count() == 0

    def test_recording_routes_it_and_shows_it(self, client, cast, sign_in):
        sign_in(client, cast.governance_manager)
        today = timezone.localdate()

        response = client.post(reverse("requests:create"), {
            "kind": "foi", "agreement": cast.agreement.pk, "organisation": "partnership",
            **date_fields("received_on", today), "description": ASKED,
        })

        request = InformationRequest.objects.get()
        assert response["Location"] == f"/requests/{request.pk}/"
        assert (request.routed_to, request.party) == (cast.owner, None)

    def test_a_service_refusal_shows_on_its_field(self, client, cast, sign_in):
        sign_in(client, cast.governance_manager)

        response = client.post(reverse("requests:create"), {
            "kind": "foi", "agreement": cast.agreement.pk, "organisation": "partnership",
            **date_fields("received_on", timezone.localdate() + datetime.timedelta(days=1)), "description": ASKED,
        })

        assert '<a href="#id_received_on-day">The date it was received must be today or in the past</a>' in (
            error_summary(response)
        )

    def test_only_the_routed_organisation_is_offered_the_response(self, client, cast, sign_in):
        request = record(cast, received_on=timezone.localdate(), on=timezone.localdate())

        routed = sign_in(client, cast.spoc).get(request.get_absolute_url()).content.decode()
        recorder = sign_in(client, cast.governance_manager).get(request.get_absolute_url()).content.decode()

        assert "Record the response" in routed
        assert "Record the response" not in recorder
        assert client.post(request.get_absolute_url(), {}).status_code == 403

    def test_a_bad_response_shows_the_error_summary(self, client, cast, sign_in):
        request = record(cast, received_on=timezone.localdate(), on=timezone.localdate())
        sign_in(client, cast.spoc)

        response = client.post(request.get_absolute_url(), {})

        assert "Enter the date it was answered" in error_summary(response)
        request.refresh_from_db()
        assert request.responded_on is None

    def test_the_response_is_recorded(self, client, cast, sign_in):
        request = record(cast, received_on=timezone.localdate(), on=timezone.localdate())
        sign_in(client, cast.spoc)

        response = client.post(request.get_absolute_url(), {
            **date_fields("responded_on", timezone.localdate()), "response_note": "Disclosed in full.",
        })

        assert response["Location"] == request.get_absolute_url()
        request.refresh_from_db()
        assert (request.responded_on, request.responded_by) == (timezone.localdate(), cast.spoc)
