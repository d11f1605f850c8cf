"""Versions (agreements/models/versions.py, services/versions.py, selectors/versions.py): the
rules the database holds; what a version freezes and its hash; and a substantive change after an
agreement has gone for signature making a new version."""


import pytest

from agreements.models import (
    AgreementVersion,
    ContactRole,
    DataLevel,
    SignatureMethod,
    Status,
)
from agreements.selectors import (
    agreement_content,
    content_hash,
)
from agreements.services import (
    agreement_substance_changed,
    agreement_version_create,
    data_item_create,
    party_contact_add,
    section_create,
    signature_record_paper,
)
from tests.db import violates
from tests.factories import (
    AgreementFactory,
    AgreementVersionFactory,
    ContactFactory,
    PartyFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement():
    agreement = AgreementFactory(in_force=True)
    SectionFactory(agreement=agreement, number="1", heading="Purpose", body="To reduce crime.")
    PartyFactory(agreement=agreement)
    agreement_version_create(agreement=agreement, label="1.0")
    return agreement


def edit_section(agreement, body):
    section = agreement.sections.get()
    section.body = body
    section.save()


def test_a_draft_has_no_versions_to_change():
    draft = AgreementFactory()
    SectionFactory(agreement=draft)

    assert agreement_substance_changed(agreement=draft, by_user=None) is None
    assert draft.versions.count() == 0


def test_nothing_happens_when_the_substance_is_unchanged(agreement):
    assert agreement_substance_changed(agreement=agreement, by_user=None) is None
    assert agreement.versions.count() == 1


def test_a_change_to_a_signed_version_makes_the_next_version(agreement):
    party = agreement.parties.get()
    version = agreement.versions.get()
    signature_record_paper(party=party, version=version, signatory_name="Amrit Vale")

    edit_section(agreement, "To reduce crime and disorder.")
    new = agreement_substance_changed(agreement=agreement, by_user=None, summary="Purpose widened.")

    assert (new.number, new.label, new.change_summary) == (2, "2.0", "Purpose widened.")
    assert new.content_hash != version.content_hash
    assert agreement.version == "2.0"
    assert party.signatures.get().version == version  # the old signature now needs re-signing
    assert party.signatures.get().method == SignatureMethod.PAPER


def test_a_change_before_anyone_signs_refreezes_the_open_version(agreement):
    agreement.status = Status.AWAITING_SIGNATURES
    agreement.save()
    version = agreement.versions.get()

    edit_section(agreement, "To reduce crime and disorder.")
    changed = agreement_substance_changed(agreement=agreement, by_user=None, summary="Wording.")

    assert changed.pk == version.pk
    assert agreement.versions.count() == 1
    changed.refresh_from_db()
    assert changed.content["sections"][0]["body"] == "To reduce crime and disorder."
    assert changed.change_summary == "Wording."


def test_a_contacts_phone_is_not_a_substantive_change(agreement):
    party = agreement.parties.get()
    signature_record_paper(party=party, version=agreement.versions.get(), signatory_name="Amrit Vale")
    contact = party.organisation.contacts.create(name="Carys Penhallow", phone="01632 960001")

    contact.phone = "01632 960002"
    contact.save()

    assert agreement_substance_changed(agreement=agreement, by_user=None) is None


class TestAgreementVersion:
    def test_number_is_unique_within_an_agreement(self):
        version = AgreementVersionFactory()

        with violates(AgreementVersion, "version_unique_number"):
            AgreementVersion.objects.create(
                agreement=version.agreement, number=version.number, label="again",
                content={}, content_hash="0" * 64,
            )

    def test_number_cannot_be_zero(self):
        agreement = AgreementFactory()

        with violates(AgreementVersion, "version_number_positive"):
            AgreementVersion.objects.create(
                agreement=agreement, number=0, label="0", content={}, content_hash="0" * 64,
            )


class TestAgreementContent:
    def test_leaves_out_spoc_contact_details(self, roles):
        contact = ContactFactory(
            organisation=roles.partner, name="Jo Example", email="jo.example@borsetshire.example",
            phone="01632 960123",
        )
        party_contact_add(party=roles.partner_party, contact=contact, role=ContactRole.SPOC)

        content = repr(agreement_content(roles.agreement))

        assert [value for value in ("Jo Example", "jo.example@", "01632 960123") if value in content] == []

    def test_leaves_out_the_parties_so_a_partner_joining_makes_no_new_version(self, roles):
        before = agreement_content(roles.agreement)

        PartyFactory(agreement=roles.agreement)

        assert "parties" not in before
        assert agreement_content(roles.agreement) == before

    def test_names_who_provides_each_data_item(self, roles):
        data_item_create(
            agreement=roles.agreement, provider_label="Police", level=DataLevel.MINIMUM,
            description="Names of people arrested", providers=[roles.partner_party],
        )

        [item] = agreement_content(roles.agreement)["data_items"]

        assert item["providers"] == ["Borsetshire Police"]


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


