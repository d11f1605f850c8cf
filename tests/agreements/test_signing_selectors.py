"""Reads for signing: each party's signature status, the matrix and the chase list of one
agreement and of all a governance manager's agreements, re-signing, versions and their diff."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from agreements.diff import ADDED, CHANGED, ItemChange
from agreements.models import Agreement, ContactRole, Party, PartyStatus, Status
from agreements.selectors import (
    SignatureStatus,
    agreement_versions,
    parties_to_resign,
    parties_with_signature_status,
    signature_matrix,
    signature_overview,
    version_changes,
    version_for_reading,
)
from agreements.services import (
    agreement_substance_changed,
    agreement_version_create,
    party_contact_add,
    signature_record_paper,
)
from partners.models import Role
from tests.factories import (
    AgreementFactory,
    ContactFactory,
    LegalGatewayFactory,
    MembershipFactory,
    OrganisationFactory,
    PartyFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

S = SignatureStatus


def paper(party, version):
    return signature_record_paper(party=party, version=version, signatory_name="Jo Example")


def change_section(agreement, body):
    section = agreement.sections.get()
    section.body = body
    section.save()
    return agreement_substance_changed(agreement=agreement, by_user=None, summary="Reworded.")


@pytest.fixture
def agreement():
    """In force, version 1.0, section 1; no parties yet."""
    agreement = AgreementFactory(title="Borsetshire Community Safety Agreement", in_force=True)
    SectionFactory(agreement=agreement, number="1", heading="Purpose", body="To reduce crime.")
    agreement_version_create(agreement=agreement, label="1.0")
    return agreement


def party(agreement, status=PartyStatus.INVITED, name=None, **fields):
    organisation = OrganisationFactory(**({"name": name} if name else {}))
    return PartyFactory(agreement=agreement, organisation=organisation, status=status, **fields)


def statuses(agreement):
    return {
        p.organisation.name: p.signature_status
        for p in parties_with_signature_status(Party.objects.filter(agreement=agreement))
    }


class TestSignatureStatus:
    def test_a_party_that_signed_the_latest_version_is_signed(self, agreement):
        signed = party(agreement, name="Borsetshire Police")
        paper(signed, agreement.versions.get())

        assert statuses(agreement) == {"Borsetshire Police": S.SIGNED}

    def test_a_party_whose_signature_is_on_an_older_version_needs_re_signing(self, agreement):
        signed = party(agreement, name="Borsetshire Police")
        paper(signed, agreement.versions.get())

        change_section(agreement, "To reduce crime and disorder.")

        assert statuses(agreement) == {"Borsetshire Police": S.NEEDS_RESIGNING}

    def test_re_signing_the_latest_version_makes_it_signed_again(self, agreement):
        signed = party(agreement, name="Borsetshire Police")
        paper(signed, agreement.versions.get())
        version = change_section(agreement, "To reduce crime and disorder.")

        paper(signed, version)

        assert statuses(agreement) == {"Borsetshire Police": S.SIGNED}

    def test_a_party_marked_signed_before_any_version_was_kept_counts_as_signed(self):
        agreement = AgreementFactory(in_force=True)
        party(agreement, status=PartyStatus.SIGNED, name="Borsetshire Police")

        assert statuses(agreement) == {"Borsetshire Police": S.SIGNED}

    @pytest.mark.parametrize("status", [
        PartyStatus.INVITED, PartyStatus.AWAITING_DETAILS, PartyStatus.AWAIT_CASE, PartyStatus.DECLINED,
    ])
    def test_a_party_not_signed_keeps_its_own_status(self, agreement, status):
        party(agreement, status=status, name="Borsetshire Police")

        assert statuses(agreement) == {"Borsetshire Police": status}

    def test_annotates_the_version_signed_and_the_latest(self, agreement):
        signed = party(agreement)
        paper(signed, agreement.versions.get())
        change_section(agreement, "Changed.")

        row = parties_with_signature_status(Party.objects.filter(pk=signed.pk)).get()

        assert (row.signed_label, row.signed_number, row.latest_label, row.latest_number) == ("1.0", 1, "2.0", 2)


class TestSignatureMatrix:
    @pytest.fixture
    def matrix_agreement(self, agreement):
        version = agreement.versions.get()
        for _ in range(3):
            paper(party(agreement), version)
        for _ in range(2):
            party(agreement, status=PartyStatus.AWAITING_DETAILS)
        party(agreement, status=PartyStatus.AWAIT_CASE)
        party(agreement, status=PartyStatus.INVITED)
        party(agreement, status=PartyStatus.DECLINED)
        return agreement

    def test_counts_every_status(self, matrix_agreement):
        matrix = signature_matrix(matrix_agreement)

        assert (matrix.signed, matrix.total) == (3, 8)
        assert matrix.counts == {
            S.SIGNED: 3, S.NEEDS_RESIGNING: 0, S.AWAITING_DETAILS: 2, S.AWAIT_CASE: 1, S.INVITED: 1,
            S.DECLINED: 1, S.WITHDRAWAL_NOTIFIED: 0, S.WITHDRAWN: 0,
        }

    def test_the_chase_list_holds_those_still_expected_to_sign(self, matrix_agreement):
        chase = signature_matrix(matrix_agreement).chase

        assert sorted(row.signature_status for row in chase) == sorted(
            [S.AWAITING_DETAILS, S.AWAITING_DETAILS, S.AWAIT_CASE, S.INVITED],
        )

    def test_the_chase_list_puts_the_longest_waiting_first_and_says_how_long(self, agreement):
        today = timezone.localdate()
        party(agreement, name="Recent Partner", invited_on=today - datetime.timedelta(days=3))
        party(agreement, name="Old Partner", invited_on=today - datetime.timedelta(days=40))

        chase = signature_matrix(agreement).chase

        assert [(row.organisation.name, row.waiting_days) for row in chase] == [
            ("Old Partner", 40), ("Recent Partner", 3),
        ]

    def test_a_party_needing_re_signing_is_chased_from_the_new_version(self, agreement):
        signed = party(agreement, name="Borsetshire Police", invited_on=datetime.date(2020, 1, 1))
        paper(signed, agreement.versions.get())
        change_section(agreement, "Changed.")

        (row,) = signature_matrix(agreement).chase

        assert (row.signature_status, row.waiting_since) == (S.NEEDS_RESIGNING, timezone.localdate())

    def test_names_each_partys_lead_signatory_and_spocs(self, agreement):
        police = party(agreement, name="Borsetshire Police")
        signatory = ContactFactory(organisation=police.organisation, name="Jo Example")
        spoc = ContactFactory(organisation=police.organisation, name="Sam Example")
        party_contact_add(party=police, contact=signatory, role=ContactRole.LEAD_SIGNATORY)
        party_contact_add(party=police, contact=spoc, role=ContactRole.SPOC)

        (row,) = signature_matrix(agreement).rows

        assert (row.lead_signatory, row.spocs) == (signatory, [spoc])

    def test_nobody_is_chased_before_the_agreement_goes_for_signature(self):
        draft = AgreementFactory(status=Status.DRAFT)
        party(draft)

        assert signature_matrix(draft).chase == []

    def test_reads_the_parties_in_two_queries_however_many_there_are(self, matrix_agreement):
        with CaptureQueriesContext(connection) as few:
            signature_matrix(matrix_agreement)
        for _ in range(10):
            party(matrix_agreement)
        with CaptureQueriesContext(connection) as many:
            signature_matrix(matrix_agreement)

        assert len(many) == len(few) == 2


class TestSignatureOverview:
    @pytest.fixture
    def manager(self):
        return MembershipFactory(role=Role.GOVERNANCE_MANAGER).user

    def owned(self, manager, **fields):
        organisation = manager.memberships.get().organisation
        return AgreementFactory(owner=organisation, **fields)

    def test_lists_each_agreement_the_manager_manages_with_its_counts(self, manager):
        first = self.owned(manager, title="Alpha Agreement", in_force=True)
        second = self.owned(manager, title="Beta Agreement", status=Status.AWAITING_SIGNATURES)
        party(first, status=PartyStatus.SIGNED)
        party(second, status=PartyStatus.AWAITING_DETAILS)
        party(second, status=PartyStatus.INVITED)
        AgreementFactory(title="Someone else's agreement", in_force=True)

        overview = signature_overview(manager)

        assert [(m.agreement.title, m.signed, m.total, len(m.chase)) for m in overview] == [
            ("Alpha Agreement", 1, 1, 0), ("Beta Agreement", 0, 2, 2),
        ]

    def test_leaves_out_agreements_that_have_ended(self, manager):
        self.owned(manager, title="Old Agreement", status=Status.ENDED)

        assert signature_overview(manager) == []

    def test_reads_every_agreements_parties_in_a_fixed_number_of_queries(self, manager):
        party(self.owned(manager, in_force=True))
        with CaptureQueriesContext(connection) as few:
            signature_overview(manager)
        for _ in range(4):
            party(self.owned(manager, in_force=True))
            party(Agreement.objects.filter(owner__memberships__user=manager).first())
        with CaptureQueriesContext(connection) as many:
            signature_overview(manager)

        assert len(many) == len(few)

    def test_someone_who_manages_nothing_sees_nothing(self):
        practitioner = MembershipFactory(role=Role.PRACTITIONER).user
        AgreementFactory(owner=practitioner.memberships.get().organisation, in_force=True)

        assert signature_overview(practitioner) == []


class TestPartiesToResign:
    def test_offers_the_lead_signatory_the_parties_whose_signature_is_out_of_date(self, agreement):
        police = party(agreement, name="Borsetshire Police")
        signatory = MembershipFactory(organisation=police.organisation, role=Role.LEAD_SIGNATORY).user
        paper(police, agreement.versions.get())
        assert list(parties_to_resign(signatory)) == []

        change_section(agreement, "Changed.")

        assert [(p.organisation.name, p.signed_label, p.latest_label) for p in parties_to_resign(signatory)] == [
            ("Borsetshire Police", "1.0", "2.0"),
        ]

    def test_does_not_offer_another_organisations_party(self, agreement):
        police = party(agreement)
        paper(police, agreement.versions.get())
        change_section(agreement, "Changed.")
        other = MembershipFactory(role=Role.LEAD_SIGNATORY).user

        assert list(parties_to_resign(other)) == []


class TestVersions:
    def test_each_version_counts_the_parties_that_signed_it(self, agreement):
        first = agreement.versions.get()
        for _ in range(2):
            paper(party(agreement), first)
        change_section(agreement, "Changed.")

        assert [(v.label, v.signature_count) for v in agreement_versions(agreement)] == [("2.0", 0), ("1.0", 2)]

    def test_version_changes_names_the_sections_and_gateways_that_changed(self, agreement):
        signed = party(agreement)
        first = agreement.versions.get()
        paper(signed, first)
        gateway = LegalGatewayFactory(key="ca-2004-s11", instrument="Children Act 2004", provision="s11",
                                      title="Safeguarding duty")
        agreement.gateways.add(gateway)
        second = change_section(agreement, "To reduce crime and disorder.")

        changes = version_changes(second, since=first)

        assert [(c.change, c.title) for c in changes.sections] == [(CHANGED, "1. Purpose")]
        assert changes.gateways == [ItemChange(ADDED, "Children Act 2004 s11 – Safeguarding duty")]

    def test_version_for_reading_puts_codes_into_words(self, agreement):
        agreement_record = Agreement.objects.get(pk=agreement.pk)
        agreement_record.protective_marking = "official_sensitive"
        agreement_record.save()
        version = agreement_version_create(agreement=agreement_record, label="1.1")

        assert version_for_reading(version)["protective_marking"] == "OFFICIAL-SENSITIVE"
