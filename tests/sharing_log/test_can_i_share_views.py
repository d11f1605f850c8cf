"""The "Can I share?" pages (sharing_log/views/can_i_share.py): at most five pages, each
captioned with its number and with the GOV.UK error summary; the answers kept in the session and
written nowhere until the entry is logged, then kept with it; and the log form's "I have checked
the summary holds no identifying details" tick, recorded on the entry
(``Disclosure.summary_checked``). The link to the log page: test_can_i_share_log_link_views.py."""

import datetime

import pytest
from django.apps import apps
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, DataLevel
from sharing_log import can_i_share as q
from sharing_log.models import ConsentStatus, Decision, Disclosure, SubjectInformed, SubjectType
from sharing_log.services import disclosure_log
from tests.auth import sign_in
from tests.factories import LegalGatewayFactory, PurposeFactory
from tests.sharing_log.helpers import error_summary
from tests.sharing_log.helpers.can_i_share import (
    CHECK,
    CREATE,
    DO_NOT_SHARE,
    NOT_SHARE,
    SHARE,
    START,
    TO_EXPLICIT,
    TO_REFUSED,
    log_link,
    step_url,
    walk,
)
from tests.sharing_log.helpers.disclosures import routine_share, with_token
from tests.sharing_log.helpers.overrides import designated_manager

GUIDED_CREATE = f"{CREATE}?from=can-i-share"



@pytest.fixture
def purpose(roles):
    return roles.agreement.purposes.get()


def rows_written() -> int:
    """Rows in every table of the sharing log: the questions must write none."""
    return sum(model.objects.count() for model in apps.get_app_config("sharing_log").get_models())


def log_data(roles, art6, **changes) -> dict:
    """What the person completes on the pre-filled log page before saving: a routine share,
    about a child, in detail, with no summary (a data category is enough for the record)."""
    return routine_share(roles, art6, **{
        "subject_type": SubjectType.CHILD, "data_level": DataLevel.DETAILED, "data_categories": ["risk"],
        "summary": None, **changes,
    })


@pytest.mark.django_db
class TestStart:
    def test_log_page_and_log_list_lead_to_the_questions(self, client, roles, art6):
        sign_in(client, roles.practitioner)

        form_page = client.get(CREATE).content.decode()
        list_page = client.get(reverse("sharing_log:list")).content.decode()

        assert f'<a class="govuk-link" href="{START}">Not sure? Answer a few questions first</a>' in form_page
        assert f'<a class="govuk-link" href="{START}">Can I share? Answer a few questions first</a>' in list_page

    def test_start_page_explains_and_starting_clears_earlier_answers(self, client, roles, purpose):
        sign_in(client, roles.practitioner)
        walk(client, purpose, information={"answer": "nobody"})

        page = client.get(START)
        started = client.post(START)

        assert "Nothing is saved until you log the entry." in page.content.decode()
        assert "Starting again clears the answers you gave before." in page.content.decode()
        assert started["Location"] == step_url(q.PURPOSE)
        assert q.SESSION_KEY not in client.session

    def test_unknown_question_is_404(self, client, roles):
        assert sign_in(client, roles.practitioner).get(step_url("favourite-colour")).status_code == 404

    def test_skipping_ahead_goes_back_to_the_first_unanswered_question(self, client, roles, purpose):
        sign_in(client, roles.practitioner)

        skipped = client.get(step_url(q.CONSENT))
        walk(client, purpose)
        still_skipped = client.get(step_url(q.CONSENT))

        assert skipped["Location"] == step_url(q.PURPOSE)
        assert still_skipped["Location"] == step_url(q.INFORMATION)

    def test_check_your_answers_before_the_end_goes_to_the_next_question(self, client, roles, purpose):
        sign_in(client, roles.practitioner)
        walk(client, purpose, information={"answer": "not_confidential"})

        assert client.get(CHECK)["Location"] == step_url(q.CONSENT)


@pytest.mark.django_db
class TestQuestionPages:
    def test_purpose_page_offers_the_purposes_of_agreements_the_user_logs_under(self, client, roles, purpose):
        PurposeFactory(agreement=roles.unrelated_agreement, text="To sustain tenancies")

        html = sign_in(client, roles.practitioner).get(step_url(q.PURPOSE)).content.decode()

        assert '<h1 class="govuk-fieldset__heading">Is there a clear and legitimate purpose for sharing the ' \
               'information?</h1>' in html
        assert purpose.text in html
        assert "Borsetshire Community Safety Information Sharing Agreement (BCSP ISA)" in html
        assert "To sustain tenancies" not in html
        assert '<div class="govuk-radios__divider">or</div>' in html
        assert f'<a href="{START}" class="govuk-back-link">Back</a>' in html

    def test_purpose_of_an_agreement_the_user_is_not_party_to_is_refused(self, client, roles):
        other = PurposeFactory(agreement=roles.unrelated_agreement, text="To sustain tenancies")

        response = sign_in(client, roles.practitioner).post(step_url(q.PURPOSE), {"answer": other.pk})

        assert response.status_code == 200
        assert '<a href="#id_answer_0">Select the purpose sharing would serve, or that there is no clear and ' \
               'legitimate purpose</a>' in error_summary(response)
        assert q.SESSION_KEY not in client.session

    @pytest.mark.parametrize(("step", "before", "posted", "message"), [
        (q.PURPOSE, {}, {},
         "Select the purpose sharing would serve, or that there is no clear and legitimate purpose"),
        (q.INFORMATION, {}, {},
         "Select whether the information identifies a living person and whether it is confidential"),
        (q.CONSENT, {"information": {"answer": "not_confidential"}}, {}, "Select whether you have consent to share"),
        (q.CONSENT, {"information": {"answer": "not_confidential"}}, {"answer": "not_sought"},
         "Select why consent has not been sought"),
        (q.PUBLIC_INTEREST, TO_REFUSED, {},
         "Select yes if there is a sufficient public interest to share without consent"),
        (q.NECESSARY, TO_EXPLICIT, {},
         "Select yes if sharing would be necessary, proportionate, relevant, accurate, timely and secure"),
        (q.NECESSARY, TO_EXPLICIT, {"answer": "yes"}, "Select the kinds of data it includes, or ‘Neither’"),
    ])
    def test_each_question_unanswered_shows_the_error_summary_and_keeps_nothing(
        self, client, roles, purpose, step, before, posted, message,
    ):
        sign_in(client, roles.practitioner)
        if step != q.PURPOSE:
            walk(client, purpose, **before)
        kept = dict(client.session.get(q.SESSION_KEY, {}))

        response = client.post(step_url(step), posted)

        assert response.status_code == 200
        field = {"not_sought": "not_sought_reason", "yes": "special"}.get(posted.get("answer"), "answer")
        assert f'<a href="#id_{field}_0">{message}</a>' in error_summary(response)
        assert response.content.decode().count('class="govuk-error-message"') == 1
        assert "<title>Error: " in response.content.decode()
        assert client.session.get(q.SESSION_KEY, {}) == kept

    def test_public_interest_yes_needs_the_reason(self, client, roles, purpose):
        sign_in(client, roles.practitioner)
        walk(client, purpose, **TO_REFUSED)

        response = client.post(step_url(q.PUBLIC_INTEREST), {"answer": "yes", "reason": "  "})

        assert '<a href="#id_reason">Explain why the public interest justifies sharing without consent</a>' \
            in error_summary(response)
        assert q.PUBLIC_INTEREST not in client.session[q.SESSION_KEY]

    def test_public_interest_reason_is_revealed_by_yes(self, client, roles, purpose):
        sign_in(client, roles.practitioner)
        walk(client, purpose, **TO_REFUSED)

        html = client.get(step_url(q.PUBLIC_INTEREST)).content.decode()

        assert 'data-aria-controls="conditional-id_answer_0"' in html
        assert 'class="govuk-radios__conditional govuk-radios__conditional--hidden" id="conditional-id_answer_0"' \
            in html

    def test_not_necessary_needs_to_say_which(self, client, roles, purpose):
        sign_in(client, roles.practitioner)
        walk(client, purpose, **TO_EXPLICIT)

        response = client.post(step_url(q.NECESSARY), {"answer": "no"})

        assert '<a href="#id_not_met_0">Select what sharing would not be</a>' in error_summary(response)

    def test_neither_with_a_kind_of_data_is_refused(self, client, roles, purpose):
        sign_in(client, roles.practitioner)
        walk(client, purpose, **TO_EXPLICIT)

        response = client.post(step_url(q.NECESSARY), {"answer": "yes", "special": ["neither", "criminal_offence"]})

        assert '<a href="#id_special_0">Select ‘Neither’ on its own, or the kinds of data it includes</a>' \
            in error_summary(response)
        assert 'data-behaviour="exclusive"' in response.content.decode()

    def test_a_question_shows_the_answer_given_and_goes_back_to_the_one_before(self, client, roles, purpose):
        sign_in(client, roles.practitioner)
        walk(client, purpose, **TO_REFUSED, public_interest={"answer": "yes", "reason": "Risk of serious harm."})

        html = client.get(step_url(q.PUBLIC_INTEREST)).content.decode()

        assert 'value="yes" checked' in html
        assert "Risk of serious harm.</textarea>" in html
        assert f'<a href="{step_url(q.CONSENT)}" class="govuk-back-link">Back</a>' in html

    def test_each_page_says_which_question_of_five_it_is(self, client, roles, purpose):
        sign_in(client, roles.practitioner)
        captions = []
        for page, data in [(q.PURPOSE, {"answer": str(purpose.pk)}), *SHARE.items()]:
            html = client.get(step_url(page.replace("_", "-"))).content.decode()
            captions.append(html.split('<span class="govuk-caption-l">')[1].split("</span>")[0])
            assert client.post(step_url(page.replace("_", "-")), data)["Location"]

        assert captions == [f"Can I share? Question {number} of 5" for number in range(1, 6)]
        assert "<title>Does the information identify a living person, and is it confidential? – Question 2 of 5 – " \
               "Can I share? – ISA Portal</title>" in client.get(step_url(q.INFORMATION)).content.decode()

    def test_a_page_the_answers_pass_over_keeps_the_numbers_of_the_others(self, client, roles, purpose):
        sign_in(client, roles.practitioner)
        walk(client, purpose, **TO_EXPLICIT)

        html = client.get(step_url(q.NECESSARY)).content.decode()

        assert '<span class="govuk-caption-l">Can I share? Question 5 of 5</span>' in html
        assert f'<a href="{step_url(q.CONSENT)}" class="govuk-back-link">Back</a>' in html

    def test_one_choice_answers_whether_it_identifies_someone_and_whether_it_is_confidential(
        self, client, roles, purpose,
    ):
        sign_in(client, roles.practitioner)
        walk(client, purpose, information={"answer": "confidential"})

        assert client.session[q.SESSION_KEY] == {
            q.PURPOSE: str(purpose.pk), q.IDENTIFIES: q.YES, q.CONFIDENTIAL: q.YES,
        }
        assert 'value="confidential" checked' in client.get(step_url(q.INFORMATION)).content.decode()

    def test_not_sought_reveals_why_and_keeps_both_answers(self, client, roles, purpose):
        sign_in(client, roles.practitioner)
        walk(client, purpose, information={"answer": "confidential"})

        html = client.get(step_url(q.CONSENT)).content.decode()
        answered = client.post(step_url(q.CONSENT), {"answer": "not_sought", "not_sought_reason": "risk_of_harm"})

        assert 'data-aria-controls="conditional-id_answer_2"' in html
        assert '<legend class="govuk-fieldset__legend govuk-fieldset__legend--s">Why has consent not been ' \
               'sought?</legend>' in html
        assert answered["Location"] == step_url(q.PUBLIC_INTEREST)
        assert client.session[q.SESSION_KEY][q.CONSENT_NOT_SOUGHT] == q.RISK_OF_HARM

    def test_necessary_reveals_the_special_category_question_under_yes(self, client, roles, purpose):
        sign_in(client, roles.practitioner)
        walk(client, purpose, **TO_EXPLICIT)

        html = client.get(step_url(q.NECESSARY)).content.decode()
        answered = client.post(step_url(q.NECESSARY), {"answer": "yes", "special": ["criminal_offence"],
                                                       "not_met": ["secure"]})

        assert '<div class="govuk-radios__conditional govuk-radios__conditional--hidden" ' \
               'id="conditional-id_answer_0">' in html
        assert 'value="neither" data-behaviour="exclusive"' in html
        assert answered["Location"] == CHECK
        assert (client.session[q.SESSION_KEY][q.SPECIAL], client.session[q.SESSION_KEY][q.NOT_MET]) == (
            ["criminal_offence"], [],
        )

    def test_changing_an_answer_asks_only_the_questions_it_opens(self, client, roles, purpose):
        sign_in(client, roles.practitioner)
        walk(client, purpose, **NOT_SHARE)

        opened = client.post(step_url(q.CONSENT), {"answer": "refused"})
        back_to_check = client.post(step_url(q.PUBLIC_INTEREST), {"answer": "yes", "reason": "Harm."})

        assert opened["Location"] == step_url(q.PUBLIC_INTEREST)
        assert back_to_check["Location"] == CHECK


@pytest.mark.django_db
class TestMayShare:
    def test_check_your_answers_lists_each_answer_with_a_change_link(self, client, roles, purpose):
        sign_in(client, roles.practitioner)
        walk(client, purpose, **SHARE)

        html = client.get(CHECK).content.decode()

        assert "To reduce crime, disorder and anti-social behaviour – Borsetshire Community Safety Information " \
               "Sharing Agreement (BCSP ISA)" in html
        assert "Yes: A child is at risk of significant harm." in html
        assert html.count(">Change<span") == 7
        assert f'href="{step_url(q.PUBLIC_INTEREST)}">Change<span class="govuk-visually-hidden"> your answer to ' \
               '“Is there a sufficient public interest to share without consent?”</span>' in html
        assert f'href="{step_url(q.INFORMATION)}">Change<span class="govuk-visually-hidden"> your answer to ' \
               '“Is the information confidential?”</span>' in html
        assert (f'<a href="{CREATE}?agreement={roles.agreement.pk}&amp;purpose={purpose.pk}&amp;decision=shared'
                '&amp;consent_status=refused_overridden'
                '&amp;consent_override_reason=A+child+is+at+risk+of+significant+harm.'
                '&amp;confidentiality_breached=true&amp;has_special_categories=true&amp;criminal_offence_data=false'
                '&amp;from=can-i-share" role="button"') in html
        assert "Continue to the log form" in html

    def test_log_form_is_pre_filled_from_the_answers_and_nothing_is_written_before_it_is_saved(
        self, client, roles, purpose, art6,
    ):
        sign_in(client, roles.practitioner)
        walk(client, purpose, **SHARE)

        response = client.get(log_link(client))

        form = response.context["form"]
        assert rows_written() == 0
        assert (form["agreement"].value(), form["purpose"].value(), form["decision"].value()) == (
            roles.agreement.pk, purpose.pk, Decision.SHARED,
        )
        assert form["consent_status"].value() == ConsentStatus.REFUSED_OVERRIDDEN
        assert form["consent_override_reason"].value() == "A child is at risk of significant harm."
        assert (form["confidentiality_breached"].value(), form["has_special_categories"].value()) == (True, True)
        assert form["criminal_offence_data"].value() is False
        html = response.content.decode()
        assert "Your answers to “Can I share?” mean you may share." in html
        assert "Not sure? Answer a few questions first" not in html

    def test_answers_are_kept_with_the_logged_entry_and_shown_on_its_page(self, client, roles, purpose, art6):
        art9 = LegalGatewayFactory(art9=True)
        manager = designated_manager(roles.owner_party, job_title="Head of Service")
        sign_in(client, roles.practitioner)
        walk(client, purpose, **SHARE)

        response = client.post(GUIDED_CREATE, with_token(client, log_data(
            roles, art6, consent_status=ConsentStatus.REFUSED_OVERRIDDEN,
            consent_override_reason="A child is at risk of significant harm.",
            override_designated_manager=manager.pk, confidentiality_breached="on",
            breach_designated_manager=manager.pk, has_special_categories="on",
            special_categories=["health"], art9_conditions=[art9.pk],
        ), GUIDED_CREATE))

        entry = Disclosure.objects.get()
        assert response["Location"] == reverse("sharing_log:detail", args=[entry.pk])
        assert entry.can_i_share_answers["questions"][3] == {
            "question": "Do you have consent to share?", "answer": "No, consent was refused",
        }
        assert entry.can_i_share_answers["outcome"].startswith("You may share: ")
        assert len(entry.can_i_share_answers["questions"]) == 7
        assert q.SESSION_KEY not in client.session
        html = client.get(response["Location"]).content.decode()
        assert '<h2 class="govuk-heading-m">Can I share? answers</h2>' in html
        assert '<dt class="govuk-summary-list__key">Is there a sufficient public interest to share without ' \
               'consent?</dt>' in html
        assert "Yes: A child is at risk of significant harm." in html

    def test_a_refused_log_form_keeps_the_answers_for_the_next_try(self, client, roles, purpose, art6):
        sign_in(client, roles.practitioner)
        walk(client, purpose, **SHARE)

        refused = client.post(
            GUIDED_CREATE, with_token(client, log_data(roles, art6, case_reference=""), GUIDED_CREATE),
        )

        assert refused.status_code == 200
        assert "Enter the case reference" in error_summary(refused)
        assert rows_written() == 0
        assert q.SESSION_KEY in client.session

    def test_information_that_identifies_nobody_goes_straight_to_an_aggregate_entry(self, client, roles, purpose):
        sign_in(client, roles.practitioner)
        walk(client, purpose, information={"answer": "nobody"})

        form = client.get(log_link(client)).context["form"]

        assert (form["data_level"].value(), form["consent_status"].value()) == (
            DataLevel.AGGREGATE, ConsentStatus.NOT_SOUGHT,
        )

    def test_log_page_without_coming_from_the_questions_uses_no_answers(self, client, roles, purpose, art6):
        sign_in(client, roles.practitioner)
        walk(client, purpose, **SHARE)

        page = client.get(CREATE)
        client.post(CREATE, with_token(client, log_data(roles, art6)))

        assert page.context["form"]["consent_status"].value() is None
        assert Disclosure.objects.get().can_i_share_answers == {}

    def test_may_share_answers_do_not_open_the_do_not_share_page(self, client, roles, purpose):
        sign_in(client, roles.practitioner)
        walk(client, purpose, **SHARE)

        assert client.get(DO_NOT_SHARE)["Location"] == CHECK

    def test_a_purpose_no_longer_to_log_under_starts_the_questions_again(self, client, roles, purpose):
        sign_in(client, roles.practitioner)
        walk(client, purpose, **SHARE)
        yesterday = timezone.localdate() - datetime.timedelta(days=1)
        Agreement.objects.filter(pk=roles.agreement.pk).update(ended_on=yesterday)

        assert client.get(CHECK)["Location"] == step_url(q.PURPOSE)
        assert client.get(GUIDED_CREATE).context["guided"] is None


@pytest.mark.django_db
class TestDoNotShare:
    def test_do_not_share_says_so_plainly_and_offers_to_log_the_decision(self, client, roles, purpose):
        sign_in(client, roles.practitioner)
        walk(client, purpose, **NOT_SHARE)

        check = client.get(CHECK).content.decode()
        page = client.get(DO_NOT_SHARE).content.decode()

        assert f'<a href="{DO_NOT_SHARE}" role="button"' in check
        assert '<h1 class="govuk-heading-l">Do not share</h1>' in page
        assert "Your answers mean you should not share this information. Sharing would not be necessary or " \
               "proportionate." in page
        assert (f'<a href="{CREATE}?agreement={roles.agreement.pk}&amp;purpose={purpose.pk}&amp;decision=not_shared'
                '&amp;not_shared_reason=Sharing+would+not+be+necessary+or+proportionate.'
                '&amp;consent_status=explicit&amp;from=can-i-share" role="button" draggable="false" '
                'class="govuk-button" data-module="govuk-button">Log a decision not to share</a>') in page

    def test_decision_not_to_share_is_pre_filled_and_logged_with_the_answers(self, client, roles, purpose, art6):
        sign_in(client, roles.practitioner)
        walk(client, purpose, **NOT_SHARE)

        form = client.get(log_link(client)).context["form"]
        assert (form["decision"].value(), form["not_shared_reason"].value()) == (
            Decision.NOT_SHARED, "Sharing would not be necessary or proportionate.",
        )
        assert rows_written() == 0
        client.post(GUIDED_CREATE, with_token(client, log_data(
            roles, art6, decision=Decision.NOT_SHARED, art6_basis="",
            not_shared_reason=form["not_shared_reason"].value(),
        ), GUIDED_CREATE))

        entry = Disclosure.objects.get()
        assert (entry.decision, entry.decision_reason) == (
            Decision.NOT_SHARED, "Sharing would not be necessary or proportionate.",
        )
        assert entry.can_i_share_answers["outcome"] == "Do not share: Sharing would not be necessary or proportionate."
        assert entry.can_i_share_answers["questions"][-1] == {
            "question": "Is sharing necessary, proportionate, relevant, accurate, timely and secure?",
            "answer": "No: it would not be necessary or proportionate",
        }

    def test_no_purpose_goes_to_do_not_share_after_checking(self, client, roles):
        sign_in(client, roles.practitioner)
        client.post(step_url(q.PURPOSE), {"answer": q.NO_PURPOSE})

        html = client.get(DO_NOT_SHARE).content.decode()

        assert "There is no clear and legitimate purpose for sharing the information." in html

    def test_do_not_share_page_before_the_answers_are_complete_goes_to_check(self, client, roles):
        assert sign_in(client, roles.practitioner).get(DO_NOT_SHARE)["Location"] == CHECK


@pytest.mark.django_db
class TestSummaryChecked:
    def test_the_tick_is_recorded_on_the_entry_and_shown(self, client, roles, art6):
        sign_in(client, roles.practitioner)

        response = client.post(CREATE, with_token(
            client, log_data(roles, art6, summary="Moved to CB1 2AB.", summary_checked="on"),
        ))

        entry = Disclosure.objects.get()
        assert entry.summary_checked is True
        html = client.get(response["Location"]).content.decode()
        assert "Summary checked for identifying details" in html
        assert "Yes: the person logging confirmed it holds nothing identifying" in html

    def test_an_ordinary_summary_is_recorded_as_not_asked(self, client, roles, art6):
        sign_in(client, roles.practitioner)

        response = client.post(CREATE, with_token(
            client, log_data(roles, art6, summary="Tenancy status, to plan a joint visit."),
        ))

        assert Disclosure.objects.get().summary_checked is False
        assert "Not asked: the summary did not look identifying" in client.get(response["Location"]).content.decode()

    def test_service_keeps_the_confirmation(self, roles, art6):
        entry = disclosure_log(
            by_user=roles.practitioner, organisation=roles.owner, agreement=roles.agreement,
            recipient_organisation=roles.partner, occurred_at=timezone.now(), decision=Decision.SHARED,
            case_reference="ASB-2026-0042", subject_type=SubjectType.ADULT, data_level=DataLevel.MINIMUM,
            purpose=roles.agreement.purposes.get(), consent_status=ConsentStatus.EXPLICIT,
            subject_informed=SubjectInformed.YES, art6_basis=art6, summary="Moved to CB1 2AB.", summary_checked=True,
            necessity_reason="The visit cannot be planned without the new address.",
        )

        assert Disclosure.objects.get(pk=entry.pk).summary_checked is True
