"""Signing (agreements/models/signing.py, services/signing.py, selectors/signing.py): the
signature rules the database holds; signing in the portal, paper signatures and scans of
returned signature forms, re-signing after a new version; and the reads of who has signed what
(status, matrix, overview, parties to re-sign, the versions list and what changed)."""

import datetime
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.formats import date_format

from agreements.diff import ADDED, CHANGED, ItemChange
from agreements.models import (
    Agreement,
    AgreementVersion,
    ContactRole,
    Party,
    PartyStatus,
    Signature,
    SignatureMethod,
    Status,
)
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
    signature_sign,
)
from agreements.services.signing import declaration_text
from govuk_blocks.dates import long_date
from partners.models import Membership, Notification, Organisation, Role
from tests.db import violates
from tests.factories import (
    AgreementFactory,
    AgreementVersionFactory,
    ContactFactory,
    LegalGatewayFactory,
    MembershipFactory,
    OrganisationFactory,
    PartyFactory,
    SectionFactory,
    UserFactory,
)
from tests.mail import digests
from tests.uploads import JPEG, PDF, PNG

pytestmark = pytest.mark.django_db


@dataclass
class Scene:
    agreement: Agreement
    owner_party: Party
    party: Party
    version: AgreementVersion
    signatory: object  # the partner's lead signatory, Jo Example
    manager: object  # the owner's governance manager


S = SignatureStatus


@pytest.fixture
def scene() -> Scene:
    """Borsetshire's agreement out for signature, version 1.0; Borsetshire Police invited."""
    owner = OrganisationFactory(name="Borsetshire County Council")
    partner = OrganisationFactory(name="Borsetshire Police")
    agreement = AgreementFactory(
        title="Borsetshire Community Safety Information Sharing Agreement", reference="BCSP ISA",
        owner=owner, status=Status.AWAITING_SIGNATURES,
    )
    SectionFactory(agreement=agreement, number="1", heading="Purpose", body="To reduce crime.")
    owner_party = PartyFactory(agreement=agreement, organisation=owner)
    party = PartyFactory(agreement=agreement, organisation=partner, invited_on=datetime.date(2026, 1, 5))
    version = agreement_version_create(agreement=agreement, label="1.0")
    signatory = UserFactory(first_name="Jo", last_name="Example")
    MembershipFactory(user=signatory, organisation=partner, role=Role.LEAD_SIGNATORY)
    # A party cannot sign without a SPOC (issue 13): Borsetshire Police has one.
    MembershipFactory(user=UserFactory(first_name="Sam", last_name="Spoc"), organisation=partner, role=Role.SPOC)
    manager = UserFactory(first_name="Kit", last_name="Manager")
    MembershipFactory(user=manager, organisation=owner, role=Role.GOVERNANCE_MANAGER)
    return Scene(agreement, owner_party, party, version, signatory, manager)


def sign(scene, **overrides):
    arguments = {
        "party": scene.party, "version": scene.version, "user": scene.signatory,
        "typed_name": "Jo Example", "declaration": True, **overrides,
    }
    return signature_sign(**arguments)


def refusal(excinfo) -> dict | list:
    error = excinfo.value
    return error.message_dict if hasattr(error, "error_dict") else error.messages


def new_version(agreement, body="To reduce crime and disorder."):
    section = agreement.sections.get()
    section.body = body
    section.save()
    return agreement_substance_changed(agreement=agreement, by_user=None, summary="Purpose widened.")


class TestSignatureSign:
    def test_records_the_user_the_time_the_method_and_the_versions_hash(self, scene):
        before = timezone.now()

        signature = sign(scene)

        assert (signature.signed_by, signature.method, signature.content_hash, signature.version) == (
            scene.signatory, SignatureMethod.PORTAL, scene.version.content_hash, scene.version,
        )
        assert before <= signature.signed_at <= timezone.now()
        assert signature.signed_on == timezone.localdate()
        assert signature.signatory_name == "Jo Example"

    def test_keeps_the_words_declared(self, scene):
        signature = sign(scene)

        assert signature.declaration == declaration_text(scene.party, scene.version)
        assert signature.declaration.startswith(
            "I have read version 1.0 of this agreement and I sign it for Borsetshire Police. "
            "I accept responsibility for its execution"
        )

    def test_the_party_is_then_signed_and_joins_today(self, scene):
        sign(scene)

        scene.party.refresh_from_db()
        assert (scene.party.status, scene.party.joined_on) == (PartyStatus.SIGNED, timezone.localdate())

    def test_the_name_is_matched_whatever_its_case_and_spacing(self, scene):
        signature = sign(scene, typed_name="  jo   EXAMPLE ")

        assert signature.pk is not None

    def test_refuses_another_persons_name_and_saves_nothing(self, scene):
        with pytest.raises(ValidationError) as excinfo:
            sign(scene, typed_name="Sam Other")

        assert refusal(excinfo) == {"typed_name": ["Enter your full name as it appears on your account: Jo Example"]}
        assert Signature.objects.exists() is False
        scene.party.refresh_from_db()
        assert scene.party.status == PartyStatus.INVITED

    def test_refuses_an_empty_name(self, scene):
        with pytest.raises(ValidationError) as excinfo:
            sign(scene, typed_name="  ")

        assert refusal(excinfo) == {"typed_name": ["Enter your full name"]}

    def test_refuses_without_the_declaration(self, scene):
        with pytest.raises(ValidationError) as excinfo:
            sign(scene, declaration=False)

        assert refusal(excinfo) == {
            "declaration": ["Confirm that you have read version 1.0 and sign it for Borsetshire Police"],
        }
        assert Signature.objects.exists() is False

    def test_reports_the_declaration_and_the_name_together(self, scene):
        with pytest.raises(ValidationError) as excinfo:
            sign(scene, declaration=False, typed_name="")

        assert set(refusal(excinfo)) == {"declaration", "typed_name"}

    def test_refuses_a_party_without_a_spoc_and_saves_nothing(self, scene):
        Membership.objects.filter(organisation=scene.party.organisation, role=Role.SPOC).delete()

        with pytest.raises(ValidationError) as excinfo:
            sign(scene)

        assert refusal(excinfo) == [
            "Borsetshire Police cannot sign until it has a single point of contact (SPOC) for this "
            "agreement. Name one on the agreement's parties page, then sign.",
        ]
        scene.party.refresh_from_db()
        assert (scene.party.status, Signature.objects.count()) == (PartyStatus.INVITED, 0)

    def test_a_spoc_the_party_names_for_the_agreement_is_enough(self, scene):
        Membership.objects.filter(organisation=scene.party.organisation, role=Role.SPOC).delete()
        spoc = ContactFactory(organisation=scene.party.organisation, name="Riley Example")
        party_contact_add(party=scene.party, contact=spoc, role=ContactRole.SPOC)

        sign(scene)

        assert scene.party.signatures.count() == 1

    def test_refuses_a_version_that_is_no_longer_the_latest(self, scene):
        sign(scene)
        scene.agreement.refresh_from_db()
        new_version(scene.agreement)
        later_party = PartyFactory(agreement=scene.agreement)
        later_signatory = UserFactory(first_name="Ash", last_name="Later")
        MembershipFactory(user=later_signatory, organisation=later_party.organisation, role=Role.LEAD_SIGNATORY)
        MembershipFactory(organisation=later_party.organisation, role=Role.SPOC)

        with pytest.raises(ValidationError) as excinfo:
            signature_sign(party=later_party, version=scene.version, user=later_signatory,
                           typed_name="Ash Later", declaration=True)

        assert refusal(excinfo) == {"version": [
            "Version 1.0 is no longer the latest version of this agreement. Read version 2.0 and sign that instead.",
        ]}
        assert later_party.signatures.exists() is False

    @pytest.mark.parametrize("status", [Status.DRAFT, Status.CONSULTATION])
    def test_refuses_an_agreement_not_yet_sent_for_signature(self, scene, status):
        Agreement.objects.filter(pk=scene.agreement.pk).update(status=status)

        with pytest.raises(ValidationError) as excinfo:
            sign(scene)

        assert refusal(excinfo) == ["This agreement has not been sent for signature yet."]

    @pytest.mark.parametrize(("status", "message"), [
        (Status.ENDED, "This agreement has ended and can no longer be signed."),
        (Status.SUPERSEDED, "This agreement has been superseded and can no longer be signed."),
    ])
    def test_refuses_an_agreement_that_has_ended(self, scene, status, message):
        Agreement.objects.filter(pk=scene.agreement.pk).update(
            status=status, effective_date=datetime.date(2025, 1, 1), ended_on=datetime.date(2026, 1, 1),
        )

        with pytest.raises(ValidationError) as excinfo:
            sign(scene)

        assert refusal(excinfo) == [message]

    def test_refuses_a_party_that_has_withdrawn(self, scene):
        Party.objects.filter(pk=scene.party.pk).update(
            status=PartyStatus.WITHDRAWN, withdrawal_notified_on=datetime.date(2026, 1, 1),
            withdrawal_effective_on=datetime.date(2026, 2, 1),
        )

        with pytest.raises(ValidationError) as excinfo:
            sign(scene)

        assert refusal(excinfo) == ["Borsetshire Police has withdrawn from this agreement and cannot sign it."]

    def test_refuses_someone_who_is_not_the_partys_lead_signatory(self, scene):
        with pytest.raises(ValidationError) as excinfo:
            sign(scene, user=scene.manager, typed_name="Kit Manager")

        assert refusal(excinfo) == ["You cannot sign for Borsetshire Police: only its lead signatory can."]

    def test_refuses_signing_the_same_version_twice(self, scene):
        sign(scene)

        with pytest.raises(ValidationError) as excinfo:
            sign(scene)

        assert refusal(excinfo) == ["Borsetshire Police has already signed version 1.0."]
        assert Signature.objects.count() == 1

    def test_refuses_a_version_of_another_agreement(self, scene):
        other = agreement_version_create(agreement=AgreementFactory(in_force=True), label="1.0")

        with pytest.raises(ValidationError) as excinfo:
            sign(scene, version=other)

        assert refusal(excinfo) == ["That version is not a version of this agreement."]

    def test_refuses_an_account_without_a_full_name(self, scene):
        nameless = UserFactory(first_name="", last_name="")
        MembershipFactory(user=nameless, organisation=scene.party.organisation, role=Role.LEAD_SIGNATORY)

        with pytest.raises(ValidationError) as excinfo:
            sign(scene, user=nameless, typed_name="Anyone")

        assert refusal(excinfo) == [
            "Your account has no full name. Ask your portal administrator to add it, then sign.",
        ]

    def test_re_signing_keeps_the_date_the_party_joined(self, scene):
        sign(scene)
        Party.objects.filter(pk=scene.party.pk).update(joined_on=datetime.date(2026, 1, 10))
        scene.agreement.refresh_from_db()
        version = new_version(scene.agreement)

        sign(scene, version=version)

        scene.party.refresh_from_db()
        assert (scene.party.status, scene.party.joined_on) == (PartyStatus.SIGNED, datetime.date(2026, 1, 10))

    def test_tells_the_owners_governance_managers_and_the_partys_spoc(
        self, scene, django_capture_on_commit_callbacks,
    ):
        manager = ContactFactory(
            organisation=scene.agreement.owner, user=scene.manager, email="kit@borsetshire.example",
        )
        spoc = ContactFactory(organisation=scene.party.organisation, email="sam@police.example")
        party_contact_add(party=scene.party, contact=spoc, role=ContactRole.SPOC)
        bystander = ContactFactory(organisation=scene.agreement.owner, email="pat@borsetshire.example")

        with django_capture_on_commit_callbacks(execute=True):
            sign(scene)

        assert mail.outbox == []  # news, in the morning's digest (decision 0045)
        messages = digests()
        assert sorted(message.to[0] for message in messages) == [manager.email, spoc.email]
        message = messages[0]
        assert message.subject == "ISA Portal: 1 thing due today"
        assert "1. Borsetshire Police signed BCSP ISA (version 1.0)\n" in message.body
        assert (
            f"Jo Example (Lead signatory) signed version 1.0 of “{scene.agreement.title}” for Borsetshire Police "
            f"in ISA Portal on {date_format(timezone.localdate(), 'j F Y')}."
        ) in message.body
        assert f"/agreements/{scene.agreement.pk}/signatures/" in message.body
        assert Notification.objects.filter(recipient=bystander).exists() is False


class TestSignatureRecordPaperScan:
    """The scan of a returned signature form: judged by its content, size-limited, stored under
    MEDIA_ROOT with a name the server makes."""

    @pytest.fixture(autouse=True)
    def _own_media_root(self, settings, tmp_path):
        settings.MEDIA_ROOT = tmp_path / "private-media"

    def record(self, scene, scan, **overrides):
        arguments = {
            "party": scene.party, "version": scene.version, "signatory_name": "Jo Example",
            "signatory_role": "Chief Constable", "signed_on": datetime.date(2026, 2, 1),
            "recorded_by": scene.manager, "scan": scan, **overrides,
        }
        return signature_record_paper(**arguments)

    def test_a_pdf_is_stored_under_media_root_with_a_uuid_name(self, scene):
        signature = self.record(scene, SimpleUploadedFile("Police signature form.pdf", PDF))

        assert re.fullmatch(r"signature-scans/\d{4}/[0-9a-f]{32}\.pdf", signature.scan.name)
        path = Path(signature.scan.path)
        assert path.is_relative_to(Path(settings.MEDIA_ROOT))
        assert path.read_bytes() == PDF

    def test_the_file_is_kept_under_the_type_its_content_shows_not_its_name(self, scene):
        signature = self.record(scene, SimpleUploadedFile("form.pdf", PNG, content_type="application/pdf"))

        assert signature.scan.name.endswith(".png")

    def test_a_jpeg_is_accepted(self, scene):
        signature = self.record(scene, SimpleUploadedFile("form.jpeg", JPEG))

        assert signature.scan.name.endswith(".jpg")

    def test_a_text_file_named_pdf_is_refused_and_nothing_is_saved(self, scene):
        with pytest.raises(ValidationError) as excinfo:
            self.record(scene, SimpleUploadedFile("form.pdf", b"Signed by Jo Example", content_type="application/pdf"))

        assert refusal(excinfo) == {"scan": ["The selected file must be a PDF, PNG or JPEG"]}
        assert Signature.objects.exists() is False
        scene.party.refresh_from_db()
        assert scene.party.status == PartyStatus.INVITED
        assert not list(Path(settings.MEDIA_ROOT).glob("signature-scans/*/*"))

    def test_a_file_over_the_size_limit_is_refused(self, scene, settings):
        settings.SIGNATURE_SCAN_MAX_BYTES = 1024 * 1024
        too_big = PDF + b"0" * (1024 * 1024 - len(PDF) + 1)

        with pytest.raises(ValidationError) as excinfo:
            self.record(scene, SimpleUploadedFile("form.pdf", too_big))

        assert refusal(excinfo) == {"scan": ["The selected file must be smaller than 1MB"]}
        assert Signature.objects.exists() is False

    def test_a_file_of_exactly_the_size_limit_is_accepted(self, scene, settings):
        settings.SIGNATURE_SCAN_MAX_BYTES = 1024 * 1024
        just_fits = PDF + b"0" * (1024 * 1024 - len(PDF))

        assert self.record(scene, SimpleUploadedFile("form.pdf", just_fits)).scan.size == 1024 * 1024

    def test_an_empty_file_is_refused(self, scene):
        with pytest.raises(ValidationError) as excinfo:
            self.record(scene, SimpleUploadedFile("form.pdf", b""))

        assert refusal(excinfo) == {"scan": ["The selected file is empty"]}

    def test_a_date_signed_in_the_future_is_refused(self, scene):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)

        with pytest.raises(ValidationError) as excinfo:
            self.record(scene, SimpleUploadedFile("form.pdf", PDF), signed_on=tomorrow)

        assert refusal(excinfo) == {"signed_on": ["The date the form was signed must be today or in the past"]}
        assert Signature.objects.exists() is False

    def test_a_form_dated_before_the_version_was_made_here_is_refused(self, scene):
        # Version 1.0 made by someone in the portal: its text did not exist the day before.
        scene.version.created_by = scene.manager
        scene.version.save(update_fields=["created_by"])
        made_on = timezone.localdate(scene.version.created_at)

        with pytest.raises(ValidationError) as excinfo:
            self.record(scene, SimpleUploadedFile("form.pdf", PDF), signed_on=made_on - datetime.timedelta(days=6))

        assert refusal(excinfo) == {"signed_on": [
            f"The date the form was signed cannot be before version 1.0 was issued, on {long_date(made_on)}"]}
        assert Signature.objects.exists() is False
        assert self.record(scene, SimpleUploadedFile("form.pdf", PDF), signed_on=made_on).signed_on == made_on

    def test_a_version_the_portal_made_with_nobodys_hand_takes_an_earlier_form(self, scene):
        # The demo's and an import's versions are made after their forms were signed on paper.
        assert scene.version.created_by is None

        assert self.record(scene, SimpleUploadedFile("form.pdf", PDF)).signed_on == datetime.date(2026, 2, 1)

    def test_the_date_and_the_file_are_reported_together(self, scene):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)

        with pytest.raises(ValidationError) as excinfo:
            self.record(scene, SimpleUploadedFile("form.pdf", b"text"), signed_on=tomorrow)

        assert set(refusal(excinfo)) == {"signed_on", "scan"}

    def test_a_draft_cannot_be_signed_on_paper_either(self, scene):
        Agreement.objects.filter(pk=scene.agreement.pk).update(status=Status.DRAFT)
        scene.party.refresh_from_db()

        with pytest.raises(ValidationError) as excinfo:
            self.record(scene, None)

        assert refusal(excinfo) == ["This agreement has not been sent for signature yet."]

    def test_tells_the_owners_governance_managers_and_the_partys_spoc(
        self, scene, django_capture_on_commit_callbacks,
    ):
        manager = ContactFactory(
            organisation=scene.agreement.owner, user=scene.manager, email="kit@borsetshire.example",
        )
        spoc = ContactFactory(organisation=scene.party.organisation, email="sam@police.example")
        party_contact_add(party=scene.party, contact=spoc, role=ContactRole.SPOC)

        with django_capture_on_commit_callbacks(execute=True):
            self.record(scene, None)

        messages = digests()
        assert sorted(message.to[0] for message in messages) == [manager.email, spoc.email]
        assert (
            f"Jo Example (Chief Constable) signed version 1.0 of “{scene.agreement.title}” for Borsetshire Police "
            "on a paper signature form on 1 February 2026."
        ) in messages[0].body

    def test_a_form_loaded_with_nobody_recording_it_tells_nobody(self, scene, django_capture_on_commit_callbacks):
        ContactFactory(organisation=scene.agreement.owner, user=scene.manager, email="kit@borsetshire.example")

        with django_capture_on_commit_callbacks(execute=True):
            self.record(scene, None, recorded_by=None, signed_on=None)

        assert mail.outbox == []

    def test_the_scan_is_removed_when_the_signature_cannot_be_saved(self, scene, monkeypatch):
        def fail(*args, **kwargs):
            raise DatabaseError("the disk is full")

        monkeypatch.setattr(Party, "save", fail)

        with pytest.raises(DatabaseError):
            self.record(scene, SimpleUploadedFile("form.pdf", PDF))

        assert not list(Path(settings.MEDIA_ROOT).glob("signature-scans/*/*"))
        assert Signature.objects.exists() is False

    def test_a_version_already_signed_is_refused(self, scene):
        self.record(scene, None)

        with pytest.raises(ValidationError) as excinfo:
            self.record(scene, None)

        assert refusal(excinfo) == ["Borsetshire Police has already signed version 1.0."]


class TestScanStorageIsOutsideTheWebRoot:
    def test_the_configured_media_root_is_not_under_any_static_folder(self):
        from isa_portal import settings as project

        media = Path(project.MEDIA_ROOT).resolve()
        static_folders = [Path(project.STATIC_ROOT), *map(Path, project.STATICFILES_DIRS)]
        assert not any(media.is_relative_to(folder.resolve()) for folder in static_folders)

    def test_a_stored_scan_is_under_media_root_and_no_static_folder(self, scene):
        signature = signature_record_paper(
            party=scene.party, version=scene.version, signatory_name="Jo Example",
            scan=SimpleUploadedFile("form.pdf", PDF),
        )

        path = Path(signature.scan.path).resolve()
        assert path.is_relative_to(Path(settings.MEDIA_ROOT).resolve())
        for folder in [settings.STATIC_ROOT, *settings.STATICFILES_DIRS]:
            assert not path.is_relative_to(Path(folder).resolve())


class TestResigning:
    """A new version of an agreement made by a substantive change tells each party whose
    signature is now on an older version."""

    @pytest.fixture
    def in_force(self, scene):
        signature_record_paper(party=scene.owner_party, version=scene.version, signatory_name="Kit Manager")
        sign(scene)
        Agreement.objects.filter(pk=scene.agreement.pk).update(
            status=Status.IN_FORCE, effective_date=timezone.localdate(),
        )
        scene.agreement.refresh_from_db()
        scene.named = ContactFactory(organisation=scene.party.organisation, email="jo@police.example",
                                     user=scene.signatory)
        party_contact_add(party=scene.party, contact=scene.named, role=ContactRole.LEAD_SIGNATORY)
        return scene

    def test_the_lead_signatory_is_told_to_read_what_changed_and_sign_again(
        self, in_force, django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            version = new_version(in_force.agreement)

        message = next(message for message in digests() if message.to == ["jo@police.example"])
        assert message.subject == "ISA Portal: 1 thing due today"
        assert "1. Please sign version 2.0 of BCSP ISA\n" in message.body
        assert "You signed version 1.0 for Borsetshire Police, and that signature now needs renewing." in message.body
        assert "What changed, in brief: Purpose widened." in message.body
        assert f"/agreements/{in_force.agreement.pk}/versions/{version.number}/?from=1" in message.body

    def test_a_party_that_never_signed_is_not_told(self, in_force, django_capture_on_commit_callbacks):
        waiting = PartyFactory(agreement=in_force.agreement)
        contact = ContactFactory(organisation=waiting.organisation, email="lee@waiting.example")
        party_contact_add(party=waiting, contact=contact, role=ContactRole.LEAD_SIGNATORY)

        with django_capture_on_commit_callbacks(execute=True):
            new_version(in_force.agreement)

        assert "lee@waiting.example" not in [message.to[0] for message in [*mail.outbox, *digests()]]

    def test_each_signatory_is_told_once_however_often_the_new_version_is_reworded(self, in_force):
        new_version(in_force.agreement, "First wording.")
        new_version(in_force.agreement, "Second wording.")  # nobody has signed 2.0: it is re-frozen

        assert Notification.objects.filter(recipient=in_force.named, subject__startswith="Please sign").count() == 1

    def test_nobody_is_told_when_no_signature_is_left_behind(self, scene):
        agreement_substance_changed(agreement=scene.agreement, by_user=None)
        new_version(scene.agreement)  # nobody has signed 1.0 yet: re-frozen, no new version

        assert Notification.objects.exists() is False


@pytest.fixture
def party_and_version():
    party = PartyFactory()
    return party, AgreementVersionFactory(agreement=party.agreement)


class TestSignature:
    def paper(self, party, version, **fields):
        return Signature.objects.create(
            party=party, version=version, method=SignatureMethod.PAPER,
            signatory_name="Jo Example", content_hash=version.content_hash, **fields,
        )

    def test_party_signs_a_version_once(self, party_and_version):
        party, version = party_and_version
        self.paper(party, version)

        with violates(Signature, "signature_once_per_version"):
            self.paper(party, version)

    @pytest.mark.parametrize("missing", ["signed_by", "signed_at", "declaration"])
    def test_portal_signature_needs_the_user_the_time_and_the_declaration(
        self, party_and_version, missing,
    ):
        party, version = party_and_version
        fields = {
            "signed_by": UserFactory(), "signed_at": timezone.now(),
            "declaration": "I sign for Borsetshire Police.",
        }
        fields[missing] = "" if missing == "declaration" else None

        with violates(Signature, "signature_portal_has_user_time_and_declaration"):
            Signature.objects.create(
                party=party, version=version, method=SignatureMethod.PORTAL,
                signatory_name="Jo Example", content_hash=version.content_hash, **fields,
            )

    def test_complete_portal_signature_is_accepted(self, party_and_version):
        party, version = party_and_version

        Signature.objects.create(
            party=party, version=version, method=SignatureMethod.PORTAL,
            signatory_name="Jo Example", content_hash=version.content_hash,
            signed_by=UserFactory(), signed_at=timezone.now(),
            declaration="I sign for Borsetshire Police.",
        )

        assert party.signatures.count() == 1

    def test_paper_signature_needs_no_user_time_or_declaration(self, party_and_version):
        party, version = party_and_version

        self.paper(party, version)

        assert party.signatures.count() == 1


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


def statuses(agreement):
    """Each party's status, read with and without the details: the two must agree."""
    full, lean = ({
        p.organisation.name: (p.signature_status, p.signed_number, p.latest_number)
        for p in parties_with_signature_status(Party.objects.filter(agreement=agreement), details=details)
    } for details in (True, False))
    assert lean == full
    return {name: status for name, (status, _, _) in full.items()}


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

    def test_without_the_details_only_the_numbers_and_the_status_are_read(self, agreement):
        signed = party(agreement)
        paper(signed, agreement.versions.get())

        row = parties_with_signature_status(Party.objects.filter(pk=signed.pk), details=False).get()

        assert (row.signature_status, row.signed_number, row.latest_number) == (S.SIGNED, 1, 1)
        assert not hasattr(row, "latest_label")


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

    def test_an_organisation_that_has_ceased_to_exist_is_not_chased(self, agreement):
        """Issue 14 audit: seed 001's abolished CCG and National Probation Service were chased."""
        today = timezone.localdate()
        ceased = party(agreement, name="Felpersham CCG", invited_on=today - datetime.timedelta(days=40))
        Organisation.objects.filter(pk=ceased.organisation_id).update(ceased_on=today - datetime.timedelta(days=1))
        party(agreement, name="Borsetshire Police", invited_on=today - datetime.timedelta(days=3))

        matrix = signature_matrix(agreement)

        assert [row.organisation.name for row in matrix.chase] == ["Borsetshire Police"]
        assert matrix.total == 2

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


def paper(party, version):
    return signature_record_paper(party=party, version=version, signatory_name="Jo Example")


def change_section(agreement, body):
    section = agreement.sections.get()
    section.body = body
    section.save()
    return agreement_substance_changed(agreement=agreement, by_user=None, summary="Reworded.")


def party(agreement, status=PartyStatus.INVITED, name=None, **fields):
    organisation = OrganisationFactory(**({"name": name} if name else {}))
    return PartyFactory(agreement=agreement, organisation=organisation, status=status, **fields)


@pytest.fixture
def agreement():
    """In force, version 1.0, section 1; no parties yet."""
    agreement = AgreementFactory(title="Borsetshire Community Safety Agreement", in_force=True)
    SectionFactory(agreement=agreement, number="1", heading="Purpose", body="To reduce crime.")
    agreement_version_create(agreement=agreement, label="1.0")
    return agreement


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
