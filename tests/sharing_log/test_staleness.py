"""Stale agreements (issue 13, item 8; sharing_log/services/staleness.py and
agreements/selectors/staleness.py): logging under an agreement whose review is overdue is warned
of, then refused after the agreement's grace period; a party that has not signed a changed
version stops receiving after its grace period. Each refusal asserts its exact message and that
nothing was saved."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from agreements.models import Agreement, DataLevel
from agreements.selectors.staleness import resigning_overdue, review_overdue
from agreements.services import agreement_version_create, signature_record_paper
from sharing_log.models import ConsentStatus, Decision, Disclosure, SubjectInformed, SubjectType
from sharing_log.services import disclosure_log
from sharing_log.services.staleness import logged_warnings, review_overdue_warning
from tests.factories import LegalGatewayFactory
from tests.sharing_log.helpers import day
from tests.sharing_log.test_disclosures import refused

PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))
TODAY = PINNED.date()
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


@pytest.fixture
def share(roles):
    """``share(**changes)``: a valid routine share, the owner's practitioner to the partner."""
    art6, s115 = LegalGatewayFactory(art6=True), LegalGatewayFactory()
    roles.agreement.gateways.add(art6, s115)

    def make(**changes):
        return {
            "by_user": roles.practitioner, "organisation": roles.owner, "agreement": roles.agreement,
            "recipient_organisation": roles.partner, "occurred_at": PINNED - datetime.timedelta(minutes=30),
            "decision": Decision.SHARED, "case_reference": "ASB-2026-0042", "subject_type": SubjectType.ADULT,
            "data_level": DataLevel.MINIMUM, "data_categories": ["asb"], "purpose": roles.agreement.purposes.get(),
            "art6_basis": art6, "gateways": [s115], "consent_status": ConsentStatus.EXPLICIT,
            "subject_informed": SubjectInformed.YES, "summary": "Tenancy status, to plan a joint visit.",
            "necessity_reason": "The joint visit cannot be planned safely without the tenancy status.", **changes,
        }

    return make


def review_due(agreement, due: datetime.date, *, grace: int = 90) -> None:
    Agreement.objects.filter(pk=agreement.pk).update(next_review_due=due, review_overdue_grace_days=grace)
    agreement.refresh_from_db()


class TestReviewOverdue:
    def test_finding_logging_under_a_review_overdue_since_2022_is_refused(self, roles, share):
        review_due(roles.agreement, datetime.date(2022, 3, 1))

        problems = refused(**share())

        assert problems["agreement"] == [
            f"The review of {roles.agreement} has been overdue since 1 March 2022, longer than the 90 days the "
            "agreement allows: nothing more may be shared under it until its review is completed. Ask its "
            "governance manager to complete the review. A decision not to share may still be logged."
        ]

    def test_within_the_grace_period_logging_goes_ahead_with_a_warning(self, roles, share):
        review_due(roles.agreement, TODAY - datetime.timedelta(days=90))

        disclosure = disclosure_log(**share())

        assert Disclosure.objects.filter(pk=disclosure.pk).exists()
        assert review_overdue_warning(roles.agreement, on=TODAY) == (
            f"The review of {roles.agreement} has been overdue since {day(TODAY - datetime.timedelta(days=90))}. "
            f"Sharing under it will be refused after {day(TODAY)} unless the review is completed."
        )

    def test_the_day_after_the_grace_period_logging_is_refused(self, roles, share):
        review_due(roles.agreement, TODAY - datetime.timedelta(days=31), grace=30)

        problems = refused(**share())

        assert problems["agreement"][0].startswith(
            f"The review of {roles.agreement} has been overdue since {day(TODAY - datetime.timedelta(days=31))}, "
            "longer than the 30 days the agreement allows"
        )

    def test_a_review_not_yet_due_gives_no_warning(self, roles):
        review_due(roles.agreement, TODAY)

        assert review_overdue(roles.agreement, on=TODAY) is None
        assert review_overdue_warning(roles.agreement, on=TODAY) is None

    def test_an_entry_for_a_day_before_the_grace_ran_out_may_still_be_logged(self, roles, share):
        review_due(roles.agreement, TODAY - datetime.timedelta(days=100), grace=90)
        earlier = PINNED - datetime.timedelta(days=20)

        disclosure = disclosure_log(**share(occurred_at=earlier,
                                            late_logging_reason="The practitioner was on leave."))

        assert disclosure.occurred_at == earlier


def changed_version(agreement, time_machine, *, days_ago: int):
    """A substantive new version of ``agreement`` made ``days_ago`` days ago; nobody has signed it."""
    time_machine.move_to(PINNED - datetime.timedelta(days=days_ago), tick=False)
    version = agreement_version_create(agreement=agreement, label="2.0", change_summary="New purpose added.")
    time_machine.move_to(PINNED, tick=False)
    return version


class TestResigning:
    def test_finding_a_party_that_has_not_resigned_stops_receiving_after_its_grace(self, roles, share, time_machine):
        changed_version(roles.agreement, time_machine, days_ago=61)
        made = TODAY - datetime.timedelta(days=61)

        problems = refused(**share())

        assert problems["recipient_organisation"] == [
            f"{roles.partner} has not signed version 2.0 of {roles.agreement}, a substantive change made on "
            f"{day(made)}, and the 60 days it had to sign it ended on {day(made + datetime.timedelta(days=60))}: "
            "nothing new may be shared with it under this agreement until it signs. Choose a partner that has signed."
        ]

    def test_within_its_grace_the_party_still_receives(self, roles, share, time_machine):
        changed_version(roles.agreement, time_machine, days_ago=60)

        disclosure = disclosure_log(**share())

        assert disclosure.recipient_organisation == roles.partner
        lapse = resigning_overdue(roles.partner_party, on=TODAY)
        assert (lapse.version_label, lapse.lapsed) == ("2.0", False)

    def test_once_it_signs_the_new_version_it_receives_again(self, roles, share, time_machine):
        version = changed_version(roles.agreement, time_machine, days_ago=200)
        signature_record_paper(party=roles.partner_party, version=version, signatory_name="Alex Example",
                               signed_on=TODAY)

        disclosure = disclosure_log(**share())

        assert disclosure.recipient_organisation == roles.partner
        assert resigning_overdue(roles.partner_party, on=TODAY) is None

    def test_the_grace_is_the_agreements_own(self, roles, share, time_machine):
        changed_version(roles.agreement, time_machine, days_ago=11)
        Agreement.objects.filter(pk=roles.agreement.pk).update(resigning_grace_days=10)
        roles.agreement.refresh_from_db()

        problems = refused(**share())

        assert "the 10 days it had to sign it ended on" in problems["recipient_organisation"][0]


def minor_version(agreement, time_machine, *, days_ago: int, label: str = "1.1"):
    """A minor (not substantive) new version of ``agreement`` made ``days_ago`` days ago; nobody has signed it."""
    time_machine.move_to(PINNED - datetime.timedelta(days=days_ago), tick=False)
    version = agreement_version_create(agreement=agreement, label=label, substantive=False,
                                       change_summary="A typing error corrected.")
    time_machine.move_to(PINNED, tick=False)
    return version


class TestMinorVersions:
    """Only a substantive change needs re-signing (DOMAIN.md rule 5; issue 13, item 8): a minor
    version the party has not signed never stops it receiving, nor is it warned of."""

    def test_finding_a_minor_version_unsigned_long_ago_does_not_stop_the_party_receiving(
        self, roles, share, time_machine,
    ):
        review_due(roles.agreement, TODAY + datetime.timedelta(days=30))  # its review is not overdue
        minor_version(roles.agreement, time_machine, days_ago=200)

        disclosure = disclosure_log(**share())

        assert disclosure.recipient_organisation == roles.partner
        assert resigning_overdue(roles.partner_party, on=TODAY) is None
        assert logged_warnings(agreement=roles.agreement, recipient_organisation=roles.partner, on=TODAY) == []

    def test_a_minor_version_after_a_substantive_one_does_not_restart_the_grace(self, roles, share, time_machine):
        changed_version(roles.agreement, time_machine, days_ago=61)
        minor_version(roles.agreement, time_machine, days_ago=5, label="2.1")
        made = TODAY - datetime.timedelta(days=61)

        problems = refused(**share())

        assert problems["recipient_organisation"] == [
            f"{roles.partner} has not signed version 2.0 of {roles.agreement}, a substantive change made on "
            f"{day(made)}, and the 60 days it had to sign it ended on {day(made + datetime.timedelta(days=60))}: "
            "nothing new may be shared with it under this agreement until it signs. Choose a partner that has signed."
        ]

    def test_a_party_that_signed_the_substantive_version_is_not_stopped_by_a_later_minor_one(
        self, roles, share, time_machine,
    ):
        version = changed_version(roles.agreement, time_machine, days_ago=200)
        signature_record_paper(party=roles.partner_party, version=version, signatory_name="Alex Example",
                               signed_on=TODAY - datetime.timedelta(days=150))
        minor_version(roles.agreement, time_machine, days_ago=100, label="2.1")

        disclosure = disclosure_log(**share())

        assert disclosure.recipient_organisation == roles.partner
        assert resigning_overdue(roles.partner_party, on=TODAY) is None


def test_within_its_grace_a_share_to_a_party_still_to_resign_is_warned_of(roles, time_machine):
    review_due(roles.agreement, TODAY + datetime.timedelta(days=30))  # its review is not overdue
    changed_version(roles.agreement, time_machine, days_ago=10)
    made = TODAY - datetime.timedelta(days=10)

    assert logged_warnings(agreement=roles.agreement, recipient_organisation=roles.partner, on=TODAY) == [
        f"{roles.partner} has not yet signed version 2.0 of {roles.agreement}. Nothing new may be shared with it "
        f"under this agreement after {day(made + datetime.timedelta(days=60))} unless it signs."
    ]


def not_shared(share, decision=Decision.NOT_SHARED, **changes) -> dict:
    """``share`` turned into a decision not to share (or a refused request), with its reason."""
    if decision == Decision.REQUEST_REFUSED:
        changes.setdefault("request_received_on", TODAY)
    return share(decision=decision, decision_reason="The request did not meet the threshold for sharing.",
                 art6_basis=None, gateways=[], necessity_reason="", **changes)


class TestDecisionsNotToShare:
    """A decision not to share must always be recordable (DOMAIN.md rule 2): the stale-agreement
    rules stop shares only."""

    @pytest.mark.parametrize("decision", [Decision.NOT_SHARED, Decision.REQUEST_REFUSED])
    def test_a_decision_not_to_share_is_logged_under_a_review_overdue_since_2022(self, roles, share, decision):
        review_due(roles.agreement, datetime.date(2022, 3, 1))

        disclosure = disclosure_log(**not_shared(share, decision))

        assert Disclosure.objects.filter(pk=disclosure.pk, decision=decision).exists()

    @pytest.mark.parametrize("decision", [Decision.NOT_SHARED, Decision.REQUEST_REFUSED])
    def test_a_decision_not_to_share_with_a_party_that_has_not_resigned_is_logged(
        self, roles, share, time_machine, decision,
    ):
        changed_version(roles.agreement, time_machine, days_ago=200)

        disclosure = disclosure_log(**not_shared(share, decision))

        assert (disclosure.recipient_organisation, disclosure.decision) == (roles.partner, decision)

    def test_a_share_under_the_same_overdue_review_is_still_refused(self, roles, share):
        review_due(roles.agreement, datetime.date(2022, 3, 1))

        problems = refused(**share())

        assert problems["agreement"] == [
            f"The review of {roles.agreement} has been overdue since 1 March 2022, longer than the 90 days the "
            "agreement allows: nothing more may be shared under it until its review is completed. Ask its "
            "governance manager to complete the review. A decision not to share may still be logged."
        ]

    def test_no_resigning_warning_after_a_decision_not_to_share(self, roles, time_machine):
        review_due(roles.agreement, TODAY + datetime.timedelta(days=30))
        changed_version(roles.agreement, time_machine, days_ago=10)

        assert logged_warnings(agreement=roles.agreement, recipient_organisation=roles.partner, on=TODAY,
                               decision=Decision.NOT_SHARED) == []
