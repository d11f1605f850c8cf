"""The agreement pages: the filtered list, an agreement's page, its history, roles in agreements
(``agreements.views.browse``) and the sub-navigation between an agreement's pages."""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements import services
from agreements.models import Agreement, ContactRole, DataLevel, Kind, Status
from agreements.templatetags import agreement_pages
from tests.factories import (
    AgreementFactory,
    AgreementVersionFactory,
    ContactFactory,
    LegalGatewayFactory,
    PartyFactory,
    SectionFactory,
)

# Every test runs on Wednesday 17 June 2026 from 10:00 (the clock ticks), with the module's shared
# cast built then: no bank holiday, month end or change of the clocks can move a deadline.
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


def text(response) -> str:
    """The page's visible words, tags stripped and spacing collapsed."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def repealed_agreement(roles, **fields) -> Agreement:
    dpa2018 = LegalGatewayFactory(
        key="dpa2018-s8", instrument="Data Protection Act 2018", provision="s8",
        title="Lawfulness of processing: public interest",
    )
    dpa1998 = LegalGatewayFactory(repealed=True, replaced_by=dpa2018, summary="Disclosures for crime prevention.")
    return AgreementFactory(
        title="Haringey Children and Young People's Information Sharing Protocol", reference="HCYP ISP",
        owner=roles.owner, in_force=True, gateways=[dpa1998], **fields,
    )


class TestAgreementList:
    url = reverse("agreements:list")

    def test_shows_what_the_user_may_see_with_a_count(self, client, sign_in, roles):
        response = sign_in(client, roles.governance_manager).get(self.url)

        assert [row[0] for row in response.context["rows"]] == [roles.agreement, roles.draft]
        assert "2 agreements" in text(response)

    def test_filters_by_cites_repealed_law_and_keeps_the_filter_in_the_form(self, client, sign_in, roles):
        haringey = repealed_agreement(roles)

        response = sign_in(client, roles.governance_manager).get(self.url, {"cites_repealed_law": "on"})

        assert [row[0] for row in response.context["rows"]] == [haringey]
        assert "1 agreement matches your filters" in text(response)
        assert 'id="id_cites_repealed_law" checked' in response.content.decode()
        assert "Cites repealed law" in text(response)

    def test_searches_titles_and_references(self, client, sign_in, roles):
        response = sign_in(client, roles.governance_manager).get(self.url, {"search": "BDAP"})

        assert [row[0] for row in response.context["rows"]] == [roles.draft]
        assert 'value="BDAP"' in response.content.decode()

    def test_owner_filter_offers_only_owners_of_visible_agreements(self, client, sign_in, roles):
        response = sign_in(client, roles.spoc).get(self.url, {"owner": roles.unrelated_organisation.pk})

        assert response.context["form"].errors == {"owner": ["Select an owner from the list."]}

    def test_a_bad_filter_shows_a_gov_uk_error_and_the_other_filters_still_apply(self, client, sign_in, roles):
        response = sign_in(client, roles.governance_manager).get(
            self.url, {"status": "lost", "kind": Kind.AGREEMENT, "search": "Borsetshire Domestic"},
        )

        assert response.status_code == 200
        assert response.context["form"].errors == {"status": ["Select a status from the list."]}
        assert "There is a problem" in text(response)
        assert 'href="#id_status"' in response.content.decode()
        assert response.context["rows"] == [(roles.draft, "")]

    def test_nothing_matching_says_so_and_offers_to_clear_the_filters(self, client, sign_in, roles):
        response = sign_in(client, roles.governance_manager).get(self.url, {"status": Status.ENDED})

        assert "0 agreements match your filters" in text(response)
        assert "No agreements match your filters." in text(response)

    def test_nothing_to_see_says_why(self, client, sign_in, roles):
        someone = roles.member(roles.host, "practitioner")

        response = sign_in(client, someone).get(self.url)

        assert "There are no agreements you can see yet." in text(response)

    def test_overdue_review_is_tagged(self, client, sign_in, roles):
        Agreement.objects.filter(pk=roles.agreement.pk).update(
            next_review_due=timezone.localdate() - datetime.timedelta(days=1),
        )

        response = sign_in(client, roles.governance_manager).get(self.url)

        assert response.context["rows"][0] == (roles.agreement, "overdue")
        assert "Overdue" in text(response)


class TestAgreementDetail:
    def url(self, agreement) -> str:
        return reverse("agreements:detail", args=[agreement.pk])

    def test_warns_of_repealed_law_naming_the_replacement(self, client, sign_in, roles):
        haringey = repealed_agreement(roles)

        response = sign_in(client, roles.governance_manager).get(self.url(haringey))

        assert (
            "Warning This agreement cites Data Protection Act 1998 s29, which has been repealed. "
            "It is replaced by Data Protection Act 2018 s8 (Lawfulness of processing: public interest)."
        ) in text(response)
        assert "Disclosures for crime prevention." in text(response)

    def test_several_outdated_provisions_are_listed_under_one_warning(self, client, sign_in, roles):
        haringey = repealed_agreement(roles)
        haringey.gateways.add(LegalGatewayFactory(
            instrument="Working Together to Safeguard Children 2006", provision="", status="superseded",
            title="Working Together to Safeguard Children 2006",
        ))

        response = sign_in(client, roles.governance_manager).get(self.url(haringey))

        assert response.content.decode().count("govuk-warning-text__text") == 1
        assert (
            "Warning This agreement cites 2 provisions of law that have been repealed or superseded. "
            "Review the agreement and cite the law in force. "
            "Data Protection Act 1998 s29: repealed, replaced by Data Protection Act 2018 s8 "
            "(Lawfulness of processing: public interest) "
            "Working Together to Safeguard Children 2006: superseded"
        ) in text(response)

    def test_no_warning_when_all_law_is_current(self, client, sign_in, roles):
        roles.agreement.gateways.add(LegalGatewayFactory())

        response = sign_in(client, roles.governance_manager).get(self.url(roles.agreement))

        assert "govuk-warning-text" not in response.content.decode()

    def test_overdue_review_is_unmistakable(self, client, sign_in, roles):
        due = timezone.localdate() - datetime.timedelta(days=3)
        Agreement.objects.filter(pk=roles.agreement.pk).update(next_review_due=due)

        response = sign_in(client, roles.governance_manager).get(self.url(roles.agreement))

        assert f"The review of this agreement is overdue: it was due on {due:%-d %B %Y}." in text(response)

    def test_summarises_the_parties_and_links_their_own_page_instead_of_a_table(self, client, sign_in, roles):
        # Issue 14: seed 001's page repeated its 40-row parties table; the parties have their own page.
        first = services.agreement_version_create(agreement=roles.agreement, label="1.0")
        services.signature_record_paper(party=roles.partner_party, version=first, signatory_name="Morgan Hale")
        services.agreement_version_create(agreement=roles.agreement, label="2.0")

        response = sign_in(client, roles.spoc).get(self.url(roles.agreement))

        page = text(response)
        assert "Parties 0 of 2 parties have signed version 2.0. Needs re-signing 2" in page
        assert "Lead signatory" not in page and "Morgan Hale" not in page
        content = response.content.decode()
        assert f'href="{reverse("agreements:parties", args=[roles.agreement.pk])}">See every party' in content
        assert f'href="{reverse("agreements:signatures", args=[roles.agreement.pk])}">See who has signed<' in content

    def test_says_what_needs_doing_with_links_to_where_it_is_done(self, client, sign_in, roles):
        services.agreement_version_create(agreement=roles.agreement, label="1.0")

        response = sign_in(client, roles.governance_manager).get(self.url(roles.agreement))

        assert ("What needs doing 2 parties are still to sign version 1.0 2 parties have named no SPOC Parties"
                in text(response))
        signatures = reverse("agreements:signatures", args=[roles.agreement.pk])
        assert f'href="{signatures}#chase">2 parties are still to sign version 1.0</a>' in response.content.decode()

    def test_nothing_outstanding_says_so(self, client, sign_in, roles):
        for party in roles.agreement.parties.all():
            services.party_contact_add(party=party, contact=ContactFactory(organisation=party.organisation),
                                       role=ContactRole.SPOC)

        page = text(sign_in(client, roles.spoc).get(self.url(roles.agreement)))

        assert "What needs doing Nothing is outstanding. Parties 2 of 2 parties have signed. Signed 2" in page

    def test_an_unset_review_policy_and_breach_clocks_are_flagged(self, client, sign_in, roles):
        Agreement.objects.filter(pk=roles.agreement.pk).update(
            review_first_after_months=None, review_every_months=None, breach_notify_working_days=None,
            breach_notify_without_undue_delay=True, breach_report_working_days=None,
        )

        page = text(sign_in(client, roles.spoc).get(self.url(roles.agreement)))

        assert "Review policy Review policy not set The agreement does not say when it is reviewed." in page
        assert ("After a breach Other partners told: Without undue delay Report from the partner in breach: "
                "not set by this agreement Partners' meeting: within 20 working days Minutes circulated: "
                "within 5 working days of the meeting A personal data breach is reported to the ICO within "
                "72 hours") in page

    def test_data_to_be_shared_is_grouped_by_provider_with_its_level(self, client, sign_in, roles):
        services.data_item_create(
            agreement=roles.agreement, provider_label="Borsetshire Police", level=DataLevel.SENSITIVE,
            description="Domestic abuse incidents",
        )

        response = sign_in(client, roles.governance_manager).get(self.url(roles.agreement))

        assert ("Shared by Borsetshire Police: 1 item Shared by Borsetshire Police Data Level Special category data "
                "Criminal offence data "
                "Domestic abuse incidents Detailed and sensitive No No") in text(response)
        assert '<details class="govuk-details">' in response.content.decode()  # folded: the page summarises

    def test_sections_are_numbered_in_details(self, client, sign_in, roles):
        SectionFactory(agreement=roles.agreement, number="2", heading="Legal basis", body="The partners rely on…")

        response = sign_in(client, roles.governance_manager).get(self.url(roles.agreement))

        assert '<span class="govuk-details__summary-text">2. Legal basis</span>' in response.content.decode()

    def test_links_parent_and_children_both_ways_only_when_visible(self, client, sign_in, roles):
        framework = AgreementFactory(title="Borsetshire Charter", kind=Kind.FRAMEWORK, owner=roles.owner, in_force=True)
        PartyFactory(agreement=framework, organisation=roles.partner, signed=True)
        Agreement.objects.filter(pk__in=[roles.agreement.pk, roles.draft.pk]).update(parent=framework)

        parent_page = sign_in(client, roles.spoc).get(self.url(framework))
        child_page = client.get(self.url(roles.agreement))

        assert list(parent_page.context["children"]) == [roles.agreement]
        assert roles.draft.title not in text(parent_page)
        assert f'href="{self.url(roles.agreement)}"' in parent_page.content.decode()
        assert 'This agreement sits under Borsetshire Charter' in text(child_page)
        assert f'href="{self.url(framework)}"' in child_page.content.decode()

    def test_sub_navigation_links_the_history(self, client, sign_in, roles):
        response = sign_in(client, roles.spoc).get(self.url(roles.agreement))

        history = reverse("agreements:history", args=[roles.agreement.pk])
        assert f'<a class="moj-sub-navigation__link" href="{history}">History</a>' in response.content.decode()


class TestSubNavigation:
    def test_drafting_tasks_only_for_those_who_manage_the_agreement(self, roles):
        def texts(user):
            return [item["text"] for item in agreement_pages.agreement_pages(user, roles.agreement, "")]

        assert "Drafting tasks" in texts(roles.governance_manager)
        assert "Drafting tasks" not in texts(roles.practitioner)

    def test_the_current_page_is_marked(self, roles):
        items = agreement_pages.agreement_pages(roles.spoc, roles.agreement, "agreements:history")

        assert [item["text"] for item in items if item["current"]] == ["History"]


class TestAgreementHistory:
    def test_shows_who_changed_which_field_from_what_to_what(self, client, sign_in, roles):
        section = SectionFactory(agreement=roles.agreement, number="3", heading="Consent")
        section._history_user = roles.governance_manager
        section.heading = "Consent and its exceptions"
        section.save()

        response = sign_in(client, roles.spoc).get(reverse("agreements:history", args=[roles.agreement.pk]))

        page = text(response)
        assert (
            f"Section 3. Consent and its exceptions changed by {roles.governance_manager.get_full_name()}"
        ) in page
        assert "Heading changed from “Consent” to “Consent and its exceptions”" in page


class TestAgreementHistoryPages:
    """25 changes a page, newest first, filtered by kind with a GET form."""

    @pytest.fixture
    def agreement(self, roles):
        """An agreement with 30 sections: 31 changes, the agreement's creation first."""
        agreement = AgreementFactory(title="Felpersham Youth Offending ISA", owner=roles.owner)
        for number in range(1, 31):
            SectionFactory(agreement=agreement, number=str(number), heading=f"Heading {number}")
        return agreement

    def get(self, client, sign_in, roles, agreement, **query):
        return sign_in(client, roles.governance_manager).get(
            reverse("agreements:history", args=[agreement.pk]), query,
        )

    def test_the_first_page_holds_the_newest_25_with_the_page_count_in_the_title(
        self, client, sign_in, roles, agreement,
    ):
        response = self.get(client, sign_in, roles, agreement)

        page = response.context["page"]
        assert [entry.title for entry in page][:2] == [
            "Section 30. Heading 30 created", "Section 29. Heading 29 created",
        ]
        assert len(page.object_list) == 25
        assert "<title>History (page 1 of 2) – Felpersham Youth Offending ISA – ISA Portal</title>" in (
            response.content.decode()
        )
        assert "31 changes, showing 1 to 25" in text(response)

    def test_the_second_page_holds_the_oldest(self, client, sign_in, roles, agreement):
        response = self.get(client, sign_in, roles, agreement, page="2")

        assert [entry.title for entry in response.context["page"]][-1] == "Agreement created"
        assert "31 changes, showing 26 to 31" in text(response)
        assert 'href="?page=1" rel="prev"' in response.content.decode()

    def test_a_page_number_that_is_not_a_number_shows_the_first_page(self, client, sign_in, roles, agreement):
        response = self.get(client, sign_in, roles, agreement, page="last")

        assert response.status_code == 200
        assert response.context["page"].number == 1

    def test_a_page_past_the_end_shows_the_last_page(self, client, sign_in, roles, agreement):
        response = self.get(client, sign_in, roles, agreement, page="40")

        assert response.status_code == 200
        assert response.context["page"].number == 2

    def test_one_kind_of_change_and_its_pages_keep_the_filter(self, client, sign_in, roles, agreement):
        response = self.get(client, sign_in, roles, agreement, kind="sections")

        assert "30 changes to sections, showing 1 to 25" in text(response)
        assert 'href="?kind=sections&amp;page=2" rel="next"' in response.content.decode()
        assert '<option value="sections" selected>Sections</option>' in response.content.decode()

    def test_a_kind_with_no_changes_says_so(self, client, sign_in, roles, agreement):
        response = self.get(client, sign_in, roles, agreement, kind="signatures")

        assert "No changes to signatures have been recorded. Show every change" in text(response)
        assert "govuk-pagination" not in response.content.decode()

    def test_a_bad_kind_gets_a_gov_uk_error_and_every_change(self, client, sign_in, roles, agreement):
        response = self.get(client, sign_in, roles, agreement, kind="breaches")

        assert response.status_code == 200
        assert "There is a problem Select what to show changes to from the list." in text(response)
        assert 'href="#id_kind"' in response.content.decode()
        assert response.context["page"].paginator.count == 31


class TestOrganisationRoles:
    def test_lists_people_and_their_roles_in_visible_agreements(self, client, sign_in, roles):
        spoc = ContactFactory(organisation=roles.partner, name="Ali Brook", job_title="Partnership analyst")
        services.party_contact_add(party=roles.partner_party, contact=spoc, role=ContactRole.SPOC)
        draft_party = roles.draft.parties.get(organisation=roles.partner)
        services.party_contact_add(party=draft_party, contact=spoc, role=ContactRole.LEAD_SIGNATORY)

        response = sign_in(client, roles.spoc).get(reverse("agreements:organisation_roles", args=[roles.partner.pk]))

        assert (
            f"Ali Brook, Partnership analyst Single point of contact (SPOC) {roles.agreement.title}"
        ) in text(response)
        assert roles.draft.title not in text(response)

    def test_nobody_named_says_so(self, client, sign_in, roles):
        response = sign_in(client, roles.unrelated).get(
            reverse("agreements:organisation_roles", args=[roles.partner.pk]),
        )

        assert "Nobody at Borsetshire Police is named in an agreement you can see." in text(response)


def test_history_lists_a_new_version(client, sign_in, roles):
    AgreementVersionFactory(agreement=roles.agreement, label="1.0")

    response = sign_in(client, roles.governance_manager).get(
        reverse("agreements:history", args=[roles.agreement.pk]),
    )

    assert "Version 1.0 created by System" in text(response)


@pytest.mark.parametrize(("subject", "offered"), [("governance_manager", True), ("spoc", False), ("auditor", False)])
def test_only_governance_managers_are_offered_a_new_agreement(client, sign_in, roles, subject, offered):
    response = sign_in(client, getattr(roles, subject)).get(reverse("agreements:list"))

    assert (f'href="{reverse("agreements:create")}"' in response.content.decode()) is offered


def test_managers_reach_the_status_page_from_the_sub_navigation(client, sign_in, roles):
    status = reverse("agreements:status", args=[roles.agreement.pk])

    managers = sign_in(client, roles.governance_manager).get(reverse("agreements:detail", args=[roles.agreement.pk]))
    others = sign_in(client, roles.spoc).get(reverse("agreements:detail", args=[roles.agreement.pk]))

    assert f'href="{status}">Status</a>' in managers.content.decode()
    assert status not in others.content.decode()
