"""A substantive change after an agreement has gone for signature makes a new version."""

import pytest

from agreements.models import SignatureMethod, Status
from agreements.services import agreement_substance_changed, agreement_version_create, signature_record_paper
from tests.factories import AgreementFactory, PartyFactory, SectionFactory

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
