"""The signed copy (agreements/services/signed_copies.py, views/signed_copies.py): frozen once
when the last required party signs a version, never rendered again, downloadable by whoever sees
the agreement, and checked by anyone at /verify/."""

import datetime
import hashlib
import logging
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, AgreementVersion, Party, PartyStatus, SignedCopy, Status
from agreements.selectors.documents import signed_copy_matching
from agreements.services import (
    agreement_version_create,
    signature_record_paper,
    signature_sign,
    signed_copy_freeze,
)
from agreements.services import documents as signed_copies
from partners.models import Role
from tests.auth import sign_in
from tests.factories import (
    AgreementFactory,
    MembershipFactory,
    OrganisationFactory,
    PartyFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

TITLE = "Borsetshire Community Safety Information Sharing Agreement"


@dataclass
class Scene:
    agreement: Agreement
    owner_party: Party
    party: Party
    version: AgreementVersion
    signatory: object  # the partner's lead signatory
    reader: object  # a practitioner at the partner


@pytest.fixture
def scene() -> Scene:
    """Borsetshire's agreement out for signature, version 1.0; owner and police both invited."""
    owner = OrganisationFactory(name="Borsetshire County Council")
    partner = OrganisationFactory(name="Borsetshire Police")
    agreement = AgreementFactory(title=TITLE, reference="BCSP ISA", owner=owner, status=Status.AWAITING_SIGNATURES)
    SectionFactory(agreement=agreement, number="1", heading="Purpose", body="To reduce crime.")
    owner_party = PartyFactory(agreement=agreement, organisation=owner)
    party = PartyFactory(agreement=agreement, organisation=partner)
    version = agreement_version_create(agreement=agreement, label="1.0")
    signatory = UserFactory(first_name="Jo", last_name="Example")
    MembershipFactory(user=signatory, organisation=partner, role=Role.LEAD_SIGNATORY)
    reader = UserFactory()
    MembershipFactory(user=reader, organisation=partner, role=Role.PRACTITIONER)
    return Scene(agreement, owner_party, party, version, signatory, reader)


def paper(scene, party) -> None:
    signature_record_paper(
        party=party, version=scene.version, signatory_name="Pat Signer", signatory_role="Chief Executive",
        signed_on=datetime.date(2026, 3, 1),
    )


def portal(scene) -> None:
    signature_sign(
        party=scene.party, version=scene.version, user=scene.signatory, typed_name="Jo Example", declaration=True,
    )


def stored(copy: SignedCopy) -> bytes:
    with copy.file.open("rb") as file:
        return file.read()


def signed(scene) -> SignedCopy:
    paper(scene, scene.owner_party)
    paper(scene, scene.party)
    return SignedCopy.objects.get(version=scene.version)


class TestFreezing:
    def test_not_frozen_while_a_party_is_still_to_sign(self, scene):
        paper(scene, scene.owner_party)

        assert not SignedCopy.objects.exists()
        assert signed_copy_freeze(version=scene.version) is None

    def test_frozen_when_the_last_party_signs_on_paper(self, scene):
        copy = signed(scene)

        content = stored(copy)
        assert content.startswith(b"%PDF-")
        assert copy.sha256 == hashlib.sha256(content).hexdigest()
        assert copy.size == len(content)
        path = Path(copy.file.path)
        assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "signed-copies")
        assert "borsetshire" not in path.name.lower()

    def test_frozen_when_the_last_party_signs_in_the_portal(self, scene):
        paper(scene, scene.owner_party)

        portal(scene)

        assert SignedCopy.objects.get().version == scene.version

    def test_owner_is_waited_for(self, scene):
        paper(scene, scene.party)

        assert not SignedCopy.objects.exists()

    def test_invited_third_party_is_waited_for(self, scene):
        PartyFactory(agreement=scene.agreement, status=PartyStatus.AWAIT_CASE)

        signed_parties = [scene.owner_party, scene.party]
        for party in signed_parties:
            paper(scene, party)

        assert not SignedCopy.objects.exists()

    @pytest.mark.parametrize("traits", [{"status": PartyStatus.DECLINED}, {"withdrawal_notified": True}])
    def test_declined_or_withdrawing_party_is_not_waited_for(self, scene, traits):
        PartyFactory(agreement=scene.agreement, **traits)

        assert signed(scene).version == scene.version

    def test_freezing_again_returns_the_same_copy_without_rendering(self, scene, monkeypatch):
        copy = signed(scene)
        monkeypatch.setattr(signed_copies, "signed_copy_render", _render_fails)

        again = signed_copy_freeze(version=scene.version)

        assert again.pk == copy.pk
        assert SignedCopy.objects.count() == 1

    def test_stored_bytes_stay_the_same_after_the_agreement_changes(self, scene):
        copy = signed(scene)
        before = stored(copy)
        Agreement.objects.filter(pk=scene.agreement.pk).update(title="A different title")
        PartyFactory(agreement=scene.agreement, organisation=OrganisationFactory(name="Felpersham HA"))

        signed_copy_freeze(version=scene.version)
        call_command("freeze_signed_copies")

        copy.refresh_from_db()
        assert stored(copy) == before
        assert copy.sha256 == hashlib.sha256(before).hexdigest()


def _render_fails(version):
    raise RuntimeError("renderer broke")


class TestRenderingFailure:
    def test_signature_is_recorded_and_the_failure_logged_without_names(self, scene, monkeypatch, caplog):
        monkeypatch.setattr(signed_copies, "signed_copy_render", _render_fails)
        paper(scene, scene.owner_party)

        with caplog.at_level(logging.ERROR, logger="agreements.services.documents"):
            portal(scene)

        assert scene.version.signatures.count() == 2
        assert not SignedCopy.objects.exists()
        logged = "\n".join(record.getMessage() for record in caplog.records)
        assert logged == (
            f"Rendering the signed copy of agreement {scene.agreement.pk} version 1 failed; it will be retried"
        )

    def test_management_command_freezes_what_failed(self, scene, monkeypatch):
        monkeypatch.setattr(signed_copies, "signed_copy_render", _render_fails)
        paper(scene, scene.owner_party)
        paper(scene, scene.party)
        monkeypatch.undo()

        call_command("freeze_signed_copies")

        assert SignedCopy.objects.get().version == scene.version

    def test_the_next_signature_retries(self, scene, monkeypatch):
        PartyFactory(agreement=scene.agreement, status=PartyStatus.DECLINED)
        monkeypatch.setattr(signed_copies, "signed_copy_render", _render_fails)
        paper(scene, scene.owner_party)
        paper(scene, scene.party)
        monkeypatch.undo()
        late = PartyFactory(agreement=scene.agreement, status=PartyStatus.INVITED)
        assert signed_copy_freeze(version=scene.version) is None

        paper(scene, late)

        assert SignedCopy.objects.get().version == scene.version


def upload(content: bytes, name="copy.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def altered(content: bytes) -> bytes:
    middle = len(content) // 2
    return content[:middle] + bytes([content[middle] ^ 0x01]) + content[middle + 1:]


class TestMatching:
    def test_the_stored_file_matches_its_copy(self, scene):
        copy = signed(scene)

        assert signed_copy_matching(upload(stored(copy))) == copy

    def test_one_byte_altered_matches_nothing(self, scene):
        copy = signed(scene)

        assert signed_copy_matching(upload(altered(stored(copy)))) is None

    @pytest.mark.parametrize(("content", "message"), [
        (b"", "The selected file is empty"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 32, "The selected file must be a PDF"),
    ])
    def test_refuses_what_cannot_be_a_signed_copy(self, content, message):
        with pytest.raises(ValidationError) as excinfo:
            signed_copy_matching(upload(content))

        assert excinfo.value.message_dict == {"file": [message]}

    def test_refuses_a_file_over_the_limit(self, settings):
        settings.SIGNATURE_SCAN_MAX_BYTES = 1024 * 1024

        with pytest.raises(ValidationError) as excinfo:
            signed_copy_matching(upload(b"%PDF-" + b"0" * (1024 * 1024)))

        assert excinfo.value.message_dict == {"file": ["The selected file must be smaller than 1MB"]}


class TestDownload:
    def test_reader_of_the_agreement_downloads_the_stored_bytes(self, client, scene):
        copy = signed(scene)

        response = sign_in(client, scene.reader).get(
            reverse("agreements:signed_copy", args=[scene.agreement.pk, scene.version.number]),
        )

        assert response.status_code == 200
        assert b"".join(response.streaming_content) == stored(copy)
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == 'attachment; filename="bcsp-isa-v1.0-signed.pdf"'
        assert response["Cache-Control"] == "no-store"
        assert response["X-Content-Type-Options"] == "nosniff"

    def test_version_without_a_copy_is_not_found(self, client, scene):
        paper(scene, scene.owner_party)

        response = sign_in(client, scene.reader).get(
            reverse("agreements:signed_copy", args=[scene.agreement.pk, scene.version.number]),
        )

        assert response.status_code == 404

    def test_offered_on_the_signatures_and_versions_pages(self, client, scene):
        signed(scene)
        link = reverse("agreements:signed_copy", args=[scene.agreement.pk, scene.version.number])
        sign_in(client, scene.reader)

        for page in ("agreements:signatures", "agreements:versions"):
            response = client.get(reverse(page, args=[scene.agreement.pk]))
            assert f'href="{link}"' in response.content.decode(), page

    def test_not_offered_before_every_party_has_signed(self, client, scene):
        paper(scene, scene.owner_party)
        sign_in(client, scene.reader)

        for page in ("agreements:signatures", "agreements:versions"):
            response = client.get(reverse(page, args=[scene.agreement.pk]))
            assert "signed-copy" not in response.content.decode(), page


class TestVerifyPage:
    url = reverse("verify")

    def test_anyone_may_open_it_without_signing_in(self, client):
        response = client.get(self.url)

        assert response.status_code == 200
        assert "Check a signed agreement" in response.content.decode()

    def test_stored_file_is_recognised_with_its_agreement_version_and_date(self, client, scene):
        copy = signed(scene)

        response = client.post(self.url, {"file": upload(stored(copy))})

        page = response.content.decode()
        assert "This is a signed copy issued by ISA Portal" in page
        assert TITLE in page
        assert ">1.0<" in page
        assert copy.sha256 in page
        issued = timezone.localtime(copy.frozen_at)
        assert f"{issued:%-d %B %Y} at {issued:%-I:%M}{issued:%p}".replace("AM", "am").replace("PM", "pm") in page
        assert response["Cache-Control"] == "no-store"

    def test_one_byte_altered_is_rejected(self, client, scene):
        copy = signed(scene)

        response = client.post(self.url, {"file": upload(altered(stored(copy)))})

        page = response.content.decode()
        assert "This file is not a signed copy issued by ISA Portal" in page
        assert TITLE not in page

    @pytest.mark.parametrize(("data", "message"), [
        ({}, "Select the PDF to check"),
        ({"file": upload(b"")}, "The selected file is empty"),
        ({"file": upload(b"Hello, this is plain text.", name="copy.txt")}, "The selected file must be a PDF"),
    ])
    def test_bad_upload_shows_the_error_summary(self, client, data, message):
        response = client.post(self.url, data)

        page = response.content.decode()
        assert response.status_code == 200
        assert "There is a problem" in page
        assert f'<a href="#id_file">{message}</a>' in page
        assert "signed copy issued by ISA Portal</" not in page
