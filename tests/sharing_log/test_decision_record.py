"""The record of a decision to share (the ICO's data sharing code; issue 13, item 6):
``sharing_log.services.decision_record`` through ``disclosure_log``.

The findings of issue 13 reproduced: a share with no reason, no summary and no data category;
an entry logged as shared after "Can I share?" said not to; no date the request was received;
"not yet told" with no date and no follow-up (the follow-up: test_decision_record_due.py).
"""

import datetime

import pytest
from django.utils import timezone

from agreements.models import DataLevel
from sharing_log.models import CanIShareOutcome, ConsentStatus, Decision, Disclosure, SubjectInformed, SubjectType
from sharing_log.services import disclosure_log
from sharing_log.services.decision_record import LATE_LOGGING_DAYS
from tests.factories import LegalGatewayFactory
from tests.sharing_log.helpers.disclosures import refused

NOW = datetime.datetime(2026, 6, 10, 12, 0, tzinfo=datetime.UTC)

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(NOW, tick=False)]


@pytest.fixture
def share(roles):
    """``share(**changes)``: the keyword arguments of a complete record of a routine share."""
    art6 = LegalGatewayFactory(art6=True)
    roles.agreement.gateways.add(art6)

    def make(**changes):
        kwargs = {
            "by_user": roles.practitioner, "organisation": roles.owner, "agreement": roles.agreement,
            "recipient_organisation": roles.partner, "occurred_at": NOW - datetime.timedelta(hours=2),
            "decision": Decision.SHARED, "case_reference": "ASB-2026-0042", "subject_type": SubjectType.ADULT,
            "data_level": DataLevel.MINIMUM, "data_categories": ["asb"],
            "purpose": roles.agreement.purposes.get(), "art6_basis": art6,
            "consent_status": ConsentStatus.EXPLICIT, "subject_informed": SubjectInformed.YES,
            "summary": "ASB history, to plan a joint visit.",
            "necessity_reason": "The visit cannot be planned safely without the history.",
        }
        kwargs.update(changes)
        return kwargs

    return make


class TestACompleteRecordIsKept:
    def test_every_part_of_the_record_is_kept_with_the_entry(self, share):
        told_by = datetime.date(2026, 6, 17)

        entry = disclosure_log(**share(
            request_received_on=datetime.date(2026, 6, 8), subject_informed=SubjectInformed.NOT_YET,
            subject_told_by=told_by, can_i_share_outcome=CanIShareOutcome.MAY_SHARE,
        ))

        entry.refresh_from_db()
        assert (entry.request_received_on, entry.necessity_reason, entry.can_i_share_outcome,
                entry.subject_told_by) == (
            datetime.date(2026, 6, 8), "The visit cannot be planned safely without the history.",
            CanIShareOutcome.MAY_SHARE, told_by,
        )

    def test_a_date_to_tell_is_dropped_unless_not_yet_told(self, share):
        entry = disclosure_log(**share(subject_told_by=datetime.date(2026, 6, 17)))

        entry.refresh_from_db()
        assert entry.subject_told_by is None


class TestFindingNoReasonNoSummaryNoCategory:
    def test_finding_a_share_with_no_reason_no_summary_and_no_category_is_refused(self, share):
        problems = refused(**share(necessity_reason="", summary="", data_categories=[]))

        assert problems["necessity_reason"] == ["Explain why sharing was necessary and proportionate."]
        assert problems["data_categories"] == ["Select what it included or give a summary of what was shared."]

    def test_a_blank_reason_is_no_reason(self, share):
        problems = refused(**share(necessity_reason="   "))

        assert problems == {"necessity_reason": ["Explain why sharing was necessary and proportionate."]}

    @pytest.mark.parametrize(("summary", "categories"), [("ASB history.", []), ("", ["asb"])])
    def test_a_summary_or_a_category_is_enough(self, share, summary, categories):
        entry = disclosure_log(**share(summary=summary, data_categories=categories))

        assert Disclosure.objects.filter(pk=entry.pk).exists()

    def test_a_decision_not_to_share_needs_neither_and_keeps_no_necessity_reason(self, share):
        entry = disclosure_log(**share(
            decision=Decision.NOT_SHARED, decision_reason="Not proportionate.", art6_basis=None,
            summary="", data_categories=[], necessity_reason="Left over from an earlier answer.",
        ))

        entry.refresh_from_db()
        assert entry.necessity_reason == ""


class TestFindingSharedAfterDoNotShare:
    def test_finding_sharing_against_a_do_not_share_outcome_with_no_reason_is_refused(self, share):
        problems = refused(**share(can_i_share_outcome=CanIShareOutcome.DO_NOT_SHARE))

        assert problems == {"against_advice_reason": [
            "“Can I share?” said not to share: give the reason you shared all the same, or log a decision "
            "not to share.",
        ]}

    def test_with_its_reason_it_is_logged_and_the_outcome_kept(self, share):
        entry = disclosure_log(**share(
            can_i_share_outcome=CanIShareOutcome.DO_NOT_SHARE,
            against_advice_reason="The police asked under a court order served after the questions.",
        ))

        entry.refresh_from_db()
        assert (entry.can_i_share_outcome, entry.against_advice_reason) == (
            CanIShareOutcome.DO_NOT_SHARE, "The police asked under a court order served after the questions.",
        )

    def test_a_decision_not_to_share_after_do_not_share_needs_no_reason(self, share):
        entry = disclosure_log(**share(
            decision=Decision.NOT_SHARED, decision_reason="Not necessary.", art6_basis=None,
            can_i_share_outcome=CanIShareOutcome.DO_NOT_SHARE, against_advice_reason="stray",
        ))

        entry.refresh_from_db()
        assert (entry.can_i_share_outcome, entry.against_advice_reason) == (CanIShareOutcome.DO_NOT_SHARE, "")


class TestFindingNoDateTheRequestWasReceived:
    def test_a_request_received_after_the_disclosure_is_refused(self, share):
        problems = refused(**share(request_received_on=datetime.date(2026, 6, 11),
                                   occurred_at=NOW - datetime.timedelta(days=1)))

        assert problems == {"request_received_on": [
            "The date the request was received must be the same as or before the date it happened.",
        ]}

    def test_a_request_received_the_same_day_is_logged(self, share):
        entry = disclosure_log(**share(request_received_on=datetime.date(2026, 6, 10)))

        entry.refresh_from_db()
        assert entry.request_received_on == datetime.date(2026, 6, 10)

    def test_a_refused_request_needs_the_date_it_was_received(self, share):
        problems = refused(**share(decision=Decision.REQUEST_REFUSED, decision_reason="No lawful basis.",
                                   art6_basis=None))

        assert problems == {"request_received_on": ["Enter the date the request was received."]}


class TestLoggingLate:
    def test_logging_more_than_the_threshold_after_the_event_asks_why(self, share):
        problems = refused(**share(occurred_at=NOW - datetime.timedelta(days=LATE_LOGGING_DAYS, minutes=1)))

        assert problems == {"late_logging_reason": [
            "You are logging this more than 7 days after it happened: give the reason it was not logged sooner.",
        ]}

    def test_at_the_threshold_no_reason_is_asked(self, share):
        entry = disclosure_log(**share(occurred_at=NOW - datetime.timedelta(days=LATE_LOGGING_DAYS)))

        entry.refresh_from_db()
        assert entry.late_logging_reason == ""

    def test_late_with_its_reason_is_logged(self, share):
        entry = disclosure_log(**share(occurred_at=NOW - datetime.timedelta(days=20),
                                       late_logging_reason="I was on leave; my manager asked me to log it."))

        entry.refresh_from_db()
        assert entry.late_logging_reason == "I was on leave; my manager asked me to log it."


class TestFindingNotYetToldWithNoDate:
    def test_finding_not_yet_told_with_no_date_is_refused(self, share):
        problems = refused(**share(subject_informed=SubjectInformed.NOT_YET))

        assert problems == {"subject_told_by": ["Enter the date by which the person will be told."]}

    def test_a_date_in_the_past_is_refused(self, share):
        problems = refused(**share(subject_informed=SubjectInformed.NOT_YET,
                                   subject_told_by=datetime.date(2026, 6, 9)))

        assert problems == {"subject_told_by": [
            "The date by which the person will be told must be today or in the future.",
        ]}

    def test_today_is_accepted(self, share):
        entry = disclosure_log(**share(subject_informed=SubjectInformed.NOT_YET,
                                       subject_told_by=timezone.localdate()))

        entry.refresh_from_db()
        assert entry.subject_told_by == datetime.date(2026, 6, 10)


class TestEveryProblemAtOnce:
    def test_all_the_record_problems_come_together(self, share):
        problems = refused(**share(
            necessity_reason="", summary="", data_categories=[], can_i_share_outcome=CanIShareOutcome.DO_NOT_SHARE,
            occurred_at=NOW - datetime.timedelta(days=30), request_received_on=datetime.date(2026, 6, 1),
            subject_informed=SubjectInformed.NOT_YET,
        ))

        assert set(problems) == {"necessity_reason", "data_categories", "against_advice_reason",
                                 "late_logging_reason", "request_received_on", "subject_told_by"}
