"""Signing pages (agreements/views/signing.py): what each shows, and that bad input gets a GOV.UK
error and saves nothing. Who may reach them is tests/test_permission_matrix.py's business."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, ContactRole, Party, PartyStatus, Signature, Status
from agreements.services import (
    agreement_substance_changed,
    agreement_version_create,
    party_contact_add,
    signature_record_paper,
)
from partners.models import Membership, Role
from tests.factories import ContactFactory
from tests.uploads import PDF

pytestmark = pytest.mark.django_db



@pytest.fixture(autouse=True)
def _own_media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private-media"


@pytest.fixture
def out_for_signature(roles):
    """The cast's agreement back out for signature, version 1.0; the partner has not signed."""
    Agreement.objects.filter(pk=roles.agreement.pk).update(status=Status.AWAITING_SIGNATURES)
    Party.objects.filter(pk=roles.partner_party.pk).update(status=PartyStatus.INVITED, joined_on=None)
    roles.agreement.refresh_from_db()
    roles.partner_party.refresh_from_db()
    roles.version = agreement_version_create(agreement=roles.agreement, label="1.0")
    roles.lead_signatory.first_name, roles.lead_signatory.last_name = "Jo", "Example"
    roles.lead_signatory.save()
    return roles


def sign_url(cast):
    return reverse("agreements:party_sign", kwargs={"pk": cast.agreement.pk, "party_pk": cast.partner_party.pk})


def paper_url(cast, party=None):
    return reverse("agreements:party_paper_signature", kwargs={
        "pk": cast.agreement.pk, "party_pk": (party or cast.partner_party).pk,
    })


def error_summary(response) -> str:
    content = response.content.decode()
    assert 'class="govuk-error-summary"' in content, "no error summary on the page"
    return content


def new_version(agreement):
    section = agreement.sections.get()
    section.body = "Information is shared to reduce crime and disorder."
    section.save()
    return agreement_substance_changed(agreement=agreement, by_user=None, summary="Purpose widened.")


class TestSignPage:
    def test_shows_the_version_its_hash_and_its_text(self, client, sign_in, out_for_signature):
        cast = out_for_signature

        response = sign_in(client, cast.lead_signatory).get(sign_url(cast))

        content = response.content.decode()
        assert "Sign version 1.0" in content
        assert cast.version.content_hash in content
        assert "1. Purpose" in content
        assert "I have read version 1.0 of this agreement and I sign it for Borsetshire Police." in content

    def test_signing_records_the_signature_and_says_so(self, client, sign_in, out_for_signature):
        cast = out_for_signature

        response = sign_in(client, cast.lead_signatory).post(sign_url(cast), {
            "version": cast.version.pk, "declaration": "on", "typed_name": "jo example",
            "job_title": " Chief Constable ",
        }, follow=True)

        assert response.redirect_chain == [(sign_url(cast), 302)]
        assert "You have signed version 1.0 for Borsetshire Police." in response.content.decode()
        assert "Borsetshire Police has signed version 1.0" in response.content.decode()
        signature = cast.partner_party.signatures.get()
        assert (signature.signed_by, signature.version) == (cast.lead_signatory, cast.version)
        # The Safe and Well trial (P12): the role was "Lead signatory", the portal's word.
        assert signature.signatory_role == "Chief Constable"

    def test_the_job_title_is_asked_offering_the_directorys(self, client, sign_in, out_for_signature):
        cast = out_for_signature
        ContactFactory(organisation=cast.partner, user=cast.lead_signatory, job_title="Deputy Chief Constable")
        signer = sign_in(client, cast.lead_signatory)
        assert 'value="Deputy Chief Constable"' in signer.get(sign_url(cast)).content.decode()

        response = signer.post(sign_url(cast), {
            "version": cast.version.pk, "declaration": "on", "typed_name": "Jo Example", "job_title": "  "})

        assert '<a href="#id_job_title">Enter your job title</a>' in error_summary(response)
        assert not cast.partner_party.signatures.exists()

    def test_a_party_without_a_spoc_is_told_why_it_cannot_sign_and_nothing_is_saved(
        self, client, sign_in, out_for_signature,
    ):
        cast = out_for_signature
        Membership.objects.filter(organisation=cast.partner, role=Role.SPOC).delete()
        message = ("Borsetshire Police cannot sign until it has a single point of contact (SPOC) for this "
                   "agreement. Name one on the agreement&#x27;s parties page, then sign.")

        page = sign_in(client, cast.lead_signatory).get(sign_url(cast)).content.decode()
        posted = client.post(sign_url(cast), {"version": cast.version.pk, "declaration": "on",
                                              "typed_name": "Jo Example"})

        assert message in page and message in posted.content.decode()
        assert 'name="typed_name"' not in page
        assert Signature.objects.filter(party=cast.partner_party).exists() is False

    def test_a_wrong_name_is_shown_in_the_error_summary_and_nothing_is_saved(
        self, client, sign_in, out_for_signature,
    ):
        cast = out_for_signature

        response = sign_in(client, cast.lead_signatory).post(sign_url(cast), {
            "version": cast.version.pk, "declaration": "on", "typed_name": "Sam Other",
        })

        assert response.status_code == 200
        content = error_summary(response)
        assert '<a href="#id_typed_name">Enter your full name as it appears on your account: Jo Example</a>' in content
        assert Signature.objects.filter(party=cast.partner_party).exists() is False

    def test_an_unticked_declaration_is_an_error(self, client, sign_in, out_for_signature):
        cast = out_for_signature

        response = sign_in(client, cast.lead_signatory).post(sign_url(cast), {
            "version": cast.version.pk, "typed_name": "Jo Example",
        })

        assert "Confirm that you have read version 1.0 and sign it for Borsetshire Police" in error_summary(response)
        assert Signature.objects.filter(party=cast.partner_party).exists() is False

    def test_a_version_replaced_while_the_page_was_open_is_not_signed(self, client, sign_in, out_for_signature):
        cast = out_for_signature
        signature_record_paper(party=cast.owner_party, version=cast.version, signatory_name="Kit Manager")
        cast.agreement.refresh_from_db()
        second = new_version(cast.agreement)

        response = sign_in(client, cast.lead_signatory).post(sign_url(cast), {
            "version": cast.version.pk, "declaration": "on", "typed_name": "Jo Example",
        })

        content = error_summary(response)
        assert ("Version 1.0 is no longer the latest version of this agreement. "
                "Read version 2.0 and sign that instead.") in content
        assert f'name="version" value="{second.pk}"' in content  # the page now offers 2.0
        assert Signature.objects.filter(party=cast.partner_party).exists() is False

    def test_a_draft_cannot_be_signed(self, client, sign_in, out_for_signature):
        cast = out_for_signature
        Agreement.objects.filter(pk=cast.agreement.pk).update(status=Status.CONSULTATION)

        response = sign_in(client, cast.lead_signatory).post(sign_url(cast), {
            "version": cast.version.pk, "declaration": "on", "typed_name": "Jo Example",
        })

        content = response.content.decode()
        assert "This agreement has not been sent for signature yet." in content
        assert "<form method=\"post\" novalidate>" not in content
        assert Signature.objects.filter(party=cast.partner_party).exists() is False

    def test_a_signature_on_an_older_version_needs_re_signing_with_a_link_to_what_changed(
        self, client, sign_in, out_for_signature,
    ):
        cast = out_for_signature
        signature_record_paper(party=cast.partner_party, version=cast.version, signatory_name="Jo Example")
        cast.agreement.refresh_from_db()
        second = new_version(cast.agreement)

        response = sign_in(client, cast.lead_signatory).get(sign_url(cast))

        content = response.content.decode()
        assert "Needs re-signing: Borsetshire Police signed version 1.0" in content
        diff = reverse("agreements:version_diff", kwargs={"pk": cast.agreement.pk, "number": second.number})
        assert f'href="{diff}?from=1"' in content


class TestPaperSignaturePage:
    def post(self, client, cast, **overrides):
        data = {
            "signatory_name": "Jo Example", "signatory_role": "Chief Constable",
            "signed_on-day": "3", "signed_on-month": "2", "signed_on-year": "2026",
            "version": cast.version.pk, "scan": SimpleUploadedFile("form.pdf", PDF), **overrides,
        }
        return client.post(paper_url(cast), {k: v for k, v in data.items() if v is not None})

    def test_offers_the_named_lead_signatory_and_the_latest_version(self, client, sign_in, out_for_signature):
        cast = out_for_signature
        contact = ContactFactory(organisation=cast.partner, name="Jo Example", job_title="Chief Constable")
        party_contact_add(party=cast.partner_party, contact=contact, role=ContactRole.LEAD_SIGNATORY)

        content = sign_in(client, cast.governance_manager).get(paper_url(cast)).content.decode()

        assert 'value="Jo Example"' in content
        assert 'value="Chief Constable"' in content
        assert f'value="{cast.version.pk}" checked' in content
        assert 'enctype="multipart/form-data"' in content

    def test_records_the_form_with_its_scan(self, client, sign_in, out_for_signature):
        cast = out_for_signature
        sign_in(client, cast.governance_manager)

        response = self.post(client, cast)

        assert response.status_code == 302
        assert response["Location"] == reverse("agreements:signatures", kwargs={"pk": cast.agreement.pk})
        signature = cast.partner_party.signatures.get()
        assert (signature.signatory_name, signature.signed_on, signature.recorded_by) == (
            "Jo Example", datetime.date(2026, 2, 3), cast.governance_manager,
        )
        assert signature.scan.name.endswith(".pdf")

    def test_the_signatures_page_names_who_signed_the_form(self, client, sign_in, out_for_signature):
        """The party named no lead signatory: the page said "Not named yet" beside "Signed" and
        named nobody (found trying a MARAC protocol through the pages)."""
        cast = out_for_signature
        sign_in(client, cast.governance_manager)
        self.post(client, cast)

        page = client.get(reverse("agreements:signatures", kwargs={"pk": cast.agreement.pk})).content.decode()

        assert "Signed by Jo Example, Chief Constable" in page

    def test_a_text_file_named_pdf_is_refused_with_a_govuk_error(self, client, sign_in, out_for_signature):
        cast = out_for_signature
        sign_in(client, cast.governance_manager)

        response = self.post(client, cast, scan=SimpleUploadedFile("form.pdf", b"not really a pdf"))

        assert '<a href="#id_scan">The selected file must be a PDF, PNG or JPEG</a>' in error_summary(response)
        assert Signature.objects.filter(party=cast.partner_party).exists() is False

    def test_a_chosen_file_is_asked_for_again_when_something_else_is_wrong(self, client, sign_in, out_for_signature):
        # The Safe and Well trial (P21): the page came back with the file input silently empty.
        cast = out_for_signature
        sign_in(client, cast.governance_manager)
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)

        response = self.post(client, cast, **{"signed_on-day": str(tomorrow.day), "signed_on-month": str(
            tomorrow.month), "signed_on-year": str(tomorrow.year)})

        summary = error_summary(response)
        assert "The date the form was signed must be today or in the past" in summary
        assert ('<a href="#id_scan">Select the scanned signature form again: a file is not kept when something '
                "else on the page needs correcting</a>") in summary
        assert Signature.objects.filter(party=cast.partner_party).exists() is False

    def test_no_file_chosen_is_not_asked_for_again(self, client, sign_in, out_for_signature):
        cast = out_for_signature
        sign_in(client, cast.governance_manager)

        response = self.post(client, cast, scan=None, signatory_name="")

        assert "Select the scanned signature form" in error_summary(response)
        assert "again" not in error_summary(response)

    def test_an_oversized_file_is_refused(self, client, sign_in, out_for_signature, settings):
        settings.SIGNATURE_SCAN_MAX_BYTES = 1024 * 1024
        cast = out_for_signature
        sign_in(client, cast.governance_manager)

        response = self.post(client, cast, scan=SimpleUploadedFile("form.pdf", PDF + b"0" * 1024 * 1024))

        assert "The selected file must be smaller than 1MB" in error_summary(response)
        assert Signature.objects.filter(party=cast.partner_party).exists() is False

    def test_missing_answers_get_govuk_messages(self, client, sign_in, out_for_signature):
        cast = out_for_signature
        sign_in(client, cast.governance_manager)

        response = self.post(client, cast, signatory_name="", signatory_role="", scan=None, version=None, **{
            "signed_on-day": "", "signed_on-month": "", "signed_on-year": "",
        })

        content = error_summary(response)
        for message in [
            "Enter the name of the person who signed the form", "Enter the role of the person who signed the form",
            "Enter the date the form was signed", "Select the version that was signed",
            "Select the scanned signature form",
        ]:
            assert message in content
        assert "This field is required." not in content
        assert Signature.objects.filter(party=cast.partner_party).exists() is False

    def test_a_date_in_the_future_is_refused(self, client, sign_in, out_for_signature):
        cast = out_for_signature
        sign_in(client, cast.governance_manager)
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)

        response = self.post(client, cast, **{
            "signed_on-day": str(tomorrow.day), "signed_on-month": str(tomorrow.month),
            "signed_on-year": str(tomorrow.year),
        })

        assert "The date the form was signed must be today or in the past" in error_summary(response)

    def test_a_draft_shows_why_nothing_can_be_recorded(self, client, sign_in, roles):
        draft_party = roles.draft.parties.get(organisation=roles.partner)
        url = reverse("agreements:party_paper_signature", kwargs={"pk": roles.draft.pk, "party_pk": draft_party.pk})

        response = sign_in(client, roles.governance_manager).post(url, {"signatory_name": "Jo Example"})

        assert "This agreement has not been sent for signature yet." in response.content.decode()
        assert draft_party.signatures.exists() is False


class TestScanDownload:
    @pytest.fixture
    def signature(self, out_for_signature):
        return signature_record_paper(
            party=out_for_signature.partner_party, version=out_for_signature.version,
            signatory_name="Jo Example", scan=SimpleUploadedFile("anything.pdf", PDF),
        )

    def url(self, signature):
        return reverse("agreements:signature_scan", kwargs={
            "pk": signature.party.agreement_id, "signature_pk": signature.pk,
        })

    def test_is_an_attachment_never_sniffed_or_cached(self, client, sign_in, out_for_signature, signature):
        response = sign_in(client, out_for_signature.governance_manager).get(self.url(signature))

        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            'attachment; filename="signature-form-borsetshire-police-version-1.0.pdf"'
        )
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Cache-Control"] == "no-store"
        assert b"".join(response.streaming_content) == PDF

    def test_a_signature_without_a_scan_is_not_found(self, client, sign_in, out_for_signature):
        signature = signature_record_paper(
            party=out_for_signature.partner_party, version=out_for_signature.version, signatory_name="Jo Example",
        )

        response = sign_in(client, out_for_signature.governance_manager).get(self.url(signature))

        assert response.status_code == 404

    def test_a_scan_missing_from_the_disk_is_not_found(self, client, sign_in, out_for_signature, signature):
        signature.scan.storage.delete(signature.scan.name)

        response = sign_in(client, out_for_signature.governance_manager).get(self.url(signature))

        assert response.status_code == 404


class TestSignaturesPage:
    def test_counts_and_chase_list_for_the_governance_manager(self, client, sign_in, out_for_signature):
        cast = out_for_signature
        signature_record_paper(party=cast.owner_party, version=cast.version, signatory_name="Kit Manager")

        content = sign_in(client, cast.governance_manager).get(
            reverse("agreements:signatures", kwargs={"pk": cast.agreement.pk}),
        ).content.decode()

        assert "1 of 2 signed" in content
        assert "Parties to chase" in content
        assert paper_url(cast) in content

    def test_others_see_the_counts_but_not_the_chase_list(self, client, sign_in, out_for_signature):
        cast = out_for_signature

        content = sign_in(client, cast.spoc).get(
            reverse("agreements:signatures", kwargs={"pk": cast.agreement.pk}),
        ).content.decode()

        assert "0 of 2 signed" in content
        assert "Parties to chase" not in content
        assert paper_url(cast) not in content


class TestVersionDiffPage:
    def test_marks_words_added_and_removed_for_every_reader(self, client, sign_in, out_for_signature):
        cast = out_for_signature
        signature_record_paper(party=cast.owner_party, version=cast.version, signatory_name="Kit Manager")
        cast.agreement.refresh_from_db()
        second = new_version(cast.agreement)

        response = sign_in(client, cast.spoc).get(
            reverse("agreements:version_diff", kwargs={"pk": cast.agreement.pk, "number": second.number}),
        )

        content = response.content.decode()
        assert "What changed in version 2.0" in content
        assert "Compared with version 1.0" in content
        assert '<ins class="app-diff__insert"><span class="govuk-visually-hidden">added: </span>' in content
        assert '<del class="app-diff__delete"><span class="govuk-visually-hidden">removed: </span>' in content

    def test_compares_with_the_version_asked_for(self, client, sign_in, out_for_signature):
        cast = out_for_signature
        signature_record_paper(party=cast.owner_party, version=cast.version, signatory_name="Kit Manager")
        cast.agreement.refresh_from_db()
        second = new_version(cast.agreement)
        url = reverse("agreements:version_diff", kwargs={"pk": cast.agreement.pk, "number": second.number})
        sign_in(client, cast.spoc)

        assert "Compared with version 1.0" in client.get(f"{url}?from=1").content.decode()
        assert client.get(f"{url}?from=2").status_code == 404
        assert client.get(f"{url}?from=first").status_code == 404

    def test_the_first_version_has_nothing_to_compare_with(self, client, sign_in, out_for_signature):
        cast = out_for_signature

        content = sign_in(client, cast.spoc).get(
            reverse("agreements:version_diff", kwargs={"pk": cast.agreement.pk, "number": 1}),
        ).content.decode()

        assert "Version 1.0 is the first version: there is nothing earlier to compare it with." in content


class TestHomePage:
    def test_the_lead_signatory_is_told_what_needs_re_signing(self, client, sign_in, out_for_signature):
        cast = out_for_signature
        signature_record_paper(party=cast.partner_party, version=cast.version, signatory_name="Jo Example")
        cast.agreement.refresh_from_db()
        second = new_version(cast.agreement)

        content = sign_in(client, cast.lead_signatory).get(reverse("home")).content.decode()

        assert "Needs re-signing" in content
        diff = reverse("agreements:version_diff", kwargs={"pk": cast.agreement.pk, "number": second.number})
        assert f'href="{diff}?from=1"' in content
        assert f'href="{sign_url(cast)}"' in content

    def test_a_governance_manager_is_offered_the_signatures_across_agreements(self, client, sign_in, roles):
        content = sign_in(client, roles.governance_manager).get(reverse("home")).content.decode()

        assert reverse("agreements:signature_overview") in content
