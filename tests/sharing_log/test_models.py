"""The sharing log: append-only, and the lawful-basis rules the database holds."""

import datetime

import pytest
from django.utils import timezone

from sharing_log.models import (
    Amendment,
    AmendmentKind,
    AppendOnlyError,
    CaseClosure,
    ConfirmationOutcome,
    ConfirmationReason,
    ConsentStatus,
    Decision,
    Disclosure,
    Escalation,
    EscalationOutcome,
    OnwardDecision,
    OnwardDisclosureRequest,
    RecipientDestructionConfirmation,
)
from tests.db import violates
from tests.factories import DisclosureFactory, LegalGatewayFactory, PartyFactory, UserFactory

pytestmark = pytest.mark.django_db

AMEND_INSTEAD = "The sharing log is append-only: record an amendment instead."
VOID_INSTEAD = "The sharing log is append-only: void the entry with a reason instead."


@pytest.fixture
def between():
    """An agreement in force and two signed parties to log between."""
    discloser = PartyFactory(signed=True)
    recipient = PartyFactory(agreement=discloser.agreement, signed=True)
    return {
        "agreement": discloser.agreement,
        "disclosing_organisation": discloser.organisation,
        "recipient_organisation": recipient.organisation,
    }


@pytest.fixture
def disclosure(between):
    return DisclosureFactory(**between)


class TestAppendOnly:
    def test_saving_an_existing_entry_is_refused(self, disclosure):
        disclosure.summary = "Rewritten after the event."

        with pytest.raises(AppendOnlyError, match=f"^{AMEND_INSTEAD}$"):
            disclosure.save()

        disclosure.refresh_from_db()
        assert disclosure.summary == "Address and tenancy status, to plan a joint visit."

    def test_deleting_an_entry_is_refused(self, disclosure):
        with pytest.raises(AppendOnlyError, match=f"^{VOID_INSTEAD}$"):
            disclosure.delete()

        assert Disclosure.objects.filter(pk=disclosure.pk).exists() is True

    def test_updating_entries_in_bulk_is_refused(self, disclosure):
        with pytest.raises(AppendOnlyError, match=f"^{AMEND_INSTEAD}$"):
            Disclosure.objects.filter(pk=disclosure.pk).update(summary="Rewritten.")

        disclosure.refresh_from_db()
        assert disclosure.summary == "Address and tenancy status, to plan a joint visit."

    def test_deleting_entries_in_bulk_is_refused(self, disclosure):
        with pytest.raises(AppendOnlyError, match=f"^{VOID_INSTEAD}$"):
            Disclosure.objects.filter(pk=disclosure.pk).delete()

        assert Disclosure.objects.filter(pk=disclosure.pk).exists() is True

    def test_bulk_update_through_the_manager_is_refused(self, disclosure):
        disclosure.summary = "Rewritten."

        with pytest.raises(AppendOnlyError, match=f"^{AMEND_INSTEAD}$"):
            Disclosure.objects.bulk_update([disclosure], ["summary"])

    def test_retention_due_date_alone_may_be_written_later(self, disclosure):
        disclosure.retention_due_on = datetime.date(2028, 2, 29)
        disclosure.summary = "Rewritten after the event."

        disclosure.save(update_fields=["retention_due_on"])

        disclosure.refresh_from_db()
        assert (disclosure.retention_due_on, disclosure.summary) == (
            datetime.date(2028, 2, 29), "Address and tenancy status, to plan a joint visit.",
        )

    @pytest.mark.parametrize("fields", [["retention_due_on", "summary"], ["summary"], None])
    def test_retention_due_date_with_anything_else_is_refused(self, disclosure, fields):
        disclosure.retention_due_on = datetime.date(2028, 2, 29)
        disclosure.summary = "Rewritten after the event."

        with pytest.raises(AppendOnlyError, match=f"^{AMEND_INSTEAD}$"):
            disclosure.save(update_fields=fields)

        disclosure.refresh_from_db()
        assert disclosure.retention_due_on is None

    def test_new_entry_may_be_added(self, between):
        DisclosureFactory(**between)
        DisclosureFactory(**between)

        assert Disclosure.objects.count() == 2


class TestDisclosureConstraints:
    def test_shared_entry_needs_an_article_6_basis(self, between):
        with violates(Disclosure, "disclosure_shared_has_art6_basis"):
            DisclosureFactory(**between, art6_basis=None)

    def test_decision_not_to_share_needs_no_article_6_basis(self, between):
        entry = DisclosureFactory(
            **between, decision=Decision.NOT_SHARED, decision_reason="Not necessary for the purpose.",
            art6_basis=None,
        )

        assert entry.art6_basis is None

    def test_purged_shared_entry_may_have_lost_its_article_6_basis(self, between):
        entry = DisclosureFactory(**between, art6_basis=None, purged_at=timezone.now())

        assert entry.purged_at is not None

    def test_special_category_data_needs_an_article_9_condition(self, between):
        with violates(Disclosure, "disclosure_special_category_has_art9_condition"):
            DisclosureFactory(**between, special_categories=["health"], art9_condition=None)

    def test_special_category_data_with_an_article_9_condition_is_accepted(self, between):
        entry = DisclosureFactory(
            **between, special_categories=["health"], art9_condition=LegalGatewayFactory(art9=True),
        )

        assert entry.is_special_category is True

    def test_decision_not_to_share_special_category_data_needs_no_article_9_condition(self, between):
        entry = DisclosureFactory(
            **between, decision=Decision.NOT_SHARED, decision_reason="Not proportionate.",
            special_categories=["health"], art9_condition=None,
        )

        assert entry.art9_condition is None

    def test_criminal_offence_data_needs_a_schedule_1_condition(self, between):
        with violates(Disclosure, "disclosure_criminal_offence_has_condition"):
            DisclosureFactory(**between, criminal_offence_data=True, criminal_offence_condition=None)

    def test_criminal_offence_data_with_a_schedule_1_condition_is_accepted(self, between):
        entry = DisclosureFactory(
            **between, criminal_offence_data=True,
            criminal_offence_condition=LegalGatewayFactory(schedule1=True),
        )

        assert entry.criminal_offence_data is True

    @pytest.mark.parametrize("decision", [Decision.NOT_SHARED, Decision.REQUEST_REFUSED])
    def test_decision_not_to_share_needs_a_reason(self, between, decision):
        with violates(Disclosure, "disclosure_refusal_has_reason"):
            DisclosureFactory(**between, decision=decision, decision_reason="")

    @pytest.mark.parametrize("consent", [ConsentStatus.NOT_SOUGHT, ConsentStatus.REFUSED_OVERRIDDEN])
    def test_consent_not_sought_or_overridden_needs_a_reason(self, between, consent):
        with violates(Disclosure, "disclosure_consent_decision_has_reason"):
            DisclosureFactory(
                **between, consent_status=consent, consent_reason="",
                authorised_by="Sam Example, designated manager",
            )

    def test_consent_not_sought_with_a_reason_is_accepted(self, between):
        entry = DisclosureFactory(
            **between, consent_status=ConsentStatus.NOT_SOUGHT,
            consent_reason="Seeking consent would put a child at risk of harm.",
        )

        assert entry.consent_status == ConsentStatus.NOT_SOUGHT

    def test_overriding_a_refusal_needs_the_designated_managers_authorisation(self, between):
        with violates(Disclosure, "disclosure_override_is_authorised"):
            DisclosureFactory(
                **between, consent_status=ConsentStatus.REFUSED_OVERRIDDEN,
                consent_reason="Risk of serious harm to others.", authorised_by="",
            )

    def test_breaching_confidentiality_needs_the_designated_managers_authorisation(self, between):
        with violates(Disclosure, "disclosure_override_is_authorised"):
            DisclosureFactory(**between, confidentiality_breached=True, authorised_by="")

    def test_authorised_override_is_accepted(self, between):
        entry = DisclosureFactory(
            **between, consent_status=ConsentStatus.REFUSED_OVERRIDDEN,
            consent_reason="Risk of serious harm to others.", confidentiality_breached=True,
            authorised_by="Sam Example, designated manager",
        )

        assert entry.authorised_by == "Sam Example, designated manager"

    def test_organisation_cannot_disclose_to_itself(self, between):
        with violates(Disclosure, "disclosure_to_another_organisation"):
            DisclosureFactory(
                **{**between, "recipient_organisation": between["disclosing_organisation"]},
            )


class TestAmendment:
    def test_needs_a_reason(self, disclosure):
        with violates(Amendment, "amendment_has_reason"):
            Amendment.objects.create(
                disclosure=disclosure, kind=AmendmentKind.CORRECTION, reason="",
                made_by=disclosure.disclosed_by,
            )

    def test_entry_is_voided_once(self, disclosure):
        Amendment.objects.create(
            disclosure=disclosure, kind=AmendmentKind.VOID, reason="Logged twice.",
            made_by=disclosure.disclosed_by,
        )

        with violates(Amendment, "amendment_void_once"):
            Amendment.objects.create(
                disclosure=disclosure, kind=AmendmentKind.VOID, reason="Logged twice, again.",
                made_by=disclosure.disclosed_by,
            )

    def test_entry_is_marked_inaccurate_once(self, disclosure):
        Amendment.objects.create(
            disclosure=disclosure, kind=AmendmentKind.INACCURATE, reason="The date of the incident is wrong.",
            made_by=disclosure.disclosed_by,
        )

        with violates(Amendment, "amendment_inaccurate_once"):
            Amendment.objects.create(
                disclosure=disclosure, kind=AmendmentKind.INACCURATE, reason="The address is wrong too.",
                made_by=disclosure.disclosed_by,
            )

    def test_entry_may_be_corrected_more_than_once(self, disclosure):
        for reason in ("Wrong recipient job title.", "Wrong time."):
            Amendment.objects.create(
                disclosure=disclosure, kind=AmendmentKind.CORRECTION, reason=reason,
                made_by=disclosure.disclosed_by,
            )

        assert disclosure.amendments.count() == 2


class TestOnwardDisclosureRequest:
    @pytest.mark.parametrize("decision", [OnwardDecision.GRANTED, OnwardDecision.REFUSED])
    @pytest.mark.parametrize("missing", ["decided_by", "decided_at"])
    def test_decision_needs_who_decided_and_when(self, disclosure, decision, missing):
        fields = {"decided_by": UserFactory(), "decided_at": timezone.now(), missing: None}

        with violates(OnwardDisclosureRequest, "onward_decision_has_decider"):
            OnwardDisclosureRequest.objects.create(
                disclosure=disclosure, requested_by=UserFactory(),
                third_party="Felpersham Youth Offending Team", purpose="Joint risk assessment.",
                decision=decision, decision_reason="Needed for the joint assessment.", **fields,
            )

    @pytest.mark.parametrize("decision", [OnwardDecision.GRANTED, OnwardDecision.REFUSED])
    def test_decision_needs_a_reason(self, disclosure, decision):
        with violates(OnwardDisclosureRequest, "onward_decision_has_reason"):
            OnwardDisclosureRequest.objects.create(
                disclosure=disclosure, requested_by=UserFactory(),
                third_party="Felpersham Youth Offending Team", purpose="Joint risk assessment.",
                decision=decision, decided_by=UserFactory(), decided_at=timezone.now(), decision_reason="",
            )

    def test_request_names_the_third_party(self, disclosure):
        with violates(OnwardDisclosureRequest, "onward_names_third_party"):
            OnwardDisclosureRequest.objects.create(
                disclosure=disclosure, requested_by=UserFactory(), third_party="", purpose="Joint risk assessment.",
            )

    def test_pending_request_needs_no_decider(self, disclosure):
        OnwardDisclosureRequest.objects.create(
            disclosure=disclosure, requested_by=UserFactory(),
            third_party="Felpersham Youth Offending Team", purpose="Joint risk assessment.",
        )

        assert disclosure.onward_requests.get().decision == OnwardDecision.PENDING


class TestCaseClosure:
    def test_organisation_closes_a_case_once(self, disclosure):
        fields = {
            "organisation": disclosure.disclosing_organisation, "case_reference": "ASB-00001",
            "closed_on": timezone.localdate(), "closed_by": disclosure.disclosed_by,
        }
        CaseClosure.objects.create(**fields)

        with violates(CaseClosure, "case_closed_once"):
            CaseClosure.objects.create(**fields)

    def test_another_organisation_may_close_its_case_of_the_same_reference(self, disclosure):
        for organisation in (disclosure.disclosing_organisation, disclosure.recipient_organisation):
            CaseClosure.objects.create(
                organisation=organisation, case_reference="ASB-00001",
                closed_on=timezone.localdate(), closed_by=disclosure.disclosed_by,
            )

        assert CaseClosure.objects.count() == 2


class TestCaseClosureReopening:
    @pytest.fixture
    def fields(self, disclosure):
        return {
            "organisation": disclosure.disclosing_organisation, "case_reference": "ASB-00001",
            "closed_on": datetime.date(2026, 3, 2), "closed_by": disclosure.disclosed_by,
        }

    def test_closure_needs_a_case_reference(self, fields):
        with violates(CaseClosure, "case_closure_has_reference"):
            CaseClosure.objects.create(**{**fields, "case_reference": ""})

    @pytest.mark.parametrize("missing", ["reopened_by", "reason"])
    def test_reopening_needs_who_and_why(self, fields, missing):
        reopening = {"reopened_on": datetime.date(2026, 4, 1), "reopened_by": fields["closed_by"],
                     "reason": "New incident reported.", missing: "" if missing == "reason" else None}

        with violates(CaseClosure, "case_reopening_has_who_and_why"):
            CaseClosure.objects.create(**fields, **reopening)

    def test_who_reopened_needs_a_reopening_date(self, fields):
        with violates(CaseClosure, "case_reopening_has_who_and_why"):
            CaseClosure.objects.create(**fields, reopened_by=fields["closed_by"], reason="New incident.")

    def test_case_cannot_reopen_before_it_closed(self, fields):
        with violates(CaseClosure, "case_reopened_after_closing"):
            CaseClosure.objects.create(**fields, reopened_on=datetime.date(2026, 3, 1),
                                       reopened_by=fields["closed_by"], reason="New incident.")

    def test_reopened_case_is_accepted(self, fields):
        closure = CaseClosure.objects.create(**fields, reopened_on=datetime.date(2026, 3, 2),
                                             reopened_by=fields["closed_by"], reason="New incident.")

        assert closure.is_closed is False


class TestEscalation:
    @pytest.fixture
    def refusal(self, between):
        return DisclosureFactory(**between, decision=Decision.REQUEST_REFUSED, art6_basis=None,
                                 decision_reason="Would prejudice an investigation.")

    def escalate(self, refusal, **fields):
        fields = {"concern": "Needed to keep a child safe.", **fields}
        return Escalation.objects.create(
            disclosure=refusal, raised_by_organisation=refusal.recipient_organisation, raised_by=UserFactory(),
            **fields,
        )

    def test_one_open_escalation_per_entry(self, refusal):
        self.escalate(refusal)

        with violates(Escalation, "escalation_open_once"):
            self.escalate(refusal)

    def test_resolved_escalation_does_not_block_another(self, refusal):
        self.escalate(refusal, status="resolved", outcome=EscalationOutcome.UPHELD, resolution_note="Upheld.",
                      resolved_by=UserFactory(), resolved_at=timezone.now())

        self.escalate(refusal)

        assert refusal.escalations.count() == 2

    def test_escalation_needs_a_concern(self, refusal):
        with violates(Escalation, "escalation_has_concern"):
            self.escalate(refusal, concern="")

    @pytest.mark.parametrize("missing", ["outcome", "resolution_note", "resolved_by", "resolved_at"])
    def test_resolution_needs_outcome_note_who_and_when(self, refusal, missing):
        resolution = {"outcome": EscalationOutcome.SHARED, "resolution_note": "Share it.",
                      "resolved_by": UserFactory(), "resolved_at": timezone.now()}
        resolution[missing] = "" if missing in ("outcome", "resolution_note") else None

        with violates(Escalation, "escalation_resolution_complete"):
            self.escalate(refusal, status="resolved", **resolution)

    def test_open_escalation_has_no_outcome(self, refusal):
        with violates(Escalation, "escalation_resolution_complete"):
            self.escalate(refusal, outcome=EscalationOutcome.SHARED)


class TestRecipientDestructionConfirmation:
    Outcome = ConfirmationOutcome

    @pytest.mark.parametrize("outcome", [Outcome.CORRECTED, Outcome.DESTROYED])
    @pytest.mark.parametrize("missing", ["confirmed_by", "confirmed_at"])
    def test_confirmation_needs_who_confirmed_and_when(self, disclosure, outcome, missing):
        fields = {"confirmed_by": UserFactory(), "confirmed_at": timezone.now(), missing: None}

        with violates(RecipientDestructionConfirmation, "recipient_confirmation_has_confirmer"):
            RecipientDestructionConfirmation.objects.create(
                disclosure=disclosure, organisation=disclosure.recipient_organisation,
                outcome=outcome, **fields,
            )

    def test_each_recipient_is_asked_once_per_entry(self, disclosure):
        RecipientDestructionConfirmation.objects.create(
            disclosure=disclosure, organisation=disclosure.recipient_organisation,
        )

        with violates(RecipientDestructionConfirmation, "recipient_confirmation_once"):
            RecipientDestructionConfirmation.objects.create(
                disclosure=disclosure, organisation=disclosure.recipient_organisation,
            )

    def test_pending_confirmation_needs_no_confirmer(self, disclosure):
        RecipientDestructionConfirmation.objects.create(
            disclosure=disclosure, organisation=disclosure.recipient_organisation,
        )

        assert disclosure.recipient_confirmations.count() == 1

    def test_a_recipient_asked_after_an_inaccuracy_is_asked_again_when_the_entry_is_destroyed(self, disclosure):
        Reason = ConfirmationReason
        for reason in (Reason.INACCURACY, Reason.RETENTION):
            RecipientDestructionConfirmation.objects.create(
                disclosure=disclosure, organisation=disclosure.recipient_organisation, reason=reason,
            )

        assert disclosure.recipient_confirmations.count() == 2

    def test_a_copy_of_a_destroyed_entry_is_destroyed_not_corrected(self, disclosure):
        with violates(RecipientDestructionConfirmation, "retention_confirmation_is_destruction"):
            RecipientDestructionConfirmation.objects.create(
                disclosure=disclosure, organisation=disclosure.recipient_organisation,
                reason=ConfirmationReason.RETENTION, outcome=self.Outcome.CORRECTED,
                confirmed_by=UserFactory(), confirmed_at=timezone.now(),
            )


def test_entries_are_listed_newest_first(between):
    older = DisclosureFactory(**between, occurred_at=timezone.now() - datetime.timedelta(days=1))
    newer = DisclosureFactory(**between)

    assert list(Disclosure.objects.all()) == [newer, older]
