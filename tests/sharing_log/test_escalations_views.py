"""The escalation pages (sharing_log/views/escalations.py): raising, listing and resolving an
escalation, with the GOV.UK error summary on bad input.

Who may reach each page is the permission matrix's business (tests/test_permission_matrix.py)."""


import pytest
from django.urls import reverse

from partners.models import Role
from sharing_log.models import Decision, Escalation, EscalationOutcome, EscalationStatus
from tests.auth import sign_in
from tests.factories import DisclosureFactory
from tests.sharing_log.helpers import error_summary
from tests.sharing_log.helpers.escalations import CONCERN, NOTE, PINNED, raise_for, refusal

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


class TestPages:
    def test_refusal_page_offers_escalation_to_the_partner_refused_only(self, client, roles):
        entry = refusal(roles)

        as_asker = sign_in(client, roles.practitioner).get(reverse("sharing_log:detail", args=[entry.pk]))
        as_refuser = sign_in(client, roles.spoc).get(reverse("sharing_log:detail", args=[entry.pk]))

        assert "Escalate this refusal" in as_asker.content.decode()
        assert "This refusal has not been escalated." in as_asker.content.decode()
        assert "Escalate this refusal" not in as_refuser.content.decode()

    def test_raising_with_nothing_typed_shows_the_error_summary_and_saves_nothing(self, client, roles):
        entry = refusal(roles)

        response = sign_in(client, roles.practitioner).post(reverse("sharing_log:escalate", args=[entry.pk]), {})

        assert response.status_code == 200
        assert "Say why the information is needed to keep a child safe" in error_summary(response)
        assert response.content.decode().count("<title>Error: ") == 1
        assert Escalation.objects.exists() is False

    def test_identifying_concern_asks_for_the_tick_on_the_page(self, client, roles):
        entry = refusal(roles)
        url = reverse("sharing_log:escalate", args=[entry.pk])
        concern = "Child lives at CB23 6EA; the school has raised a concern."

        response = sign_in(client, roles.practitioner).post(url, {"concern": concern})

        assert "The concern may identify someone" in error_summary(response)
        assert 'name="concern_checked"' in response.content.decode()
        assert Escalation.objects.exists() is False
        response = client.post(url, {"concern": concern, "concern_checked": "on"})
        assert response.status_code == 302

    def test_escalation_is_raised_and_shown_on_the_entry(self, client, roles):
        entry = refusal(roles)
        sign_in(client, roles.practitioner)

        response = client.post(reverse("sharing_log:escalate", args=[entry.pk]), {"concern": CONCERN})

        escalation = Escalation.objects.get()
        assert response["Location"] == escalation.get_absolute_url()
        page = client.get(response["Location"]).content.decode()
        assert "Refusal escalated to Borsetshire County Council" in page
        assert CONCERN in page
        entry_page = client.get(reverse("sharing_log:detail", args=[entry.pk])).content.decode()
        assert "Waiting for the lead's decision" in entry_page
        assert "Escalate this refusal" not in entry_page

    def test_escalation_page_of_a_shared_entry_explains_instead_of_asking(self, client, roles):
        entry = roles.disclosure_to_partner

        response = sign_in(client, roles.spoc).get(reverse("sharing_log:escalate", args=[entry.pk]))

        assert response.status_code == 200
        assert "Only a decision not to share, or a refused request, can be escalated" in response.content.decode()
        assert "<form" not in response.content.decode().split("<main", 1)[1].split("</main>", 1)[0]

    def test_resolving_with_nothing_chosen_shows_the_error_summary(self, client, roles):
        escalation = raise_for(roles, refusal(roles))

        response = sign_in(client, roles.governance_manager).post(
            reverse("sharing_log:escalation_resolve", args=[escalation.pk]), {},
        )

        summary = error_summary(response)
        assert "Select the outcome" in summary and "Give the reasons for the decision" in summary
        assert Escalation.objects.get().status == EscalationStatus.OPEN

    def test_lead_resolves_and_the_list_moves_it_to_resolved(self, client, roles):
        escalation = raise_for(roles, refusal(roles))
        sign_in(client, roles.governance_manager)

        response = client.post(reverse("sharing_log:escalation_resolve", args=[escalation.pk]), {
            "outcome": EscalationOutcome.UPHELD, "resolution_note": NOTE,
        })

        assert response["Location"] == escalation.get_absolute_url()
        assert "Escalation resolved" in client.get(response["Location"]).content.decode()
        listing = client.get(reverse("sharing_log:escalations"))
        assert list(listing.context["open"]) == [] and list(listing.context["resolved"]) == [escalation]

    def test_lead_who_cannot_see_the_entry_gets_no_link_to_it(self, client, roles, third_party):
        asker = roles.member(third_party, Role.SPOC)
        entry = DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.partner, recipient_organisation=third_party,
            disclosed_by=roles.spoc, decision=Decision.REQUEST_REFUSED, art6_basis=None,
            decision_reason="Not proportionate.",
        )
        escalation = raise_for(roles, entry, user=asker, organisation=third_party)
        sign_in(client, roles.governance_manager)

        page = client.get(escalation.get_absolute_url())
        entry_page = client.get(reverse("sharing_log:detail", args=[entry.pk]))

        assert page.status_code == 200
        assert "Not proportionate." in page.content.decode()
        assert "See the whole entry" not in page.content.decode()
        assert entry_page.status_code == 404
