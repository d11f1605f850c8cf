"""A draft's consultation pages (agreements/views/consultation.py): partners comment on the draft
out for consultation, the owner answers; every bad input is shown in the GOV.UK error summary and
loses nothing typed. Who may reach them: tests/matrix_rows.py."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from agreements.models import Agreement, ConsultationComment, Status
from agreements.services.consultation import consultation_comment_add
from tests.agreements.helpers import error_summary

pytestmark = pytest.mark.django_db


@pytest.fixture
def consulting(roles):
    Agreement.objects.filter(pk=roles.draft.pk).update(status=Status.CONSULTATION)
    roles.draft.refresh_from_db()
    return roles


def page(agreement) -> str:
    return reverse("agreements:consultation", args=[agreement.pk])


def test_a_partners_spoc_comments_and_reads_it_back(client, sign_in, consulting):
    spoc = sign_in(client, consulting.spoc)
    form = spoc.get(page(consulting.draft)).content.decode()
    assert "Nobody has commented yet." in form and "Send comment" in form

    response = spoc.post(page(consulting.draft), {"text": "Section 4 should name the secure e-mail system."},
                         follow=True)

    assert response.redirect_chain == [(page(consulting.draft), 302)]
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Your comment for Borsetshire Police is recorded. Borsetshire County Council's people who act for it "
        "have been told."]
    shown = response.content.decode()
    assert "Section 4 should name the secure e-mail system." in shown
    assert "Borsetshire Police" in shown and "Not answered yet" in shown


@pytest.mark.parametrize(("text", "message"), [
    ("", "Enter your comment"),
    ("x" * 3001, "Your comment must be 3,000 characters or fewer"),
])
def test_a_bad_comment_shows_the_error_summary_and_keeps_what_was_typed(client, sign_in, consulting, text, message):
    response = sign_in(client, consulting.spoc).post(page(consulting.draft), {"text": text})

    assert response.status_code == 200
    assert message in error_summary(response)
    assert text[:100] in response.content.decode()
    assert not ConsultationComment.objects.exists()


def test_the_owner_answers_a_comment_and_the_page_shows_it(client, sign_in, consulting):
    comment = consultation_comment_add(agreement=consulting.draft, by_user=consulting.spoc, text="Name the system.")
    answer = reverse("agreements:consultation_answer", args=[consulting.draft.pk, comment.pk])
    manager = sign_in(client, consulting.governance_manager)
    assert f'href="{answer}"' in manager.get(page(consulting.draft)).content.decode()

    empty = manager.post(answer, {"answer": ""})
    assert "Enter your answer" in error_summary(empty)

    response = manager.post(answer, {"answer": "Done: section 4 names it."})

    assert response["Location"] == page(consulting.draft)
    shown = manager.get(page(consulting.draft)).content.decode()
    assert "Done: section 4 names it." in shown
    assert f'href="{answer}"' not in shown
    again = manager.post(answer, {"answer": "Again."})
    assert "This comment was answered on" in again.content.decode()


def test_after_consultation_the_comments_stay_and_no_new_one_is_taken(client, sign_in, consulting):
    consultation_comment_add(agreement=consulting.draft, by_user=consulting.spoc, text="Name the system.")
    Agreement.objects.filter(pk=consulting.draft.pk).update(status=Status.AWAITING_SIGNATURES)

    shown = sign_in(client, consulting.spoc).get(page(consulting.draft)).content.decode()

    assert "Name the system." in shown
    assert "no new comments can be made" in shown and "Send comment" not in shown
    assert client.post(page(consulting.draft), {"text": "Late."}).status_code == 403


@pytest.mark.parametrize(("status", "link"), [
    (Status.CONSULTATION, "Comment on the draft, and read the comments made"),
    (Status.IN_FORCE, "Read the comments made during consultation, and their answers"),
])
def test_the_agreement_page_links_to_it(client, sign_in, roles, status, link):
    agreement = roles.draft if status == Status.CONSULTATION else roles.agreement
    Agreement.objects.filter(pk=agreement.pk).update(status=status)

    shown = sign_in(client, roles.spoc).get(reverse("agreements:detail", args=[agreement.pk])).content.decode()

    assert f'href="{page(agreement)}">{link}' in shown


def test_not_linked_for_those_who_may_not_read_it(client, sign_in, roles):
    shown = sign_in(client, roles.practitioner).get(reverse("agreements:detail", args=[roles.agreement.pk]))

    assert page(roles.agreement) not in shown.content.decode()
