"""The "Can I share?" guided start's question logic (sharing_log/can_i_share.py), branch by
branch: which question comes next, what the answers mean, what they pre-fill and what is
recorded. The pages are in test_can_i_share_views.py."""


import pytest

from agreements.models import DataLevel
from sharing_log import can_i_share as q
from sharing_log.models import ConsentStatus, Decision

# Answers as the pages keep them, for the logic tests (the purpose is any purpose id).
SHARE_WITH_CONSENT = {q.PURPOSE: "7", q.IDENTIFIES: q.YES, q.CONFIDENTIAL: q.NO, q.CONSENT: q.EXPLICIT,
                      q.NECESSARY: q.YES, q.SPECIAL: [q.NEITHER]}


def answers(**changes) -> dict:
    """``SHARE_WITH_CONSENT`` with ``changes`` (underscores for hyphens in step names)."""
    return {**SHARE_WITH_CONSENT, **{key.replace("_", "-"): value for key, value in changes.items()}}


class TestWhichQuestionNext:
    def test_the_first_question_is_the_purpose(self):
        assert q.next_step({}) == q.PURPOSE
        assert q.path({}) == [q.PURPOSE]

    def test_no_clear_and_legitimate_purpose_ends_the_questions(self):
        assert q.next_step({q.PURPOSE: q.NO_PURPOSE}) is None

    def test_a_purpose_leads_to_whether_it_identifies_someone(self):
        assert q.next_step({q.PURPOSE: "7"}) == q.IDENTIFIES

    def test_information_that_identifies_nobody_ends_the_questions(self):
        assert q.next_step({q.PURPOSE: "7", q.IDENTIFIES: q.NO}) is None

    def test_identifying_information_leads_to_confidentiality_then_consent(self):
        assert q.next_step({q.PURPOSE: "7", q.IDENTIFIES: q.YES}) == q.CONFIDENTIAL
        assert q.next_step({q.PURPOSE: "7", q.IDENTIFIES: q.YES, q.CONFIDENTIAL: q.NO}) == q.CONSENT

    @pytest.mark.parametrize("consent", [q.EXPLICIT, q.IMPLIED])
    def test_consent_leads_straight_to_necessary(self, consent):
        asked = {q.PURPOSE: "7", q.IDENTIFIES: q.YES, q.CONFIDENTIAL: q.YES, q.CONSENT: consent}

        assert q.next_step(asked) == q.NECESSARY

    def test_consent_not_sought_asks_why(self):
        assert q.next_step({q.PURPOSE: "7", q.IDENTIFIES: q.YES, q.CONFIDENTIAL: q.NO,
                            q.CONSENT: q.NOT_SOUGHT}) == q.CONSENT_NOT_SOUGHT

    def test_no_reason_not_to_seek_consent_ends_the_questions(self):
        assert q.next_step({q.PURPOSE: "7", q.IDENTIFIES: q.YES, q.CONFIDENTIAL: q.NO, q.CONSENT: q.NOT_SOUGHT,
                            q.CONSENT_NOT_SOUGHT: q.NO_REASON}) is None

    @pytest.mark.parametrize("why", [q.RISK_OF_HARM, q.INVESTIGATION, q.DELAY])
    def test_confidential_information_without_consent_asks_the_public_interest(self, why):
        asked = {q.PURPOSE: "7", q.IDENTIFIES: q.YES, q.CONFIDENTIAL: q.YES, q.CONSENT: q.NOT_SOUGHT,
                 q.CONSENT_NOT_SOUGHT: why}

        assert q.next_step(asked) == q.PUBLIC_INTEREST

    def test_information_that_is_not_confidential_needs_no_public_interest_when_consent_is_not_sought(self):
        asked = {q.PURPOSE: "7", q.IDENTIFIES: q.YES, q.CONFIDENTIAL: q.NO, q.CONSENT: q.NOT_SOUGHT,
                 q.CONSENT_NOT_SOUGHT: q.RISK_OF_HARM}

        assert q.next_step(asked) == q.NECESSARY

    def test_a_legal_duty_needs_no_public_interest_even_for_confidential_information(self):
        asked = {q.PURPOSE: "7", q.IDENTIFIES: q.YES, q.CONFIDENTIAL: q.YES, q.CONSENT: q.NOT_SOUGHT,
                 q.CONSENT_NOT_SOUGHT: q.LEGAL_DUTY}

        assert q.next_step(asked) == q.NECESSARY

    @pytest.mark.parametrize("confidential", [q.YES, q.NO])
    def test_refused_consent_always_asks_the_public_interest(self, confidential):
        asked = {q.PURPOSE: "7", q.IDENTIFIES: q.YES, q.CONFIDENTIAL: confidential, q.CONSENT: q.REFUSED}

        assert q.next_step(asked) == q.PUBLIC_INTEREST

    def test_public_interest_yes_leads_to_necessary_and_no_ends_the_questions(self):
        asked = {q.PURPOSE: "7", q.IDENTIFIES: q.YES, q.CONFIDENTIAL: q.NO, q.CONSENT: q.REFUSED}

        assert q.next_step({**asked, q.PUBLIC_INTEREST: q.YES}) == q.NECESSARY
        assert q.next_step({**asked, q.PUBLIC_INTEREST: q.NO}) is None

    def test_necessary_yes_asks_about_special_category_data_and_no_ends_the_questions(self):
        asked = {k: v for k, v in SHARE_WITH_CONSENT.items() if k not in (q.NECESSARY, q.SPECIAL)}

        assert q.next_step({**asked, q.NECESSARY: q.YES}) == q.SPECIAL
        assert q.next_step({**asked, q.NECESSARY: q.NO, q.NOT_MET: ["secure"]}) is None

    def test_special_category_data_is_the_last_question(self):
        assert q.next_step(SHARE_WITH_CONSENT) is None
        assert q.path(SHARE_WITH_CONSENT) == [q.PURPOSE, q.IDENTIFIES, q.CONFIDENTIAL, q.CONSENT, q.NECESSARY,
                                              q.SPECIAL]


class TestPages:
    def test_eight_questions_are_asked_on_at_most_five_pages(self):
        assert q.PAGES == (q.PURPOSE, q.INFORMATION, q.CONSENT, q.PUBLIC_INTEREST, q.NECESSARY)
        assert set(q.PAGE_OF) == set(q.STEPS)
        assert set(q.PAGE_OF.values()) == set(q.PAGES)

    def test_the_pages_follow_the_questions_asked(self):
        assert q.pages({}) == [q.PURPOSE]
        assert q.pages(SHARE_WITH_CONSENT) == [q.PURPOSE, q.INFORMATION, q.CONSENT, q.NECESSARY]
        assert q.pages(answers(consent=q.REFUSED, public_interest=q.YES)) == list(q.PAGES)

    def test_the_next_page_is_the_one_of_the_first_unanswered_question(self):
        assert q.next_page({q.PURPOSE: "7"}) == q.INFORMATION
        # An answer of a page left without its follow-up (from answers given before) asks the page again.
        assert q.next_page({q.PURPOSE: "7", q.IDENTIFIES: q.YES}) == q.INFORMATION
        assert q.next_page({q.PURPOSE: "7", q.IDENTIFIES: q.YES, q.CONFIDENTIAL: q.NO,
                            q.CONSENT: q.NOT_SOUGHT}) == q.CONSENT
        assert q.next_page(SHARE_WITH_CONSENT) is None

    def test_a_page_the_answers_do_not_lead_to_is_not_reachable(self):
        assert q.page_reachable(SHARE_WITH_CONSENT, q.PUBLIC_INTEREST) is False
        assert q.page_reachable({}, q.CONSENT) is False
        assert q.page_reachable({q.PURPOSE: "7"}, q.INFORMATION) is True

    def test_back_goes_to_the_previous_page_on_the_path(self):
        assert q.previous_page(SHARE_WITH_CONSENT, q.NECESSARY) == q.CONSENT
        assert q.previous_page(answers(consent=q.REFUSED, public_interest=q.YES), q.NECESSARY) == q.PUBLIC_INTEREST
        assert q.previous_page(SHARE_WITH_CONSENT, q.PURPOSE) is None

    def test_each_page_keeps_its_number_of_five(self):
        assert [q.progress(page) for page in q.PAGES] == [
            "Question 1 of 5", "Question 2 of 5", "Question 3 of 5", "Question 4 of 5", "Question 5 of 5",
        ]

    @pytest.mark.parametrize(("choice", "given"), [
        (q.IDENTIFIES_CONFIDENTIAL, {q.IDENTIFIES: q.YES, q.CONFIDENTIAL: q.YES}),
        (q.IDENTIFIES_NOT_CONFIDENTIAL, {q.IDENTIFIES: q.YES, q.CONFIDENTIAL: q.NO}),
        (q.IDENTIFIES_NOBODY, {q.IDENTIFIES: q.NO}),
    ])
    def test_one_choice_on_the_information_page_answers_both_its_questions(self, choice, given):
        assert q.information_answers(choice) == given
        assert q.information_answer(given) == choice

    def test_the_information_page_shows_no_choice_before_it_is_answered(self):
        assert q.information_answer({}) is None
        assert q.information_answer({q.IDENTIFIES: q.YES}) is None


class TestWhatTheAnswersMean:
    def test_incomplete_answers_mean_nothing_yet(self):
        assert q.outcome({q.PURPOSE: "7"}) is None
        assert q.prefill({q.PURPOSE: "7"}, agreement_id=3) == {}

    def test_no_purpose_means_do_not_share(self):
        assert q.outcome({q.PURPOSE: q.NO_PURPOSE}) == q.Outcome(
            False, "There is no clear and legitimate purpose for sharing the information.",
        )

    def test_information_that_identifies_nobody_may_be_shared(self):
        assert q.outcome({q.PURPOSE: "7", q.IDENTIFIES: q.NO}) == q.Outcome(
            True, "The information does not identify a living person.",
        )

    def test_no_reason_not_to_seek_consent_means_seek_it_first(self):
        result = q.outcome({q.PURPOSE: "7", q.IDENTIFIES: q.YES, q.CONFIDENTIAL: q.NO, q.CONSENT: q.NOT_SOUGHT,
                            q.CONSENT_NOT_SOUGHT: q.NO_REASON})

        assert result == q.Outcome(
            False, "Consent has not been sought and there is no reason not to seek it: seek consent before sharing.",
        )

    def test_refusal_without_a_sufficient_public_interest_means_do_not_share(self):
        result = q.outcome(answers(consent=q.REFUSED, public_interest=q.NO))

        assert result == q.Outcome(
            False, "Consent was refused and there is not a sufficient public interest to override the refusal.",
        )

    def test_confidential_information_without_consent_or_public_interest_means_do_not_share(self):
        result = q.outcome(answers(confidential=q.YES, consent=q.NOT_SOUGHT, consent_not_sought=q.DELAY,
                                   public_interest=q.NO))

        assert result == q.Outcome(
            False, "The information is confidential, consent has not been sought and there is not a sufficient "
                   "public interest to share it without consent.",
        )

    def test_not_necessary_or_not_secure_means_do_not_share_saying_which(self):
        result = q.outcome(answers(necessary=q.NO, not_met=["secure", "necessary"]))

        assert result == q.Outcome(False, "Sharing would not be necessary or secure.")

    def test_every_test_failed_is_listed(self):
        result = q.outcome(answers(necessary=q.NO, not_met=[value for value, _ in q.TESTS]))

        assert result.reason == "Sharing would not be necessary, proportionate, relevant, accurate, timely or secure."

    def test_consent_and_necessary_sharing_means_you_may_share(self):
        result = q.outcome(SHARE_WITH_CONSENT)

        assert result.may_share is True
        assert result.title == "You may share"

    def test_answers_left_off_the_path_by_a_change_count_for_nothing(self):
        changed = answers(public_interest=q.NO, consent_not_sought=q.NO_REASON)

        assert q.outcome(changed).may_share is True
        assert [row["step"] for row in q.summary(changed)] == q.path(SHARE_WITH_CONSENT)


class TestLogQuery:
    def test_every_answer_goes_under_its_field_with_the_agreement_first(self):
        initial = q.prefill(answers(confidential=q.YES, consent=q.REFUSED, public_interest=q.YES,
                                    public_interest_reason="A child is at risk of significant harm.",
                                    special_category=[q.SPECIAL_CATEGORY]), agreement_id=3)

        assert q.log_query(initial) == [
            ("agreement", "3"), ("purpose", "7"), ("decision", "shared"),
            ("consent_status", "refused_overridden"),
            ("consent_override_reason", "A child is at risk of significant harm."),
            ("confidentiality_breached", "true"), ("has_special_categories", "true"),
            ("criminal_offence_data", "false"),
        ]

    def test_a_list_gives_a_pair_for_each_value_and_nothing_is_left_out_but_none(self):
        assert q.log_query({"purpose": 7, "agreement": None, "data_categories": ["risk", "health"]}) == [
            ("purpose", "7"), ("data_categories", "risk"), ("data_categories", "health"),
        ]


class TestPrefill:
    def test_consent_and_purpose_fill_in_a_share(self):
        assert q.prefill(answers(consent=q.IMPLIED), agreement_id=3) == {
            "agreement": 3, "purpose": 7, "decision": Decision.SHARED, "consent_status": ConsentStatus.IMPLIED,
            "confidentiality_breached": False, "has_special_categories": False, "criminal_offence_data": False,
        }

    def test_explicit_consent_to_share_confidential_information_is_no_breach_of_confidence(self):
        initial = q.prefill(answers(confidential=q.YES), agreement_id=3)

        assert (initial["consent_status"], initial["confidentiality_breached"]) == (ConsentStatus.EXPLICIT, False)

    def test_special_category_and_criminal_offence_data_are_ticked(self):
        initial = q.prefill(answers(special_category=[q.SPECIAL_CATEGORY, q.CRIMINAL_OFFENCE]), agreement_id=3)

        assert (initial["has_special_categories"], initial["criminal_offence_data"]) == (True, True)

    def test_overridden_refusal_carries_the_public_interest_as_its_reason(self):
        initial = q.prefill(answers(confidential=q.YES, consent=q.REFUSED, public_interest=q.YES,
                                    public_interest_reason="A child is at risk of significant harm."),
                            agreement_id=3)

        assert initial["consent_status"] == ConsentStatus.REFUSED_OVERRIDDEN
        assert initial["consent_override_reason"] == "A child is at risk of significant harm."
        assert initial["confidentiality_breached"] is True

    def test_consent_not_sought_carries_the_reason_and_the_public_interest(self):
        initial = q.prefill(answers(confidential=q.YES, consent=q.NOT_SOUGHT, consent_not_sought=q.RISK_OF_HARM,
                                    public_interest=q.YES, public_interest_reason="Risk of serious harm."),
                            agreement_id=3)

        assert initial["consent_status"] == ConsentStatus.NOT_SOUGHT
        assert initial["consent_not_sought_reason"] == (
            "Seeking consent would place someone at risk of harm. Public interest: Risk of serious harm."
        )
        assert initial["confidentiality_breached"] is True

    def test_legal_duty_to_share_information_that_is_not_confidential_breaches_no_confidence(self):
        initial = q.prefill(answers(consent=q.NOT_SOUGHT, consent_not_sought=q.LEGAL_DUTY), agreement_id=3)

        assert initial["consent_not_sought_reason"] == "There is a legal duty or a court order to share."
        assert initial["confidentiality_breached"] is False

    def test_information_that_identifies_nobody_is_aggregate_and_needs_no_consent(self):
        initial = q.prefill({q.PURPOSE: "7", q.IDENTIFIES: q.NO}, agreement_id=3)

        assert initial == {
            "agreement": 3, "purpose": 7, "decision": Decision.SHARED, "data_level": DataLevel.AGGREGATE,
            "consent_status": ConsentStatus.NOT_SOUGHT,
            "consent_not_sought_reason": "Not needed: the information does not identify a living person.",
        }

    def test_do_not_share_fills_in_a_decision_not_to_share_with_the_reason(self):
        initial = q.prefill(answers(consent=q.REFUSED, public_interest=q.NO), agreement_id=3)

        assert initial == {
            "agreement": 3, "purpose": 7, "decision": Decision.NOT_SHARED,
            "not_shared_reason": "Consent was refused and there is not a sufficient public interest to override "
                                 "the refusal.",
            "consent_status": ConsentStatus.REFUSED,
        }

    def test_no_purpose_leaves_the_agreement_and_purpose_to_choose(self):
        initial = q.prefill({q.PURPOSE: q.NO_PURPOSE}, agreement_id=None)

        assert initial == {
            "decision": Decision.NOT_SHARED,
            "not_shared_reason": "There is no clear and legitimate purpose for sharing the information.",
        }

    def test_no_reason_not_to_seek_consent_is_logged_as_not_yet_sought(self):
        initial = q.prefill(answers(consent=q.NOT_SOUGHT, consent_not_sought=q.NO_REASON), agreement_id=3)

        assert initial["consent_not_sought_reason"] == "Not yet: consent is to be sought before anything is shared."
        assert "confidentiality_breached" not in initial


class TestRecord:
    def test_record_is_each_question_and_its_answer_in_order_and_the_outcome(self):
        record = q.record(
            answers(consent=q.REFUSED, public_interest=q.YES, public_interest_reason="Risk of serious harm.",
                    special_category=[q.SPECIAL_CATEGORY]),
            purpose_label="To reduce crime – BCSP ISA",
        )

        assert record == {
            "questions": [
                {"question": "Is there a clear and legitimate purpose for sharing the information?",
                 "answer": "Yes: To reduce crime – BCSP ISA"},
                {"question": "Does the information identify a living person?", "answer": "Yes"},
                {"question": "Is the information confidential?", "answer": "No"},
                {"question": "Do you have consent to share?", "answer": "No, consent was refused"},
                {"question": "Is there a sufficient public interest to share without consent?",
                 "answer": "Yes: Risk of serious harm."},
                {"question": "Is sharing necessary, proportionate, relevant, accurate, timely and secure?",
                 "answer": "Yes"},
                {"question": "Does the information include special category or criminal offence data?",
                 "answer": "Special category data"},
            ],
            "outcome": "You may share: There is a clear and legitimate purpose, a lawful reason to share and "
                       "sharing is necessary, proportionate, relevant, accurate, timely and secure.",
        }

    def test_record_of_do_not_share_says_why(self):
        record = q.record(answers(consent=q.NOT_SOUGHT, consent_not_sought=q.INVESTIGATION, necessary=q.NO,
                                  not_met=["proportionate"]))

        assert record["questions"][-2:] == [
            {"question": "Why has consent not been sought?",
             "answer": "Seeking consent would prejudice an investigation"},
            {"question": "Is sharing necessary, proportionate, relevant, accurate, timely and secure?",
             "answer": "No: it would not be proportionate"},
        ]
        assert record["outcome"] == "Do not share: Sharing would not be proportionate."

    def test_no_purpose_and_neither_read_plainly(self):
        assert q.answer_text(q.PURPOSE, {q.PURPOSE: q.NO_PURPOSE}) == "No clear and legitimate purpose"
        assert q.answer_text(q.SPECIAL, {q.SPECIAL: [q.NEITHER]}) == "Neither"


