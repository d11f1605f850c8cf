"""A draft's consultation (agreements/services/consultation.py, selectors/consultation.py): a
partner comments while the draft is out for consultation, the owner's people are told, and the
owner's answer is kept with who gave it and when. The MARAC trial of 7 December (P10): the status
page said "Partners can read the draft and comment", and there was nowhere to comment."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements.models import Agreement, ConsultationComment, Status
from agreements.permissions import can_comment, can_read_consultation
from agreements.selectors.consultation import consultation_comments
from agreements.services.consultation import consultation_comment_add, consultation_comment_answer
from partners.models import Notification, Role
from tests.db import violates
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def consulting(roles):
    """The cast's draft, out for consultation; the owner's governance manager and the partner's
    SPOC in the directory, so they can be told."""
    Agreement.objects.filter(pk=roles.draft.pk).update(status=Status.CONSULTATION)
    roles.draft.refresh_from_db()
    roles.owner_contact = ContactFactory(organisation=roles.owner, user=roles.governance_manager, name="Gita Manager")
    roles.spoc_contact = ContactFactory(organisation=roles.partner, user=roles.spoc, name="Sam Example")
    return roles


def test_a_partners_spoc_comments_for_its_organisation_and_the_owners_people_are_told(consulting):
    comment = consultation_comment_add(agreement=consulting.draft, by_user=consulting.spoc,
                                       text="  Section 4 should name the secure e-mail system.  ")

    assert (comment.organisation, comment.written_by, comment.text) == (
        consulting.partner, consulting.spoc, "Section 4 should name the secure e-mail system.")
    assert comment.answer == "" and comment.answered_at is None
    [told] = Notification.objects.filter(event_key=f"consultation-comment-{comment.pk}")
    assert told.recipient == consulting.owner_contact
    assert told.subject == f"A comment on the draft of {consulting.draft.title}"
    assert told.url == f"/agreements/{consulting.draft.pk}/consultation/"


def test_the_owners_manager_comments_for_the_owner(consulting):
    comment = consultation_comment_add(agreement=consulting.draft, by_user=consulting.governance_manager,
                                       text="We will add the retention period.")

    assert comment.organisation == consulting.owner
    # Nobody is told of their own comment.
    assert not Notification.objects.filter(event_key=f"consultation-comment-{comment.pk}").exists()


@pytest.mark.parametrize("status", [Status.DRAFT, Status.AWAITING_SIGNATURES, Status.IN_FORCE])
def test_no_comment_outside_consultation(consulting, status):
    Agreement.objects.filter(pk=consulting.draft.pk).update(status=status, effective_date=timezone.localdate())

    with pytest.raises(ValidationError) as refused:
        consultation_comment_add(agreement=consulting.draft, by_user=consulting.spoc, text="Too late.")

    assert "only while the agreement is out for consultation" in refused.value.messages[0]
    assert not ConsultationComment.objects.exists()


def test_an_empty_comment_is_refused(consulting):
    with pytest.raises(ValidationError) as refused:
        consultation_comment_add(agreement=consulting.draft, by_user=consulting.spoc, text="   ")

    assert refused.value.message_dict == {"text": ["Enter your comment"]}


def test_the_answer_is_kept_once_and_the_person_who_commented_is_told(consulting):
    comment = consultation_comment_add(agreement=consulting.draft, by_user=consulting.spoc, text="Name the system.")

    answered = consultation_comment_answer(comment=comment, by_user=consulting.governance_manager,
                                           answer="Done: section 4 names it.")

    assert (answered.answer, answered.answered_by) == ("Done: section 4 names it.", consulting.governance_manager)
    assert answered.answered_at is not None
    [told] = Notification.objects.filter(event_key=f"consultation-answer-{comment.pk}")
    assert told.recipient == consulting.spoc_contact
    with pytest.raises(ValidationError, match="answered already"):
        consultation_comment_answer(comment=comment, by_user=consulting.governance_manager, answer="Again.")


def test_the_comments_are_read_oldest_first(consulting):
    first = consultation_comment_add(agreement=consulting.draft, by_user=consulting.spoc, text="First.")
    second = consultation_comment_add(agreement=consulting.draft, by_user=consulting.governance_manager, text="Then.")

    assert list(consultation_comments(consulting.draft)) == [first, second]


class TestWhoMay:
    @pytest.mark.parametrize(("subject", "reads"), [
        ("governance_manager", True), ("spoc", True), ("practitioner", False), ("auditor", False),
        ("lead_signatory", False), ("admin", False), ("unrelated", False),
    ])
    def test_managers_and_the_parties_governance_managers_and_spocs(self, consulting, subject, reads):
        user = consulting.subject(subject)

        assert can_read_consultation(user, consulting.draft) is reads
        assert can_comment(user, consulting.draft) is reads

    def test_a_party_that_declined_speaks_no_more(self, consulting):
        consulting.draft.parties.filter(organisation=consulting.partner).update(status="declined")

        assert can_read_consultation(consulting.spoc, consulting.draft) is False

    def test_nobody_comments_once_it_has_gone_for_signature(self, consulting):
        Agreement.objects.filter(pk=consulting.draft.pk).update(status=Status.AWAITING_SIGNATURES)
        consulting.draft.refresh_from_db()

        assert can_read_consultation(consulting.spoc, consulting.draft) is True
        assert can_comment(consulting.spoc, consulting.draft) is False

    def test_a_governance_manager_of_a_party_reads_it_too(self, consulting):
        police_gm = consulting.member(consulting.partner, Role.GOVERNANCE_MANAGER, username="police-gm")

        assert can_comment(police_gm, consulting.draft) is True


class TestConstraints:
    def test_a_comment_has_text(self, consulting):
        with violates(ConsultationComment, "consultation_comment_has_text"):
            ConsultationComment.objects.create(agreement=consulting.draft, organisation=consulting.partner,
                                               written_by=consulting.spoc, written_at=timezone.now(), text="")

    def test_an_answer_says_who_gave_it_and_when(self, consulting):
        with violates(ConsultationComment, "consultation_comment_answered_with_who_and_when"):
            ConsultationComment.objects.create(agreement=consulting.draft, organisation=consulting.partner,
                                               written_by=consulting.spoc, written_at=timezone.now(), text="Hi.",
                                               answer="Done.")
