"""The agreement's documents record who downloaded them (partners/access.py; docs/decisions/0025):
the PDF, the signed copy and a signature's scan. Uses ``scene`` (organisations by the standard
cast's names), so no shared cast here."""

import io
import logging

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from agreements.services import signature_record_paper
from partners.models import AccessKind, Role
from tests.access_helpers import ACCESS_LOGGER, assert_no_personal_data, events, line_of, only_event
from tests.agreements.helpers.documents import signed
from tests.auth import sign_in
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db


def _png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return buffer.getvalue()


@pytest.fixture
def reader(scene):
    """A practitioner of the partner whose name and address must never reach the log."""
    user = UserFactory(username="imogen.access-reader", first_name="Imogen", last_name="Thackeray",
                       email="imogen.thackeray@police.example")
    MembershipFactory(user=user, organisation=scene.party.organisation, role=Role.PRACTITIONER)
    return user


def test_downloading_a_versions_pdf_records_it(client, scene, reader, caplog):
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)

    response = sign_in(client, reader).get(
        reverse("agreements:pdf", args=[scene.agreement.pk]), {"version": scene.version.number},
    )

    assert response.status_code == 200
    event = only_event(kind=AccessKind.AGREEMENT_PDF)
    assert (event.user_id, event.user_organisations) == (reader.pk, [scene.party.organisation_id])
    assert (event.object_type, event.object_id, event.object_organisations) == (
        "agreements.agreement", scene.agreement.pk, [scene.agreement.owner_id],
    )
    assert (event.url_name, event.url_ids, event.status_code) == ("agreements:pdf", {"pk": scene.agreement.pk}, 200)
    assert line_of(caplog, event)["kind"] == "agreement_pdf"
    assert_no_personal_data(event, caplog, "Imogen", "Thackeray", reader.email, reader.username)


def test_downloading_the_signed_copy_records_it(client, scene, reader, caplog):
    copy = signed(scene)
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)

    response = sign_in(client, reader).get(
        reverse("agreements:signed_copy", args=[scene.agreement.pk, scene.version.number]),
    )
    b"".join(response.streaming_content)

    assert response.status_code == 200
    event = only_event(kind=AccessKind.SIGNED_COPY)
    assert (event.user_id, event.object_type, event.object_id) == (reader.pk, "agreements.signedcopy", copy.pk)
    assert event.url_ids == {"pk": scene.agreement.pk, "number": scene.version.number}
    assert_no_personal_data(event, caplog, "Imogen", "Thackeray", reader.email, "Pat Signer")


def test_downloading_a_signature_scan_records_it(client, scene, reader, caplog):
    signature = signature_record_paper(
        party=scene.party, version=scene.version, signatory_name="Ottoline Example",
        scan=SimpleUploadedFile("form.png", _png(), content_type="image/png"),
    )
    caplog.set_level(logging.INFO, logger=ACCESS_LOGGER)

    response = sign_in(client, reader).get(reverse(
        "agreements:signature_scan", kwargs={"pk": scene.agreement.pk, "signature_pk": signature.pk},
    ))
    b"".join(response.streaming_content)

    assert response.status_code == 200
    event = only_event(kind=AccessKind.SIGNATURE_SCAN)
    assert (event.user_id, event.object_type, event.object_id) == (reader.pk, "agreements.signature", signature.pk)
    assert sorted(event.object_organisations) == sorted([scene.agreement.owner_id, scene.party.organisation_id])
    assert event.url_ids == {"pk": scene.agreement.pk, "signature_pk": signature.pk}
    assert_no_personal_data(event, caplog, "Imogen", "Ottoline", reader.email)


def test_a_scan_refused_records_the_refusal_and_no_download(client, scene, reader):
    signature = signature_record_paper(
        party=scene.owner_party, version=scene.version, signatory_name="Ottoline Example",
        scan=SimpleUploadedFile("form.png", _png(), content_type="image/png"),
    )

    response = sign_in(client, reader).get(reverse(
        "agreements:signature_scan", kwargs={"pk": scene.agreement.pk, "signature_pk": signature.pk},
    ))

    assert response.status_code == 403
    assert events(kind=AccessKind.SIGNATURE_SCAN) == []
    event = only_event(kind=AccessKind.REFUSED)
    assert (event.status_code, event.url_name) == (403, "agreements:signature_scan")
