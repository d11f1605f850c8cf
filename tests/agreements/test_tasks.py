"""The signed copy frozen by a background task (agreements/tasks.py, docs/decisions/0050): with the
database backend the last signature only asks for it, in its own transaction, and a worker
renders, seals and stores it; a copy whose rendering failed is tried again later."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from agreements.models import PreparedPdf, SignedCopy
from agreements.services import documents as signed_copies
from partners.models import AccessEvent, AccessKind
from tests.agreements.helpers.documents import TITLE, paper, stored
from tests.auth import sign_in

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _sign_in_the_portal(client, scene):
    return sign_in(client, scene.signatory).post(
        reverse("agreements:party_sign", kwargs={"pk": scene.agreement.pk, "party_pk": scene.party.pk}),
        {"version": scene.version.pk, "declaration": "on", "typed_name": "Jo Example",
         "job_title": "Chief Constable"},
    )


def _freezes():
    return DBTaskResult.objects.filter(task_path="agreements.tasks.freeze_signed_copy")


def test_the_last_signature_asks_for_the_copy_and_a_worker_freezes_it(client, scene, database_tasks):
    paper(scene, scene.owner_party)
    assert not _freezes().exists()  # a party is still to sign

    response = _sign_in_the_portal(client, scene)

    assert response.status_code == 302
    assert not SignedCopy.objects.exists()
    task = _freezes().get()
    assert (task.status, task.args_kwargs) == (TaskResultStatus.READY, {"args": [scene.version.pk], "kwargs": {}})

    database_tasks()

    copy = SignedCopy.objects.get(version=scene.version)
    assert stored(copy).startswith(b"%PDF-")
    assert _freezes().get().status == TaskResultStatus.SUCCESSFUL


def test_a_copy_whose_rendering_failed_is_tried_again_later(client, scene, database_tasks, monkeypatch):
    paper(scene, scene.owner_party)
    real = signed_copies.signed_copy_render
    monkeypatch.setattr(signed_copies, "signed_copy_render", _render_fails)
    with time_machine.travel(NOW, tick=False):
        _sign_in_the_portal(client, scene)
        database_tasks()

        assert not SignedCopy.objects.exists()
        retry = _freezes().get(status=TaskResultStatus.READY)
        assert retry.args_kwargs == {"args": [scene.version.pk], "kwargs": {"attempt": 2}}
        assert retry.run_after == NOW + datetime.timedelta(minutes=1)

    monkeypatch.setattr(signed_copies, "signed_copy_render", real)
    with time_machine.travel(NOW + datetime.timedelta(minutes=2), tick=False):
        database_tasks()

    assert SignedCopy.objects.filter(version=scene.version).exists()
    assert _freezes().get(pk=retry.pk).status == TaskResultStatus.SUCCESSFUL


def test_with_the_immediate_backend_the_copy_is_frozen_in_the_request(client, scene):
    paper(scene, scene.owner_party)

    _sign_in_the_portal(client, scene)

    assert SignedCopy.objects.filter(version=scene.version).exists()
    assert not DBTaskResult.objects.exists()


def _render_fails(version):
    raise RuntimeError("WeasyPrint fell over")


class TestALargePdf:
    """Above ``PDF_IN_REQUEST_MAX_CHARS`` of HTML the PDF is laid out by a task; the scene's
    agreement is made "large" by lowering the line."""

    @pytest.fixture(autouse=True)
    def _low_line(self, settings):
        settings.PDF_IN_REQUEST_MAX_CHARS = 1_000

    def url(self, scene):
        return reverse("agreements:pdf", args=[scene.agreement.pk]) + f"?version={scene.version.number}"

    def test_is_prepared_by_a_worker_and_then_served_from_its_file(self, client, scene, database_tasks):
        sign_in(client, scene.reader)

        waiting = client.get(self.url(scene))

        assert waiting.status_code == 202
        content = waiting.content.decode()
        assert "<h1 class=\"govuk-heading-l\">Your PDF is being prepared</h1>" in content
        assert f"{TITLE}, version 1.0, is a long document, so the portal is preparing its PDF." in content
        assert "Refresh this page to download it when it is ready." in content
        assert not AccessEvent.objects.filter(kind=AccessKind.AGREEMENT_PDF).exists()
        assert _prepares().count() == 1
        assert client.get(self.url(scene)).status_code == 202
        assert _prepares().count() == 1  # asked for once, however often the reader refreshes

        database_tasks()
        served = client.get(self.url(scene))

        assert served.status_code == 200
        assert b"".join(served.streaming_content).startswith(b"%PDF-")
        assert served["Content-Disposition"] == 'attachment; filename="bcsp-isa-v1.0.pdf"'
        assert served["Cache-Control"] == "no-store"
        assert AccessEvent.objects.filter(kind=AccessKind.AGREEMENT_PDF).count() == 1
        assert _prepares().count() == 1

    def test_a_changed_document_is_prepared_again(self, client, scene, database_tasks):
        sign_in(client, scene.reader)
        client.get(self.url(scene))
        database_tasks()
        first = PreparedPdf.objects.get()

        paper(scene, scene.owner_party)  # the signature page changes

        assert client.get(self.url(scene)).status_code == 202
        prepared = PreparedPdf.objects.get()
        assert prepared.pk == first.pk and not prepared.is_ready
        assert prepared.html_sha256 != first.html_sha256

    def test_with_the_immediate_backend_it_is_served_at_once(self, client, scene):
        response = sign_in(client, scene.reader).get(self.url(scene))

        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF-")
        assert PreparedPdf.objects.get().is_ready

    def test_a_small_one_is_laid_out_in_the_request(self, client, scene, settings):
        settings.PDF_IN_REQUEST_MAX_CHARS = 10_000_000

        response = sign_in(client, scene.reader).get(self.url(scene))

        assert response.status_code == 200
        assert response.content.startswith(b"%PDF-")
        assert not PreparedPdf.objects.exists()


def _prepares():
    return DBTaskResult.objects.filter(task_path="agreements.tasks.prepare_pdf")
