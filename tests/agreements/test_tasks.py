"""The signed copy frozen by a background task (agreements/tasks.py, docs/decisions/0050): with the
database backend the last signature only asks for it, in its own transaction, and a worker
renders, seals and stores it; a copy whose rendering failed is tried again later."""

import datetime

import pytest
import time_machine
from django.urls import reverse
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from agreements.models import SignedCopy
from agreements.services import documents as signed_copies
from tests.agreements.helpers.documents import paper, stored
from tests.auth import sign_in

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def _sign_in_the_portal(client, scene):
    return sign_in(client, scene.signatory).post(
        reverse("agreements:party_sign", kwargs={"pk": scene.agreement.pk, "party_pk": scene.party.pk}),
        {"version": scene.version.pk, "declaration": "on", "typed_name": "Jo Example"},
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
