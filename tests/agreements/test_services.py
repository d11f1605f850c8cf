"""Writes for agreements, parties, versions and signatures."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements.models import ContactRole, LegalGateway, PartyStatus, SignatureMethod
from agreements.permissions import can_manage, can_sign
from agreements.selectors import agreement_content, content_hash
from agreements.services import (
    agreement_create,
    agreement_version_create,
    gateway_save,
    party_add,
    party_contact_add,
    section_create,
    signature_record_paper,
)
from partners.models import Role
from tests.factories import (
    AgreementFactory,
    ContactFactory,
    MembershipFactory,
    OrganisationFactory,
    PartyFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def member(organisation, role):
    return MembershipFactory(organisation=organisation, role=role).user


class TestAgreementCreate:
    def test_every_member_of_the_owner_may_see_it(self):
        owner = OrganisationFactory()
        members = [member(owner, role) for role in Role.values]

        agreement = agreement_create(title="Borsetshire Anti-social Behaviour Protocol", owner=owner)

        assert [user.has_perm("agreements.view_agreement", agreement) for user in members] == [
            True
        ] * len(Role.values)

    def test_owners_governance_manager_alone_may_manage_it(self):
        owner = OrganisationFactory()
        managers = {role: member(owner, role) for role in Role.values}

        agreement = agreement_create(title="Borsetshire Anti-social Behaviour Protocol", owner=owner)

        assert {role for role, user in managers.items() if can_manage(user, agreement)} == {
            Role.GOVERNANCE_MANAGER
        }

    def test_another_organisations_members_may_not_see_it(self):
        other = member(OrganisationFactory(), Role.GOVERNANCE_MANAGER)

        agreement = agreement_create(title="Borsetshire Anti-social Behaviour Protocol",
                                     owner=OrganisationFactory())

        assert other.has_perm("agreements.view_agreement", agreement) is False


class TestPartyAdd:
    def test_party_organisations_members_may_then_see_the_agreement(self):
        agreement, organisation = AgreementFactory(), OrganisationFactory()
        practitioner = member(organisation, Role.PRACTITIONER)

        party_add(agreement=agreement, organisation=organisation)

        assert practitioner.has_perm("agreements.view_agreement", agreement) is True

    def test_party_organisations_lead_signatory_may_then_sign(self):
        agreement, organisation = AgreementFactory(), OrganisationFactory()
        signatory = member(organisation, Role.LEAD_SIGNATORY)

        party = party_add(agreement=agreement, organisation=organisation)

        assert can_sign(signatory, party) is True

    def test_party_is_invited_today_unless_told_otherwise(self):
        party = party_add(agreement=AgreementFactory(), organisation=OrganisationFactory())

        assert (party.status, party.invited_on) == (PartyStatus.INVITED, timezone.localdate())


class TestPartyContactAdd:
    def test_names_a_contact_of_the_party_organisation(self):
        party = PartyFactory()
        contact = ContactFactory(organisation=party.organisation)

        party_contact = party_contact_add(party=party, contact=contact, role=ContactRole.SPOC)

        assert list(party.contacts.all()) == [party_contact]

    def test_refuses_a_contact_from_another_organisation(self):
        party = PartyFactory(organisation=OrganisationFactory(name="Borsetshire Police"))
        contact = ContactFactory(
            name="Alex Example", organisation=OrganisationFactory(name="Felpersham Housing Association"),
        )

        with pytest.raises(ValidationError) as excinfo:
            party_contact_add(party=party, contact=contact, role=ContactRole.SPOC)

        assert excinfo.value.message_dict == {
            "contact": ["Alex Example works for Felpersham Housing Association, not Borsetshire Police."],
        }
        assert party.contacts.exists() is False


class TestAgreementVersionCreate:
    def test_freezes_the_agreements_content_with_its_hash(self):
        agreement = AgreementFactory()
        SectionFactory(agreement=agreement, heading="Purpose", body="To reduce crime.")

        version = agreement_version_create(agreement=agreement, label="1.0")

        assert version.content == agreement_content(agreement)
        assert version.content_hash == content_hash(agreement_content(agreement))

    def test_numbers_versions_in_turn_and_relabels_the_agreement(self):
        agreement = AgreementFactory(version="0.1")

        agreement_version_create(agreement=agreement, label="1.0")
        second = agreement_version_create(agreement=agreement, label="1.1")

        agreement.refresh_from_db()
        assert (second.number, agreement.version) == (2, "1.1")


class TestContentHash:
    def test_is_stable_when_nothing_changes(self):
        agreement = AgreementFactory()
        SectionFactory(agreement=agreement)

        first = agreement_version_create(agreement=agreement, label="1.0")
        second = agreement_version_create(agreement=agreement, label="1.1")

        assert first.content_hash == second.content_hash

    def test_does_not_depend_on_the_order_of_keys(self):
        assert content_hash({"a": 1, "b": [1, 2]}) == content_hash({"b": [1, 2], "a": 1})

    def test_changes_when_a_section_changes(self):
        agreement = AgreementFactory()
        section = SectionFactory(agreement=agreement, body="Records are kept for 18 months.")
        before = agreement_version_create(agreement=agreement, label="1.0")

        section.body = "Records are kept for 24 months."
        section.save()
        after = agreement_version_create(agreement=agreement, label="2.0")

        assert after.content_hash != before.content_hash

    def test_changes_when_a_section_is_added(self):
        agreement = AgreementFactory()
        before = agreement_version_create(agreement=agreement, label="1.0")

        section_create(agreement=agreement, number="9", heading="Complaints")
        after = agreement_version_create(agreement=agreement, label="2.0")

        assert after.content_hash != before.content_hash

    def test_does_not_change_when_a_spocs_phone_changes(self):
        party = PartyFactory()
        contact = ContactFactory(organisation=party.organisation, phone="01632 960001")
        party_contact_add(party=party, contact=contact, role=ContactRole.SPOC)
        before = agreement_version_create(agreement=party.agreement, label="1.0")

        contact.phone = "01632 960002"
        contact.save()
        after = agreement_version_create(agreement=party.agreement, label="1.1")

        assert after.content_hash == before.content_hash


class TestSignatureRecordPaper:
    def test_marks_the_party_signed_on_the_day_signed(self):
        party = PartyFactory(status=PartyStatus.INVITED)
        version = agreement_version_create(agreement=party.agreement, label="1.0")

        signature = signature_record_paper(
            party=party, version=version, signatory_name="Jo Example",
            signatory_role="Chief Constable", signed_on=datetime.date(2025, 5, 1),
            recorded_by=UserFactory(),
        )

        party.refresh_from_db()
        assert (party.status, party.joined_on) == (PartyStatus.SIGNED, datetime.date(2025, 5, 1))
        assert (signature.method, signature.content_hash) == (
            SignatureMethod.PAPER, version.content_hash,
        )

    def test_keeps_an_earlier_joining_date(self):
        party = PartyFactory(signed=True, joined_on=datetime.date(2020, 1, 6))
        version = agreement_version_create(agreement=party.agreement, label="2.0")

        signature_record_paper(
            party=party, version=version, signatory_name="Jo Example",
            signed_on=datetime.date(2025, 5, 1),
        )

        party.refresh_from_db()
        assert party.joined_on == datetime.date(2020, 1, 6)


class TestGatewaySave:
    def test_creates_then_updates_the_gateway_of_that_key(self):
        gateway_save(key="cda-1998-s115", instrument="Crime and Disorder Act 1998",
                     provision="s115", title="Disclosure of information", category="statute")

        gateway = gateway_save(key="cda-1998-s115", summary="Any person may disclose to a relevant authority.")

        assert (gateway.provision, gateway.summary) == (
            "s115", "Any person may disclose to a relevant authority.",
        )
        assert LegalGateway.objects.count() == 1
