"""DPO review pages (agreements/views/dpo_reviews.py and the signing pages it touches; decision
0062): the review page, the refusal in the GOV.UK error summary when signing before the review,
the owner's switch and each party's stage on the signatures page. Who may reach them is
tests/test_permission_matrix.py's business."""

import csv
import html
import io

import pytest
from django.urls import reverse

from agreements.models import Agreement, DpoReview, DpoReviewOutcome, Party, PartyStatus, Signature, Status
from agreements.services import agreement_version_create
from agreements.services.dpo_reviews import dpo_review_record
from isa_portal.due import due_for
from partners.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def out_for_signature(roles):
    """The cast's agreement back out for signature, version 1.0, DPO review on; the partner has
    not signed and has a governance manager, Alex Guardian, acting as its DPO."""
    Agreement.objects.filter(pk=roles.agreement.pk).update(status=Status.AWAITING_SIGNATURES, dpo_review_required=True)
    Party.objects.filter(pk=roles.partner_party.pk).update(status=PartyStatus.INVITED, joined_on=None)
    roles.agreement.refresh_from_db()
    roles.partner_party.refresh_from_db()
    roles.version = agreement_version_create(agreement=roles.agreement, label="1.0")
    roles.lead_signatory.first_name, roles.lead_signatory.last_name = "Jo", "Example"
    roles.lead_signatory.save()
    roles.partner_dpo = roles.member(roles.partner, Role.GOVERNANCE_MANAGER)
    roles.partner_dpo.first_name, roles.partner_dpo.last_name = "Alex", "Guardian"
    roles.partner_dpo.save()
    return roles


def review_url(cast):
    return reverse("agreements:party_dpo_review", kwargs={"pk": cast.agreement.pk, "party_pk": cast.partner_party.pk})


def sign_url(cast):
    return reverse("agreements:party_sign", kwargs={"pk": cast.agreement.pk, "party_pk": cast.partner_party.pk})


def signatures_url(cast):
    return reverse("agreements:signatures", kwargs={"pk": cast.agreement.pk})


def error_summary(response) -> str:
    content = response.content.decode()
    assert 'class="govuk-error-summary"' in content, "no error summary on the page"
    return content


class TestReviewPage:
    def test_shows_the_version_its_hash_and_its_text(self, client, sign_in, out_for_signature):
        cast = out_for_signature

        content = sign_in(client, cast.partner_dpo).get(review_url(cast)).content.decode()

        assert "Review version 1.0 as data protection officer" in content
        assert cast.version.content_hash in content
        assert "Awaiting DPO review" in content

    def test_content_to_sign_is_recorded_bound_to_the_hash(self, client, sign_in, out_for_signature):
        cast = out_for_signature

        response = sign_in(client, cast.partner_dpo).post(
            review_url(cast), {"version": cast.version.pk, "outcome": "content_to_sign", "comments": ""}, follow=True,
        )

        review = DpoReview.objects.get()
        assert (review.party, review.content_hash, review.reviewer_name) == (
            cast.partner_party, cast.version.content_hash, "Alex Guardian",
        )
        assert "Ready to sign" in response.content.decode()

    def test_changes_needed_without_comments_gets_the_error_summary(self, client, sign_in, out_for_signature):
        cast = out_for_signature

        response = sign_in(client, cast.partner_dpo).post(
            review_url(cast), {"version": cast.version.pk, "outcome": "changes_needed", "comments": ""},
        )

        assert response.status_code == 200
        assert "Enter the changes needed" in error_summary(response)
        assert not DpoReview.objects.exists()

    @pytest.mark.parametrize("data", [
        {}, {"version": "x", "outcome": "maybe"}, {"version": "999999", "outcome": "content_to_sign"},
    ])
    def test_bad_posts_get_the_error_summary(self, client, sign_in, out_for_signature, data):
        cast = out_for_signature

        response = sign_in(client, cast.partner_dpo).post(review_url(cast), data)

        assert response.status_code == 200
        error_summary(response)
        assert not DpoReview.objects.exists()

    def test_says_so_when_the_step_is_off(self, client, sign_in, out_for_signature):
        cast = out_for_signature
        Agreement.objects.filter(pk=cast.agreement.pk).update(dpo_review_required=False)

        response = sign_in(client, cast.partner_dpo).post(
            review_url(cast), {"version": cast.version.pk, "outcome": "content_to_sign"},
        )

        assert "does not ask for a DPO review" in response.content.decode()
        assert not DpoReview.objects.exists()


class TestSigningPage:
    def test_says_the_dpo_review_is_awaited_and_offers_no_form(self, client, sign_in, out_for_signature):
        cast = out_for_signature

        content = sign_in(client, cast.lead_signatory).get(sign_url(cast)).content.decode()

        assert "The DPO review is awaited" in content
        assert 'name="typed_name"' not in content

    def test_a_post_is_refused_in_the_error_summary(self, client, sign_in, out_for_signature):
        cast = out_for_signature

        response = sign_in(client, cast.lead_signatory).post(
            sign_url(cast), {"version": cast.version.pk, "declaration": "on", "typed_name": "Jo Example",
                             "job_title": "Chief Constable"},
        )

        assert "The DPO review is awaited" in error_summary(response)
        assert not Signature.objects.filter(party=cast.partner_party).exists()

    def test_signs_once_the_dpo_is_content(self, client, sign_in, out_for_signature):
        cast = out_for_signature
        sign_in(client, cast.partner_dpo).post(
            review_url(cast), {"version": cast.version.pk, "outcome": "content_to_sign"},
        )

        sign_in(client, cast.lead_signatory).post(
            sign_url(cast), {"version": cast.version.pk, "declaration": "on", "typed_name": "Jo Example",
                             "job_title": "Chief Constable"},
        )

        assert Signature.objects.filter(party=cast.partner_party, version=cast.version).exists()


class TestSignaturesPage:
    def test_the_owner_sees_each_partys_stage(self, client, sign_in, out_for_signature):
        cast = out_for_signature
        sign_in(client, cast.partner_dpo).post(
            review_url(cast), {"version": cast.version.pk, "outcome": "changes_needed", "comments": "Name the period."},
        )

        content = sign_in(client, cast.governance_manager).get(signatures_url(cast)).content.decode()

        assert "DPO review of version 1.0" in content
        assert "Changes needed" in content and "Name the period." in content
        assert "Awaiting DPO review" in content  # the owner's own party

    def test_the_partys_dpo_finds_the_link_to_review(self, client, sign_in, out_for_signature):
        cast = out_for_signature

        content = sign_in(client, cast.partner_dpo).get(signatures_url(cast)).content.decode()

        assert review_url(cast) in content

    def test_the_owner_turns_the_step_off_and_on(self, client, sign_in, out_for_signature):
        cast = out_for_signature
        url = reverse("agreements:dpo_review_requirement", kwargs={"pk": cast.agreement.pk})
        client = sign_in(client, cast.governance_manager)

        client.post(url, {"required": "no"})
        cast.agreement.refresh_from_db()
        assert not cast.agreement.dpo_review_required
        assert "DPO review of version" not in client.get(signatures_url(cast)).content.decode()

        client.post(url, {"required": "yes"})
        cast.agreement.refresh_from_db()
        assert cast.agreement.dpo_review_required


class TestTheStageElsewhere:
    """Decision 0062, amended: the home page, "What's due" and the signatures export honour the
    DPO stage. A lead signatory is not told to sign before the DPO is content with the version;
    the DPO is told to review instead."""

    def test_home_offers_no_read_and_sign_link_before_the_dpo_is_content(self, client, sign_in, out_for_signature):
        cast = out_for_signature
        signatory = sign_in(client, cast.lead_signatory)

        content = signatory.get(reverse("home")).content.decode()

        assert "Waiting for your signature" in content
        assert sign_url(cast) not in content
        assert "awaiting the DPO review of version 1.0" in content
        review(cast)
        assert sign_url(cast) in signatory.get(reverse("home")).content.decode()

    def test_whats_due_asks_the_dpo_to_review_not_the_signatory_to_sign(self, out_for_signature):
        cast = out_for_signature

        assert not [i for i in due_items(cast.lead_signatory) if i.key == f"sign-{cast.partner_party.pk}"]
        asked = [i for i in due_items(cast.partner_dpo) if i.key == f"dpo-review-{cast.partner_party.pk}"]
        assert [(i.what, i.url) for i in asked] == [(
            f"Review version 1.0 of {cast.agreement.reference} as DPO for Borsetshire Police", review_url(cast),
        )]
        review(cast)
        assert [i.url for i in due_items(cast.lead_signatory) if i.key == f"sign-{cast.partner_party.pk}"] == [
            sign_url(cast)]
        assert not [i for i in due_items(cast.partner_dpo) if i.key.startswith("dpo-review-")]

    def test_whats_due_does_not_ask_for_a_review_when_the_step_is_off(self, out_for_signature):
        cast = out_for_signature
        Agreement.objects.filter(pk=cast.agreement.pk).update(dpo_review_required=False)

        assert [i for i in due_items(cast.lead_signatory) if i.key == f"sign-{cast.partner_party.pk}"]
        assert not [i for i in due_items(cast.partner_dpo) if i.key.startswith("dpo-review-")]

    def test_whats_due_asks_the_owner_to_chase_the_dpo_review_not_the_signature(self, out_for_signature):
        """Issue 17: the owner was told "Chase … to sign" for a party whose lead signatory cannot
        sign yet. Until the party's DPO is content, the owner chases the DPO's review."""
        cast = out_for_signature
        party = cast.partner_party

        items = {i.key: i for i in due_items(cast.governance_manager)}

        assert f"signature-{party.pk}" not in items
        chase = items[f"dpo-review-{party.pk}"]
        assert (chase.kind, chase.what, chase.url) == (
            "DPO review", "Chase Borsetshire Police's DPO review of version 1.0", signatures_url(cast))
        assert chase.about.startswith(f"{cast.agreement.reference}: its lead signatory cannot sign until then")
        review(cast)
        items = {i.key: i for i in due_items(cast.governance_manager)}
        assert items[f"signature-{party.pk}"].what == "Chase Borsetshire Police to sign"
        assert f"dpo-review-{party.pk}" not in items

    def test_whats_due_asks_the_owner_to_answer_a_dpo_who_found_changes_needed(self, out_for_signature):
        cast = out_for_signature
        dpo_review_record(party=cast.partner_party, version=cast.version, user=cast.partner_dpo,
                          outcome=DpoReviewOutcome.CHANGES_NEEDED, comments="Clause 4 is too wide.")

        items = {i.key: i for i in due_items(cast.governance_manager)}

        assert f"signature-{cast.partner_party.pk}" not in items
        assert items[f"dpo-review-{cast.partner_party.pk}"].what == (
            "Answer Borsetshire Police's DPO, who found that version 1.0 needs changes")

    def test_whats_due_still_chases_the_signature_when_the_step_is_off(self, out_for_signature):
        cast = out_for_signature
        Agreement.objects.filter(pk=cast.agreement.pk).update(dpo_review_required=False)

        items = {i.key: i for i in due_items(cast.governance_manager)}

        assert items[f"signature-{cast.partner_party.pk}"].what == "Chase Borsetshire Police to sign"
        assert not [key for key in items if key.startswith("dpo-review-")]

    def test_the_owners_manager_who_is_its_own_dpo_is_asked_to_review_not_to_chase(self, out_for_signature):
        cast = out_for_signature
        owner_party = cast.agreement.parties.get(organisation=cast.owner)

        items = [i for i in due_items(cast.governance_manager) if i.key == f"dpo-review-{owner_party.pk}"]

        assert [i.what for i in items] == [
            f"Review version 1.0 of {cast.agreement.reference} as DPO for {cast.owner}"]

    def test_the_signatures_export_carries_each_partys_dpo_stage(self, client, sign_in, out_for_signature):
        cast = out_for_signature
        review(cast)
        url = reverse("agreements:signatures_export", kwargs={"pk": cast.agreement.pk})

        rows = list(csv.reader(io.StringIO(b"".join(
            sign_in(client, cast.governance_manager).get(url).streaming_content).decode("utf-8-sig"))))

        assert rows[0][-3:] == ["DPO review of version 1.0", "DPO reviewed by", "DPO reviewed on"]
        police = next(row for row in rows if row[0] == "Borsetshire Police")
        assert police[-3:-1] == ["Ready to sign", "Alex Guardian"]
        council = next(row for row in rows if row[0] == "Borsetshire County Council")
        assert council[-3:] == ["Awaiting DPO review", "", ""]


def due_items(user):
    due = due_for(user)
    return due.overdue + due.coming_up


def review(cast):
    dpo_review_record(party=cast.partner_party, version=cast.version, user=cast.partner_dpo,
                      outcome=DpoReviewOutcome.CONTENT_TO_SIGN)


def test_the_dpo_review_page_reads_in_welsh(client, sign_in, out_for_signature):
    """Decision 0062, amended: the review page, its stage and its form are marked and translated."""
    cast = out_for_signature
    dpo = sign_in(client, cast.partner_dpo)
    dpo.post(reverse("language"), {"language": "cy", "next": "/"})

    content = html.unescape(dpo.get(review_url(cast)).content.decode())

    assert "Adolygu fersiwn 1.0 fel swyddog diogelu data" in content
    assert '<dd class="govuk-summary-list__value" id="dpo-stage">Yn aros am adolygiad y DPO</dd>' in content
    assert "Cofnodi eich adolygiad" in content


def test_the_owners_chase_of_a_dpo_review_reads_in_welsh(out_for_signature):
    from django.utils import translation

    cast = out_for_signature
    with translation.override("cy"):
        items = {i.key: i for i in due_items(cast.governance_manager)}

    assert items[f"dpo-review-{cast.partner_party.pk}"].what == (
        "Mynd ar ôl adolygiad DPO Borsetshire Police o fersiwn 1.0")
