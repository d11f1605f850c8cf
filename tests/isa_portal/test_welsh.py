"""Welsh (issue 16, item 5; docs/decisions/0058): the "English | Cymraeg" switch in the header
(isa_portal.views.language), the language it remembers, and the pages a SPOC and a signatory use
read in Welsh. The words are the catalogue's (tests/isa_portal/test_translations.py proves it
complete); the PDF of an agreement written in Welsh is tests/agreements/test_pdf_welsh.py's."""

import html
import json

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from agreements.models import Agreement, Party, PartyStatus, Signature, Status
from agreements.services import agreement_version_create
from sharing_log import can_i_share as questions
from sharing_log.models import Disclosure
from tests.factories import DisclosureFactory, PartyFactory
from tests.sharing_log.helpers.disclosures import routine_share, with_token

pytestmark = pytest.mark.django_db

LANGUAGE = reverse("language")
ONE_YEAR = 365 * 24 * 60 * 60


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return html.unescape(response.content.decode())


def to_welsh(client, next_url: str = "/"):
    return client.post(LANGUAGE, {"language": "cy", "next": next_url})


class TestTheSwitch:
    def test_switching_to_welsh_shows_the_home_page_in_welsh(self, client, sign_in, roles):
        sign_in(client, roles.spoc)
        english = page(client.get("/"))

        switched = to_welsh(client)
        welsh = page(client.get("/"))

        assert '<html lang="en-GB"' in english and "Your information sharing" in english
        assert (switched.status_code, switched["Location"]) == (302, "/")
        assert '<html lang="cy"' in welsh
        assert "Eich rhannu gwybodaeth" in welsh
        assert "Your information sharing" not in welsh
        assert "Neidio i’r prif gynnwys" in welsh  # the skip link
        assert "Beth sy’n ddyledus" in welsh  # the navigation
        assert "Allgofnodi" in welsh  # sign out
        assert "Cytundebau y mae eich sefydliad yn barti iddynt" in welsh

    def test_the_choice_is_remembered_in_a_cookie_for_a_year_across_requests(self, client, sign_in, roles):
        sign_in(client, roles.spoc)

        cookie = to_welsh(client).cookies[settings.LANGUAGE_COOKIE_NAME]

        assert cookie.value == "cy"
        assert cookie["max-age"] == ONE_YEAR
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        for url in ("/", reverse("due"), reverse("sharing_log:can_i_share"), "/"):
            assert '<html lang="cy"' in page(client.get(url)), url

    def test_the_choice_outlives_signing_out_and_in_again(self, client, sign_in, roles):
        sign_in(client, roles.spoc)
        to_welsh(client)

        client.post(reverse("logout"))
        signed_out = page(client.get(reverse("login")))
        sign_in(client, roles.spoc)

        assert '<html lang="cy"' in signed_out
        assert "Eich rhannu gwybodaeth" in page(client.get("/"))

    def test_switching_back_to_english(self, client, sign_in, roles):
        sign_in(client, roles.spoc)
        to_welsh(client)

        client.post(LANGUAGE, {"language": "en-gb", "next": "/"})

        assert "Your information sharing" in page(client.get("/"))

    def test_the_header_shows_the_language_in_use_and_offers_the_other_as_a_post_button(self, client, sign_in, roles):
        sign_in(client, roles.spoc)
        english = page(client.get("/due/"))
        to_welsh(client, "/due/")
        welsh = page(client.get("/due/"))

        assert '<nav class="app-language-select" aria-label="Language">' in english
        assert '<form method="post" action="/language/" class="app-language-select__form">' in english
        assert '<input type="hidden" name="next" value="/due/">' in english
        assert '<span aria-current="true" lang="en-GB">English</span>' in english
        assert ('<button type="submit" name="language" value="cy" lang="cy" '
                'class="app-link-button app-link-button--inverse">Cymraeg</button>') in english
        assert '<nav class="app-language-select" aria-label="Iaith">' in welsh
        assert '<span aria-current="true" lang="cy">Cymraeg</span>' in welsh
        assert ('<button type="submit" name="language" value="en-gb" lang="en-GB" '
                'class="app-link-button app-link-button--inverse">English</button>') in welsh

    def test_the_switch_is_offered_before_signing_in_and_works_there(self, client):
        switched = to_welsh(client, reverse("login"))
        sign_in_page = page(client.get(switched["Location"]))

        assert switched["Location"] == reverse("login")
        assert '<html lang="cy"' in sign_in_page
        assert '<span aria-current="true" lang="cy">Cymraeg</span>' in sign_in_page
        assert '<h1 class="govuk-heading-l">Mewngofnodi i Borth ISA</h1>' in sign_in_page

    def test_the_sign_in_page_says_what_is_missing_in_welsh(self, client):
        to_welsh(client, reverse("login"))

        body = page(client.post(reverse("login"), {"username": "", "password": "", "otp_token": ""}))

        assert "Mae problem wedi codi" in body
        assert "Rhowch eich enw defnyddiwr." in body and "Rhowch eich cyfrinair." in body
        assert "Rhowch y cod 6 digid o’ch ap dilysu." in body

    def test_a_page_not_found_says_so_in_welsh(self, client, sign_in, roles):
        sign_in(client, roles.spoc)
        to_welsh(client)

        response = client.get("/no-such-page/")

        assert response.status_code == 404
        assert '<h1 class="govuk-heading-l">Heb ddod o hyd i’r dudalen</h1>' in html.unescape(response.content.decode())

    def test_the_switch_refuses_a_post_without_the_csrf_token(self, roles):
        client = Client(enforce_csrf_checks=True)

        response = to_welsh(client)

        assert response.status_code == 403
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies

    def test_the_switch_posts_with_the_token_the_page_gives(self, roles):
        client = Client(enforce_csrf_checks=True)
        client.get(reverse("login"))

        response = client.post(LANGUAGE, {
            "language": "cy", "next": "/", "csrfmiddlewaretoken": client.cookies[settings.CSRF_COOKIE_NAME].value,
        })

        assert response.status_code == 302
        assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "cy"

    def test_a_get_is_refused(self, client):
        assert client.get(LANGUAGE, {"language": "cy"}).status_code == 405

    def test_it_goes_back_only_to_a_page_of_the_portal(self, client):
        response = to_welsh(client, "https://elsewhere.example/")

        assert response["Location"] == "/"

    def test_a_language_the_portal_does_not_offer_changes_nothing(self, client, sign_in, roles):
        sign_in(client, roles.spoc)

        response = client.post(LANGUAGE, {"language": "fr", "next": "/"})

        assert response.status_code == 302
        assert settings.LANGUAGE_COOKIE_NAME not in response.cookies
        assert '<html lang="en-GB"' in page(client.get("/"))

    def test_a_browser_that_asks_for_welsh_gets_welsh_until_a_choice_is_made(self, client, sign_in, roles):
        sign_in(client, roles.spoc)

        asked = page(client.get("/", HTTP_ACCEPT_LANGUAGE="cy"))
        client.post(LANGUAGE, {"language": "en-gb", "next": "/"})
        chosen = page(client.get("/", HTTP_ACCEPT_LANGUAGE="cy"))

        assert "Eich rhannu gwybodaeth" in asked
        assert "Your information sharing" in chosen


class TestPagesInWelsh:
    @pytest.fixture
    def welsh(self, client):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
        return client

    def test_whats_due_and_what_is_due_in_it(self, welsh, sign_in, roles):
        DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                          recipient_organisation=roles.partner, disclosed_by=roles.practitioner)

        body = page(sign_in(welsh, roles.spoc).get(reverse("due")))

        assert '<h1 class="govuk-heading-l">Beth sy’n ddyledus</h1>' in body
        assert '<span class="govuk-caption-s">Derbynneb</span>' in body
        assert f"Cydnabod derbyn gan {roles.owner.name}</a>" in body
        assert f"Rhannwyd gyda {roles.partner.name} ar " in body

    def test_can_i_share_start_and_questions(self, welsh, sign_in, roles):
        sign_in(welsh, roles.spoc)

        start = page(welsh.get(reverse("sharing_log:can_i_share")))
        welsh.post(reverse("sharing_log:can_i_share"))
        question = page(welsh.get(reverse("sharing_log:can_i_share_question", args=[questions.PURPOSE])))

        assert '<h1 class="govuk-heading-l">A gaf i rannu?</h1>' in start
        assert "Dechrau nawr" in start
        assert "A oes diben clir a dilys dros rannu’r wybodaeth?" in question
        assert "A gaf i rannu? Cwestiwn 1 o 5" in question
        assert "Nid oes diben clir a dilys" in question

    def test_a_question_left_unanswered_shows_the_error_summary_in_welsh(self, welsh, sign_in, roles):
        sign_in(welsh, roles.spoc)
        welsh.post(reverse("sharing_log:can_i_share"))

        body = page(welsh.post(reverse("sharing_log:can_i_share_question", args=[questions.PURPOSE]), {}))

        assert "<title>Gwall: A oes diben clir a dilys" in body
        assert "Mae problem wedi codi" in body
        assert ("Dewiswch y diben y byddai rhannu’n ei wasanaethu, neu nad oes diben clir a dilys</a>") in body
        assert '<span class="govuk-visually-hidden">Gwall:</span>' in body
        assert questions.SESSION_KEY not in welsh.session or not welsh.session[questions.SESSION_KEY]

    def test_the_log_forms_own_words_are_welsh(self, welsh, sign_in, roles):
        form = sign_in(welsh, roles.spoc).get(reverse("sharing_log:create")).context["form"]

        assert str(form.fields["case_reference"].label) == "Cyfeirnod yr achos (byth enw)"
        assert str(form.fields["case_reference"].help_text) == "Er enghraifft ASB-2026-0042."
        assert str(form.fields["decision"].label) == "Beth ddigwyddodd?"
        assert str(form.fields["recipient_organisation"].error_messages["required"]) == "Dewiswch y sefydliad partner"

    def test_the_log_page_reads_in_welsh(self, welsh, sign_in, roles, art6):
        body = page(sign_in(welsh, roles.spoc).get(f"{reverse('sharing_log:create')}?agreement={roles.agreement.pk}"))

        assert "<title>Cofnodi datgeliad neu benderfyniad i beidio â rhannu – ISA Portal</title>" in body
        assert '<h1 class="govuk-heading-l">Cofnodi datgeliad neu benderfyniad i beidio â rhannu</h1>' in body
        for heading in ("Y derbynnydd", "Sail gyfreithlon", "Yr achos"):
            assert f'<h2 class="govuk-heading-m">{heading}</h2>' in body
        assert "Pwy a’i derbyniodd</span>" in body
        assert "Pryd y digwyddodd: nawr</span>" in body
        assert "A oedd yn cynnwys data sensitif?</legend>" in body
        assert "Ychwanegu crynodeb (dewisol)</span>" in body
        assert "Mae hyn a’r hyn yr oedd yn ei gynnwys fel yn eich rhannu diwethaf â’r partner hwn" in body
        assert "Cadw’r cofnod</button>" in body
        # The choices offered, the log's own and those it takes from the agreement, are Welsh too.
        for label in ("Rhannwyd", "Oedolyn", "Isafswm data (manylion adnabod)", "Tai a thenantiaeth",
                      "Caniatâd penodol wedi’i roi", "Do, dywedwyd wrth y person", "Naddo", "SWYDDOGOL-SENSITIF"):
            assert f"{label}</label>" in body, label
        assert "Save entry" not in body and "The recipient" not in body

    def test_the_agreement_step_reads_in_welsh(self, welsh, sign_in, roles):
        second = PartyFactory(signed=True, organisation=roles.partner).agreement
        PartyFactory(agreement=second, signed=True, organisation=roles.owner)

        response = sign_in(welsh, roles.spoc).get(reverse("sharing_log:create"))

        assert response.templates[0].name == "sharing_log/disclosure_agreement.html"
        body = page(response)
        assert '<h1 class="govuk-heading-l">O dan ba gytundeb ydych chi’n cofnodi?</h1>' in body
        assert "Ddim yn siŵr a ddylech chi rannu? Atebwch ychydig o gwestiynau yn gyntaf" in body

    def test_a_spoc_logs_a_share_and_reads_the_entry_in_welsh(self, welsh, sign_in, roles, art6):
        sign_in(welsh, roles.spoc)
        data = with_token(welsh, routine_share(roles, art6, organisation=roles.partner.pk,
                                                recipient_organisation=roles.owner.pk))

        saved = welsh.post(reverse("sharing_log:create"), data, follow=True)

        entry = Disclosure.objects.get()
        assert (entry.disclosing_organisation, entry.recipient_organisation) == (roles.partner, roles.owner)
        body = page(saved)
        assert f"Cofnodwyd datgeliad i {roles.owner.name}" in body
        assert f'<h1 class="govuk-heading-l">Datgeliad i {roles.owner.name}</h1>' in body
        assert "Y cofnod fel y’i cofnodwyd</h2>" in body
        for key in ("Penderfyniad", "Cyfeirnod yr achos", "Am bwy y mae", "Categorïau data"):
            assert f'<dt class="govuk-summary-list__key">{key}' in body, key
        assert "Oedolyn" in body, body[body.index("Am bwy y mae"):][:300]
        assert "Ymddygiad gwrthgymdeithasol" in body
        assert "Cofnodi un arall ar gyfer yr achos hwn</a>" in body
        assert "logged" not in body.split('id="main-content"')[1].split("</h1>")[0]

    def test_the_same_form_sent_twice_says_so_in_welsh(self, welsh, sign_in, roles, art6):
        sign_in(welsh, roles.spoc)
        data = with_token(welsh, routine_share(roles, art6, organisation=roles.partner.pk,
                                                recipient_organisation=roles.owner.pk))
        welsh.post(reverse("sharing_log:create"), data)

        again = page(welsh.post(reverse("sharing_log:create"), data, follow=True))

        assert "Anfonwyd y ffurflen hon fwy nag unwaith. Cafodd y cofnod ei gofnodi unwaith: dyma fe" in again
        assert Disclosure.objects.count() == 1


class TestSigningInWelsh:
    @pytest.fixture
    def out_for_signature(self, roles, client):
        """The cast's agreement back out for signature, version 1.0; the partner has not signed."""
        Agreement.objects.filter(pk=roles.agreement.pk).update(status=Status.AWAITING_SIGNATURES)
        Party.objects.filter(pk=roles.partner_party.pk).update(status=PartyStatus.INVITED, joined_on=None)
        roles.agreement.refresh_from_db()
        roles.version = agreement_version_create(agreement=roles.agreement, label="1.0")
        roles.lead_signatory.first_name, roles.lead_signatory.last_name = "Jo", "Example"
        roles.lead_signatory.save()
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "cy"
        roles.sign_url = reverse("agreements:party_sign", kwargs={
            "pk": roles.agreement.pk, "party_pk": roles.partner_party.pk})
        return roles

    def test_the_signing_page_reads_in_welsh_and_the_english_agreement_keeps_its_language(
        self, client, sign_in, out_for_signature,
    ):
        cast = out_for_signature

        body = page(sign_in(client, cast.lead_signatory).get(cast.sign_url))

        assert '<h1 class="govuk-heading-l">Llofnodi fersiwn 1.0</h1>' in body
        assert ("Rwyf wedi darllen fersiwn 1.0 o’r cytundeb hwn ac rwy’n ei lofnodi ar ran Borsetshire Police."
                in body)
        assert "Eich enw llawn" in body
        # The agreement's own text is English, and says so: its headings are in its language.
        assert '<div class="app-agreement-text" lang="en-GB">' in body
        assert '<h3 class="govuk-heading-s">Purposes</h3>' in body

    def test_a_wrong_name_is_refused_in_welsh_and_nothing_is_saved(self, client, sign_in, out_for_signature):
        cast = out_for_signature

        body = page(sign_in(client, cast.lead_signatory).post(cast.sign_url, {
            "version": cast.version.pk, "declaration": "on", "typed_name": "Sam Other",
        }))

        assert "Mae problem wedi codi" in body
        assert ('<a href="#id_typed_name">Rhowch eich enw llawn fel y mae’n ymddangos ar eich cyfrif: Jo Example</a>'
                in body)
        assert Signature.objects.filter(party=cast.partner_party).exists() is False

    def test_signing_in_welsh_says_so_in_welsh(self, client, sign_in, out_for_signature):
        cast = out_for_signature

        body = page(sign_in(client, cast.lead_signatory).post(cast.sign_url, {
            "version": cast.version.pk, "declaration": "on", "typed_name": "Jo Example", "job_title": "Prif Gwnstabl",
        }, follow=True))

        assert "Rydych wedi llofnodi fersiwn 1.0 ar ran Borsetshire Police." in body
        assert cast.partner_party.signatures.get().version == cast.version

    def test_a_welsh_agreement_is_shown_in_welsh_to_an_english_reader(self, client, sign_in, out_for_signature):
        cast = out_for_signature
        Agreement.objects.filter(pk=cast.agreement.pk).update(language="cy")
        cast.agreement.refresh_from_db()
        version = agreement_version_create(agreement=cast.agreement, label="2.0")
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en-gb"

        body = page(sign_in(client, cast.lead_signatory).get(cast.sign_url))

        assert version.content["language"] == "cy"
        assert '<h1 class="govuk-heading-l">Sign version 2.0</h1>' in body
        assert '<div class="app-agreement-text" lang="cy">' in body
        assert '<h3 class="govuk-heading-s">Dibenion</h3>' in body


def test_the_can_i_share_record_kept_with_an_entry_is_plain_welsh_text():
    """What "Can I share?" keeps with an entry is stored as JSON: words, never lazy translations."""
    answers = {questions.PURPOSE: "1", questions.IDENTIFIES: "yes", questions.CONFIDENTIAL: "no",
               questions.CONSENT: "explicit", questions.NECESSARY: "no",
               questions.NOT_MET: ["proportionate", "timely"]}

    with translation.override("cy"):
        record = json.loads(json.dumps(questions.record(answers, purpose_label="Diogelu plant")))

    assert record["outcome"] == "Peidiwch â rhannu: Ni fyddai rhannu yn gymesur neu yn amserol."
    assert record["questions"][0] == {"question": "A oes diben clir a dilys dros rannu’r wybodaeth?",
                                      "answer": "Oes: Diogelu plant"}
