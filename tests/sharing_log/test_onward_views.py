"""The onward disclosure pages (sharing_log/views/onward.py): asking to pass an entry on, the
requests to decide, and deciding, with the GOV.UK error summary on bad input.

``roles.disclosure``: the partner shared with the owner, as in test_onward.py."""

import csv
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from partners.models import Role
from sharing_log.models import OnwardDecision, OnwardDisclosureRequest
from sharing_log.services import disclosure_void, onward_disclosure_decide
from tests.auth import sign_in
from tests.factories import ContactFactory, MembershipFactory
from tests.sharing_log.helpers import error_summary
from tests.sharing_log.helpers.onward import PURPOSE, ask

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(roles):
    return roles.disclosure


def detail(entry) -> str:
    return reverse("sharing_log:detail", args=[entry.pk])


class TestPages:
    def test_recipient_sees_the_link_to_ask_and_the_originator_does_not(self, client, roles, entry):
        link = reverse("sharing_log:onward_request", args=[entry.pk])

        assert link in sign_in(client, roles.practitioner).get(detail(entry)).content.decode()
        assert link not in sign_in(client, roles.spoc).get(detail(entry)).content.decode()

    def test_a_voided_entry_offers_no_request(self, client, roles, entry):
        disclosure_void(disclosure=entry, by_user=roles.spoc, reason="Logged twice.")
        client = sign_in(client, roles.practitioner)

        assert reverse("sharing_log:onward_request", args=[entry.pk]) not in client.get(
            detail(entry)).content.decode()
        html = client.get(reverse("sharing_log:onward_request", args=[entry.pk])).content.decode()
        assert "it cannot be passed on" in html and "Ask for consent" not in html

    def test_an_empty_request_shows_the_error_summary_and_saves_nothing(self, client, roles, entry):
        response = sign_in(client, roles.practitioner).post(reverse("sharing_log:onward_request", args=[entry.pk]), {})

        summary = error_summary(response)
        assert response.status_code == 200
        assert "Select whether the organisation is in the directory" in summary
        assert "Give the purpose of passing it on" in summary
        assert OnwardDisclosureRequest.objects.exists() is False

    @pytest.mark.parametrize(("data", "message"), [
        ({"in_directory": "yes"}, "Select the organisation you want to pass it to"),
        ({"in_directory": "no"}, "Enter the name of the organisation you want to pass it to"),
    ])
    def test_the_revealed_question_must_be_answered(self, client, roles, entry, data, message):
        response = sign_in(client, roles.practitioner).post(
            reverse("sharing_log:onward_request", args=[entry.pk]), {**data, "purpose": PURPOSE},
        )

        assert message in error_summary(response)
        assert OnwardDisclosureRequest.objects.exists() is False

    def test_the_services_refusal_shows_in_the_error_summary(self, client, roles, entry):
        response = sign_in(client, roles.practitioner).post(
            reverse("sharing_log:onward_request", args=[entry.pk]),
            {"in_directory": "no", "third_party_name": "Borsetshire Police", "purpose": PURPOSE},
        )

        assert "Borsetshire Police shared this information with you" in error_summary(response)
        assert OnwardDisclosureRequest.objects.exists() is False

    def test_the_originator_is_not_offered_itself_or_the_recipient(self, client, roles, entry, yos):
        html = sign_in(client, roles.practitioner).get(
            reverse("sharing_log:onward_request", args=[entry.pk])).content.decode()

        assert f'<option value="{yos.pk}">Borsetshire Youth Offending Service</option>' in html
        assert f'value="{roles.partner.pk}"' not in html and f'value="{roles.owner.pk}"' not in html

    @pytest.mark.parametrize("spoc_on_record", [False, True])
    def test_asking_says_when_nobody_at_the_originator_could_be_told(self, client, roles, entry, yos, spoc_on_record):
        if spoc_on_record:
            ContactFactory(organisation=roles.partner, user=roles.spoc, name="Sam Example")

        response = sign_in(client, roles.practitioner).post(
            reverse("sharing_log:onward_request", args=[entry.pk]),
            {"in_directory": "yes", "third_party_organisation": yos.pk, "purpose": PURPOSE}, follow=True,
        )

        content = response.content.decode()
        asked = "Consent to pass this on to Borsetshire Youth Offending Service asked of Borsetshire Police"
        missed = ". Nobody could be told: not delivered: Borsetshire Police has nobody to tell."
        assert response.redirect_chain == [(detail(entry), 302)]
        assert (asked + missed in content) is not spoc_on_record
        assert asked in content
        assert ("Borsetshire Police has nobody to tell" in client.get(detail(entry)).content.decode()) \
            is not spoc_on_record

    def test_asking_and_deciding_show_on_the_entry(self, client, roles, entry, yos):
        response = sign_in(client, roles.practitioner).post(
            reverse("sharing_log:onward_request", args=[entry.pk]),
            {"in_directory": "yes", "third_party_organisation": yos.pk, "purpose": PURPOSE},
        )
        assert response["Location"] == detail(entry)
        onward = OnwardDisclosureRequest.objects.get()
        assert "Awaiting decision" in client.get(detail(entry)).content.decode()

        client = sign_in(client, roles.spoc)
        listed = client.get(reverse("sharing_log:onward_list")).content.decode()
        assert reverse("sharing_log:onward_decide", args=[onward.pk]) in listed
        response = client.post(reverse("sharing_log:onward_decide", args=[onward.pk]),
                               {"decision": "granted", "reason": "Necessary for the joint visit."})
        assert response["Location"] == detail(entry)

        html = client.get(detail(entry)).content.decode()
        assert "Consent given" in html and "Necessary for the joint visit." in html
        listed = client.get(reverse("sharing_log:onward_list")).content.decode()
        assert "No request is waiting for a decision." in listed

    def test_an_empty_decision_shows_the_error_summary_and_decides_nothing(self, client, roles, onward):
        response = sign_in(client, roles.spoc).post(reverse("sharing_log:onward_decide", args=[onward.pk]), {})

        summary = error_summary(response)
        assert "Select whether you give or refuse consent" in summary
        assert "Give the reason for your decision" in summary
        onward.refresh_from_db()
        assert onward.decision == OnwardDecision.PENDING

    def test_a_decided_request_shows_its_decision_and_no_form(self, client, roles, onward):
        onward_disclosure_decide(onward_request=onward, by_user=roles.spoc, decision=OnwardDecision.REFUSED,
                                 reason="Not necessary.")
        client = sign_in(client, roles.spoc)

        html = client.get(reverse("sharing_log:onward_decide", args=[onward.pk])).content.decode()
        assert "Consent was refused by" in html and "Record decision" not in html

        response = client.post(reverse("sharing_log:onward_decide", args=[onward.pk]),
                               {"decision": "granted", "reason": "Changed my mind."})
        assert "Consent was already refused by" in error_summary(response)
        onward.refresh_from_db()
        assert onward.decision == OnwardDecision.REFUSED

    def test_the_requester_gets_403_on_their_own_request(self, client, roles, entry):
        both = roles.member(roles.owner, Role.PRACTITIONER)
        MembershipFactory(user=both, organisation=roles.partner, role=Role.SPOC)
        onward = ask(entry, both)

        client = sign_in(client, both)

        assert client.get(reverse("sharing_log:onward_decide", args=[onward.pk])).status_code == 403
        assert reverse("sharing_log:onward_decide", args=[onward.pk]) not in client.get(detail(entry)).content.decode()


class TestExport:
    """Issue 16: the requests to decide as CSV and XLSX, as the list shows them."""

    @staticmethod
    def read(response) -> list[dict]:
        body = b"".join(response.streaming_content)
        if response["Content-Disposition"].endswith('.csv"'):
            header, *rows = csv.reader(io.StringIO(body.decode("utf-8-sig"), newline=""))
        else:
            header, *rows = ([c.value for c in row] for row in load_workbook(io.BytesIO(body)).active.iter_rows())
        return [dict(zip(header, row, strict=True)) for row in rows]

    @pytest.mark.parametrize("name", ["sharing_log:onward_export", "sharing_log:onward_export_xlsx"])
    def test_the_requests_awaiting_consent_with_their_purpose(self, client, roles, onward, name):
        rows = self.read(sign_in(client, roles.spoc).get(reverse(name)))

        assert [(row["To pass it to"], row["Why"], str(row["Entry"])) for row in rows] == [
            ("Borsetshire Youth Offending Service", PURPOSE, str(onward.disclosure_id)),
        ]

    @pytest.mark.parametrize("name", ["sharing_log:onward_export", "sharing_log:onward_export_xlsx"])
    def test_another_organisation_gets_none(self, client, roles, onward, name):
        assert self.read(sign_in(client, roles.unrelated).get(reverse(name))) == []

    def test_the_list_links_to_both_downloads(self, client, roles, onward):
        listed = sign_in(client, roles.spoc).get(reverse("sharing_log:onward_list")).content.decode()

        assert f'href="{reverse("sharing_log:onward_export_xlsx")}" download>' in listed
