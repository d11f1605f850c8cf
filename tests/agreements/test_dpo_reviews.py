"""DPO review before signing (agreements/models/dpo_reviews.py, services/dpo_reviews.py,
selectors/dpo_reviews.py; decision 0062): who reviews, the refusal to sign without "content to
sign" for the exact version, hash binding, "changes needed", append-only records, and a party
joining later."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from agreements.models import ContactRole, DpoReview, DpoReviewOutcome, Signature, Status
from agreements.selectors import signature_matrix
from agreements.selectors.dpo_reviews import DpoStage, dpo_review_counting, dpo_stages_attach
from agreements.selectors.versions import latest_version
from agreements.services import (
    agreement_status_move,
    agreement_substance_changed,
    agreement_version_create,
    party_contact_add,
    party_invite,
    signature_sign,
)
from agreements.services.dpo_reviews import dpo_review_record, dpo_review_requirement_set
from partners.models import Notification, Role
from tests.db import violates
from tests.factories import (
    AgreementFactory,
    ContactFactory,
    LegalGatewayFactory,
    MembershipFactory,
    OrganisationFactory,
    PartyFactory,
    PurposeFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

CONTENT = DpoReviewOutcome.CONTENT_TO_SIGN
CHANGES = DpoReviewOutcome.CHANGES_NEEDED


@pytest.fixture
def scene():
    """Borsetshire's agreement out for signature with DPO review on; Borsetshire Police invited,
    with a lead signatory, a SPOC and a governance manager (its DPO until it names one)."""
    owner = OrganisationFactory(name="Borsetshire County Council")
    partner = OrganisationFactory(name="Borsetshire Police")
    agreement = AgreementFactory(
        title="Borsetshire Community Safety ISA", reference="BCSP ISA", owner=owner,
        status=Status.AWAITING_SIGNATURES,
    )
    SectionFactory(agreement=agreement, number="1", heading="Purpose", body="To reduce crime.")
    PartyFactory(agreement=agreement, organisation=owner)
    party = PartyFactory(agreement=agreement, organisation=partner, invited_on=datetime.date(2026, 1, 5))
    version = agreement_version_create(agreement=agreement, label="1.0")
    signatory = UserFactory(first_name="Jo", last_name="Example")
    MembershipFactory(user=signatory, organisation=partner, role=Role.LEAD_SIGNATORY)
    MembershipFactory(user=UserFactory(first_name="Sam", last_name="Spoc"), organisation=partner, role=Role.SPOC)
    partner_manager = UserFactory(first_name="Alex", last_name="Guardian")
    MembershipFactory(user=partner_manager, organisation=partner, role=Role.GOVERNANCE_MANAGER)
    manager = UserFactory(first_name="Kit", last_name="Manager")
    MembershipFactory(user=manager, organisation=owner, role=Role.GOVERNANCE_MANAGER)
    dpo_review_requirement_set(agreement=agreement, required=True, by_user=manager)
    agreement.refresh_from_db()
    party.refresh_from_db()

    class Scene:
        pass

    s = Scene()
    s.agreement, s.party, s.version, s.signatory = agreement, party, version, signatory
    s.partner_manager, s.manager, s.partner, s.owner = partner_manager, manager, partner, owner
    return s


def sign(s, version=None):
    return signature_sign(
        party=s.party, version=version or s.version, user=s.signatory, typed_name="Jo Example", declaration=True,
    )


def review(s, outcome=CONTENT, comments="", user=None, version=None):
    return dpo_review_record(
        party=s.party, version=version or s.version, user=user or s.partner_manager, outcome=outcome, comments=comments,
    )


def new_version(agreement):
    section = agreement.sections.get()
    section.body = "To reduce crime and disorder."
    section.save()
    return agreement_substance_changed(agreement=agreement, by_user=None, summary="Purpose widened.")


class TestSigningWaitsForTheDpo:
    def test_the_lead_signatory_cannot_sign_before_the_dpo_reviews(self, scene):
        with pytest.raises(ValidationError) as excinfo:
            sign(scene)

        assert "The DPO review is awaited" in " ".join(excinfo.value.messages)
        assert not Signature.objects.exists()

    def test_nor_when_the_dpo_found_changes_needed(self, scene):
        review(scene, CHANGES, "Section 1 must name the retention period.")

        with pytest.raises(ValidationError) as excinfo:
            sign(scene)

        assert "needs changes" in " ".join(excinfo.value.messages)
        assert not Signature.objects.exists()

    def test_signs_once_the_dpo_finds_it_content_to_sign(self, scene):
        review(scene, CONTENT)

        assert sign(scene).version == scene.version

    def test_the_latest_review_counts(self, scene):
        review(scene, CONTENT)
        review(scene, CHANGES, "On reflection, section 1 is too wide.")

        with pytest.raises(ValidationError):
            sign(scene)

    def test_without_the_step_nobody_waits(self, scene):
        dpo_review_requirement_set(agreement=scene.agreement, required=False, by_user=scene.manager)
        scene.party.agreement.refresh_from_db()

        assert sign(scene).pk

    def test_a_review_of_version_1_does_not_count_for_version_2(self, scene):
        review(scene, CONTENT)
        version2 = agreement_version_create(agreement=scene.agreement, label="2.0")

        with pytest.raises(ValidationError) as excinfo:
            sign(scene, version=version2)

        assert "version 2.0" in " ".join(excinfo.value.messages)

    def test_a_review_does_not_count_once_the_unsigned_version_is_refrozen_with_new_text(self, scene):
        review(scene, CONTENT)
        refrozen = new_version(scene.agreement)  # nobody had signed 1.0: it is re-frozen, new hash
        assert refrozen.pk == scene.version.pk

        with pytest.raises(ValidationError) as excinfo:
            sign(scene, version=refrozen)

        assert "The DPO review is awaited" in " ".join(excinfo.value.messages)

    def test_a_review_on_other_content_than_the_versions_hash_does_not_count(self, scene):
        made = review(scene, CONTENT)
        # Written past the model's guard, as a tampered row would be: another content's hash.
        DpoReview.objects.filter(pk=made.pk).update(content_hash="0" * 64)

        assert dpo_review_counting(scene.party, scene.version) is None
        with pytest.raises(ValidationError):
            sign(scene)


class TestWhoReviews:
    def test_the_partys_governance_manager_acts_as_dpo_when_none_is_named(self, scene):
        made = review(scene, CONTENT)

        assert (made.reviewer_name, made.reviewed_by, made.content_hash) == (
            "Alex Guardian", scene.partner_manager, scene.version.content_hash,
        )

    def test_a_named_dpo_reviews_and_the_governance_manager_then_cannot(self, scene):
        dpo = UserFactory(first_name="Pat", last_name="Officer")
        MembershipFactory(user=dpo, organisation=scene.partner, role=Role.PRACTITIONER)
        contact = ContactFactory(organisation=scene.partner, user=dpo, name="Pat Officer",
                                 job_title="Data Protection Officer")
        party_contact_add(party=scene.party, contact=contact, role=ContactRole.DPO)

        made = review(scene, CONTENT, user=dpo)

        assert (made.reviewer_name, made.reviewer_job_title) == ("Pat Officer", "Data Protection Officer")
        with pytest.raises(ValidationError):
            review(scene, CONTENT, user=scene.partner_manager)

    @pytest.mark.parametrize("who", ["signatory", "manager"])
    def test_the_signatory_and_the_owners_manager_cannot_review(self, scene, who):
        with pytest.raises(ValidationError):
            review(scene, CONTENT, user=getattr(scene, who))
        assert not DpoReview.objects.exists()


class TestTheReview:
    def test_changes_needed_wants_comments(self, scene):
        with pytest.raises(ValidationError) as excinfo:
            review(scene, CHANGES, "   ")

        assert excinfo.value.message_dict == {"comments": ["Enter the changes needed"]}
        assert not DpoReview.objects.exists()

    def test_the_database_holds_the_same_rule(self, scene):
        with violates(DpoReview, "dpo_review_changes_needed_has_comments"):
            DpoReview.objects.create(
                party=scene.party, version=scene.version, content_hash=scene.version.content_hash,
                outcome=CHANGES, comments="", reviewed_by=scene.partner_manager, reviewer_name="Alex Guardian",
                reviewed_at=scene.version.created_at,
            )

    def test_an_unknown_outcome_is_refused(self, scene):
        with pytest.raises(ValidationError) as excinfo:
            review(scene, "maybe")
        assert "outcome" in excinfo.value.message_dict

    def test_only_the_latest_version_is_reviewed(self, scene):
        agreement_version_create(agreement=scene.agreement, label="2.0")

        with pytest.raises(ValidationError) as excinfo:
            review(scene, CONTENT, version=scene.version)

        assert "no longer the latest" in excinfo.value.message_dict["version"][0]

    def test_not_when_the_step_is_off(self, scene):
        dpo_review_requirement_set(agreement=scene.agreement, required=False, by_user=scene.manager)

        with pytest.raises(ValidationError):
            review(scene, CONTENT)

    def test_records_are_append_only_with_history(self, scene):
        made = review(scene, CONTENT)
        made.comments = "Changed afterwards"

        with pytest.raises(ValueError):
            made.save()
        with pytest.raises(ValueError):
            made.delete()
        assert made.history.count() == 1
        assert made.history.get().history_user == scene.partner_manager

    def test_tells_the_owner_and_when_content_the_lead_signatory(self, scene):
        ContactFactory(organisation=scene.partner, user=scene.signatory, name="Jo Example")
        ContactFactory(organisation=scene.owner, user=scene.manager, name="Kit Manager")

        review(scene, CONTENT)

        told = set(Notification.objects.values_list("recipient__name", flat=True))
        assert {"Kit Manager", "Jo Example"} <= told


class TestTheOwnerTurnsItOn:
    def test_only_the_owners_manager(self, scene):
        with pytest.raises(ValidationError):
            dpo_review_requirement_set(agreement=scene.agreement, required=False, by_user=scene.partner_manager)
        scene.agreement.refresh_from_db()
        assert scene.agreement.dpo_review_required

    def test_recorded_in_the_agreements_history_with_who(self, scene):
        assert scene.agreement.history.first().history_user == scene.manager


class TestStages:
    def test_each_partys_stage(self, scene):
        trust = OrganisationFactory(name="Felpersham NHS Trust")
        latecomer = PartyFactory(agreement=scene.agreement, organisation=trust)
        version = latest_version(scene.agreement)

        def stages():
            rows = dpo_stages_attach(signature_matrix(scene.agreement).rows, version)
            return {row.organisation.name: row.dpo_stage for row in rows}

        assert stages()["Borsetshire Police"] == DpoStage.AWAITING
        review(scene, CHANGES, "Name the retention period.")
        assert stages()["Borsetshire Police"] == DpoStage.CHANGES_NEEDED
        review(scene, CONTENT)
        assert stages()["Borsetshire Police"] == DpoStage.READY
        sign(scene)
        assert stages()["Borsetshire Police"] == DpoStage.SIGNED
        # A partner joining later follows the same path.
        assert stages()[latecomer.organisation.name] == DpoStage.AWAITING

    def test_a_partner_joining_later_cannot_sign_without_its_dpo(self, scene):
        latecomer_org = OrganisationFactory(name="Felpersham NHS Trust")
        latecomer = PartyFactory(agreement=scene.agreement, organisation=latecomer_org)
        signatory = UserFactory(first_name="Lee", last_name="Signer")
        MembershipFactory(user=signatory, organisation=latecomer_org, role=Role.LEAD_SIGNATORY)
        MembershipFactory(user=UserFactory(), organisation=latecomer_org, role=Role.SPOC)
        dpo = UserFactory(first_name="Ash", last_name="Dpo")
        MembershipFactory(user=dpo, organisation=latecomer_org, role=Role.GOVERNANCE_MANAGER)

        with pytest.raises(ValidationError):
            signature_sign(party=latecomer, version=scene.version, user=signatory, typed_name="Lee Signer",
                           declaration=True)
        dpo_review_record(party=latecomer, version=scene.version, user=dpo, outcome=CONTENT)
        assert signature_sign(party=latecomer, version=scene.version, user=signatory, typed_name="Lee Signer",
                              declaration=True).pk


class TestAsking:
    def test_turning_it_on_asks_each_partys_dpo(self, scene):
        ContactFactory(organisation=scene.partner, user=scene.partner_manager, name="Alex Guardian")
        dpo_review_requirement_set(agreement=scene.agreement, required=False, by_user=scene.manager)
        Notification.objects.all().delete()

        dpo_review_requirement_set(agreement=scene.agreement, required=True, by_user=scene.manager)

        asked = Notification.objects.get(recipient__name="Alex Guardian")
        assert asked.subject == "DPO review needed: version 1.0 of BCSP ISA"
        assert asked.url.endswith(f"/parties/{scene.party.pk}/dpo-review/")

    def test_a_named_dpo_is_asked_rather_than_the_governance_managers(self, scene):
        ContactFactory(organisation=scene.partner, user=scene.partner_manager, name="Alex Guardian")
        contact = ContactFactory(organisation=scene.partner, name="Pat Officer")
        party_contact_add(party=scene.party, contact=contact, role=ContactRole.DPO)
        dpo_review_requirement_set(agreement=scene.agreement, required=False, by_user=scene.manager)
        Notification.objects.all().delete()

        dpo_review_requirement_set(agreement=scene.agreement, required=True, by_user=scene.manager)

        assert set(Notification.objects.values_list("recipient__name", flat=True)) >= {"Pat Officer"}
        assert not Notification.objects.filter(recipient__name="Alex Guardian").exists()

    def test_a_partner_invited_later_is_told_its_dpo_reviews_first(self, scene):
        trust = OrganisationFactory(name="Felpersham NHS Trust")
        robin = UserFactory(first_name="Robin", last_name="Example")
        MembershipFactory(user=robin, organisation=trust, role=Role.GOVERNANCE_MANAGER)
        ContactFactory(organisation=trust, user=robin, name="Robin Example", email="robin@trust.example")

        party_invite(agreement=scene.agreement, organisation=trust)

        invitation = Notification.objects.get(recipient__name="Robin Example")
        assert "your data protection officer (DPO) reviews that version" in invitation.body


class TestANewVersionAsksAgain:
    """Decision 0062, amended: a new version to sign, whether after a substantive change or on going for
    signature, asks each party still to sign it for its DPO's review of that version."""

    def test_a_new_version_after_a_signature_asks_the_dpo_to_review_it(self, scene):
        ContactFactory(organisation=scene.partner, user=scene.partner_manager, name="Alex Guardian")
        review(scene, CONTENT)
        sign(scene)
        Notification.objects.all().delete()

        version = new_version(scene.agreement)

        assert version.label == "2.0"
        asked = Notification.objects.get(recipient__name="Alex Guardian", subject__startswith="DPO review needed")
        assert asked.subject == "DPO review needed: version 2.0 of BCSP ISA"
        assert asked.url.endswith(f"/parties/{scene.party.pk}/dpo-review/")
        assert "Please review version 2.0 for Borsetshire Police" in asked.body

    def test_no_dpo_is_asked_when_the_step_is_off(self, scene):
        ContactFactory(organisation=scene.partner, user=scene.partner_manager, name="Alex Guardian")
        review(scene, CONTENT)
        sign(scene)
        dpo_review_requirement_set(agreement=scene.agreement, required=False, by_user=scene.manager)
        scene.agreement.refresh_from_db()
        Notification.objects.all().delete()

        new_version(scene.agreement)

        assert not Notification.objects.filter(subject__startswith="DPO review needed").exists()

    def test_going_for_signature_asks_each_partys_dpo(self, scene):
        draft = AgreementFactory(title="Borsetshire Hate Crime ISA", reference="BHC ISA", owner=scene.owner)
        PurposeFactory(agreement=draft)
        SectionFactory(agreement=draft)
        draft.gateways.add(LegalGatewayFactory(art6=True))
        PartyFactory(agreement=draft, organisation=scene.owner)
        PartyFactory(agreement=draft, organisation=scene.partner)
        ContactFactory(organisation=scene.partner, user=scene.partner_manager, name="Alex Guardian")
        dpo_review_requirement_set(agreement=draft, required=True, by_user=scene.manager)
        assert not Notification.objects.filter(subject__startswith="DPO review needed").exists()
        draft.refresh_from_db()

        agreement_status_move(agreement=draft, to=Status.AWAITING_SIGNATURES, by_user=scene.manager)

        asked = Notification.objects.get(recipient__name="Alex Guardian", subject__startswith="DPO review needed")
        assert asked.subject == "DPO review needed: version 1.0 of BHC ISA"

    def test_a_dpo_whose_review_no_longer_counts_after_the_text_changed_is_asked_again(self, scene):
        """Nobody has signed 1.0, so a change re-freezes it in place: the DPO's review of the old
        text stops counting, and that DPO, and only that DPO, is asked again."""
        ContactFactory(organisation=scene.partner, user=scene.partner_manager, name="Alex Guardian")
        ContactFactory(organisation=scene.owner, user=scene.manager, name="Kit Manager")
        review(scene, CONTENT)
        Notification.objects.all().delete()

        version = new_version(scene.agreement)

        assert version.pk == scene.version.pk
        asked = Notification.objects.get(subject__startswith="DPO review needed")
        assert (asked.recipient.name, asked.subject) == ("Alex Guardian", "DPO review needed: version 1.0 of BCSP ISA")
        assert "has changed since" in asked.body
        # A further change before the DPO reviews again: no review counted, so nobody is asked.
        Notification.objects.all().delete()
        section = scene.agreement.sections.get()
        section.body = "To reduce crime, disorder and anti-social behaviour."
        section.save()
        agreement_substance_changed(agreement=scene.agreement, by_user=None, summary="Again.")
        assert not Notification.objects.filter(subject__startswith="DPO review needed").exists()
