"""DPIAs (issue 13, item 2; agreements/services/dpias.py, selectors/dpias.py): the screening and
the DPIA, each rule with its exact message and nothing saved; the gate on coming into force; a
DPIA due for review opening a review; the DPIA's history."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agreements.models import DataItem, Dpia, DpiaOutcome, Review, ReviewTrigger, ScreeningCriterion, Status
from agreements.selectors.dpias import dpia_problems
from agreements.services import agreement_record_in_force, dpia_record, reviews_due_create
from agreements.services.lifecycle import MoveRefused, agreement_move
from tests.agreements.test_lifecycle import DAY, agreement_in, make_ready, owner_party, sign
from tests.db import violates
from tests.factories import AgreementFactory, LegalGatewayFactory

pytestmark = pytest.mark.django_db

CHILDREN_AND_CRIME = [ScreeningCriterion.VULNERABLE_PEOPLE, ScreeningCriterion.CRIMINAL_OFFENCE]
ADVICE = "Proceed: minimise the fields shared and keep the log pseudonymous."


def complete(**changes) -> dict:
    """A needed DPIA, complete."""
    return {
        "screening": CHILDREN_AND_CRIME, "needed": True, "reference": "BCC-DPIA-2026-014",
        "completed_on": DAY - datetime.timedelta(days=30), "outcome": DpiaOutcome.ACCEPTABLE,
        "dpo_advice": ADVICE, "dpo_advice_followed": True, "review_on": DAY + datetime.timedelta(days=335),
        **changes,
    }


def refused(agreement, **kwargs) -> dict:
    """The problems ``dpia_record`` raises, having saved nothing."""
    before = list(Dpia.objects.filter(agreement=agreement).values())
    with pytest.raises(ValidationError) as excinfo:
        dpia_record(agreement=agreement, by_user=None, on=DAY, **kwargs)
    assert list(Dpia.objects.filter(agreement=agreement).values()) == before
    return excinfo.value.message_dict


@pytest.fixture
def agreement():
    return AgreementFactory(title="Borsetshire Youth Offending Protocol", dpia=False)


@pytest.fixture
def signed():
    """An agreement sent for signature and signed by its owner and a partner, not yet screened."""
    agreement = agreement_in(Status.DRAFT, dpia=False)
    partner = make_ready(agreement)
    agreement_move(agreement=agreement, to=Status.AWAITING_SIGNATURES, by_user=None, on=DAY)
    sign(agreement, owner_party(agreement), partner)
    return agreement


class TestComingIntoForce:
    def test_finding_an_agreement_with_no_dpia_screening_cannot_come_into_force(self, signed):
        with pytest.raises(MoveRefused) as excinfo:
            agreement_move(agreement=signed, to=Status.IN_FORCE, by_user=None, on=DAY)

        assert excinfo.value.problems == [
            "Cannot come into force: record whether it needs a DPIA (the DPIA screening)."
        ]
        signed.refresh_from_db()
        assert (signed.status, signed.effective_date) == (Status.AWAITING_SIGNATURES, None)

    def test_a_needed_dpia_that_is_missing_stops_it(self, signed):
        dpia_record(agreement=signed, by_user=None, screening=CHILDREN_AND_CRIME, needed=True, on=DAY)

        with pytest.raises(MoveRefused) as excinfo:
            agreement_move(agreement=signed, to=Status.IN_FORCE, by_user=None, on=DAY)

        assert excinfo.value.problems == [
            "Cannot come into force: it needs a DPIA and none is on record (record the DPIA's reference or "
            "upload it).",
            "Cannot come into force: record the outcome of its DPIA.",
            "Cannot come into force: record the DPO's advice on its DPIA and whether it was followed.",
        ]
        signed.refresh_from_db()
        assert signed.status == Status.AWAITING_SIGNATURES

    def test_a_dpia_that_found_a_risk_that_cannot_be_reduced_stops_it(self, signed):
        dpia_record(agreement=signed, by_user=None, on=DAY, **complete(outcome=DpiaOutcome.NOT_ACCEPTABLE))

        assert dpia_problems(signed) == [
            "its DPIA found a high risk that cannot be reduced, so the sharing must not go ahead"
        ]
        with pytest.raises(MoveRefused):
            agreement_move(agreement=signed, to=Status.IN_FORCE, by_user=None, on=DAY)

    def test_with_its_dpia_recorded_it_comes_into_force(self, signed):
        dpia_record(agreement=signed, by_user=None, on=DAY, **complete())

        agreement_move(agreement=signed, to=Status.IN_FORCE, by_user=None, on=DAY)

        signed.refresh_from_db()
        assert (signed.status, signed.effective_date) == (Status.IN_FORCE, DAY)

    def test_screened_as_not_needing_one_it_comes_into_force(self, signed):
        dpia_record(agreement=signed, by_user=None, on=DAY, screening=[], needed=False,
                    not_needed_reason="Aggregate figures only.")

        agreement_move(agreement=signed, to=Status.IN_FORCE, by_user=None, on=DAY)

        assert signed.status == Status.IN_FORCE


    def test_recording_an_existing_agreement_as_in_force_needs_the_screening_too(self, signed):
        since = timezone.localdate() - datetime.timedelta(days=1)

        with pytest.raises(ValidationError) as excinfo:
            agreement_record_in_force(agreement=signed, by_user=None, since=since)

        assert excinfo.value.messages == [
            "Cannot come into force: record whether it needs a DPIA (the DPIA screening)."
        ]
        signed.refresh_from_db()
        assert (signed.status, signed.effective_date) == (Status.AWAITING_SIGNATURES, None)

    def test_back_from_review_with_a_needed_dpia_missing_is_refused(self):
        # The review finding (issue 13): the DPIA gate ran only on the move from awaiting
        # signatures, so an agreement under review came back into force without its DPIA.
        agreement = agreement_in(Status.UNDER_REVIEW, dpia=False)
        agreement.gateways.add(LegalGatewayFactory(art6=True))
        dpia_record(agreement=agreement, by_user=None, screening=CHILDREN_AND_CRIME, needed=True, on=DAY)

        with pytest.raises(MoveRefused) as excinfo:
            agreement_move(agreement=agreement, to=Status.IN_FORCE, by_user=None, on=DAY)

        assert excinfo.value.problems == [
            "Cannot come into force: it needs a DPIA and none is on record (record the DPIA's reference or "
            "upload it).",
            "Cannot come into force: record the outcome of its DPIA.",
            "Cannot come into force: record the DPO's advice on its DPIA and whether it was followed.",
        ]
        agreement.refresh_from_db()
        assert agreement.status == Status.UNDER_REVIEW

    def test_back_from_review_unscreened_is_refused(self):
        agreement = agreement_in(Status.UNDER_REVIEW, dpia=False)
        agreement.gateways.add(LegalGatewayFactory(art6=True))

        with pytest.raises(MoveRefused) as excinfo:
            agreement_move(agreement=agreement, to=Status.IN_FORCE, by_user=None, on=DAY)

        assert excinfo.value.problems == [
            "Cannot come into force: record whether it needs a DPIA (the DPIA screening)."
        ]
        agreement.refresh_from_db()
        assert agreement.status == Status.UNDER_REVIEW

    def test_back_from_review_with_its_dpia_recorded_it_comes_into_force(self):
        agreement = agreement_in(Status.UNDER_REVIEW, dpia=False)
        agreement.gateways.add(LegalGatewayFactory(art6=True))
        dpia_record(agreement=agreement, by_user=None, on=DAY, **complete())

        agreement_move(agreement=agreement, to=Status.IN_FORCE, by_user=None, on=DAY)

        agreement.refresh_from_db()
        assert agreement.status == Status.IN_FORCE


SPECIAL_TICK = "“Special-category data (health, ethnicity, religion and so on)”"


def data_item(agreement, **marks) -> DataItem:
    return DataItem.objects.create(agreement=agreement, provider_label="Children's Services",
                                   description="Ethnic origin and school attended.", **marks)


class TestScreeningAgainstTheData:
    """Issue 13, item 2: the screening is checked against the agreement's own data items."""

    def test_finding_special_category_data_screened_as_meeting_no_criteria_is_refused(self, agreement):
        data_item(agreement, special_category=True)

        assert refused(agreement, screening=[], needed=False, not_needed_reason="Small numbers.") == {
            "screening": [f"Its data include special-category data (see Data to be shared): tick {SPECIAL_TICK}"],
        }
        assert not Dpia.objects.filter(agreement=agreement).exists()

    def test_criminal_offence_data_must_be_ticked(self, agreement):
        data_item(agreement, criminal_offence=True)

        assert refused(agreement, **complete(screening=[ScreeningCriterion.VULNERABLE_PEOPLE])) == {
            "screening": [
                "Its data include criminal-offence data (see Data to be shared): tick “Criminal-offence data”"
            ],
        }

    def test_both_are_named_at_once(self, agreement):
        data_item(agreement, special_category=True)
        data_item(agreement, criminal_offence=True)

        assert refused(agreement, **complete(screening=[ScreeningCriterion.VULNERABLE_PEOPLE])) == {
            "screening": [
                "Its data include special-category data and criminal-offence data (see Data to be shared): "
                f"tick {SPECIAL_TICK} and “Criminal-offence data”"
            ],
        }

    def test_with_the_criteria_ticked_it_is_recorded(self, agreement):
        data_item(agreement, special_category=True, criminal_offence=True)
        data_item(agreement)

        dpia = dpia_record(agreement=agreement, by_user=None, on=DAY, **complete(
            screening=[ScreeningCriterion.SPECIAL_CATEGORY, ScreeningCriterion.CRIMINAL_OFFENCE],
        ))

        assert dpia.screening == [ScreeningCriterion.SPECIAL_CATEGORY, ScreeningCriterion.CRIMINAL_OFFENCE]

    def test_data_with_no_marks_need_no_criterion(self, agreement):
        data_item(agreement)

        dpia = dpia_record(agreement=agreement, by_user=None, on=DAY, screening=[], needed=False,
                           not_needed_reason="Aggregate figures only.")

        assert dpia.needed is False

    def test_a_screening_the_data_have_outgrown_stops_it_coming_into_force(self, signed):
        dpia_record(agreement=signed, by_user=None, on=DAY, screening=[], needed=False,
                    not_needed_reason="Aggregate figures only.")
        data_item(signed, special_category=True)

        with pytest.raises(MoveRefused) as excinfo:
            agreement_move(agreement=signed, to=Status.IN_FORCE, by_user=None, on=DAY)

        assert (  # beside the legal-basis gate's own refusal for special-category data
            "Cannot come into force: its data include special-category data (see Data to be shared) but its DPIA "
            f"screening does not tick {SPECIAL_TICK}: record the screening again."
        ) in excinfo.value.problems
        signed.refresh_from_db()
        assert (signed.status, signed.effective_date) == (Status.AWAITING_SIGNATURES, None)

    def test_the_gate_checks_a_needed_dpia_too(self, signed):
        dpia_record(agreement=signed, by_user=None, on=DAY, **complete())
        data_item(signed, special_category=True)

        assert dpia_problems(signed) == [
            "its data include special-category data (see Data to be shared) but its DPIA screening does not "
            f"tick {SPECIAL_TICK}: record the screening again"
        ]


class TestRecord:
    def test_whether_it_is_needed_must_be_answered(self, agreement):
        assert refused(agreement, screening=[], needed=None) == {
            "needed": ["Choose whether the agreement needs a DPIA"],
        }

    def test_not_needed_needs_a_reason(self, agreement):
        assert refused(agreement, screening=[ScreeningCriterion.NEW_TECHNOLOGY], needed=False) == {
            "not_needed_reason": ["Explain why the agreement does not need a DPIA"],
        }

    def test_two_screening_signs_and_not_needed_asks_why(self, agreement):
        assert refused(agreement, screening=CHILDREN_AND_CRIME, needed=False, not_needed_reason=" ") == {
            "not_needed_reason": [
                "Two or more of the ICO's screening criteria apply, which usually means a DPIA is needed. "
                "Explain why the agreement does not need one"
            ],
        }

    def test_large_scale_criminal_offence_data_always_needs_one(self, agreement):
        problems = refused(
            agreement, screening=[ScreeningCriterion.LARGE_SCALE, ScreeningCriterion.CRIMINAL_OFFENCE],
            needed=False, not_needed_reason="We think it is fine.",
        )

        assert problems == {"needed": [
            "A DPIA is required when special-category or criminal-offence data are processed on a large scale "
            "(UK GDPR Article 35(3)(b)). Choose ‘Yes’"
        ]}

    def test_screening_criteria_come_from_the_list(self, agreement):
        assert refused(agreement, screening=["horoscopes"], needed=True) == {
            "screening": ["Choose screening criteria from the list"],
        }

    def test_advice_not_followed_needs_the_reason(self, agreement):
        assert refused(agreement, **complete(dpo_advice_followed=False)) == {
            "dpo_advice_not_followed_reason": ["Explain why the DPO's advice was not followed"],
        }

    def test_whether_advice_was_followed_needs_the_advice(self, agreement):
        assert refused(agreement, **complete(dpo_advice="")) == {"dpo_advice": ["Enter the DPO's advice"]}

    def test_completion_date_cannot_be_in_the_future(self, agreement):
        assert refused(agreement, **complete(completed_on=DAY + datetime.timedelta(days=1), review_on=None)) == {
            "completed_on": ["The date the DPIA was completed must be today or in the past"],
        }

    def test_review_date_must_follow_completion(self, agreement):
        assert refused(agreement, **complete(review_on=DAY - datetime.timedelta(days=30))) == {
            "review_on": [
                "The date the DPIA is next reviewed must be after the date it was completed, 31 January 2026"
            ],
        }

    def test_outcome_comes_from_the_list(self, agreement):
        assert refused(agreement, **complete(outcome="shrug")) == {"outcome": ["Choose the outcome of the DPIA"]}

    def test_a_document_that_is_not_a_pdf_or_image_is_refused(self, agreement):
        document = SimpleUploadedFile("dpia.pdf", b"<html><script>alert(1)</script></html>")

        assert refused(agreement, **complete(reference="", document=document)) == {
            "document": ["The selected file must be a PDF, PNG or JPEG"],
        }

    def test_a_changed_record_is_kept_in_its_history(self, agreement):
        dpia_record(agreement=agreement, by_user=None, on=DAY, screening=CHILDREN_AND_CRIME, needed=True)
        dpia = dpia_record(agreement=agreement, by_user=None, on=DAY, **complete())

        assert Dpia.objects.filter(agreement=agreement).count() == 1
        assert [row.reference for row in dpia.history.order_by("history_date", "history_id")] == [
            "", "BCC-DPIA-2026-014",
        ]


class TestReview:
    def test_a_dpia_due_for_review_opens_a_review_once(self):
        agreement = AgreementFactory(in_force=True, effective_date=DAY - datetime.timedelta(days=400))
        dpia_record(agreement=agreement, by_user=None, on=DAY, **complete(review_on=DAY))

        opened = reviews_due_create(on=DAY)
        again = reviews_due_create(on=DAY + datetime.timedelta(days=1))

        dpia_reviews = [review for review in opened if review.trigger == ReviewTrigger.DPIA_REVIEW]
        assert [(r.agreement, r.due_on, r.reason) for r in dpia_reviews] == [
            (agreement, DAY, "The agreement's DPIA (BCC-DPIA-2026-014) was due for review on 2 March 2026."),
        ]
        assert not [review for review in again if review.trigger == ReviewTrigger.DPIA_REVIEW]
        assert Review.objects.filter(agreement=agreement, trigger=ReviewTrigger.DPIA_REVIEW).count() == 1

    def test_a_dpia_not_yet_due_for_review_opens_none(self):
        agreement = AgreementFactory(in_force=True, effective_date=DAY - datetime.timedelta(days=400))
        dpia_record(agreement=agreement, by_user=None, on=DAY, **complete())

        reviews_due_create(on=DAY)

        assert not Review.objects.filter(agreement=agreement, trigger=ReviewTrigger.DPIA_REVIEW).exists()


class TestDatabase:
    """The database holds the two reasons as a backstop to the service."""

    def test_not_needed_without_a_reason_is_refused_by_the_database(self, agreement):
        with violates(Dpia, "dpia_not_needed_has_reason"):
            Dpia.objects.create(agreement=agreement, needed=False, not_needed_reason="")

    def test_advice_not_followed_without_why_is_refused_by_the_database(self, agreement):
        with violates(Dpia, "dpia_advice_not_followed_has_reason"):
            Dpia.objects.create(agreement=agreement, needed=True, dpo_advice="Stop.", dpo_advice_followed=False)
