"""The sharing log's pages for entries (sharing_log/views/disclosures.py): logging a share, an
entry's page, acknowledging, the lists and their filters, the CSV export (sharing_log/exports.py)
and the navigation.

Who may reach each page is the permission matrix's business (tests/test_permission_matrix.py)."""

import csv
import datetime
import html as html_lib
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from govuk_blocks.dates import date_time
from partners.models import Role
from sharing_log.forms.log_form_choices import RECEIVED_LISTED
from sharing_log.models import (
    Acknowledgement,
    ConsentStatus,
    Decision,
    Disclosure,
    OnwardDecision,
)
from sharing_log.services import (
    disclosure_amend,
    disclosure_void,
    onward_disclosure_decide,
    onward_disclosure_request,
)
from tests.auth import sign_in
from tests.factories import DisclosureFactory, LegalGatewayFactory, OrganisationFactory, PartyFactory
from tests.sharing_log.helpers import error_summary
from tests.sharing_log.helpers.disclosures import occurred_on, routine_share, with_token

pytestmark = pytest.mark.django_db


CREATE = reverse("sharing_log:create")





class TestCreate:
    def test_form_defaults_to_the_users_one_agreement_partner_purpose_and_now(self, client, roles, art6):
        response = sign_in(client, roles.practitioner).get(CREATE)

        form = response.context["form"]
        assert response.status_code == 200
        assert (form["agreement"].value(), form["recipient_organisation"].value(), form["purpose"].value()) == (
            roles.agreement.pk, roles.partner.pk, roles.agreement.purposes.get().pk,
        )
        assert form["art6_basis"].value() == art6.pk
        today = timezone.localdate()
        assert form["occurred_on"].value() == [str(today.day), str(today.month), str(today.year)]
        assert form["organisation"].field.widget.is_hidden is True

    def test_routine_share_is_logged_with_one_post_and_shown_with_a_success_banner(self, client, roles, art6):
        sign_in(client, roles.practitioner)

        response = client.post(CREATE, with_token(client, routine_share(roles, art6)))

        disclosure = Disclosure.objects.get()
        assert response.status_code == 302
        assert response["Location"] == reverse("sharing_log:detail", args=[disclosure.pk])
        page = client.get(response["Location"]).content.decode()
        assert "Disclosure to Borsetshire Police logged" in page
        assert (disclosure.disclosed_by, disclosure.case_reference) == (roles.practitioner, "ASB-2026-0042")

    def test_empty_form_shows_every_required_question_in_the_error_summary(self, client, roles, art6):
        response = sign_in(client, roles.practitioner).post(CREATE, with_token(client, {}))

        summary = error_summary(response)
        assert response.status_code == 200
        for message in [
            "Select the agreement it was shared under", "Select the partner organisation", "Select what happened",
            "Enter the date it happened", "Enter the time it happened, for example 14:30",
            "Enter the case reference", "Select who the information is about", "Select how much was shared",
            "Select the purpose it served", "Select the consent position", "Select whether the person was told",
        ]:
            assert message in summary
        assert "This field is required." not in response.content.decode()
        assert Disclosure.objects.exists() is False

    def test_services_refusal_is_shown_against_the_question(self, client, roles, art6):
        response = sign_in(client, roles.practitioner).post(CREATE, with_token(client, routine_share(
            roles, art6, has_special_categories="on", special_categories=["health"],
            consent_status=ConsentStatus.REFUSED_OVERRIDDEN,
        )))

        html = response.content.decode()
        assert response.status_code == 200
        assert '<a href="#id_art9_conditions">Choose an Article 9 condition: you have said special category data ' \
               'was shared.</a>' in html
        assert '<a href="#id_consent_override_reason">Give the reason for overriding the refusal of consent.</a>' \
            in html
        assert ('<a href="#id_override_designated_manager">Borsetshire County Council has no designated manager '
                f'for {roles.agreement} who can confirm an override in the portal. Name one on the agreement&#x27;s '
                'parties page (they need a login), then log this share.</a>') in html
        assert Disclosure.objects.exists() is False

    def test_decision_not_to_share_takes_its_reason_from_the_revealed_question(self, client, roles, art6):
        sign_in(client, roles.practitioner)

        client.post(CREATE, with_token(client, routine_share(
            roles, art6, decision=Decision.NOT_SHARED, art6_basis="", not_shared_reason="Not proportionate.",
            refused_reason="Left over from another answer.",
        )))

        assert Disclosure.objects.get().decision_reason == "Not proportionate."

    def test_decision_not_to_share_without_a_reason_asks_for_it(self, client, roles, art6):
        response = sign_in(client, roles.practitioner).post(CREATE, with_token(client, routine_share(
            roles, art6, decision=Decision.NOT_SHARED, art6_basis="",
        )))

        assert '<a href="#id_not_shared_reason">Give the reason for deciding not to share.</a>' \
            in error_summary(response)
        assert Disclosure.objects.exists() is False

    def test_ticking_special_category_data_without_saying_which_is_refused(self, client, roles, art6):
        response = sign_in(client, roles.practitioner).post(CREATE, with_token(client, routine_share(
            roles, art6, has_special_categories="on",
        )))

        assert "Select which special category data was shared" in error_summary(response)
        assert Disclosure.objects.exists() is False

    @pytest.mark.parametrize(("day", "month", "year", "time", "message"), [
        ("31", "2", "2026", "10:00", "The date it happened must be a real date"),
        ("", "2", "2026", "10:00", "The date it happened must include a day"),
        ("1", "", "", "10:00", "The date it happened must include a month and a year"),
        ("1", "2", "2026", "25:00", "Enter the time using the 24-hour clock, for example 14:30"),
        ("x", "y", "z", "noon", "The date it happened must be a real date"),
        ("99999999999999999999", "2", "2026", "10:00", "The date it happened must be a real date"),
        ("1", "2", "26", "10:00", "Year must include 4 numbers"),
    ])
    def test_bad_date_or_time_is_refused(self, client, roles, art6, day, month, year, time, message):
        response = sign_in(client, roles.practitioner).post(CREATE, with_token(client, routine_share(
            roles, art6, occurred_time=time, **occurred_on(day, month, year),
        )))

        assert message in error_summary(response)
        assert Disclosure.objects.exists() is False

    def test_future_date_is_refused(self, client, roles, art6):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)

        response = sign_in(client, roles.practitioner).post(CREATE, with_token(client, routine_share(
            roles, art6, **occurred_on(tomorrow.day, tomorrow.month, tomorrow.year),
        )))

        assert '<a href="#id_occurred_on-day">The date and time it happened must be now or in the past.</a>' in \
            error_summary(response)

    @pytest.mark.parametrize("field", [
        "recipient_organisation", "purpose", "agreement", "art6_basis", "received_disclosure",
    ])
    def test_tampered_choice_is_refused_not_a_500(self, client, roles, art6, field):
        response = sign_in(client, roles.practitioner).post(
            CREATE, with_token(client, routine_share(roles, art6, **{field: "99999"})),
        )

        assert response.status_code == 200
        assert Disclosure.objects.exists() is False

    @pytest.mark.parametrize(("part", "value", "message"), [
        # Issue 12: occurred_on-day=99999999999999999999 was reported as an OverflowError (a 500).
        ("day", "99999999999999999999", "The date it happened must be a real date"),
        ("month", "99999999999999999999", "The date it happened must be a real date"),
        ("year", "99999999999999999999", "Year must include 4 numbers"),
        ("year", "9999", "The date it happened must be between 1 January 1900 and 31 December 2099"),
        ("year", "0001", "The date it happened must be between 1 January 1900 and 31 December 2099"),
    ])
    def test_a_date_out_of_range_gets_a_govuk_message_not_a_500(self, client, roles, art6, part, value, message):
        response = sign_in(client, roles.practitioner).post(
            CREATE, with_token(client, routine_share(roles, art6, **{f"occurred_on-{part}": value})),
        )

        assert f'<a href="#id_occurred_on-day">{message}</a>' in error_summary(response)
        assert Disclosure.objects.exists() is False

    def test_recipient_of_another_agreement_is_not_offered_nor_accepted(self, client, roles, art6):
        response = sign_in(client, roles.practitioner).post(CREATE, with_token(client, routine_share(
            roles, art6, recipient_organisation=roles.unrelated_organisation.pk,
        )))

        assert '<a href="#id_recipient_organisation">Select the partner organisation</a>' in error_summary(response)

    def test_abolished_partners_are_shown_with_the_reason_and_repealed_law_is_not_offered(self, client, roles, art6):
        pct = OrganisationFactory(name="Felpersham Primary Care Trust", ceased_on=datetime.date(2013, 3, 31))
        PartyFactory(agreement=roles.agreement, organisation=pct, signed=True)
        current = LegalGatewayFactory(instrument="Crime and Disorder Act 1998", provision="s115")
        repealed = LegalGatewayFactory(repealed=True)
        roles.agreement.gateways.add(current, repealed)

        form = sign_in(client, roles.practitioner).get(CREATE).context["form"]

        assert form.fields["recipient_organisation"].choices[1:] == [
            ("Can receive today", [(roles.partner.pk, roles.partner.name)]),
            ("Cannot receive today", [
                (pct.pk, "Felpersham Primary Care Trust – cannot receive: ceased on 31 March 2013"),
            ]),
        ]
        assert list(form.fields["gateways"].queryset) == [current]

    def test_with_several_agreements_the_agreement_is_chosen_first_and_only_its_partners_are_offered(
        self, client, roles, art6,
    ):
        second = PartyFactory(signed=True, organisation=roles.owner).agreement
        PartyFactory(agreement=second, signed=True, organisation=OrganisationFactory(name="Felpersham Homes"))
        sign_in(client, roles.practitioner)

        first_step = client.get(CREATE)
        form = client.get(CREATE, {"agreement": second.pk}).context["form"]

        html = first_step.content.decode()
        assert "Which agreement are you logging under?" in html
        assert f'href="{CREATE}?agreement={roles.agreement.pk}"' in html
        assert f'href="{CREATE}?agreement={second.pk}"' in html
        assert b"Save entry" not in first_step.content
        assert form.chosen == second
        assert [name for _, name in form.fields["recipient_organisation"].choices[1:]] == ["Felpersham Homes"]
        assert form["agreement"].field.widget.is_hidden is True

    def test_summary_that_looks_identifying_asks_for_a_tick_and_then_saves(self, client, roles, art6):
        sign_in(client, roles.practitioner)
        data = routine_share(roles, art6, summary="Moved to CB1 2AB.")

        first = client.post(CREATE, with_token(client, data))
        second = client.post(CREATE, with_token(client, {**data, "summary_checked": "on"}))

        assert '<a href="#id_summary_checked">The summary may identify someone: it looks like it holds a ' \
               'postcode.' in error_summary(first)
        assert 'name="summary_checked"' in first.content.decode()
        assert second.status_code == 302
        assert Disclosure.objects.get().summary == "Moved to CB1 2AB."

    def test_the_tick_is_not_asked_for_an_ordinary_summary(self, client, roles, art6):
        html = sign_in(client, roles.practitioner).post(
            CREATE, with_token(client, routine_share(roles, art6, case_reference="")),
        ).content

        assert b'name="summary_checked"' not in html

    def test_organisation_with_no_partner_today_is_told_so(self, client, roles):
        response = sign_in(client, roles.unrelated).get(CREATE)

        assert "Your organisation has no partner to log to today" in response.content.decode()
        assert b"Save entry" not in response.content

    def test_form_has_the_conditional_reveals_and_no_inline_script_or_style(self, client, roles, art6):
        html = sign_in(client, roles.practitioner).get(CREATE).content.decode()

        assert 'data-aria-controls="conditional-special-categories"' in html
        assert 'class="govuk-checkboxes__conditional govuk-checkboxes__conditional--hidden" ' \
               'id="conditional-special-categories"' in html
        assert 'aria-controls="decision-not_shared"' in html
        assert '<div id="decision-not_shared" data-decision-reveal="not_shared" hidden>' in html
        assert "<script>" not in html and "style=" not in html
        assert "novalidate" in html and "csrfmiddlewaretoken" in html


class TestPassingOn:
    """Logging a share of information received through the log to a third party (001 §5.7)."""

    @staticmethod
    def consent(roles, decision: str, reason: str):
        onward = onward_disclosure_request(
            disclosure=roles.disclosure, by_user=roles.practitioner, purpose="A joint visit.",
            third_party_name="Felpersham Children's Services",
        )
        return onward_disclosure_decide(onward_request=onward, by_user=roles.spoc, decision=decision, reason=reason)

    def test_a_refused_onward_request_is_shown_against_the_partner_and_nothing_is_saved(
        self, client, roles, art6, third_party,
    ):
        self.consent(roles, OnwardDecision.REFUSED, "The investigation is still open.")
        before = Disclosure.objects.count()
        sign_in(client, roles.practitioner)

        response = client.post(CREATE, with_token(client, routine_share(
            roles, art6, recipient_organisation=third_party.pk, received_disclosure=roles.disclosure.pk,
        )))

        summary = html_lib.unescape(error_summary(response))
        assert response.status_code == 200
        assert '<a href="#id_recipient_organisation">Borsetshire Police refused consent to pass this information ' \
               "on to Felpersham Children's Services on " in summary
        assert "Their reason: “The investigation is still open.” Do not pass it on.</a>" in summary
        assert Disclosure.objects.count() == before

    def test_a_granted_onward_request_lets_it_through_and_the_entry_shows_the_consent(
        self, client, roles, art6, third_party,
    ):
        onward = self.consent(roles, OnwardDecision.GRANTED, "Necessary for the joint visit.")
        sign_in(client, roles.practitioner)
        page = client.get(CREATE).content.decode()
        assert f"Entry {roles.disclosure.pk}: from Borsetshire Police on " in page

        response = client.post(CREATE, with_token(client, routine_share(
            roles, art6, recipient_organisation=third_party.pk, received_disclosure=roles.disclosure.pk,
            **occurred_on(*_now_parts()), occurred_time=f"{timezone.localtime():%H:%M}",
        )))

        assert response.status_code == 302, error_summary(response)
        disclosure = Disclosure.objects.latest("pk")
        assert disclosure.onward_request == onward
        page = html_lib.unescape(client.get(response["Location"]).content.decode())
        assert "Passed on with consent" in page
        assert (f'(<a class="govuk-link" href="{reverse("sharing_log:detail", args=[roles.disclosure.pk])}">'
                f"entry {roles.disclosure.pk}</a>). Borsetshire Police gave consent to pass it on to "
                "Felpersham Children's Services on ") in page
        assert ": Necessary for the joint visit.</p>" in page
        received = client.get(reverse("sharing_log:detail", args=[roles.disclosure.pk])).content.decode()
        assert (f'<a class="govuk-link govuk-!-display-block" href="{response["Location"]}">'
                f"Passed on: entry {disclosure.pk}</a>") in received


def _now_parts():
    now = timezone.localtime()
    return now.day, now.month, now.year


class TestDetail:
    def test_entry_shows_as_logged_with_its_corrections_beside_and_its_timeline(self, client, roles):
        entry = roles.disclosure_to_partner
        disclosure_amend(disclosure=entry, by_user=roles.practitioner, field="case_reference",
                           value="ASB-2026-0999", reason="Typed the wrong case number.")

        html = sign_in(client, roles.practitioner).get(reverse("sharing_log:detail", args=[entry.pk])).content.decode()

        assert entry.case_reference in html and "ASB-2026-0999" in html
        assert "Typed the wrong case number." in html
        assert "Amended: case reference" in html
        timeline = html[html.index('<div class="moj-timeline">'):]
        assert "ASB-2026-0999" not in timeline and entry.case_reference not in timeline
        logged = entry.history.earliest().history_date
        assert f'<time datetime="{logged.astimezone(timezone.get_current_timezone()).isoformat()}">' \
            f"{date_time(logged)}</time>" in timeline

    def test_entry_shows_its_departure_its_conditions_and_its_part_3_basis(self, client, roles):
        spi, para18 = LegalGatewayFactory(art9=True), LegalGatewayFactory(schedule1=True)
        departed = DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
            disclosed_by=roles.practitioner, art6_departure_reason="A court order requires it.",
            special_categories=["health"], art9_conditions=[spi, para18],
        )
        part3 = LegalGatewayFactory(part3=True)
        police = DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.partner, recipient_organisation=roles.owner,
            disclosed_by=roles.spoc, art6_basis=None, law_enforcement_basis=part3,
        )
        sign_in(client, roles.practitioner)

        first = html_lib.unescape(client.get(reverse("sharing_log:detail", args=[departed.pk])).content.decode())
        second = html_lib.unescape(client.get(reverse("sharing_log:detail", args=[police.pk])).content.decode())

        assert "Reason for relying on a basis the agreement does not cite" in first
        assert "A court order requires it." in first
        assert f"{spi}, {para18}" in first or f"{para18}, {spi}" in first
        assert "DPA 2018 Part 3 basis (law enforcement)" in second and str(part3) in second

    def test_a_part_3_entry_shows_no_article_9_or_schedule_1_rows(self, client, roles):
        s35_5 = LegalGatewayFactory(part3=True, key="dpa-2018-s35-5", provision="s35(5) and Sch 8")
        police = DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.partner, recipient_organisation=roles.owner,
            disclosed_by=roles.spoc, art6_basis=None, law_enforcement_basis=s35_5, special_categories=["health"],
            criminal_offence_data=True, criminal_offence_condition=None,
        )

        page = html_lib.unescape(sign_in(client, roles.practitioner).get(
            reverse("sharing_log:detail", args=[police.pk])).content.decode())

        assert "DPA 2018 Part 3 basis (law enforcement)" in page and str(s35_5) in page
        assert "Article 9 conditions" not in page
        assert "Schedule 1 condition" not in page

    def test_voided_entry_says_so_and_offers_no_further_change(self, client, roles):
        entry = roles.disclosure_to_partner
        disclosure_void(disclosure=entry, by_user=roles.practitioner, reason="Logged twice.")

        html = sign_in(client, roles.practitioner).get(reverse("sharing_log:detail", args=[entry.pk])).content.decode()

        assert "This entry was voided on" in html and "Logged twice." in html
        assert reverse("sharing_log:amend", args=[entry.pk]) not in html

    def test_recipients_spoc_is_offered_the_acknowledgement(self, client, roles):
        entry = roles.disclosure_to_partner

        html = sign_in(client, roles.spoc).get(reverse("sharing_log:detail", args=[entry.pk])).content.decode()

        assert reverse("sharing_log:acknowledge", args=[entry.pk]) in html


class TestAcknowledge:
    def test_spoc_acknowledges_from_the_inbox_and_it_leaves_the_inbox(self, client, roles):
        entry = roles.disclosure_to_partner
        sign_in(client, roles.spoc)
        assert entry.pk in [row.pk for row in client.get(reverse("sharing_log:inbox")).context["entries"]]

        response = client.post(reverse("sharing_log:acknowledge", args=[entry.pk]), {"from": "inbox"})

        assert response["Location"] == reverse("sharing_log:inbox")
        assert Acknowledgement.objects.get().acknowledged_by == roles.spoc
        assert entry.pk not in [row.pk for row in client.get(reverse("sharing_log:inbox")).context["entries"]]

    def test_acknowledging_twice_says_so_rather_than_failing(self, client, roles):
        entry = roles.disclosure_to_partner
        sign_in(client, roles.spoc)
        client.post(reverse("sharing_log:acknowledge", args=[entry.pk]))

        response = client.post(reverse("sharing_log:acknowledge", args=[entry.pk]), follow=True)

        assert "Receipt was acknowledged by" in response.content.decode()
        assert Acknowledgement.objects.count() == 1


class TestLists:
    @pytest.fixture
    def entries(self, roles):
        fire = PartyFactory(agreement=roles.agreement, signed=True,
                            organisation=OrganisationFactory(name="Borsetshire Fire and Rescue Service"))
        return {
            "to_partner": roles.disclosure_to_partner,
            "from_partner": roles.disclosure,
            "to_fire_refused": DisclosureFactory(
                agreement=roles.agreement, disclosing_organisation=roles.owner,
                recipient_organisation=fire.organisation, disclosed_by=roles.practitioner,
                decision=Decision.NOT_SHARED, decision_reason="Not necessary.", case_reference="CSE-7",
                data_categories=["education"], special_categories=["health"],
            ),
        }

    def listed(self, response) -> set:
        return {entry.pk for entry in response.context["page"].entries}

    def test_my_log_shows_what_my_organisation_shared_and_decided(self, client, roles, entries):
        response = sign_in(client, roles.practitioner).get(reverse("sharing_log:list"))

        assert self.listed(response) == {entries["to_partner"].pk, entries["to_fire_refused"].pk}

    def test_received_shows_what_was_shared_with_us(self, client, roles, entries):
        response = sign_in(client, roles.practitioner).get(reverse("sharing_log:received"))

        assert self.listed(response) == {entries["from_partner"].pk}

    def test_auditor_sees_every_entry_under_the_agreement_it_audits(self, client, roles, entries):
        response = sign_in(client, roles.auditor).get(reverse("sharing_log:list"))

        assert self.listed(response) == {entry.pk for entry in entries.values()}

    @pytest.mark.parametrize(("query", "expected"), [
        ({"decision": "not_shared"}, {"to_fire_refused"}),
        ({"data_category": "health"}, {"to_fire_refused"}),
        ({"data_category": "asb"}, {"to_partner"}),
        ({"case_reference": "cse-7"}, {"to_fire_refused"}),
        ({"partner": "partner"}, {"to_partner"}),
        ({"date_from": "tomorrow"}, set()),
        ({"date_to": "yesterday"}, set()),
        ({"date_from": "today", "date_to": "today"}, {"to_partner", "to_fire_refused"}),
    ])
    def test_filters_narrow_the_list_and_stay_in_the_url(self, client, roles, entries, query, expected):
        today = timezone.localdate()
        days = {"today": today, "tomorrow": today + datetime.timedelta(days=1),
                "yesterday": today - datetime.timedelta(days=1)}
        params = {
            key: (f"{days[value]:%d/%m/%Y}" if value in days else roles.partner.pk if value == "partner" else value)
            for key, value in query.items()
        }

        response = sign_in(client, roles.practitioner).get(reverse("sharing_log:list"), params)

        assert self.listed(response) == {entries[name].pk for name in expected}
        assert response.context["form"].active is True

    def test_bad_filter_shows_an_error_and_no_500(self, client, roles, entries):
        response = sign_in(client, roles.practitioner).get(reverse("sharing_log:list"), {"date_from": "31/02/2026"})

        assert response.status_code == 200
        assert "Enter the date from as a real date, for example 1/3/2026" in error_summary(response)

    def test_pages_hold_fifty_and_link_to_older_and_newer(self, client, roles):
        start = timezone.now() - datetime.timedelta(days=2)
        made = [
            DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                              recipient_organisation=roles.partner, disclosed_by=roles.practitioner,
                              occurred_at=start + datetime.timedelta(minutes=minute))
            for minute in range(51)
        ]
        sign_in(client, roles.practitioner)

        first = client.get(reverse("sharing_log:list"))
        second = client.get(reverse("sharing_log:list"), {"after": first.context["page"].older})
        back = client.get(reverse("sharing_log:list"), {"before": second.context["page"].newer})

        assert [entry.pk for entry in first.context["page"].entries] == [entry.pk for entry in reversed(made[1:])]
        assert [entry.pk for entry in second.context["page"].entries] == [made[0].pk]
        assert second.context["page"].older is None
        assert [entry.pk for entry in back.context["page"].entries] == [entry.pk for entry in reversed(made[1:])]

    def test_nonsense_page_cursor_is_the_first_page(self, client, roles, entries):
        response = sign_in(client, roles.practitioner).get(reverse("sharing_log:list"), {"after": "x.y"})

        assert response.status_code == 200


class TestExport:
    def rows(self, response) -> list[list[str]]:
        return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))

    def test_csv_is_an_uncached_attachment_with_a_server_made_name(self, client, roles):
        assert roles.disclosure_to_partner.pk

        response = sign_in(client, roles.practitioner).get(reverse("sharing_log:export"), {"list": "received"})

        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert response["Cache-Control"] == "no-store"
        assert response["Content-Disposition"] == (
            f'attachment; filename="sharing-log-received-{timezone.localdate():%Y-%m-%d}.csv"'
        )

    def test_csv_holds_what_the_user_may_see_with_the_filters_and_the_free_text(self, client, roles):
        shared = roles.disclosure_to_partner
        DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                          recipient_organisation=roles.partner, disclosed_by=roles.practitioner,
                          decision=Decision.NOT_SHARED, decision_reason="Not necessary.")
        disclosure_amend(disclosure=shared, by_user=roles.practitioner, field="case_reference",
                           value="ASB-2026-0999", reason="Wrong case.")

        response = sign_in(client, roles.practitioner).get(reverse("sharing_log:export"), {"decision": "shared"})

        header, *rows = self.rows(response)
        assert [row[0] for row in rows] == [str(shared.pk)]
        assert rows[0][header.index("Case reference")] == "ASB-2026-0999"
        assert rows[0][header.index("Corrections")] == "1"
        assert rows[0][header.index("Why it was corrected")] == "Wrong case."
        # Issue 16: the entry's page shows its reader the free text, and so does the export.
        assert rows[0][header.index("Summary")] == shared.summary
        assert rows[0][header.index("Recipient's work e-mail or phone")] == shared.recipient_contact

    @pytest.mark.parametrize("start", ["=", "+", "-", "@"])
    def test_cells_that_would_be_formulas_are_defused(self, client, roles, start):
        DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                          recipient_organisation=roles.partner, disclosed_by=roles.practitioner,
                          case_reference=f"{start}HYPERLINK(\"http://evil.example\")")

        header, row = self.rows(sign_in(client, roles.practitioner).get(reverse("sharing_log:export")))

        assert row[header.index("Case reference")] == f"'{start}HYPERLINK(\"http://evil.example\")"

    def test_another_organisations_entries_are_not_exported(self, client, roles):
        assert roles.disclosure_to_partner.pk

        header, *rows = self.rows(sign_in(client, roles.unrelated).get(reverse("sharing_log:export")))

        assert rows == []


def test_sharing_log_is_in_the_navigation_of_readers_and_auditors_only(client, roles):
    def has_item(user):
        response = sign_in(client, user).get(reverse("home"))
        return any(item["text"] == "Sharing log" for item in response.context["nav_items"])

    assert [has_item(roles.subject(name)) for name in ("practitioner", "auditor", "lead_signatory", "admin")] == [
        True, True, False, False,
    ]


def test_spoc_at_an_organisation_with_nothing_to_acknowledge_sees_an_empty_inbox(client, roles):
    user = roles.member(roles.owner, Role.SPOC)

    response = sign_in(client, user).get(reverse("sharing_log:inbox"))

    assert "Nothing is waiting for acknowledgement." in response.content.decode()


class TestLegalBasisOnTheLogPage:
    """Issue 13 item 1 on the log page: the departure reason, several Article 9 conditions with
    their Schedule 1 conditions, and DPA 2018 Part 3 offered to competent authorities only."""

    def test_a_basis_the_agreement_does_not_cite_asks_for_the_reason_and_saves_nothing(self, client, roles, art6):
        other = LegalGatewayFactory(art6=True, provision="Art 6(1)(c)", title="Legal obligation")

        response = sign_in(client, roles.practitioner).post(CREATE, with_token(client, routine_share(
            roles, other,
        )))

        assert response.status_code == 200
        assert (f'<a href="#id_art6_departure_reason">{roles.agreement} does not cite UK GDPR Art 6(1)(c) (Legal '
                f'obligation): choose the basis it cites, UK GDPR Art 6(1)(e) (Public task), or give the reason '
                f'for relying on another.</a>') in html_lib.unescape(error_summary(response))
        assert Disclosure.objects.exists() is False

    def test_the_departure_with_its_reason_is_logged(self, client, roles, art6):
        other = LegalGatewayFactory(art6=True, provision="Art 6(1)(c)", title="Legal obligation")

        sign_in(client, roles.practitioner).post(CREATE, with_token(client, routine_share(
            roles, other, art6_departure_reason="A court order requires it.",
        )))

        entry = Disclosure.objects.get()
        assert (entry.art6_basis, entry.art6_departure_reason) == (other, "A court order requires it.")

    def test_a_departure_nobody_could_be_told_of_is_said_so_after_logging_and_on_the_entry(self, client, roles, art6):
        other = LegalGatewayFactory(art6=True, provision="Art 6(1)(c)", title="Legal obligation")

        response = sign_in(client, roles.practitioner).post(CREATE, with_token(client, routine_share(
            roles, other, art6_departure_reason="A court order requires it.",
        )), follow=True)

        entry = Disclosure.objects.get()
        page = html_lib.unescape(response.content.decode())
        assert (f"Disclosure to {roles.partner} logged. Not everyone could be told: "
                f"not delivered: {roles.owner} has nobody to tell.") in page
        assert response.redirect_chain[-1][0] == reverse("sharing_log:detail", args=[entry.pk])
        assert page.count(f"not delivered: {roles.owner} has nobody to tell") >= 2  # the message and the page

    def test_several_article_9_conditions_and_a_schedule_1_condition_are_logged(self, client, roles, art6):
        spi = LegalGatewayFactory(art9=True, key="ukgdpr-art9-2-g")
        consent = LegalGatewayFactory(art9=True, provision="Art 9(2)(a)", title="Explicit consent")
        para18 = LegalGatewayFactory(schedule1=True, key="dpa-2018-sch1-pt2-para18", provision="Sch 1 Pt 2 para 18")

        sign_in(client, roles.practitioner).post(CREATE, with_token(client, routine_share(
            roles, art6, has_special_categories="on", special_categories=["health"],
            art9_conditions=[spi.pk, consent.pk], schedule1_conditions=[para18.pk],
        )))

        assert set(Disclosure.objects.get().art9_conditions.all()) == {spi, consent, para18}

    def test_article_9_2_g_without_schedule_1_is_shown_against_the_schedule_1_question(self, client, roles, art6):
        spi = LegalGatewayFactory(art9=True, key="ukgdpr-art9-2-g", title="Reasons of substantial public interest")

        response = sign_in(client, roles.practitioner).post(CREATE, with_token(client, routine_share(
            roles, art6, has_special_categories="on", special_categories=["health"], art9_conditions=[spi.pk],
        )))

        assert (f'<a href="#id_schedule1_conditions">{spi} (Reasons of substantial public interest) needs a '
                'condition in Schedule 1 Part 2 (substantial public interest) of the Data Protection Act 2018 '
                '(section 10): choose one.</a>') in html_lib.unescape(error_summary(response))
        assert Disclosure.objects.exists() is False

    def test_part_3_is_offered_to_the_police_not_to_the_council(self, client, roles, art6):
        LegalGatewayFactory(part3=True)

        council = sign_in(client, roles.practitioner).get(CREATE)
        police = sign_in(client, roles.spoc).get(CREATE)

        assert "law_enforcement_basis" not in council.context["form"].fields
        assert 'name="law_enforcement_basis"' not in council.content.decode()
        assert 'name="law_enforcement_basis"' in police.content.decode()

    def test_the_police_log_a_share_on_part_3(self, client, roles, art6):
        part3 = LegalGatewayFactory(part3=True)
        sign_in(client, roles.spoc)

        client.post(CREATE, with_token(client, routine_share(
            roles, art6, organisation=roles.partner.pk, recipient_organisation=roles.owner.pk, art6_basis="",
            law_enforcement_basis=part3.pk,
        )))

        entry = Disclosure.objects.get()
        assert (entry.disclosing_organisation, entry.art6_basis, entry.law_enforcement_basis) == (
            roles.partner, None, part3,
        )

    def test_part_3_with_special_category_data_asks_for_s35_5_not_article_9_and_saves_nothing(
        self, client, roles, art6,
    ):
        part3 = LegalGatewayFactory(part3=True)
        s35_5 = LegalGatewayFactory(part3=True, key="dpa-2018-s35-5", provision="s35(5) and Sch 8",
                                    title="Law enforcement: sensitive processing strictly necessary")
        sign_in(client, roles.spoc)

        response = client.post(CREATE, with_token(client, routine_share(
            roles, art6, organisation=roles.partner.pk, recipient_organisation=roles.owner.pk, art6_basis="",
            law_enforcement_basis=part3.pk, has_special_categories="on", special_categories=["health"],
        )))

        summary = html_lib.unescape(error_summary(response))
        assert ('<a href="#id_law_enforcement_basis">You have said special category data was shared under Part 3 of '
                'the DPA 2018: that is sensitive processing, which rests on section 35 and Schedule 8, not on a UK '
                f'GDPR Article 9 condition. Choose {s35_5} (Law enforcement: sensitive processing strictly '
                'necessary) as the Part 3 basis.</a>') in summary
        assert "Choose an Article 9 condition" not in summary
        assert Disclosure.objects.exists() is False



class TestPassingOnAtVolume:
    """The "passing on" question lists the most recent received entries, not all of them: the log
    form does not grow with everything the organisation ever received (issue 15)."""

    def received(self, roles, count: int, **fields) -> list:
        return [DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.partner, recipient_organisation=roles.owner,
            disclosed_by=roles.disclosure.disclosed_by, case_reference=f"RECV-{number}", **fields,
        ) for number in range(count)]

    @staticmethod
    def listed(response) -> list[str]:
        select = re.search(r'<select name="received_disclosure".*?</select>', response.content.decode(), re.S)
        return re.findall(r'<option value="(\d+)"', select.group(0))

    def test_the_form_lists_at_most_fifty_and_asks_the_same_questions_for_more(self, client, roles, art6):
        sign_in(client, roles.practitioner)
        self.received(roles, 5)
        client.get(CREATE)
        with CaptureQueriesContext(connection) as few:
            page = client.get(CREATE)
        self.received(roles, RECEIVED_LISTED + 10)
        with CaptureQueriesContext(connection) as many:
            crowded = client.get(CREATE)

        assert len(self.listed(page)) == 6  # the five, and the cast's own received entry
        assert len(self.listed(crowded)) == RECEIVED_LISTED
        assert "RECV" not in crowded.content.decode()  # entries are named by number, never by case
        assert len(many) == len(few)

    def test_an_older_entry_than_those_listed_is_still_shown_when_chosen(self, client, roles, art6):
        (oldest,) = self.received(roles, 1, occurred_at=timezone.now() - datetime.timedelta(days=400))
        self.received(roles, RECEIVED_LISTED + 5)
        sign_in(client, roles.practitioner)

        plain, chosen = client.get(CREATE), client.get(CREATE, {"received_disclosure": oldest.pk})

        assert str(oldest.pk) not in self.listed(plain)
        assert self.listed(chosen)[-1] == str(oldest.pk) and len(self.listed(chosen)) == RECEIVED_LISTED + 1
        assert f'<option value="{oldest.pk}" selected>' in chosen.content.decode()


class TestPassThisOn:
    """An entry shared with the reader's organisation links to the log form with it chosen as the
    entry passed on: any entry received, however old, can be passed on from its own page."""

    @staticmethod
    def entry_page(client, user, entry) -> str:
        page = sign_in(client, user).get(reverse("sharing_log:detail", args=[entry.pk]))
        return html_lib.unescape(page.content.decode())

    def test_a_received_entry_links_to_the_log_form_with_it_chosen(self, client, roles, art6):
        oldest = DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.partner, recipient_organisation=roles.owner,
            disclosed_by=roles.disclosure.disclosed_by, occurred_at=timezone.now() - datetime.timedelta(days=400),
        )
        for number in range(RECEIVED_LISTED + 1):
            DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.partner,
                              recipient_organisation=roles.owner, disclosed_by=roles.disclosure.disclosed_by,
                              case_reference=f"RECV-{number}")

        page = self.entry_page(client, roles.practitioner, oldest)
        link = f'href="{CREATE}?agreement={roles.agreement.pk}&received_disclosure={oldest.pk}">'
        form = client.get(f"{CREATE}?agreement={roles.agreement.pk}&received_disclosure={oldest.pk}").content.decode()

        assert f"{link}Log passing this on, or a decision not to</a>" in page
        assert "Passing it to anyone but Borsetshire Police needs their consent first." in page
        assert f'<option value="{oldest.pk}" selected>' in form
        assert "<details class=\"govuk-details govuk-!-margin-bottom-3\" open>" in form

    def test_an_entry_the_organisation_sent_offers_no_passing_on(self, client, roles, art6):
        sent = DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                                 recipient_organisation=roles.partner, disclosed_by=roles.practitioner)

        assert "Log passing this on" not in self.entry_page(client, roles.practitioner, sent)

    def test_a_reader_who_cannot_log_is_not_offered_it(self, client, roles):
        assert "Log passing this on" not in self.entry_page(client, roles.auditor, roles.disclosure)

    def test_a_voided_entry_is_not_offered_for_passing_on(self, client, roles):
        disclosure_void(disclosure=roles.disclosure, by_user=roles.disclosure.disclosed_by,
                        reason="Logged against the wrong case.")

        assert "Log passing this on" not in self.entry_page(client, roles.practitioner, roles.disclosure)
