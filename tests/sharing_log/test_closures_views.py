"""The case pages (sharing_log/views/closures.py): closing a case, changing its closing date and
re-opening it, with the GOV.UK error summary on bad input.

Who may reach each page is the permission matrix's business (tests/test_permission_matrix.py)."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from partners.models import Role
from sharing_log.models import CaseClosure
from sharing_log.services import retention_due
from tests.auth import sign_in
from tests.factories import MembershipFactory
from tests.sharing_log.helpers import error_summary
from tests.sharing_log.helpers.closures import CASE, PINNED, close, days_ago, due, owners_entry

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


class TestPages:
    def test_entry_page_shows_the_due_date_and_offers_closing_to_its_organisations_closers(self, client, roles,
                                                                                           agreement):
        entry = owners_entry(roles, agreement)
        url = reverse("sharing_log:detail", args=[entry.pk])

        as_manager = sign_in(client, roles.governance_manager).get(url).content.decode()
        as_practitioner = sign_in(client, roles.practitioner).get(url).content.decode()

        assert f"Close case {CASE}" in as_manager and f"Close case {CASE}" not in as_practitioner
        assert "Not set: it is set when the case is closed" in as_manager

        close(roles, closed_on=days_ago(10))
        page = sign_in(client, roles.spoc).get(url).content.decode()
        expected = retention_due(closed_on=days_ago(10), months=18)
        assert f"{expected:%-d %B %Y} – 18 months after the case was closed" in page
        assert f"closed case {CASE} on {days_ago(10):%-d %B %Y}" in page
        # The recipient sees the date, not the closing organisation's case page.
        assert "See the case&#x27;s closure" not in page and "See the case's closure" not in page

    def test_close_page_is_prefilled_from_the_entry(self, client, roles, agreement):
        response = sign_in(client, roles.governance_manager).get(
            reverse("sharing_log:case_close"), {"case_reference": CASE},
        )

        assert response.context["form"]["case_reference"].value() == CASE
        assert response.context["form"]["organisation"].field.widget.is_hidden is True

    def test_empty_close_form_shows_the_error_summary_and_saves_nothing(self, client, roles, agreement):
        owners_entry(roles, agreement)

        response = sign_in(client, roles.governance_manager).post(reverse("sharing_log:case_close"), {
            "organisation": roles.owner.pk,
        })

        summary = error_summary(response)
        assert "Enter the case reference" in summary and "Enter the date the case closed" in summary
        assert CaseClosure.objects.exists() is False

    def test_half_a_date_is_refused_with_the_govuk_message(self, client, roles, agreement):
        owners_entry(roles, agreement)

        response = sign_in(client, roles.governance_manager).post(reverse("sharing_log:case_close"), {
            "organisation": roles.owner.pk, "case_reference": CASE, "closed_on-day": "31", "closed_on-month": "2",
            "closed_on-year": "2026",
        })

        assert "The date the case closed must be a real date" in error_summary(response)
        assert CaseClosure.objects.exists() is False

    def test_services_refusal_is_shown_against_the_question(self, client, roles, agreement):
        owners_entry(roles, agreement)
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)

        response = sign_in(client, roles.governance_manager).post(reverse("sharing_log:case_close"), {
            "organisation": roles.owner.pk, "case_reference": CASE, "closed_on-day": tomorrow.day,
            "closed_on-month": tomorrow.month, "closed_on-year": tomorrow.year,
        })

        assert '<a href="#id_closed_on-day">The date the case closed must be today or in the past.</a>' in \
            error_summary(response)
        assert CaseClosure.objects.exists() is False

    def test_closing_shows_the_case_with_each_entrys_due_date(self, client, roles, agreement):
        owners_entry(roles, agreement)
        day = days_ago(10)
        sign_in(client, roles.governance_manager)

        response = client.post(reverse("sharing_log:case_close"), {
            "organisation": roles.owner.pk, "case_reference": CASE, "closed_on-day": day.day,
            "closed_on-month": day.month, "closed_on-year": day.year,
        })

        closure = CaseClosure.objects.get()
        assert response["Location"] == closure.get_absolute_url()
        page = client.get(response["Location"]).content.decode()
        assert f"Case {CASE} closed" in page
        assert f"{retention_due(closed_on=day, months=18):%-d %b %Y}" in page

    def test_change_and_reopen_pages_refuse_empty_forms(self, client, roles, agreement):
        owners_entry(roles, agreement)
        closure = close(roles)
        sign_in(client, roles.governance_manager)

        change = client.post(reverse("sharing_log:case_change", args=[closure.pk]), {})
        reopen = client.post(reverse("sharing_log:case_reopen", args=[closure.pk]), {})

        assert "Enter the date the case closed" in error_summary(change)
        assert "Give the reason the closing date is changing" in error_summary(change)
        assert "Give the reason the case is being re-opened" in error_summary(reopen)
        assert CaseClosure.objects.get().is_closed is True

    def test_reopening_through_the_page(self, client, roles, agreement):
        entry = owners_entry(roles, agreement)
        closure = close(roles)
        sign_in(client, roles.governance_manager)

        response = client.post(reverse("sharing_log:case_reopen", args=[closure.pk]), {"reason": "A new incident."})

        assert response["Location"] == closure.get_absolute_url()
        page = client.get(response["Location"]).content.decode()
        assert f"Case {CASE} re-opened" in page and "Not set while the case is open" in page
        assert due(entry) is None

    def test_list_shows_closed_cases_of_the_users_organisations_only(self, client, roles, agreement):
        owners_entry(roles, agreement)
        closure = close(roles)

        owners = sign_in(client, roles.practitioner).get(reverse("sharing_log:cases"))
        partners = sign_in(client, roles.spoc).get(reverse("sharing_log:cases"))

        assert list(owners.context["closures"]) == [closure]
        assert list(partners.context["closures"]) == []

    def test_log_list_shows_the_due_date(self, client, roles, agreement):
        owners_entry(roles, agreement)
        close(roles, closed_on=days_ago(10))

        page = sign_in(client, roles.practitioner).get(reverse("sharing_log:list")).content.decode()

        assert f"{retention_due(closed_on=days_ago(10), months=18):%-d %b %Y}" in page

    def test_governance_manager_of_several_organisations_chooses_whose_case(self, client, roles, agreement):
        user = roles.member(roles.partner, Role.GOVERNANCE_MANAGER)
        MembershipFactory(user=user, organisation=roles.owner, role=Role.SPOC)

        response = sign_in(client, user).get(reverse("sharing_log:case_close"))

        field = response.context["form"]["organisation"]
        assert field.field.widget.is_hidden is False
        assert {o.pk for o in field.field.queryset} == {roles.owner.pk, roles.partner.pk}


class TestCasesOpenTooLong:
    """Issue 13 item 7: the closed-cases page flags the cases open longer than their agreement allows."""

    def test_flagged_with_why_and_a_link_to_close_it(self, client, roles, agreement):
        owners_entry(roles, agreement, days=400)
        owners_entry(roles, agreement, case_reference="BCSP-2026-0200", days=30)

        page = sign_in(client, roles.governance_manager).get(reverse("sharing_log:cases")).content.decode()

        opened = days_ago(400)
        assert ("1 case open longer than its agreement allows: records kept until a case is closed are not "
                "destroyed while it stays open.") in page
        assert (f"Open since {opened:%-d %B %Y}: BCSP ISA flags a case still open after 12 months, because its "
                "records are destroyed only once the case is closed") in page
        assert f'href="{reverse("sharing_log:case_close")}?case_reference={CASE}"' in page
        assert "BCSP-2026-0200" not in page

    def test_closing_it_takes_the_flag_away(self, client, roles, agreement):
        owners_entry(roles, agreement, days=400)
        close(roles, closed_on=days_ago(10))

        page = sign_in(client, roles.governance_manager).get(reverse("sharing_log:cases")).content.decode()

        assert "open longer than" not in page

    def test_another_organisations_reader_does_not_see_it(self, client, roles, agreement):
        owners_entry(roles, agreement, days=400)

        page = sign_in(client, roles.spoc).get(reverse("sharing_log:cases")).content.decode()

        assert "open longer than" not in page and CASE not in page
