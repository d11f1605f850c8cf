"""The data-quality pages (sharing_log/views/quality.py): marking an entry inaccurate, the copies
to confirm and confirming one, with the GOV.UK error summary on bad input.

Who may reach each page is the permission matrix's business (tests/test_permission_matrix.py)."""


import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Role
from sharing_log.models import (
    Amendment,
    AmendmentKind,
    RecipientDestructionConfirmation,
)
from sharing_log.services import (
    disclosure_void,
    recipient_copy_confirm,
)
from tests.auth import sign_in
from tests.sharing_log.helpers import Outcome, day, error_summary
from tests.sharing_log.helpers.quality import WRONG, mark, passed_on, same_case

pytestmark = pytest.mark.django_db


def detail(entry) -> str:
    return reverse("sharing_log:detail", args=[entry.pk])


class TestPages:
    def test_the_author_sees_the_link_to_mark_and_the_recipient_does_not(self, client, roles, entry):
        link = reverse("sharing_log:inaccurate", args=[entry.pk])

        assert link in sign_in(client, roles.practitioner).get(detail(entry)).content.decode()
        assert link not in sign_in(client, roles.spoc).get(detail(entry)).content.decode()

    def test_the_page_names_every_recipient_and_offers_entries_of_the_same_case(self, client, roles, entry, yos):
        passed_on(roles, entry, organisation=yos)
        other = same_case(roles)

        url = reverse("sharing_log:inaccurate", args=[entry.pk])
        html = sign_in(client, roles.practitioner).get(url).content.decode()

        assert "Borsetshire Police, which it was shared with" in html
        assert "Borsetshire Youth Offending Service, which it was passed on to with your consent" in html
        assert f'value="{other.pk}"' in html and f"Entry {other.pk}: shared with Borsetshire Police" in html

    def test_an_empty_notice_shows_the_error_summary_and_saves_nothing(self, client, roles, entry):
        response = sign_in(client, roles.practitioner).post(reverse("sharing_log:inaccurate", args=[entry.pk]), {})

        assert response.status_code == 200
        assert "Say what is wrong with the information that was shared" in error_summary(response)
        assert Amendment.objects.exists() is False

    def test_identifiers_are_warned_of_and_the_check_box_offered(self, client, roles, entry):
        url = reverse("sharing_log:inaccurate", args=[entry.pk])
        client = sign_in(client, roles.practitioner)
        text = "The contact was wrong: it is 07700 900123."

        response = client.post(url, {"what_is_wrong": text})
        assert "it looks like it holds a phone number" in error_summary(response)
        assert 'name="text_checked"' in response.content.decode()
        assert Amendment.objects.exists() is False

        response = client.post(url, {"what_is_wrong": text, "text_checked": "on"})
        assert response["Location"] == detail(entry)

    def test_a_voided_entry_offers_no_marking(self, client, roles, entry):
        disclosure_void(disclosure=entry, by_user=roles.practitioner, reason="Logged twice.")
        client = sign_in(client, roles.practitioner)

        assert reverse("sharing_log:inaccurate", args=[entry.pk]) not in client.get(detail(entry)).content.decode()
        html = client.get(reverse("sharing_log:inaccurate", args=[entry.pk])).content.decode()
        assert "it cannot be marked inaccurate" in html and "Mark as inaccurate and tell recipients" not in html

        response = client.post(reverse("sharing_log:inaccurate", args=[entry.pk]), {"what_is_wrong": WRONG})
        assert "it cannot be marked inaccurate" in error_summary(response)
        assert Amendment.objects.filter(kind=AmendmentKind.INACCURATE).exists() is False

    def test_marking_shows_the_notice_and_each_recipients_status_on_the_entry(self, client, roles, entry, yos):
        passed_on(roles, entry, organisation=yos)
        ticked = same_case(roles)

        response = sign_in(client, roles.practitioner).post(
            reverse("sharing_log:inaccurate", args=[entry.pk]), {"what_is_wrong": WRONG, "also_entries": [ticked.pk]},
        )
        assert response["Location"] == detail(entry)

        html = client.get(detail(entry)).content.decode()
        assert "Entry marked inaccurate: 3 recipients asked to correct or destroy their copy" in html
        assert f"Marked inaccurate on {day(timezone.localdate())}" in html and WRONG in html
        assert "Recipients’ copies" in html
        assert html.count("Awaiting confirmation") == 3
        assert "Passed on to it with consent" in html
        assert "It carries the same inaccurate information as" in client.get(detail(ticked)).content.decode()

    def test_the_recipients_spoc_confirms_from_the_entry(self, client, roles, entry, asked):
        client = sign_in(client, roles.spoc)
        confirm = reverse("sharing_log:copy_confirm", args=[asked.pk])
        assert confirm in client.get(detail(entry)).content.decode()
        assert confirm in client.get(reverse("sharing_log:copies")).content.decode()

        html = client.get(confirm).content.decode()
        assert WRONG in html and entry.case_reference in html

        response = client.post(confirm, {})
        assert "Select whether your organisation corrected or destroyed its copy" in error_summary(response)
        asked.refresh_from_db()
        assert asked.outcome == Outcome.PENDING

        response = client.post(confirm, {"outcome": "destroyed"})
        assert response["Location"] == reverse("sharing_log:copies")
        html = client.get(detail(entry)).content.decode()
        assert "Borsetshire Police&#x27;s copy confirmed destroyed" in html
        assert "Awaiting confirmation" not in html and confirm not in html
        assert "Nothing is waiting for confirmation." in client.get(reverse("sharing_log:copies")).content.decode()

    def test_a_confirmed_copy_shows_its_outcome_and_refuses_a_second_answer(self, client, roles, asked):
        recipient_copy_confirm(confirmation=asked, by_user=roles.spoc, outcome=Outcome.CORRECTED)
        client = sign_in(client, roles.spoc)
        confirm = reverse("sharing_log:copy_confirm", args=[asked.pk])

        assert "Borsetshire Police confirmed its copy corrected" in client.get(confirm).content.decode()
        response = client.post(confirm, {"outcome": "destroyed"})
        assert "Borsetshire Police already confirmed its copy corrected" in error_summary(response)
        asked.refresh_from_db()
        assert asked.outcome == Outcome.CORRECTED

    def test_an_onward_recipient_confirms_without_seeing_the_entry(self, client, roles, entry, yos):
        passed_on(roles, entry, organisation=yos)
        mark(entry, roles.practitioner)
        youth = RecipientDestructionConfirmation.objects.get(organisation=yos)
        client = sign_in(client, roles.member(yos, Role.SPOC))

        assert client.get(detail(entry)).status_code == 404
        html = client.get(reverse("sharing_log:copy_confirm", args=[youth.pk])).content.decode()
        assert WRONG in html and "Passed on to you" in html
        assert detail(entry) not in html

        client.post(reverse("sharing_log:copy_confirm", args=[youth.pk]), {"outcome": "corrected"})
        youth.refresh_from_db()
        assert youth.outcome == Outcome.CORRECTED
