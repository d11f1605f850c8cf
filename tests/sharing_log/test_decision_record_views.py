"""The record of a decision to share on the log page, the entry's page and the CSV export
(issue 13, item 6): each rule's message in the error summary with nothing saved, and what is
kept shown back."""

import csv
import datetime
import html as html_lib
import io

import pytest
from django.urls import reverse

from sharing_log.models import CanIShareOutcome, Decision, Disclosure, SubjectInformed
from tests.auth import sign_in
from tests.sharing_log.helpers import error_summary
from tests.sharing_log.helpers.disclosures import routine_share, with_token

NOW = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(NOW, tick=False)]

CREATE = reverse("sharing_log:create")
GUIDED_CREATE = f"{CREATE}?from=can-i-share"



def dated(name: str, day: datetime.date) -> dict:
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


def refused_page(client, data: dict, url: str = CREATE) -> str:
    """The error summary of posting ``data``, which must save nothing."""
    response = client.post(url, with_token(client, data, url))
    assert response.status_code == 200
    assert Disclosure.objects.exists() is False
    return html_lib.unescape(error_summary(response))


def walk_to_do_not_share(client, roles) -> None:
    """Answer "Can I share?" so that it says "Do not share" (sharing would not be necessary)."""
    purpose = roles.agreement.purposes.get()
    for step, data in [("purpose", {"answer": str(purpose.pk)}), ("information", {"answer": "not_confidential"}),
                       ("consent", {"answer": "explicit"}), ("necessary", {"answer": "no", "not_met": ["necessary"]})]:
        response = client.post(reverse("sharing_log:can_i_share_question", args=[step]), data)
        assert response.status_code == 302


class TestTheLogPage:
    def test_finding_no_reason_no_summary_no_category_is_refused_with_both_messages(self, client, roles, art6):
        sign_in(client, roles.practitioner)

        summary = refused_page(client, routine_share(roles, art6, necessity_reason="", summary="",
                                                     data_categories=None))

        assert "Explain why sharing was necessary and proportionate." in summary
        assert "Select what it included or give a summary of what was shared." in summary

    def test_finding_not_yet_told_with_no_date_is_refused(self, client, roles, art6):
        sign_in(client, roles.practitioner)

        summary = refused_page(client, routine_share(roles, art6, subject_informed=SubjectInformed.NOT_YET))

        assert "Enter the date by which the person will be told." in summary

    def test_a_request_received_after_it_happened_is_refused(self, client, roles, art6):
        sign_in(client, roles.practitioner)

        summary = refused_page(client, routine_share(roles, art6, **dated("request_received_on",
                                                                          datetime.date(2026, 6, 11))))

        assert "The date the request was received must be the same as or before the date it happened." in summary

    def test_logging_late_asks_why(self, client, roles, art6):
        sign_in(client, roles.practitioner)

        summary = refused_page(client, routine_share(
            roles, art6, **{"occurred_on-day": 1, "occurred_on-month": 6, "occurred_on-year": 2026},
        ))

        assert "You are logging this more than 7 days after it happened: give the reason it was not logged " \
               "sooner." in summary

    def test_the_whole_record_is_logged_and_shown_on_the_entry(self, client, roles, art6):
        sign_in(client, roles.practitioner)

        response = client.post(CREATE, with_token(client, routine_share(
            roles, art6, subject_informed=SubjectInformed.NOT_YET,
            **{"occurred_on-day": 1, "occurred_on-month": 6, "occurred_on-year": 2026},
            **dated("request_received_on", datetime.date(2026, 5, 29)),
            **dated("subject_told_by", datetime.date(2026, 6, 17)),
            late_logging_reason="The case worker was off sick.",
        )))

        entry = Disclosure.objects.get()
        assert response["Location"] == reverse("sharing_log:detail", args=[entry.pk])
        assert (entry.request_received_on, entry.subject_told_by, entry.late_logging_reason,
                entry.can_i_share_outcome) == (
            datetime.date(2026, 5, 29), datetime.date(2026, 6, 17), "The case worker was off sick.", "",
        )
        page = html_lib.unescape(client.get(response["Location"]).content.decode())
        for text in ["29 May 2026", "Not yet, they will be told (by 17 June 2026)",
                     "The joint visit cannot be planned safely without the tenancy status.",
                     "The case worker was off sick.", "“Can I share?” outcome"]:
            assert text in page


class TestSharingAgainstCanIShare:
    def test_finding_logging_a_share_after_do_not_share_asks_for_the_reason(self, client, roles, art6):
        sign_in(client, roles.practitioner)
        walk_to_do_not_share(client, roles)

        page = client.get(GUIDED_CREATE).content.decode()
        summary = refused_page(client, routine_share(roles, art6), GUIDED_CREATE)

        assert "Why did you share though “Can I share?” said not to?" in html_lib.unescape(page)
        assert "“Can I share?” said not to share: give the reason you shared all the same, or log a decision " \
               "not to share." in summary

    def test_with_its_reason_the_share_and_the_outcome_are_kept(self, client, roles, art6):
        sign_in(client, roles.practitioner)
        walk_to_do_not_share(client, roles)

        client.post(GUIDED_CREATE, with_token(client, routine_share(
            roles, art6, against_advice_reason="A court order was served after the questions.",
        ), GUIDED_CREATE))

        entry = Disclosure.objects.get()
        assert (entry.decision, entry.can_i_share_outcome, entry.against_advice_reason) == (
            Decision.SHARED, CanIShareOutcome.DO_NOT_SHARE, "A court order was served after the questions.",
        )
        page = html_lib.unescape(client.get(reverse("sharing_log:detail", args=[entry.pk])).content.decode())
        assert "Why it was shared against “Can I share?”" in page
        assert "A court order was served after the questions." in page
        assert "Do not share" in page

    def test_the_question_is_not_asked_without_a_do_not_share_outcome(self, client, roles, art6):
        sign_in(client, roles.practitioner)

        page = html_lib.unescape(client.get(CREATE).content.decode())

        assert "Why did you share though “Can I share?” said not to?" not in page


class TestTheExport:
    def test_the_csv_carries_the_dates_outcomes_and_reasons(self, client, roles, art6):
        sign_in(client, roles.practitioner)
        client.post(CREATE, with_token(client, routine_share(
            roles, art6, subject_informed=SubjectInformed.NOT_YET,
            **dated("request_received_on", datetime.date(2026, 6, 9)),
            **dated("subject_told_by", datetime.date(2026, 6, 17)),
        )))

        response = client.get(reverse("sharing_log:export"))
        header, row = csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig")))
        cells = dict(zip(header, row, strict=True))

        assert {name: cells[name] for name in (
            "Request received", "To be told by", "“Can I share?” outcome", "Shared against “Can I share?”",
            "Logged more than 7 days after it happened", "Why sharing was necessary and proportionate",
        )} == {
            "Request received": "2026-06-09", "To be told by": "2026-06-17", "“Can I share?” outcome": "Not asked",
            "Shared against “Can I share?”": "No", "Logged more than 7 days after it happened": "No",
            "Why sharing was necessary and proportionate":
                "The joint visit cannot be planned safely without the tenancy status.",
        }
