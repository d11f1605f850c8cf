"""Data-quality correction (001 §5.6; DOMAIN.md rule 9; sharing_log/models/quality.py,
services/quality.py, selectors/quality.py; the pages are in test_quality_views.py): the originator
marks an entry inaccurate, every recipient is told, and each recipient's SPOC confirms its copy
corrected or destroyed, once.

``roles.disclosure_to_partner``: the owner's practitioner shared with the partner, so the
practitioner (its author) marks it and the partner's SPOC confirms. Each refusal asserts its exact
message and that nothing was saved.
"""


import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from partners.models import Notification, Role, Sector, UndeliveredNotice
from sharing_log.models import (
    Amendment,
    AmendmentKind,
    ConfirmationOutcome,
    ConfirmationReason,
    Decision,
    OnwardDecision,
    RecipientDestructionConfirmation,
)
from sharing_log.selectors import disclosure_timeline, entries_of_the_same_case
from sharing_log.services import (
    disclosure_amend,
    disclosure_void,
    recipient_copy_confirm,
)
from tests.db import violates
from tests.factories import ContactFactory, DisclosureFactory, OrganisationFactory, PartyFactory, UserFactory
from tests.sharing_log.helpers import Outcome, day
from tests.sharing_log.helpers.quality import WRONG, mark, passed_on, same_case

pytestmark = pytest.mark.django_db


def refused(entry, by_user, **changes) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        mark(entry, by_user, **changes)
    assert Amendment.objects.filter(kind=AmendmentKind.INACCURATE).exists() is False
    assert RecipientDestructionConfirmation.objects.exists() is False
    return excinfo.value.message_dict


def confirmations() -> set:
    return {(confirmation.disclosure_id, confirmation.organisation.name, confirmation.outcome)
            for confirmation in RecipientDestructionConfirmation.objects.select_related("organisation")}


class TestMark:
    def test_the_author_marks_an_entry_inaccurate_and_its_recipient_is_asked(self, roles, entry):
        notice = mark(entry, roles.practitioner, what_is_wrong=f"  {WRONG}  ")

        assert (notice.kind, notice.reason, notice.made_by, notice.disclosure) == (
            AmendmentKind.INACCURATE, WRONG, roles.practitioner, entry,
        )
        assert confirmations() == {(entry.pk, "Borsetshire Police", Outcome.PENDING)}

    @pytest.mark.parametrize("role", [Role.SPOC, Role.GOVERNANCE_MANAGER])
    def test_the_disclosing_organisations_spoc_or_governance_manager_may_mark(self, roles, entry, role):
        assert mark(entry, roles.member(roles.owner, role)).kind == AmendmentKind.INACCURATE

    @pytest.mark.parametrize("who", ["spoc", "auditor", "unrelated", "another_practitioner"])
    def test_only_the_originator_side_marks(self, roles, entry, who):
        user = roles.member(roles.owner, Role.PRACTITIONER) if who == "another_practitioner" else roles.subject(who)

        with pytest.raises(PermissionDenied) as excinfo:
            mark(entry, user)

        assert str(excinfo.value) == (
            "Only the person who logged the entry, or a SPOC or governance manager of the organisation that made "
            "it, may mark it inaccurate."
        )
        assert Amendment.objects.exists() is False

    def test_every_directory_organisation_it_was_passed_on_to_with_consent_is_asked(self, roles, entry, yos):
        passed_on(roles, entry, organisation=yos)
        refused_to = OrganisationFactory(name="Ambridge Academy", sector=Sector.EDUCATION)
        passed_on(roles, entry, organisation=refused_to, decision=OnwardDecision.REFUSED)
        pending = OrganisationFactory(name="Felpersham College", sector=Sector.EDUCATION)
        passed_on(roles, entry, organisation=pending, decision=OnwardDecision.PENDING)
        passed_on(roles, entry, name="Ambridge Youth Club")  # granted, but not in the directory

        mark(entry, roles.practitioner)

        assert confirmations() == {
            (entry.pk, "Borsetshire Police", Outcome.PENDING),
            (entry.pk, "Borsetshire Youth Offending Service", Outcome.PENDING),
        }

    def test_ticked_entries_of_the_same_case_are_marked_and_their_recipients_asked(self, roles, entry):
        other_partner = PartyFactory(
            agreement=roles.agreement, signed=True, organisation=OrganisationFactory(name="Borsetshire Fire"),
        ).organisation
        ticked = same_case(roles, recipient_organisation=other_partner)
        untouched = same_case(roles)

        notice = mark(entry, roles.practitioner, also_entries=[ticked])

        assert notice.changes == {"also_entries": [ticked.pk]}
        assert Amendment.objects.get(disclosure=ticked, kind=AmendmentKind.INACCURATE).changes == {
            "same_as_entry": entry.pk,
        }
        assert Amendment.objects.filter(disclosure=untouched).exists() is False
        assert confirmations() == {
            (entry.pk, "Borsetshire Police", Outcome.PENDING),
            (ticked.pk, "Borsetshire Fire", Outcome.PENDING),
        }

    def test_only_entries_of_the_same_case_may_be_ticked(self, roles, entry):
        another_case = same_case(roles, case_reference="ASB-2026-9999")

        assert refused(entry, roles.practitioner, also_entries=[another_case]) == {
            "also_entries": [
                "Choose only other entries your organisation shared under the same case reference that have not "
                "been voided or marked inaccurate already."
            ],
        }

    def test_each_recipient_is_told_without_case_detail(
        self, roles, entry, yos, mailoutbox, django_capture_on_commit_callbacks,
    ):
        passed_on(roles, entry, organisation=yos)
        partners_spoc = ContactFactory(organisation=roles.partner, name="Sam Example", user=roles.spoc)
        yos_spoc = ContactFactory(organisation=yos, name="Alex Example",
                                  user=roles.member(yos, Role.SPOC))

        with django_capture_on_commit_callbacks(execute=True):
            mark(entry, roles.practitioner)

        told = Notification.objects.filter(event_key__startswith="inaccuracy-confirmation-")
        assert {notification.recipient for notification in told} == {partners_spoc, yos_spoc}
        for notification in told:
            organisation = notification.recipient.organisation
            confirmation = RecipientDestructionConfirmation.objects.get(organisation=organisation)
            assert notification.url == reverse("sharing_log:copy_confirm", args=[confirmation.pk])
            assert notification.subject == "Borsetshire County Council says information it shared was inaccurate"
            assert WRONG not in notification.body and entry.case_reference not in notification.body
        assert len(mailoutbox) == 2

    def test_a_recipient_with_nobody_to_tell_is_recorded_not_skipped(self, roles, entry):
        """Issue 13: a correction must reach someone at each recipient, or say it did not."""
        mark(entry, roles.practitioner)

        missed = UndeliveredNotice.objects.filter(event_key__startswith="inaccuracy-confirmation-")
        assert [(notice.message, notice.url) for notice in missed] == [
            ("not delivered: Borsetshire Police has nobody to tell", reverse("sharing_log:detail", args=[entry.pk])),
        ]
        assert not Notification.objects.filter(event_key__startswith="inaccuracy-confirmation-").exists()

    def test_a_voided_entry_cannot_be_marked(self, roles, entry):
        disclosure_void(disclosure=entry, by_user=roles.practitioner, reason="Logged twice.")

        assert refused(entry, roles.practitioner)[NON_FIELD_ERRORS] == [
            f"This entry was voided on {day(timezone.localdate())}: it cannot be marked inaccurate."
        ]

    def test_a_decision_not_to_share_cannot_be_marked(self, roles):
        not_shared = same_case(roles, decision=Decision.NOT_SHARED, decision_reason="Not necessary.")

        assert refused(not_shared, roles.practitioner)[NON_FIELD_ERRORS] == [
            "This entry records a decision not to share: no partner received information from it. "
            "Correct the entry instead."
        ]

    def test_a_purged_entry_cannot_be_marked(self, roles):
        purged = same_case(roles, purged_at=timezone.now())

        assert refused(purged, roles.practitioner)[NON_FIELD_ERRORS] == [
            "This entry's personal details were destroyed under the retention rule: it cannot be marked inaccurate."
        ]

    def test_an_entry_is_marked_once(self, roles, entry):
        mark(entry, roles.practitioner)

        with pytest.raises(ValidationError) as excinfo:
            mark(entry, roles.governance_manager, what_is_wrong="Also the date.")

        assert excinfo.value.message_dict[NON_FIELD_ERRORS] == [
            f"This entry was marked inaccurate on {day(timezone.localdate())} by {roles.practitioner.get_full_name()}."
        ]
        assert Amendment.objects.filter(kind=AmendmentKind.INACCURATE).count() == 1
        assert RecipientDestructionConfirmation.objects.count() == 1

    def test_what_is_wrong_is_needed(self, roles, entry):
        assert refused(entry, roles.practitioner, what_is_wrong="  ") == {
            "what_is_wrong": ["Say what is wrong with the information that was shared."],
        }

    def test_identifiers_in_what_is_wrong_are_refused_until_checked(self, roles, entry):
        text = "The postcode was wrong: it is BS1 4DJ."

        assert refused(entry, roles.practitioner, what_is_wrong=text) == {
            "text_checked": [
                "What you have written may identify someone: it looks like it holds a postcode. Say what is wrong "
                "without identifying anyone, or tick the box to confirm it holds nothing identifying."
            ],
        }
        assert mark(entry, roles.practitioner, what_is_wrong=text, text_checked=True).reason == text


class TestEntriesOfTheSameCase:
    def test_offers_only_other_live_shared_entries_of_the_case(self, roles, entry):
        offered = same_case(roles)
        same_case(roles, case_reference="ASB-2026-9999")
        same_case(roles, decision=Decision.NOT_SHARED, decision_reason="Not necessary.")
        voided = same_case(roles)
        disclosure_void(disclosure=voided, by_user=roles.practitioner, reason="Logged twice.")
        already = same_case(roles)
        mark(already, roles.practitioner)
        same_case(roles, purged_at=timezone.now())
        # The partner's entry under the same reference is another organisation's case.
        DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.partner,
                          recipient_organisation=roles.owner, disclosed_by=roles.spoc,
                          case_reference=entry.case_reference)

        assert entries_of_the_same_case(entry) == [offered]

    def test_follows_corrections_of_the_case_reference(self, roles, entry):
        corrected_in = same_case(roles, case_reference="ASB-OLD-1")
        disclosure_amend(disclosure=corrected_in, by_user=roles.practitioner, field="case_reference",
                           value=entry.case_reference, reason="Typed wrongly.")
        corrected_away = same_case(roles)
        disclosure_amend(disclosure=corrected_away, by_user=roles.practitioner, field="case_reference",
                           value="ASB-OTHER-2", reason="Another case.")

        assert entries_of_the_same_case(entry) == [corrected_in]


class TestConfirm:
    @pytest.mark.parametrize("outcome", [Outcome.CORRECTED, Outcome.DESTROYED])
    def test_the_recipients_spoc_confirms(self, roles, asked, outcome):
        confirmed = recipient_copy_confirm(confirmation=asked, by_user=roles.spoc, outcome=outcome)

        confirmed.refresh_from_db()
        assert (confirmed.outcome, confirmed.confirmed_by) == (outcome, roles.spoc)
        assert confirmed.confirmed_at is not None

    def test_a_recipient_confirms_once(self, roles, asked):
        recipient_copy_confirm(confirmation=asked, by_user=roles.spoc, outcome=Outcome.CORRECTED)
        another_spoc = roles.member(roles.partner, Role.SPOC)

        with pytest.raises(ValidationError) as excinfo:
            recipient_copy_confirm(confirmation=asked, by_user=another_spoc, outcome=Outcome.DESTROYED)

        assert excinfo.value.message_dict[NON_FIELD_ERRORS] == [
            f"Borsetshire Police already confirmed its copy corrected: {roles.spoc.get_full_name()}, "
            f"{day(timezone.localdate())}."
        ]
        asked.refresh_from_db()
        assert (asked.outcome, asked.confirmed_by) == (Outcome.CORRECTED, roles.spoc)

    @pytest.mark.parametrize(
        "who", ["owners_spoc", "practitioner", "auditor", "lead_signatory", "partners_practitioner"],
    )
    def test_only_a_spoc_of_that_recipient_confirms(self, roles, asked, who):
        user = {
            "owners_spoc": lambda: roles.member(roles.owner, Role.SPOC),
            "partners_practitioner": lambda: roles.member(roles.partner, Role.PRACTITIONER),
        }.get(who, lambda: roles.subject(who))()

        with pytest.raises(PermissionDenied) as excinfo:
            recipient_copy_confirm(confirmation=asked, by_user=user, outcome=Outcome.DESTROYED)

        assert str(excinfo.value) == "Only a SPOC of Borsetshire Police may confirm what it did with its copy."
        asked.refresh_from_db()
        assert asked.outcome == Outcome.PENDING

    def test_the_outcome_is_corrected_or_destroyed(self, roles, asked):
        with pytest.raises(ValidationError) as excinfo:
            recipient_copy_confirm(confirmation=asked, by_user=roles.spoc, outcome=Outcome.PENDING)

        assert excinfo.value.message_dict == {
            "outcome": ["Select whether your organisation corrected or destroyed its copy."],
        }

    def test_an_onward_recipients_spoc_confirms_its_own_copy_only(self, roles, entry, yos):
        passed_on(roles, entry, organisation=yos)
        mark(entry, roles.practitioner)
        yos_spoc = roles.member(yos, Role.SPOC)
        police, youth = (RecipientDestructionConfirmation.objects.get(organisation=organisation)
                         for organisation in (roles.partner, yos))

        recipient_copy_confirm(confirmation=youth, by_user=yos_spoc, outcome=Outcome.DESTROYED)
        with pytest.raises(PermissionDenied):
            recipient_copy_confirm(confirmation=police, by_user=yos_spoc, outcome=Outcome.DESTROYED)

        assert confirmations() == {
            (entry.pk, "Borsetshire Police", Outcome.PENDING),
            (entry.pk, "Borsetshire Youth Offending Service", Outcome.DESTROYED),
        }

    def test_the_timeline_shows_the_notice_and_the_confirmation(self, roles, entry, asked):
        recipient_copy_confirm(confirmation=asked, by_user=roles.spoc, outcome=Outcome.DESTROYED)

        titles = [event.title for event in disclosure_timeline(entry)]

        assert titles[-2:] == ["Marked inaccurate", "Borsetshire Police confirmed its copy destroyed"]


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
