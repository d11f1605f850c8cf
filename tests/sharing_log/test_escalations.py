"""Escalation of a refusal to share (004 §6.4; DOMAIN.md rule 11; sharing_log/models/escalations.py,
services/escalations.py, selectors/escalations.py): raised by the partner that asked, routed to
the agreement's lead (its owner organisation), resolved once; who sees it; the rules the database
holds. The pages are in test_escalations_views.py."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from agreements.models import PartyStatus
from partners.models import Notification, Role, UndeliveredNotice
from sharing_log.models import (
    Amendment,
    AmendmentKind,
    Decision,
    Escalation,
    EscalationOutcome,
    EscalationStatus,
)
from sharing_log.selectors import disclosure_for_page, escalation_entry_rows, escalations_visible_to
from sharing_log.services import disclosure_amend, escalation_resolve
from tests.auth import sign_in
from tests.db import violates
from tests.factories import (
    ContactFactory,
    DisclosureFactory,
    UserFactory,
)
from tests.sharing_log.helpers.escalations import CONCERN, NOTE, PINNED, raise_for, refusal

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


def messages_of(error: ValidationError) -> dict:
    return error.message_dict


class TestRaise:
    @pytest.mark.parametrize("decision", [Decision.REQUEST_REFUSED, Decision.NOT_SHARED])
    def test_organisation_refused_escalates_to_the_lead(self, roles, decision):
        entry = refusal(roles, decision)

        escalation = raise_for(roles, entry, concern=f"  {CONCERN}  ")

        assert (escalation.disclosure, escalation.raised_by_organisation, escalation.raised_by) == (
            entry, roles.owner, roles.practitioner,
        )
        assert (escalation.status, escalation.outcome, escalation.concern) == (EscalationStatus.OPEN, "", CONCERN)
        assert escalation.history.count() == 1

    def test_the_leads_spocs_and_governance_managers_and_the_refusers_spocs_are_told_at_once(self, roles):
        lead_manager = ContactFactory(organisation=roles.owner, user=roles.governance_manager)
        refusing_spoc = ContactFactory(organisation=roles.partner, user=roles.spoc)
        lead_practitioner = ContactFactory(organisation=roles.owner, user=roles.practitioner)
        outsider = ContactFactory(organisation=roles.unrelated_organisation, user=roles.unrelated)

        escalation = raise_for(roles, refusal(roles))

        told = Notification.objects.filter(event_key=f"escalation-{escalation.pk}-raised")
        assert {n.recipient for n in told} == {lead_manager, refusing_spoc}
        assert lead_practitioner not in {n.recipient for n in told} and outsider not in {n.recipient for n in told}
        notice = told.first()
        assert notice.subject == ("Borsetshire County Council escalated a refusal to share to keep a child safe")
        assert notice.url == reverse("sharing_log:escalation", args=[escalation.pk])
        # Nothing of the case leaves the portal.
        assert "BCSP-2026-0142" not in notice.body and CONCERN not in notice.body

    def test_a_lead_with_nobody_to_tell_is_recorded_and_shown_on_the_escalation(self, roles, client):
        """Issue 13: an escalation completed when nobody at the lead was on record to tell."""
        refusing_spoc = ContactFactory(organisation=roles.partner, user=roles.spoc)

        escalation = raise_for(roles, refusal(roles))

        missed = UndeliveredNotice.objects.filter(event_key=f"escalation-{escalation.pk}-raised")
        assert [notice.message for notice in missed] == [
            "not delivered: Borsetshire County Council has nobody to tell",
        ]
        assert missed.get().url == reverse("sharing_log:escalation", args=[escalation.pk])
        assert Notification.objects.filter(event_key=f"escalation-{escalation.pk}-raised").get().recipient == (
            refusing_spoc
        )
        page = sign_in(client, roles.governance_manager).get(escalation.get_absolute_url()).content.decode()
        assert "not delivered: Borsetshire County Council has nobody to tell" in page

    def test_information_that_was_shared_cannot_be_escalated(self, roles):
        shared = roles.disclosure
        assert shared.decision == Decision.SHARED

        with pytest.raises(ValidationError) as error:
            raise_for(roles, shared)

        assert messages_of(error.value) == {"__all__": [
            "Only a decision not to share, or a refused request, can be escalated: this entry records "
            "information that was shared."
        ]}
        assert Escalation.objects.exists() is False

    def test_voided_refusal_cannot_be_escalated(self, roles):
        entry = refusal(roles)
        void = Amendment.objects.create(disclosure=entry, kind=AmendmentKind.VOID, reason="Logged twice.",
                                        made_by=roles.spoc)

        with pytest.raises(ValidationError) as error:
            raise_for(roles, entry)

        assert messages_of(error.value) == {"__all__": [
            f"This entry was voided on {void.made_at:%-d %B %Y}: it cannot be escalated."
        ]}
        assert Escalation.objects.exists() is False

    @pytest.mark.parametrize("subject", ["spoc", "auditor", "lead_signatory", "unrelated", "admin"])
    def test_only_a_logger_of_another_party_may_escalate(self, roles, subject):
        with pytest.raises(PermissionDenied):
            raise_for(roles, refusal(roles), user=roles.subject(subject), organisation=roles.partner)

        assert Escalation.objects.exists() is False

    def test_may_not_escalate_for_an_organisation_one_does_not_work_for(self, roles, third_party):
        with pytest.raises(PermissionDenied):
            raise_for(roles, refusal(roles), organisation=third_party)

    def test_one_open_escalation_per_refusal(self, roles):
        entry = refusal(roles)
        first = raise_for(roles, entry)

        with pytest.raises(ValidationError) as error:
            raise_for(roles, entry, user=roles.governance_manager)

        assert messages_of(error.value) == {"__all__": [
            f"Borsetshire County Council escalated this refusal on {first.raised_at:%-d %B %Y}: it is waiting "
            "for Borsetshire County Council's decision."
        ]}
        assert Escalation.objects.count() == 1

    def test_a_resolved_refusal_may_be_escalated_again(self, roles):
        entry = refusal(roles)
        escalation_resolve(escalation=raise_for(roles, entry), by_user=roles.governance_manager,
                           outcome=EscalationOutcome.UPHELD, resolution_note=NOTE)

        again = raise_for(roles, entry, concern="New information: a second incident at the address.")

        assert Escalation.objects.filter(disclosure=entry).count() == 2
        assert again.status == EscalationStatus.OPEN

    def test_partner_that_has_withdrawn_cannot_escalate(self, roles):
        entry = refusal(roles)
        party = roles.owner_party
        party.status = PartyStatus.WITHDRAWN
        party.withdrawal_notified_on = timezone.localdate() - datetime.timedelta(days=40)
        party.withdrawal_effective_on = timezone.localdate() - datetime.timedelta(days=5)
        party.save(update_fields=["status", "withdrawal_notified_on", "withdrawal_effective_on"])

        with pytest.raises(ValidationError) as error:
            raise_for(roles, entry)

        assert messages_of(error.value) == {"organisation": [
            "Borsetshire County Council is not a signed party to Borsetshire Community Safety Information "
            "Sharing Agreement (BCSP ISA) today, so it cannot escalate a refusal under it."
        ]}

    @pytest.mark.parametrize(("concern", "message"), [
        ("   ", "Say why the information is needed to keep a child safe."),
        ("x" * 1001, "The concern must be 1,000 characters or fewer."),
    ])
    def test_concern_is_needed_and_short(self, roles, concern, message):
        with pytest.raises(ValidationError) as error:
            raise_for(roles, refusal(roles), concern=concern)

        assert messages_of(error.value) == {"concern": [message]}
        assert Escalation.objects.exists() is False

    def test_concern_that_looks_identifying_needs_the_tick(self, roles):
        entry = refusal(roles)
        concern = "Child lives at CB23 6EA; the school has raised a concern."

        with pytest.raises(ValidationError) as error:
            raise_for(roles, entry, concern=concern)

        assert messages_of(error.value) == {"concern_checked": [
            "The concern may identify someone: it looks like it holds a postcode. Take out anything that "
            "identifies a person, or tick the box to confirm it holds nothing identifying."
        ]}
        assert Escalation.objects.exists() is False
        assert raise_for(roles, entry, concern=concern, concern_checked=True).concern == concern


class TestResolve:
    @pytest.fixture
    def escalation(self, roles):
        return raise_for(roles, refusal(roles))

    def test_the_leads_governance_manager_resolves_it(self, roles, escalation):
        resolved = escalation_resolve(escalation=escalation, by_user=roles.governance_manager,
                                      outcome=EscalationOutcome.SHARED, resolution_note=f" {NOTE} ")

        escalation.refresh_from_db()
        assert (escalation.status, escalation.outcome, escalation.resolution_note, escalation.resolved_by) == (
            EscalationStatus.RESOLVED, EscalationOutcome.SHARED, NOTE, roles.governance_manager,
        )
        assert resolved.resolved_at is not None
        assert escalation.history.count() == 2

    def test_leads_spoc_may_resolve_it_too(self, roles, escalation):
        lead_spoc = roles.member(roles.owner, Role.SPOC)

        escalation_resolve(escalation=escalation, by_user=lead_spoc, outcome=EscalationOutcome.WITHDRAWN,
                           resolution_note="Withdrawn: the information came from elsewhere.")

        assert Escalation.objects.get().resolved_by == lead_spoc

    def test_whoever_raised_it_and_both_organisations_spocs_hear_the_outcome(self, roles, escalation):
        raiser = ContactFactory(organisation=roles.owner, user=roles.practitioner)
        refusing_spoc = ContactFactory(organisation=roles.partner, user=roles.spoc)

        escalation_resolve(escalation=escalation, by_user=roles.governance_manager,
                           outcome=EscalationOutcome.SHARED, resolution_note=NOTE)

        told = Notification.objects.filter(event_key=f"escalation-{escalation.pk}-resolved")
        assert {n.recipient for n in told} == {raiser, refusing_spoc}
        assert told.first().subject == (
            "Borsetshire County Council decided an escalated refusal: information shared after escalation"
        )
        assert "Borsetshire Police should now share the information and log the share." in told.first().body
        assert NOTE not in told.first().body

    @pytest.mark.parametrize("subject", ["practitioner", "spoc", "auditor", "unrelated"])
    def test_only_the_leads_spoc_or_governance_manager_resolves(self, roles, escalation, subject):
        with pytest.raises(PermissionDenied):
            escalation_resolve(escalation=escalation, by_user=roles.subject(subject),
                               outcome=EscalationOutcome.UPHELD, resolution_note=NOTE)

        assert Escalation.objects.get().status == EscalationStatus.OPEN

    def test_outcome_and_reasons_are_needed(self, roles, escalation):
        with pytest.raises(ValidationError) as error:
            escalation_resolve(escalation=escalation, by_user=roles.governance_manager, outcome="maybe",
                               resolution_note="  ")

        assert messages_of(error.value) == {
            "outcome": ["Select the outcome."], "resolution_note": ["Give the reasons for the decision."],
        }
        escalation.refresh_from_db()
        assert (escalation.status, escalation.outcome, escalation.resolved_by) == (EscalationStatus.OPEN, "", None)

    def test_reasons_that_look_identifying_need_the_tick(self, roles, escalation):
        with pytest.raises(ValidationError) as error:
            escalation_resolve(escalation=escalation, by_user=roles.governance_manager,
                               outcome=EscalationOutcome.UPHELD, resolution_note="Ring 07700 900123 for details.")

        assert list(messages_of(error.value)) == ["note_checked"]
        assert Escalation.objects.get().status == EscalationStatus.OPEN

    def test_an_escalation_is_resolved_once(self, roles, escalation):
        escalation_resolve(escalation=escalation, by_user=roles.governance_manager,
                           outcome=EscalationOutcome.UPHELD, resolution_note=NOTE)

        with pytest.raises(ValidationError) as error:
            escalation_resolve(escalation=escalation, by_user=roles.governance_manager,
                               outcome=EscalationOutcome.SHARED, resolution_note="Changed my mind.")

        name = roles.governance_manager.get_full_name()
        resolved = Escalation.objects.get()
        assert messages_of(error.value) == {"__all__": [
            f"This escalation was resolved by {name} on {resolved.resolved_at:%-d %B %Y}: refusal upheld."
        ]}
        assert resolved.outcome == EscalationOutcome.UPHELD


class TestWhoSees:
    def test_the_lead_sees_an_escalation_between_two_other_partners_but_not_the_entry(self, roles, third_party):
        asker = roles.member(third_party, Role.PRACTITIONER)
        entry = DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.partner, recipient_organisation=third_party,
            disclosed_by=roles.spoc, decision=Decision.NOT_SHARED, art6_basis=None,
            decision_reason="Not proportionate.",
        )
        escalation = raise_for(roles, entry, user=asker, organisation=third_party)

        assert list(escalations_visible_to(roles.governance_manager)) == [escalation]
        assert disclosure_for_page(roles.governance_manager, entry.pk).exists() is False
        # The lead's practitioner decides nothing, and sees nothing of it.
        assert list(escalations_visible_to(roles.practitioner)) == []

    @pytest.mark.parametrize(("subject", "sees"), [
        ("practitioner", True), ("spoc", True), ("governance_manager", True), ("auditor", True),
        ("lead_signatory", False), ("admin", False), ("unrelated", False), ("anonymous", False),
    ])
    def test_who_sees_an_escalation(self, roles, subject, sees):
        from django.contrib.auth.models import AnonymousUser

        escalation = raise_for(roles, refusal(roles))
        user = roles.subject(subject) or AnonymousUser()

        assert (escalation in escalations_visible_to(user)) is sees

    def test_the_lead_sees_the_refusal_as_corrected(self, roles):
        entry = refusal(roles)
        disclosure_amend(disclosure=entry, by_user=roles.spoc, field="case_reference", value="BCSP-2026-0143",
                           reason="Typed the wrong number.")
        escalation = raise_for(roles, entry)

        rows = {row.key: row.value for row in escalation_entry_rows(escalation)}

        assert rows["Case reference"] == "BCSP-2026-0143"
        assert rows["Reason for the decision"] == "Disclosure would prejudice an ongoing investigation."
        assert (rows["Decided by"], rows["Partner that asked"]) == ("Borsetshire Police", "Borsetshire County Council")
        assert "Recipient's name" not in rows and "Summary" not in rows


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
