"""The information request pages (agreements/views/requests.py, urls/requests.py): recording
a subject access or FOI request, responding, and the GOV.UK errors.

Who may reach each page is the permission matrix's business (tests/test_permission_matrix.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import InformationRequest
from govuk_blocks.dates import long_date
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

    def test_routing_to_an_organisation_with_nobody_to_tell_says_so_there_and_on_its_page(self, client, cast, sign_in):
        cast.spoc_contact.delete()
        sign_in(client, cast.governance_manager)

        response = client.post(reverse("requests:create"), {
            "kind": "foi", "agreement": cast.agreement.pk, "organisation": cast.partner.pk,
            **date_fields("received_on", timezone.localdate()), "description": ASKED,
        }, follow=True)

        request = InformationRequest.objects.get()
        content = response.content.decode()
        assert response.redirect_chain == [(f"/requests/{request.pk}/", 302)]
        assert (f"Freedom of information request recorded, to answer by {long_date(request.due_on)}. Nobody could "
                "be told: not delivered: Borsetshire Police has nobody to tell.") in content
        # The page itself shows it, after the one-off message has gone.
        again = client.get(f"/requests/{request.pk}/").content.decode()
        assert "Borsetshire Police has nobody to tell" in again

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


class TestRightsAndExtension:
    def test_a_request_for_erasure_is_recorded_on_the_one_month_clock(self, client, cast, sign_in):
        sign_in(client, cast.governance_manager)

        client.post(reverse("requests:create"), {
            "kind": "erasure", "agreement": cast.agreement.pk, "organisation": cast.partner.pk,
            **date_fields("received_on", timezone.localdate()), "description": ASKED,
        })

        request = InformationRequest.objects.get()
        assert (request.kind, request.due_on) == ("erasure", datetime.date(2026, 7, 17))

    def test_the_routed_organisation_is_offered_the_extension_and_the_recorder_is_not(self, client, cast, sign_in):
        request = record(cast, received_on=timezone.localdate(), on=timezone.localdate())

        routed = sign_in(client, cast.spoc).get(request.get_absolute_url()).content.decode()
        recorder = sign_in(client, cast.governance_manager).get(request.get_absolute_url()).content.decode()

        assert f'href="/requests/{request.pk}/extend/"' in routed
        assert "/extend/" not in recorder
        assert client.post(reverse("requests:extend", args=[request.pk]), {}).status_code == 403

    def test_an_empty_extension_shows_the_error_summary_and_saves_nothing(self, client, cast, sign_in):
        request = record(cast, received_on=timezone.localdate(), on=timezone.localdate())
        sign_in(client, cast.spoc)

        summary = error_summary(client.post(reverse("requests:extend", args=[request.pk]), {}))

        assert "Explain why the request is complex or the requests numerous" in summary
        assert "Enter the date the requester was told" in summary
        request.refresh_from_db()
        assert (request.first_due_on, request.due_on) == (None, datetime.date(2026, 7, 17))

    def test_a_late_telling_is_refused_on_its_field(self, client, cast, sign_in):
        received = timezone.localdate() - datetime.timedelta(days=40)
        request = record(cast, received_on=received, on=received)
        sign_in(client, cast.spoc)

        response = client.post(reverse("requests:extend", args=[request.pk]), {
            "reason": "Complex.", **date_fields("told_on", timezone.localdate()),
        })

        assert (
            '<a href="#id_told_on-day">The requester must be told of an extension, and why, within one month of '
            "receipt: by 8 June 2026 (Article 12(3))</a>"
        ) in error_summary(response)
        request.refresh_from_db()
        assert request.first_due_on is None

    def test_the_extension_is_recorded_and_shown(self, client, cast, sign_in):
        request = record(cast, received_on=timezone.localdate(), on=timezone.localdate())
        sign_in(client, cast.spoc)

        response = client.post(reverse("requests:extend", args=[request.pk]), {
            "reason": "Records held by four partners.", **date_fields("told_on", timezone.localdate()),
        })

        assert response["Location"] == request.get_absolute_url()
        page = client.get(request.get_absolute_url()).content.decode()
        assert "By two further months, from 17 July 2026 to 17 September 2026." in page
        assert "The requester was told on 17 June 2026." in page
        assert "/extend/" not in page

    def test_a_request_that_cannot_be_extended_goes_back_to_its_page_or_is_refused(self, client, cast, sign_in):
        foi = record(cast, kind="foi", received_on=timezone.localdate(), on=timezone.localdate())
        sign_in(client, cast.spoc)

        shown = client.get(reverse("requests:extend", args=[foi.pk]))
        posted = client.post(reverse("requests:extend", args=[foi.pk]), {
            "reason": "Complex.", **date_fields("told_on", timezone.localdate()),
        })

        assert shown["Location"] == foi.get_absolute_url()
        assert "A freedom of information request cannot be extended under UK GDPR Article 12(3)" in (
            error_summary(posted)
        )
        foi.refresh_from_db()
        assert foi.first_due_on is None
