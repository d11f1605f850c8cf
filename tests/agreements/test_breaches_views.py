"""The breach pages (agreements/views/breaches.py, urls/breaches.py): recording a breach or
near miss, acknowledging, progress, the ICO's decision and closing, and the GOV.UK errors.

Who may reach each page is the permission matrix's business (tests/test_permission_matrix.py)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import (
    Agreement,
    Breach,
)
from tests.agreements.helpers import date_fields, error_summary
from tests.agreements.helpers.breaches import DATA, DESCRIPTION, PINNED, record

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


def recent(cast, **overrides) -> Breach:
    """A breach discovered 45 days ago: its report, meeting and ICO clock are all overdue, even across
    Christmas and Easter."""
    now = timezone.now()
    return record(cast, **{"discovered_at": now - datetime.timedelta(days=45), "now": now, **overrides})


class TestPages:
    def test_the_list_marks_an_overdue_breach_and_filters(self, client, cast, sign_in):
        overdue = recent(cast)
        sign_in(client, cast.governance_manager)

        content = client.get(reverse("breaches:list")).content.decode()
        closed_only = client.get(reverse("breaches:list"), {"status": "closed"}).content.decode()

        assert f'href="/breaches/{overdue.pk}/"' in content
        assert '<strong class="govuk-tag govuk-tag--red">Overdue</strong>' in content
        assert 'aria-current="page" href="/breaches/">All</a>' in content
        assert f'href="/breaches/{overdue.pk}/"' not in closed_only

    def test_an_empty_form_shows_the_error_summary_and_saves_nothing(self, client, cast, sign_in):
        sign_in(client, cast.governance_manager)

        response = client.post(reverse("breaches:create"), {})

        summary = error_summary(response)
        for message in (
            "Choose the agreement that was breached", "Select whether it is a breach or a near miss",
            "Enter the date it was discovered", "Enter the time it was discovered", "Describe what happened",
            "Describe what data was involved", "Select yes if it is a personal data breach",
        ):
            assert message in summary
        assert Breach.objects.count() == 0

    def test_a_time_not_on_the_24_hour_clock_is_refused(self, client, cast, sign_in):
        sign_in(client, cast.governance_manager)

        response = client.post(reverse("breaches:create"), {"discovered_time": "2.30pm"})

        assert "Enter the time it was discovered using the 24-hour clock, for example 14:30" in error_summary(response)

    def test_a_service_refusal_shows_on_its_field(self, client, cast, sign_in):
        sign_in(client, cast.governance_manager)
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)

        response = client.post(reverse("breaches:create"), {
            "agreement": cast.agreement.pk, "reporting_organisation": cast.owner.pk, "kind": "breach",
            **date_fields("discovered_at", tomorrow), "discovered_time": "09:00",
            "description": DESCRIPTION, "data_involved": DATA, "personal_data_breach": "no",
        })

        assert '<a href="#id_discovered_at-day">The date and time it was discovered must be in the past</a>' in (
            error_summary(response)
        )
        assert Breach.objects.count() == 0

    def test_recording_goes_to_the_breach_and_tells_the_partner(self, client, cast, sign_in):
        sign_in(client, cast.governance_manager)
        yesterday = timezone.localdate() - datetime.timedelta(days=1)

        response = client.post(reverse("breaches:create"), {
            "agreement": cast.agreement.pk, "reporting_organisation": cast.owner.pk, "kind": "breach",
            **date_fields("discovered_at", yesterday), "discovered_time": "14:30",
            "description": DESCRIPTION, "data_involved": DATA, "personal_data_breach": "yes",
        })

        breach = Breach.objects.get()
        assert response.status_code == 302 and response["Location"] == f"/breaches/{breach.pk}/"
        assert timezone.localtime(breach.discovered_at).replace(tzinfo=None) == datetime.datetime.combine(
            yesterday, datetime.time(14, 30),
        )
        assert breach.notifications.get().party == cast.partner_party

    def test_without_undue_delay_the_page_shows_no_working_day_clock(self, client, cast, sign_in):
        # 004 App. B 1.3 sets no days: "without undue delay"; 002 §6's other clocks are not set.
        Agreement.objects.filter(pk=cast.agreement.pk).update(
            breach_notify_working_days=None, breach_notify_without_undue_delay=True,
            breach_report_working_days=None, breach_meeting_working_days=None, breach_minutes_working_days=None,
        )
        breach = recent(cast)
        sign_in(client, cast.governance_manager)

        page = " ".join(re.sub(r"<[^>]+>", " ", client.get(breach.get_absolute_url()).content.decode()).split())

        assert "Other partners told (without undue delay) Without undue delay" in page
        assert "Report from the partner in breach (within" not in page
        assert "Reported to the ICO, or the decision not to report it recorded (within 72 hours)" in page

    def test_the_page_shows_the_deadlines_and_the_ico_time(self, client, cast, sign_in):
        breach = recent(cast)
        sign_in(client, cast.governance_manager)

        content = client.get(breach.get_absolute_url()).content.decode()

        ico_due = timezone.localtime(breach.discovered_at + datetime.timedelta(hours=72))
        assert f"{ico_due:%A} {ico_due.day} {ico_due:%B %Y, %H:%M}" in content
        assert "Overdue – Report from the partner in breach (within 10 working days): due by" in content
        assert content.count('<strong class="govuk-tag govuk-tag--red">Overdue</strong>') == 3
        assert reverse("breaches:progress", args=[breach.pk]) in content
        assert "Acknowledge for Borsetshire Police" not in content

    def test_the_partners_spoc_acknowledges_from_the_page(self, client, cast, sign_in):
        breach = recent(cast)
        notification = breach.notifications.get()
        sign_in(client, cast.spoc)
        url = reverse("breaches:acknowledge", args=[breach.pk, notification.pk])

        page = client.get(breach.get_absolute_url()).content.decode()
        response = client.post(url)

        assert "Acknowledge for Borsetshire Police" in page
        assert reverse("breaches:progress", args=[breach.pk]) not in page
        assert response["Location"] == breach.get_absolute_url()
        notification.refresh_from_db()
        assert notification.acknowledged_by == cast.spoc

    def test_bad_progress_shows_the_error_summary_and_changes_nothing(self, client, cast, sign_in):
        breach = recent(cast)
        sign_in(client, cast.governance_manager)

        response = client.post(reverse("breaches:progress", args=[breach.pk]), {
            **date_fields("minutes_circulated_on", timezone.localdate()), "actions": "Retrain the team.",
        })

        assert "Enter the date of the meeting before the date its minutes were circulated" in error_summary(response)
        breach.refresh_from_db()
        assert breach.actions == ""

    def test_the_ico_page_wants_the_date_and_time_when_reported(self, client, cast, sign_in):
        breach = recent(cast)
        sign_in(client, cast.governance_manager)

        response = client.post(reverse("breaches:ico", args=[breach.pk]), {"reported": "yes"})

        summary = error_summary(response)
        assert "Enter the date it was reported to the ICO" in summary
        assert "Enter the time it was reported to the ICO" in summary

    def test_closing_too_soon_shows_what_is_missing(self, client, cast, sign_in):
        breach = recent(cast, personal_data_breach=False)
        sign_in(client, cast.governance_manager)

        response = client.post(
            reverse("breaches:close", args=[breach.pk]), date_fields("closed_on", timezone.localdate()),
        )

        assert "Record the report, the meeting and the minutes before closing this breach" in error_summary(response)

    @pytest.mark.parametrize(("subject", "shown"), [("spoc", True), ("auditor", True), ("practitioner", False)])
    def test_breaches_are_in_the_navigation_of_those_who_may_read_them(self, client, cast, sign_in, subject, shown):
        sign_in(client, cast.subject(subject))

        items = [item["text"] for item in client.get("/").context["nav_items"]]

        assert ("Breaches" in items) is shown


class TestAffectedPeople:
    def test_the_page_offers_the_decision_and_says_it_is_needed_once_reported_to_the_ico(self, client, cast, sign_in):
        breach = recent(cast)
        Breach.objects.filter(pk=breach.pk).update(ico_reported_at=breach.discovered_at)
        sign_in(client, cast.governance_manager)

        page = client.get(breach.get_absolute_url()).content.decode()

        assert f'href="/breaches/{breach.pk}/people-affected/"' in page
        assert "People affected (Article 34)" in page
        assert 'Not yet assessed <strong class="govuk-tag govuk-tag--yellow">Decision needed</strong>' in page

    def test_an_empty_form_shows_the_error_summary_and_saves_nothing(self, client, cast, sign_in):
        breach = recent(cast)
        sign_in(client, cast.governance_manager)

        summary = error_summary(client.post(reverse("breaches:affected", args=[breach.pk]), {}))

        assert "Select whether it is likely to result in a high risk to the people affected" in summary
        breach.refresh_from_db()
        assert (breach.affected_high_risk, breach.affected_decided_at) == (None, None)

    def test_high_risk_needs_a_decision_and_a_public_communication_its_date(self, client, cast, sign_in):
        breach = recent(cast)
        sign_in(client, cast.governance_manager)

        no_decision = error_summary(client.post(reverse("breaches:affected", args=[breach.pk]), {"high_risk": "yes"}))
        public = error_summary(client.post(reverse("breaches:affected", args=[breach.pk]), {
            "high_risk": "yes", "decision": "public_notice", "note": "On the council's website.",
        }))

        assert "Select whether the people affected were told, or why not" in no_decision
        assert '<a href="#id_told_on-day">Enter the date the public communication was made</a>' in public
        breach.refresh_from_db()
        assert breach.affected_high_risk is None

    def test_told_is_recorded_and_shown(self, client, cast, sign_in):
        breach = recent(cast)
        sign_in(client, cast.governance_manager)
        today = timezone.localdate()

        response = client.post(reverse("breaches:affected", args=[breach.pk]), {
            "high_risk": "yes", "decision": "told", **date_fields("told_on", today), "note": "Letters sent.",
        })

        assert response["Location"] == breach.get_absolute_url()
        page = client.get(breach.get_absolute_url()).content.decode()
        assert "Likely to result in a high risk to them.<br>" in page
        assert "Told the people affected, on 17 June 2026." in page

    def test_not_yet_decided_keeps_the_assessment_and_the_page_says_so(self, client, cast, sign_in):
        breach = recent(cast)
        sign_in(client, cast.governance_manager)

        client.post(reverse("breaches:affected", args=[breach.pk]), {"high_risk": "yes", "decision": "not_yet"})

        breach.refresh_from_db()
        assert (breach.affected_high_risk, breach.affected_decision) == (True, "")
        page = client.get(breach.get_absolute_url()).content.decode()
        assert (
            'Not yet told, and no reason recorded <strong class="govuk-tag govuk-tag--yellow">Decision needed'
        ) in page
