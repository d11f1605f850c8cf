"""The signed copy's pages (agreements/views/documents.py, urls/documents.py): downloaded by
whoever sees the agreement, and checked by anyone at /verify/. Their ``scene`` (conftest.py)
makes organisations by the standard cast's names, so they are kept apart from
test_documents_views.py, whose module shares a cast (``roles``, see docs/testing.md)."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.agreements.helpers.documents import TITLE, altered, paper, signed, stored, upload
from tests.auth import sign_in

pytestmark = pytest.mark.django_db

ISSUED = datetime.datetime.combine(datetime.date.today() + datetime.timedelta(days=1), datetime.time(14, 35),
                                   tzinfo=ZoneInfo("Europe/London"))


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

    # At a time GOV.UK writes as "2:35pm", not "midnight" or "midday" (govuk_blocks.dates): the
    # test once ran in the minute after midnight and computed "12:00am" where the page rightly
    # wrote "midnight". Tomorrow's, for the run's seal certificate is valid from now on.
    @pytest.mark.pinned_clock(ISSUED)
    def test_stored_file_is_recognised_with_its_agreement_version_and_date(self, client, scene):
        copy = signed(scene)

        response = client.post(self.url, {"file": upload(stored(copy))})

        page = response.content.decode()
        assert "This is a signed copy issued by ISA Portal" in page
        assert TITLE in page
        assert ">1.0<" in page
        assert copy.sha256 in page
        assert f"{ISSUED.day} {ISSUED:%B %Y} at 2:35pm" in page
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
