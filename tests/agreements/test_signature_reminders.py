"""Reminders to sign (agreements/services/signing.py ``signature_reminder_send``), the reads
behind the signatures and parties pages (``reminders_attach``, ``SIGNATURE_COLUMNS``,
``party_rows_filtered``) and the agreement page's "What needs doing" (``agreement_to_do``)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from agreements.exports import SIGNATURE_COLUMNS
from agreements.models import Agreement, ContactRole, DpoReviewOutcome, SignatureReminder
from agreements.selectors import agreement_history, signature_matrix
from agreements.selectors.browse import agreement_to_do
from agreements.selectors.parties import party_rows_filtered
from agreements.selectors.signing import reminders_attach
from agreements.services import party_contact_add, signature_record_paper
from agreements.services.dpo_reviews import dpo_review_record
from agreements.services.signing import NOT_SENT_FOR_SIGNATURE, signature_reminder_send
from govuk_blocks.exports import csv_value, values
from partners.models import Notification, Role, UndeliveredNotice
from tests.db import violates
from tests.factories import ContactFactory, OrganisationFactory, PartyFactory

PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))
TODAY = datetime.date(2026, 6, 17)
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


class TestSignatureReminderSend:
    def test_tells_the_lead_signatory_and_the_spoc_and_keeps_the_reminder(self, chased):
        reminder = signature_reminder_send(party=chased.partner_party, sent_by=chased.governance_manager)

        assert (reminder.party, reminder.version, reminder.sent_by, reminder.sent_on) == (
            chased.partner_party, chased.version, chased.governance_manager, TODAY,
        )
        told = Notification.objects.filter(event_key=f"signature-{chased.partner_party.pk}-reminder-2026-06-17")
        assert {n.recipient for n in told} == {chased.signatory_contact, chased.spoc_contact}
        notification = told.first()
        assert notification.subject == "Reminder: Borsetshire Police has not yet signed " + (
            chased.agreement.reference or chased.agreement.title
        )
        assert notification.body == (
            f"Kit Manager, who manages “{chased.agreement.title}” for Borsetshire County Council, reminds "
            "Borsetshire Police that version 1.0 is waiting for its signature.\n\n"
            "Its lead signatory reads and signs it in the portal. Until then, the partnership's records show "
            "Borsetshire Police as not having signed version 1.0."
        )
        assert notification.url == reverse("agreements:signatures", args=[chased.agreement.pk])

    def test_a_second_reminder_the_same_day_is_refused_and_the_next_day_allowed(self, chased):
        signature_reminder_send(party=chased.partner_party, sent_by=chased.governance_manager)

        with pytest.raises(ValidationError) as refused:
            signature_reminder_send(party=chased.partner_party, sent_by=chased.governance_manager)

        assert refused.value.messages == ["A reminder was sent to Borsetshire Police on 17 June 2026."]
        assert SignatureReminder.objects.filter(party=chased.partner_party).count() == 1
        signature_reminder_send(
            party=chased.partner_party, sent_by=chased.governance_manager, on=TODAY + datetime.timedelta(days=1),
        )
        assert SignatureReminder.objects.filter(party=chased.partner_party).count() == 2

    def test_the_database_holds_one_reminder_a_party_a_day(self, chased):
        fields = {"party": chased.partner_party, "version": chased.version, "sent_by": chased.governance_manager,
                  "sent_on": TODAY, "sent_at": PINNED}
        SignatureReminder.objects.create(**fields)

        with violates(SignatureReminder, "signature_reminder_once_a_day"):
            SignatureReminder.objects.create(**fields)

    def test_a_party_that_has_signed_is_not_reminded(self, chased):
        signature_record_paper(party=chased.partner_party, version=chased.version, signatory_name="Jo Example")

        with pytest.raises(ValidationError) as refused:
            signature_reminder_send(party=chased.partner_party, sent_by=chased.governance_manager)

        assert refused.value.messages == ["Borsetshire Police is not waiting to sign version 1.0."]
        assert not SignatureReminder.objects.exists()

    def test_nothing_is_sent_before_the_agreement_goes_for_signature(self, roles):
        with pytest.raises(ValidationError) as refused:
            signature_reminder_send(party=roles.draft.parties.get(organisation=roles.partner),
                                    sent_by=roles.governance_manager)

        assert refused.value.messages == [NOT_SENT_FOR_SIGNATURE]
        assert not SignatureReminder.objects.exists()

    def test_a_party_with_nobody_to_tell_is_recorded_as_undelivered(self, chased):
        nobody = PartyFactory(agreement=chased.agreement, organisation=OrganisationFactory(name="Ambridge Parish"))

        signature_reminder_send(party=nobody, sent_by=chased.governance_manager)

        notice = UndeliveredNotice.objects.get(event_key=f"signature-{nobody.pk}-reminder-2026-06-17")
        assert notice.organisation.name == "Ambridge Parish"
        assert notice.responsible_organisation == chased.owner

    def test_the_history_shows_who_was_reminded_and_by_whom(self, chased):
        signature_reminder_send(party=chased.partner_party, sent_by=chased.governance_manager)

        entry = agreement_history(chased.agreement)[0]

        assert (entry.title, entry.who) == ("Reminder to Borsetshire Police to sign version 1.0 created", "Kit Manager")


class TestReminderWhileTheDpoReviewIsAwaited:
    """Decision 0062, amended: with DPO review on, the lead signatory cannot sign until the party's
    DPO is content, so "Send a reminder" reminds the DPO instead."""

    @pytest.fixture
    def dpo_on(self, chased):
        Agreement.objects.filter(pk=chased.agreement.pk).update(dpo_review_required=True)
        chased.agreement.refresh_from_db()
        chased.partner_party.refresh_from_db()
        chased.dpo_contact = ContactFactory(organisation=chased.partner, name="Dee Protection",
                                            email="dee@police.example")
        party_contact_add(party=chased.partner_party, contact=chased.dpo_contact, role=ContactRole.DPO)
        return chased

    def test_the_dpo_and_the_spoc_are_reminded_and_the_signatory_is_not(self, dpo_on):
        signature_reminder_send(party=dpo_on.partner_party, sent_by=dpo_on.governance_manager)

        told = Notification.objects.filter(event_key=f"signature-{dpo_on.partner_party.pk}-reminder-2026-06-17")
        assert {n.recipient for n in told} == {dpo_on.dpo_contact, dpo_on.spoc_contact}
        notification = told.first()
        reference = dpo_on.agreement.reference or dpo_on.agreement.title
        assert notification.subject == f"Reminder: Borsetshire Police's DPO review of {reference} is awaited"
        assert notification.body == (
            f"Kit Manager, who manages “{dpo_on.agreement.title}” for Borsetshire County Council, reminds "
            "Borsetshire Police that its data protection officer's review of version 1.0 is awaited.\n\n"
            "Its DPO reviews it in the portal and records whether it is content to sign. Its lead signatory "
            "cannot sign version 1.0 until then."
        )
        assert notification.url == reverse("agreements:party_dpo_review",
                                           args=[dpo_on.agreement.pk, dpo_on.partner_party.pk])

    def test_once_the_dpo_is_content_the_signatory_is_reminded(self, dpo_on):
        dpo_on.dpo_contact.user = dpo_on.member(dpo_on.partner, Role.PRACTITIONER, username="police-dpo")
        dpo_on.dpo_contact.save()
        dpo_review_record(party=dpo_on.partner_party, version=dpo_on.version, user=dpo_on.dpo_contact.user,
                          outcome=DpoReviewOutcome.CONTENT_TO_SIGN)

        signature_reminder_send(party=dpo_on.partner_party, sent_by=dpo_on.governance_manager)

        told = Notification.objects.filter(event_key=f"signature-{dpo_on.partner_party.pk}-reminder-2026-06-17")
        assert {n.recipient for n in told} == {dpo_on.signatory_contact, dpo_on.spoc_contact}

    def test_nobody_is_reminded_while_the_dpo_has_found_changes_needed(self, dpo_on):
        dpo_on.dpo_contact.user = dpo_on.member(dpo_on.partner, Role.PRACTITIONER, username="police-dpo")
        dpo_on.dpo_contact.save()
        dpo_review_record(party=dpo_on.partner_party, version=dpo_on.version, user=dpo_on.dpo_contact.user,
                          outcome=DpoReviewOutcome.CHANGES_NEEDED, comments="Clause 4 is too wide.")

        with pytest.raises(ValidationError) as refused:
            signature_reminder_send(party=dpo_on.partner_party, sent_by=dpo_on.governance_manager)

        assert refused.value.messages == [
            "Borsetshire Police's data protection officer found that version 1.0 needs changes, so it cannot "
            "be signed: nobody is reminded until its DPO is content with a version."]
        assert not SignatureReminder.objects.exists()
        assert not Notification.objects.filter(event_key__contains="-reminder-").exists()


class TestReads:
    def test_reminders_attach_says_who_was_reminded_today_and_when_last(self, chased):
        SignatureReminder.objects.create(
            party=chased.partner_party, version=chased.version, sent_by=chased.governance_manager,
            sent_on=TODAY - datetime.timedelta(days=3), sent_at=PINNED - datetime.timedelta(days=3),
        )
        rows = reminders_attach(signature_matrix(chased.agreement).chase, on=TODAY)

        assert [(row.organisation.name, row.reminded_today, row.last_reminder.sent_on) for row in rows] == [
            ("Borsetshire Police", False, datetime.date(2026, 6, 14)),
        ]
        assert reminders_attach(rows, on=datetime.date(2026, 6, 14))[0].reminded_today is True

    def test_the_export_carries_what_the_page_shows_and_no_contact_details(self, chased):
        party_contact_add(party=chased.partner_party, contact=chased.signatory_contact,
                          role=ContactRole.LEAD_SIGNATORY)

        rows = [[csv_value(cell) for cell in row]
                for row in values(SIGNATURE_COLUMNS, signature_matrix(chased.agreement).rows)]

        assert rows == [
            ["Borsetshire County Council", "Signed", "1.0", "2026-06-01", ""],
            ["Borsetshire Police", "Invited", "", "", "Jo Example"],
        ]

    def test_party_rows_filtered_by_part_of_the_name_and_by_status(self, chased):
        rows = signature_matrix(chased.agreement).rows

        assert [r.organisation.name for r in party_rows_filtered(rows, search="  POLICE ")] == ["Borsetshire Police"]
        assert [r.organisation.name for r in party_rows_filtered(rows, search="borsetshire")] == [
            "Borsetshire County Council", "Borsetshire Police",
        ]
        assert party_rows_filtered(rows, status="invited", status_field="signature_status") == [
            row for row in rows if row.organisation.name == "Borsetshire Police"
        ]
        assert party_rows_filtered(rows, search="Fire") == []


class TestAgreementToDo:
    def test_lists_parties_to_chase_and_parties_without_a_spoc(self, chased):
        matrix = signature_matrix(chased.agreement)

        items = agreement_to_do(chased.agreement, matrix=matrix, review="", dpia=None, manages=True)

        signatures = reverse("agreements:signatures", args=[chased.agreement.pk])
        assert items == [
            {"text": "1 party is still to sign version 1.0", "href": f"{signatures}#chase"},
            {"text": "1 party has named no SPOC", "href": reverse("agreements:parties", args=[chased.agreement.pk])},
        ]

    def test_nothing_outstanding_is_an_empty_list(self, roles):
        for party in roles.agreement.parties.all():
            party_contact_add(party=party, contact=ContactFactory(organisation=party.organisation),
                              role=ContactRole.SPOC)

        matrix = signature_matrix(roles.agreement)

        assert agreement_to_do(roles.agreement, matrix=matrix, review="", dpia=None, manages=False) == []
