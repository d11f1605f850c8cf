"""The correct and void pages (sharing_log/views/amendments.py).

Who may reach each page is the permission matrix's business (tests/test_permission_matrix.py)."""


import pytest
from django.urls import reverse

from agreements.models import DataLevel
from sharing_log.models import (
    Amendment,
    AmendmentKind,
)
from sharing_log.services import disclosure_void
from tests.auth import sign_in
from tests.sharing_log.helpers import error_summary

pytestmark = pytest.mark.django_db


class TestAmend:
    def url(self, entry):
        return reverse("sharing_log:amend", args=[entry.pk])

    def test_correction_is_recorded_and_the_entry_page_says_so(self, client, roles):
        entry = roles.disclosure_to_partner
        sign_in(client, roles.practitioner)

        response = client.post(self.url(entry), {
            "field": "data_level", "value_data_level": DataLevel.DETAILED, "reason": "More was shared than logged.",
        })

        assert response["Location"] == reverse("sharing_log:detail", args=[entry.pk])
        assert Amendment.objects.get().changes == {"data_level": "detailed"}

    def test_empty_form_shows_the_error_summary_and_saves_nothing(self, client, roles):
        response = sign_in(client, roles.practitioner).post(self.url(roles.disclosure_to_partner), {})

        summary = error_summary(response)
        assert "Select the detail to correct" in summary and "Give the reason for the correction" in summary
        assert Amendment.objects.exists() is False

    def test_missing_value_is_shown_against_the_revealed_question(self, client, roles):
        response = sign_in(client, roles.practitioner).post(self.url(roles.disclosure_to_partner), {
            "field": "case_reference", "value_case_reference": "", "reason": "Wrong case.",
        })

        assert '<a href="#id_value_case_reference">Enter the corrected case reference.</a>' in error_summary(response)
        assert Amendment.objects.exists() is False


class TestVoid:
    def test_voiding_needs_a_reason(self, client, roles):
        entry = roles.disclosure_to_partner

        response = sign_in(client, roles.practitioner).post(reverse("sharing_log:void", args=[entry.pk]), {})

        assert "Give the reason for voiding this entry" in error_summary(response)
        assert Amendment.objects.exists() is False

    def test_voiding_twice_is_refused_with_a_message(self, client, roles):
        entry = roles.disclosure_to_partner
        disclosure_void(disclosure=entry, by_user=roles.practitioner, reason="Logged twice.")

        response = sign_in(client, roles.practitioner).post(
            reverse("sharing_log:void", args=[entry.pk]), {"reason": "Again."},
        )

        assert response.status_code == 200
        assert "An entry is voided only once." in response.content.decode()
        assert Amendment.objects.filter(kind=AmendmentKind.VOID).count() == 1
