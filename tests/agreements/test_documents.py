"""The signed copy (agreements/models/documents.py, services/documents.py,
selectors/documents.py): frozen once when the last required party signs a version, never
rendered again, matched by its bytes, and the rules the database holds. The pages are in
test_documents_views.py and test_documents_views_no_cast.py."""


import hashlib
import logging
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import call_command

from agreements.models import (
    Agreement,
    PartyStatus,
    SignedCopy,
)
from agreements.selectors.documents import signed_copy_matching
from agreements.services import documents as signed_copies
from agreements.services import (
    signature_sign,
    signed_copy_freeze,
)
from tests.agreements.helpers.documents import altered, paper, signed, stored, upload
from tests.db import violates
from tests.factories import (
    AgreementVersionFactory,
    OrganisationFactory,
    PartyFactory,
)

pytestmark = pytest.mark.django_db


def portal(scene) -> None:
    signature_sign(
        party=scene.party, version=scene.version, user=scene.signatory, typed_name="Jo Example", declaration=True,
    )


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


class TestSignedCopy:
    """The frozen PDF of a fully signed version (agreements/services/documents.py)."""

    def copy(self, **fields):
        values = {"version": AgreementVersionFactory(), "file": "signed-copies/x.pdf", "sha256": "a" * 64, "size": 10}
        return SignedCopy.objects.create(**{**values, **fields})

    def test_two_copies_cannot_share_a_hash(self):
        self.copy()

        with violates(SignedCopy, "signed_copy_sha256_unique"):
            self.copy()

    def test_hash_must_be_lower_case_hex_sha256(self):
        with violates(SignedCopy, "signed_copy_sha256_is_hex"):
            self.copy(sha256="A" * 64)

    def test_copy_cannot_be_empty(self):
        with violates(SignedCopy, "signed_copy_not_empty"):
            self.copy(size=0)
