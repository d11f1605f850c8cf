"""The signatures page (agreements/views/signing.py): whom to chase first, with a reminder for
each party (``signature_remind``), the filter, the sortable table and the CSV export
(``signatures_export``). Who may reach each is the permission matrix's business."""

import csv
import datetime
import io
import re

import pytest
from django.urls import reverse

from agreements.models import Agreement, DpoReviewOutcome, SignatureReminder
from agreements.services import signature_reminder_send
from agreements.services.dpo_reviews import dpo_review_record
from partners.models import Role
from tests.agreements.helpers import error_summary
from tests.agreements.test_signature_reminders import PINNED
from tests.factories import OrganisationFactory, PartyFactory

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


def text(response) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def signatures(cast, query: str = "") -> str:
    return f"{reverse('agreements:signatures', args=[cast.agreement.pk])}{query}"


def remind(cast, party=None) -> str:
    return reverse("agreements:signature_remind", args=[cast.agreement.pk, (party or cast.partner_party).pk])


def export(cast, query: str = "") -> str:
    return f"{reverse('agreements:signatures_export', args=[cast.agreement.pk])}{query}"


class TestSignaturesPage:
    def test_leads_with_whom_to_chase_before_the_table_of_every_party(self, client, sign_in, chased):
        page = text(sign_in(client, chased.governance_manager).get(signatures(chased)))

        assert page.index("Parties to chase") < page.index("All parties")
        assert ("1 party is still to sign version 1.0, longest waiting first. A reminder goes to the party's "
                "lead signatory and SPOCs; each party can be reminded once a day.") in page
        assert "Borsetshire Police Invited Not named yet Riley Example, Community safety officer" in page
        assert "Send a reminder to Borsetshire Police" in page

    def test_the_reminder_is_a_post_with_a_csrf_token(self, client, sign_in, chased):
        content = sign_in(client, chased.governance_manager).get(signatures(chased)).content.decode()

        form = re.search(rf'<form method="post" action="{remind(chased)}" novalidate>(.*?)</form>', content, re.S)
        assert form is not None
        assert 'name="csrfmiddlewaretoken"' in form.group(1)

    def test_a_reminder_is_sent_and_the_page_says_so_instead_of_the_button(self, client, sign_in, chased):
        response = sign_in(client, chased.governance_manager).post(remind(chased), follow=True)

        assert response.redirect_chain == [(signatures(chased), 302)]
        page = text(response)
        assert "Success A reminder was sent to Borsetshire Police on 17 June 2026." in page
        assert page.count("A reminder was sent to Borsetshire Police on 17 June 2026.") == 2  # banner and row
        assert "Send a reminder to Borsetshire Police" not in page
        assert SignatureReminder.objects.filter(party=chased.partner_party).count() == 1

    def test_a_second_reminder_the_same_day_is_refused_with_the_date_of_the_first(self, client, sign_in, chased):
        signature_reminder_send(party=chased.partner_party, sent_by=chased.governance_manager)

        response = sign_in(client, chased.governance_manager).post(remind(chased), follow=True)

        assert "Important A reminder was sent to Borsetshire Police on 17 June 2026." in text(response)
        assert SignatureReminder.objects.filter(party=chased.partner_party).count() == 1

    def test_a_party_with_nobody_to_tell_is_said_so(self, client, sign_in, chased):
        nobody = PartyFactory(agreement=chased.agreement, organisation=OrganisationFactory(name="Ambridge Parish"))

        response = sign_in(client, chased.governance_manager).post(remind(chased, nobody), follow=True)

        assert ("A reminder was sent to Ambridge Parish on 17 June 2026. Not everyone could be told: "
                "not delivered: Ambridge Parish has nobody to tell.") in text(response)

    def test_others_see_no_chase_list_and_no_reminder(self, client, sign_in, chased):
        page = text(sign_in(client, chased.spoc).get(signatures(chased)))

        assert "Parties to chase" not in page
        assert "Send a reminder" not in page
        assert "All parties" in page

    def test_the_table_is_sortable_and_filtered_without_javascript(self, client, sign_in, chased):
        sign_in(client, chased.spoc)
        content = client.get(signatures(chased, "?search=police&status=")).content.decode()

        assert '<table class="govuk-table" data-module="moj-sortable-table">' in content
        assert '<th scope="col" class="govuk-table__header" aria-sort="ascending">Organisation</th>' in content
        table = text_of_table(content)
        assert "Borsetshire Police" in table
        assert "Borsetshire County Council" not in table
        assert "1 of 2 parties, filtered" in table

    def test_nothing_matching_says_so(self, client, sign_in, chased):
        page = text(sign_in(client, chased.spoc).get(signatures(chased, "?status=declined")))

        assert "No parties match your filters. Clear the filters" in page

    def test_a_bad_status_shows_a_gov_uk_error_and_the_search_still_applies(self, client, sign_in, chased):
        response = sign_in(client, chased.spoc).get(signatures(chased, "?search=police&status=king"))

        assert "Select a status from the list." in error_summary(response)
        assert "Borsetshire County Council" not in text_of_table(response.content.decode())


def text_of_table(content: str) -> str:
    table = re.search(r'<table class="govuk-table" data-module="moj-sortable-table">.*?</table>', content, re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", table.group(0)).split())


class TestSignaturesExport:
    def read(self, response) -> list[list[str]]:
        body = b"".join(response.streaming_content).decode("utf-8")
        assert body.startswith("\ufeff")
        return list(csv.reader(io.StringIO(body[1:])))

    def test_every_party_and_its_signature_as_csv(self, client, sign_in, chased):
        response = sign_in(client, chased.spoc).get(export(chased))

        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Cache-Control"] == "no-store"
        slug = (chased.agreement.reference or chased.agreement.title).lower().replace(" ", "-")
        assert response["Content-Disposition"] == f'attachment; filename="signatures-{slug}-2026-06-17.csv"'
        assert self.read(response) == [
            ["Organisation", "Signature", "Version signed", "Signed on", "Lead signatory"],
            ["Borsetshire County Council", "Signed", "1.0", "2026-06-01", ""],
            ["Borsetshire Police", "Invited", "", "", ""],
        ]

    def test_the_page_links_the_export_with_its_filters(self, client, sign_in, chased):
        content = sign_in(client, chased.spoc).get(signatures(chased, "?search=police")).content.decode()

        assert f'href="{export(chased, "?search=police")}" download>Download these parties' in content
        rows = self.read(client.get(export(chased, "?search=police")))
        assert [row[0] for row in rows] == ["Organisation", "Borsetshire Police"]

    def test_a_name_that_reads_as_a_formula_is_defused(self, client, sign_in, chased):
        PartyFactory(agreement=chased.agreement, organisation=OrganisationFactory(name='=HYPERLINK("x")'))

        rows = self.read(sign_in(client, chased.spoc).get(export(chased)))

        assert ["'=HYPERLINK(\"x\")", "Invited", "", "", ""] in rows


def test_the_day_after_a_reminder_the_button_is_back_with_the_last_date(client, sign_in, chased):
    signature_reminder_send(party=chased.partner_party, sent_by=chased.governance_manager,
                            on=datetime.date(2026, 6, 16))

    page = text(sign_in(client, chased.governance_manager).get(signatures(chased)))

    assert "Send a reminder to Borsetshire Police Last reminded 16 June 2026" in page


class TestChaseListWhileTheDpoReviewIsAwaited:
    """Decision 0062, amended: with DPO review on, the chase list says which parties wait for their
    DPO, whose reminder goes to the DPO, and offers no reminder once the DPO found changes needed."""

    @pytest.fixture
    def dpo_on(self, chased):
        Agreement.objects.filter(pk=chased.agreement.pk).update(dpo_review_required=True)
        chased.partner_dpo = chased.member(chased.partner, Role.GOVERNANCE_MANAGER, username="police-dpo")
        return chased

    def test_the_dpo_is_reminded_while_its_review_is_awaited(self, client, sign_in, dpo_on):
        page = text(sign_in(client, dpo_on.governance_manager).get(signatures(dpo_on)))

        assert ("While a party's DPO review is awaited, the reminder goes to its data protection officer "
                "instead: its lead signatory cannot sign until then.") in page
        assert "Borsetshire Police Invited Awaiting DPO review" in page
        assert "Remind the DPO of Borsetshire Police" in page
        assert "Send a reminder to Borsetshire Police" not in page

    def test_no_reminder_is_offered_once_the_dpo_found_changes_needed(self, client, sign_in, dpo_on):
        dpo_review_record(party=dpo_on.partner_party, version=dpo_on.version, user=dpo_on.partner_dpo,
                          outcome=DpoReviewOutcome.CHANGES_NEEDED, comments="Clause 4 is too wide.")

        page = text(sign_in(client, dpo_on.governance_manager).get(signatures(dpo_on)))

        assert "Borsetshire Police Invited Changes needed" in page
        assert "Its DPO found changes needed: answer them before it can sign." in page
        assert "Remind the DPO of Borsetshire Police" not in page
        assert "Send a reminder to Borsetshire Police" not in page

    def test_once_the_dpo_is_content_the_signatory_is_reminded_as_before(self, client, sign_in, dpo_on):
        dpo_review_record(party=dpo_on.partner_party, version=dpo_on.version, user=dpo_on.partner_dpo,
                          outcome=DpoReviewOutcome.CONTENT_TO_SIGN)

        page = text(sign_in(client, dpo_on.governance_manager).get(signatures(dpo_on)))

        assert "Borsetshire Police Invited Ready to sign" in page
        assert "Send a reminder to Borsetshire Police" in page
