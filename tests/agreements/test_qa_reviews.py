"""QA review before coming into force (agreements/models/qa_reviews.py, services/qa_reviews.py,
selectors/qa_reviews.py; decision 0064): the checklist seeded by the migration, the findings per
point, the outcome bound to the version's hash, the gate on every move into force, the notice
back to the drafter, and the outcome in the PDF's document control (read back with pdftotext)."""

import datetime
import importlib
import shutil
import subprocess

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from agreements.models import DocumentLanguage, QaCheckpoint, QaFinding, QaOutcome, QaResult, QaReview, QaSource, Status
from agreements.pdf import agreement_pdf
from agreements.selectors.browse import agreement_history
from agreements.selectors.qa_reviews import qa_problems, qa_review_counting
from agreements.services import (
    agreement_status_move,
    agreement_substance_changed,
    agreement_version_create,
    signature_record_paper,
)
from agreements.services.lifecycle import MoveRefused, agreement_move, move_problems
from agreements.services.qa_reviews import qa_requirement_set, qa_review_record
from partners.models import Notification, Role
from tests.db import violates
from tests.factories import (
    AgreementFactory,
    ContactFactory,
    LegalGatewayFactory,
    MembershipFactory,
    PartyFactory,
    PurposeFactory,
    SectionFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

PDFTOTEXT = shutil.which("pdftotext") or "/usr/bin/pdftotext"
DAY = datetime.date(2026, 3, 2)
NOT_PASSED = "Cannot come into force: the QA review by Borsetshire WASPI QA group has not passed version 1.0."


def load_checklist():
    """The test databases are built from the models (--no-migrations): load the checklist the
    migration loads, with the migration's own function."""
    importlib.import_module("agreements.migrations.0022_qa_checklist").load(apps, None)


@pytest.fixture(autouse=True)
def checklist():
    load_checklist()


def all_met(changes=None):
    findings = {p.pk: (QaResult.MET, "") for p in QaCheckpoint.objects.filter(active=True)}
    findings.update(changes or {})
    return findings


class Scene:
    pass


@pytest.fixture
def s():
    """Borsetshire's agreement, signed by both parties, with QA required by a WASPI group."""
    agreement = AgreementFactory(title="Borsetshire Youth Offending Protocol", status=Status.DRAFT)
    PartyFactory(agreement=agreement, organisation=agreement.owner)
    PurposeFactory(agreement=agreement)
    SectionFactory(agreement=agreement)
    agreement.gateways.add(LegalGatewayFactory(art6=True))
    partner = PartyFactory(agreement=agreement)
    drafter = ContactFactory(organisation=agreement.owner, name="Robin Drafter")
    agreement.drawn_up_by.add(drafter)
    manager = UserFactory(first_name="Kit", last_name="Manager")
    MembershipFactory(user=manager, organisation=agreement.owner, role=Role.GOVERNANCE_MANAGER)
    reviewer = UserFactory(first_name="Quinn", last_name="Assurer", email="quinn@example.gov.uk")
    agreement_move(agreement=agreement, to=Status.AWAITING_SIGNATURES, by_user=None, on=DAY)
    version = agreement.versions.get()
    for party in (agreement.parties.get(organisation=agreement.owner), partner):
        signature_record_paper(party=party, version=version, signatory_name="Morgan Tate")
    qa_requirement_set(agreement=agreement, required=True, by_user=manager,
                       group_name="Borsetshire WASPI QA group", reviewers=[reviewer])
    agreement.refresh_from_db()
    x = Scene()
    x.agreement, x.version, x.manager, x.reviewer, x.drafter = agreement, version, manager, reviewer, drafter
    return x


def test_the_migration_seeds_the_ico_and_waspi_checklist():
    texts = list(QaCheckpoint.objects.values_list("source", "text"))
    ico = " ".join(t for source, t in texts if source == QaSource.ICO)
    for word in ("Purpose", "Parties", "Data items", "Lawful basis", "Retention", "Security", "rights", "Review"):
        assert word in ico
    assert any(source == QaSource.WASPI for source, _ in texts)


def test_without_a_pass_the_agreement_does_not_come_into_force(s):
    assert move_problems(s.agreement, Status.IN_FORCE) == [NOT_PASSED]
    with pytest.raises(MoveRefused) as excinfo:
        agreement_move(agreement=s.agreement, to=Status.IN_FORCE, by_user=None, on=DAY)
    assert excinfo.value.problems == [NOT_PASSED]
    s.agreement.refresh_from_db()
    assert s.agreement.status == Status.AWAITING_SIGNATURES


def test_a_pass_bound_to_the_version_lets_it_come_into_force(s):
    review = qa_review_record(agreement=s.agreement, version=s.version, user=s.reviewer,
                              outcome=QaOutcome.PASSED, findings=all_met())

    assert review.content_hash == s.version.content_hash
    assert review.findings.count() == QaCheckpoint.objects.filter(active=True).count()
    agreement_move(agreement=s.agreement, to=Status.IN_FORCE, by_user=None, on=DAY)
    s.agreement.refresh_from_db()
    assert s.agreement.status == Status.IN_FORCE


def test_changes_needed_goes_back_to_the_drafter_and_keeps_the_gate_shut(s):
    point = QaCheckpoint.objects.filter(active=True).first()
    qa_review_record(
        agreement=s.agreement, version=s.version, user=s.reviewer, outcome=QaOutcome.CHANGES_NEEDED,
        findings=all_met({point.pk: (QaResult.NOT_MET, "No retention period stated")}),
        comments="Add the retention period.",
    )

    told = Notification.objects.filter(recipient=s.drafter).get()
    assert "asks for changes" in told.subject
    assert "No retention period stated" in told.body and "Add the retention period." in told.body
    assert move_problems(s.agreement, Status.IN_FORCE) == [NOT_PASSED]


def test_a_pass_of_other_text_does_not_count(s):
    qa_review_record(agreement=s.agreement, version=s.version, user=s.reviewer,
                     outcome=QaOutcome.PASSED, findings=all_met())
    s.version.content_hash = "0" * 64  # the version re-frozen with other text
    s.version.save(update_fields=["content_hash"])

    assert qa_review_counting(s.agreement) is None
    assert qa_problems(s.agreement) == ["the QA review by Borsetshire WASPI QA group has not passed version 1.0"]


def test_back_from_review_is_gated_too(s):
    qa_review_record(agreement=s.agreement, version=s.version, user=s.reviewer,
                     outcome=QaOutcome.PASSED, findings=all_met())
    agreement_move(agreement=s.agreement, to=Status.IN_FORCE, by_user=None, on=DAY)
    agreement_move(agreement=s.agreement, to=Status.UNDER_REVIEW, by_user=None, on=DAY)
    qa_review_record(agreement=s.agreement, version=s.version, user=s.reviewer, outcome=QaOutcome.CHANGES_NEEDED,
                     findings=all_met(), comments="The review found the contacts out of date.")

    with pytest.raises(MoveRefused) as excinfo:
        agreement_move(agreement=s.agreement, to=Status.IN_FORCE, by_user=None, on=DAY)
    assert excinfo.value.problems == [NOT_PASSED]


@pytest.mark.parametrize(("outcome", "changes", "comments", "field"), [
    (QaOutcome.PASSED, {"missing": True}, "", "point_{pk}"),
    (QaOutcome.PASSED, {"not_met": ""}, "", "point_{pk}_comment"),
    (QaOutcome.PASSED, {"not_met": "No retention"}, "", "outcome"),
    (QaOutcome.CHANGES_NEEDED, {}, "", "comments"),
    ("bogus", {}, "", "outcome"),
])
def test_bad_findings_are_refused_and_nothing_is_saved(s, outcome, changes, comments, field):
    point = QaCheckpoint.objects.filter(active=True).first()
    findings = all_met()
    if changes.get("missing"):
        del findings[point.pk]
    if "not_met" in changes:
        findings[point.pk] = (QaResult.NOT_MET, changes["not_met"])

    with pytest.raises(ValidationError) as excinfo:
        qa_review_record(agreement=s.agreement, version=s.version, user=s.reviewer, outcome=outcome,
                         findings=findings, comments=comments)
    assert field.format(pk=point.pk) in excinfo.value.message_dict
    assert not QaReview.objects.exists()


def test_only_a_named_reviewer_may_review(s):
    with pytest.raises(ValidationError, match="named QA reviewers"):
        qa_review_record(agreement=s.agreement, version=s.version, user=s.manager,
                         outcome=QaOutcome.PASSED, findings=all_met())


def test_only_a_manager_may_ask_for_qa(s):
    with pytest.raises(ValidationError, match="governance managers"):
        qa_requirement_set(agreement=s.agreement, required=False, by_user=s.reviewer)


def test_a_review_is_never_changed_or_deleted(s):
    review = qa_review_record(agreement=s.agreement, version=s.version, user=s.reviewer,
                              outcome=QaOutcome.PASSED, findings=all_met())
    with pytest.raises(ValueError):
        review.save()
    with pytest.raises(ValueError):
        review.delete()
    assert review.history.count() == 1


def pdf_text(s, tmp_path) -> str:
    path = tmp_path / "isa.pdf"
    path.write_bytes(agreement_pdf(s.agreement, s.version))
    result = subprocess.run([PDFTOTEXT, "-enc", "UTF-8", str(path), "-"],  # noqa: S603 (fixed arguments)
                            check=True, capture_output=True)
    return " ".join(result.stdout.decode("utf-8").split())


def test_the_qa_outcome_is_in_the_pdfs_document_control(s, tmp_path):
    qa_review_record(agreement=s.agreement, version=s.version, user=s.reviewer,
                     outcome=QaOutcome.PASSED, findings=all_met())
    text = pdf_text(s, tmp_path)
    control = text[text.index("Document control"):text.index("Version history")]
    assert "Quality assurance" in control
    assert "Passed: Quinn Assurer (Borsetshire WASPI QA group)" in control
    assert s.version.content_hash[:16] in control.replace(" ", "")


def test_a_pdf_of_an_unreviewed_version_says_so(s, tmp_path):
    text = pdf_text(s, tmp_path)
    assert "Quality assurance Not yet reviewed" in text


def test_the_database_refuses_changes_needed_without_comments(s):
    with violates(QaReview, "qa_review_changes_needed_has_comments"):
        QaReview.objects.create(
            agreement=s.agreement, version=s.version, content_hash=s.version.content_hash,
            outcome=QaOutcome.CHANGES_NEEDED, comments="", reviewed_by=s.reviewer, reviewer_name="Quinn Assurer",
            reviewed_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
        )


def test_the_database_refuses_two_findings_on_one_point(s):
    review = qa_review_record(agreement=s.agreement, version=s.version, user=s.reviewer,
                              outcome=QaOutcome.PASSED, findings=all_met())
    point = review.findings.first().checkpoint
    with violates(QaFinding, "qa_finding_once_per_point"):
        QaFinding.objects.create(review=review, checkpoint=point, checkpoint_text=point.text, result=QaResult.MET)


def test_a_new_version_asks_the_reviewers_again_and_the_gate_waits_for_it(s):
    """Decision 0064, amended: a pass of 1.0 does not count for 2.0, and the reviewers are asked."""
    ContactFactory(organisation=s.agreement.owner, user=s.reviewer, name="Quinn Assurer")
    qa_review_record(agreement=s.agreement, version=s.version, user=s.reviewer,
                     outcome=QaOutcome.PASSED, findings=all_met())
    Notification.objects.all().delete()
    section = s.agreement.sections.get()
    section.body = "A substantive change."
    section.save()

    version = agreement_substance_changed(agreement=s.agreement, by_user=s.manager, summary="Section 1 rewritten.")

    assert version.label == "2.0"
    asked = Notification.objects.get(recipient__name="Quinn Assurer")
    assert asked.subject.startswith("QA review needed: ")
    assert "Please review version 2.0 against the checklist" in asked.body
    assert asked.url.endswith(f"/agreements/{s.agreement.pk}/qa-review/")
    assert NOT_PASSED.replace("1.0", "2.0") in move_problems(s.agreement, Status.IN_FORCE)


def test_going_for_signature_asks_the_reviewers_to_review_version_one(s):
    draft = AgreementFactory(title="Borsetshire Hate Crime ISA", owner=s.agreement.owner, status=Status.DRAFT)
    PartyFactory(agreement=draft, organisation=draft.owner)
    PartyFactory(agreement=draft)
    PurposeFactory(agreement=draft)
    SectionFactory(agreement=draft)
    draft.gateways.add(LegalGatewayFactory(art6=True))
    ContactFactory(organisation=draft.owner, user=s.reviewer, name="Quinn Assurer")
    qa_requirement_set(agreement=draft, required=True, by_user=s.manager, reviewers=[s.reviewer])
    first = Notification.objects.get(recipient__name="Quinn Assurer")
    assert "Please review the agreement once it has a version" in first.body
    draft.refresh_from_db()

    agreement_status_move(agreement=draft, to=Status.AWAITING_SIGNATURES, by_user=s.manager)

    asked = Notification.objects.filter(recipient__name="Quinn Assurer").order_by("-pk").first()
    assert "Please review version 1.0 against the checklist" in asked.body


def test_reviewers_are_not_asked_when_qa_is_not_required(s):
    ContactFactory(organisation=s.agreement.owner, user=s.reviewer, name="Quinn Assurer")
    qa_requirement_set(agreement=s.agreement, required=False, by_user=s.manager)
    s.agreement.refresh_from_db()
    Notification.objects.all().delete()
    section = s.agreement.sections.get()
    section.body = "A substantive change."
    section.save()

    agreement_substance_changed(agreement=s.agreement, by_user=s.manager, summary="Section 1 rewritten.")

    assert not Notification.objects.filter(recipient__name="Quinn Assurer").exists()


def test_changes_to_the_reviewers_are_kept_in_the_agreements_history_with_who(s):
    """Decision 0064, amended: the list of QA reviewers is part of the agreement's audit trail."""
    other = UserFactory(first_name="Rowan", last_name="Checker")

    qa_requirement_set(agreement=s.agreement, required=True, by_user=s.manager,
                       group_name="Borsetshire WASPI QA group", reviewers=[other])

    latest = s.agreement.history.order_by("-history_date", "-history_id").first()
    assert latest.history_user == s.manager
    assert [row.user_id for row in latest.qa_reviewers.all()] == [other.pk]
    change = agreement_history(s.agreement)[0]
    assert [str(c) for c in change.changes] == ["QA reviewers changed from Quinn Assurer to Rowan Checker"]
    assert change.who == "Kit Manager"


def test_a_pass_of_text_changed_before_anyone_signed_asks_the_reviewers_again(s):
    draft = AgreementFactory(title="Borsetshire Hate Crime ISA", owner=s.agreement.owner, status=Status.DRAFT)
    PartyFactory(agreement=draft, organisation=draft.owner)
    PartyFactory(agreement=draft)
    PurposeFactory(agreement=draft)
    SectionFactory(agreement=draft)
    draft.gateways.add(LegalGatewayFactory(art6=True))
    ContactFactory(organisation=draft.owner, user=s.reviewer, name="Quinn Assurer")
    qa_requirement_set(agreement=draft, required=True, by_user=s.manager, reviewers=[s.reviewer])
    draft.refresh_from_db()
    agreement_status_move(agreement=draft, to=Status.AWAITING_SIGNATURES, by_user=s.manager)
    version = draft.versions.get()
    qa_review_record(agreement=draft, version=version, user=s.reviewer, outcome=QaOutcome.PASSED, findings=all_met())
    Notification.objects.all().delete()
    section = draft.sections.get()
    section.body = "A change before anyone signed."
    section.save()

    agreement_substance_changed(agreement=draft, by_user=s.manager, summary="Section rewritten.")

    asked = Notification.objects.get(recipient__name="Quinn Assurer")
    assert "The text of version 1.0 has changed since it was reviewed" in asked.body
    assert qa_problems(draft) == ["the QA review has not passed version 1.0"]


def test_a_welsh_agreements_pdf_gives_the_qa_outcome_in_welsh(tmp_path):
    """Decision 0064, amended: the outcome's label is translated, so the document control of an
    agreement written in Welsh (decision 0058) no longer prints "Passed" in English."""
    agreement = AgreementFactory(title="Cytundeb rhannu gwybodaeth", language=DocumentLanguage.WELSH, qa_required=True)
    PartyFactory(agreement=agreement, organisation=agreement.owner)
    version = agreement_version_create(agreement=agreement, label="1.0")
    QaReview.objects.create(
        agreement=agreement, version=version, content_hash=version.content_hash, outcome=QaOutcome.PASSED,
        reviewed_by=UserFactory(), reviewer_name="Quinn Assurer",
        reviewed_at=datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC),
    )
    path = tmp_path / "cytundeb.pdf"
    path.write_bytes(agreement_pdf(agreement, version))
    text = " ".join(subprocess.run([PDFTOTEXT, "-enc", "UTF-8", str(path), "-"],  # noqa: S603 (fixed arguments)
                                   check=True, capture_output=True).stdout.decode("utf-8").split())

    assert "Wedi pasio: Quinn Assurer" in text
    assert "Passed" not in text
