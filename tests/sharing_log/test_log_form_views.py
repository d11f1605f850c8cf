"""The log form rebuilt around the routine case (issue 14, item 1; decision 0040): the agreement
first, then only its partners (those that cannot receive shown with the reason), its bases under
plain names, a decision not to share asked only what applies, remembered defaults, initial answers
from the address, "log another for this case" and the recipient's named SPOC.

The rules of logging are test_disclosures_views.py's and the services' tests'."""

import datetime
import html as html_lib
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import ContactRole, PartyContact, PartyStatus, TransferMethod
from sharing_log.models import ConsentStatus, Decision, Disclosure
from tests.auth import sign_in
from tests.factories import (
    ContactFactory,
    DisclosureFactory,
    LegalGatewayFactory,
    OrganisationFactory,
    PartyFactory,
    PurposeFactory,
)
from tests.sharing_log.helpers import error_summary
from tests.sharing_log.helpers.disclosures import routine_share, with_token

pytestmark = pytest.mark.django_db

CREATE = reverse("sharing_log:create")



def form_of(client, **params):
    return client.get(CREATE, params).context["form"]


class TestChoices:
    def test_one_agreement_goes_straight_to_the_form_with_its_agreement_fixed(self, client, roles, art6):
        response = sign_in(client, roles.practitioner).get(CREATE)

        assert b"Which agreement are you logging under?" not in response.content
        assert response.context["form"].chosen == roles.agreement
        assert f"<strong>Agreement:</strong> {roles.agreement.title}" in html_lib.unescape(response.content.decode())

    def test_a_stray_agreement_in_the_address_falls_back_to_the_persons_only_one(self, client, roles, art6):
        other = PartyFactory(signed=True).agreement

        assert form_of(sign_in(client, roles.practitioner), agreement=other.pk).chosen == roles.agreement

    def test_an_agreement_not_to_log_under_in_the_address_shows_step_one(self, client, roles, art6):
        PartyFactory(signed=True, organisation=roles.owner)
        other = PartyFactory(signed=True).agreement

        response = sign_in(client, roles.practitioner).get(CREATE, {"agreement": other.pk})

        assert b"Which agreement are you logging under?" in response.content

    def test_the_persons_last_agreement_is_the_default_and_first_when_changing_it(self, client, roles, art6):
        second = PartyFactory(signed=True, organisation=roles.owner).agreement
        PartyFactory(agreement=second, signed=True)
        DisclosureFactory(agreement=second, disclosing_organisation=roles.owner, disclosed_by=roles.practitioner,
                          recipient_organisation=second.parties.exclude(organisation=roles.owner).get().organisation)

        sign_in(client, roles.practitioner)

        form = client.get(CREATE).context["form"]
        choices = client.get(CREATE, {"agreement": ""}).context["choices"]

        assert form.chosen == second
        assert [(choice["agreement"], choice["last"]) for choice in choices] == [
            (second, True), (roles.agreement, False)]

    def test_partners_that_cannot_receive_are_listed_with_the_reason(self, client, roles, art6):
        PartyFactory(agreement=roles.agreement, organisation=OrganisationFactory(name="Felpersham Homes"))
        PartyFactory(agreement=roles.agreement, organisation=OrganisationFactory(name="Felpersham College"),
                     status=PartyStatus.DECLINED)

        form = form_of(sign_in(client, roles.practitioner))

        assert [label for _, label in form.fields["recipient_organisation"].choices[2][1]] == [
            "Felpersham College – cannot receive: declined to sign",
            "Felpersham Homes – cannot receive: has not signed",
        ]

    def test_choosing_a_partner_that_cannot_receive_is_refused_with_the_reason(self, client, roles, art6):
        homes = PartyFactory(agreement=roles.agreement, organisation=OrganisationFactory(name="Felpersham Homes"))
        sign_in(client, roles.practitioner)

        response = client.post(CREATE, with_token(client, routine_share(
            roles, art6, recipient_organisation=homes.organisation.pk)))

        assert ('<a href="#id_recipient_organisation">Felpersham Homes cannot receive information under this '
                'agreement today: it has not signed. Choose a partner that can, or ask your governance manager.</a>'
                ) in error_summary(response)
        assert Disclosure.objects.exists() is False

    def test_article_6_bases_have_plain_names_those_the_agreement_cites_first(self, client, roles, art6):
        LegalGatewayFactory(instrument="UK GDPR", provision="Art 6(1)(c)", category="art6", title="Legal obligation")

        choices = form_of(sign_in(client, roles.practitioner)).fields["art6_basis"].choices

        assert [(group, [label for _, label in options]) for group, options in choices[1:]] == [
            ("Cited by the agreement", ["Public task – UK GDPR Article 6(1)(e)"]),
            ("Not cited by the agreement: you will be asked why", ["Legal obligation – UK GDPR Article 6(1)(c)"]),
        ]


    def test_the_entry_page_names_the_article_6_basis_as_the_form_did(self, client, roles, art6):
        """Issue 14 audit: the form offered "Public task – UK GDPR Article 6(1)(e)"; the saved
        entry read the bare code "UK GDPR Art 6(1)(e)"."""
        sign_in(client, roles.practitioner)

        response = client.post(CREATE, with_token(client, routine_share(roles, art6)))
        page = html_lib.unescape(client.get(response["Location"]).content.decode())

        row = re.search(r">Article 6 lawful basis(?:<br>.*?)?</dt>\s*<dd[^>]*>\s*(.*?)\s*</dd>", page, re.S)
        assert row.group(1) == "Public task – UK GDPR Article 6(1)(e)"


def not_shared(roles, art6, **changes) -> dict:
    """A decision not to share as the page posts it: the share's questions left unanswered."""
    answers = {"decision": Decision.NOT_SHARED, "not_shared_reason": "Not necessary.", "data_level": None,
               "consent_status": None, "subject_informed": None, "data_categories": None, "art6_basis": ""}
    return routine_share(roles, art6, **{**answers, **changes})


class TestDecisionNotToShare:
    def test_asks_nothing_about_a_share_and_saves_no_level_consent_or_telling(self, client, roles, art6):
        sign_in(client, roles.practitioner)
        data = not_shared(roles, art6)

        response = client.post(CREATE, with_token(client, data))
        page = html_lib.unescape(client.get(response["Location"]).content.decode())

        entry = Disclosure.objects.get()
        assert (entry.decision, entry.data_level, entry.consent_status, entry.subject_informed) == (
            Decision.NOT_SHARED, "", "", "")
        assert "Consent not sought" not in page and "Data level" not in page
        assert "Was the person told?" not in page  # not answered: not shown

    def test_its_entry_page_says_nothing_of_what_was_sent_or_how(self, client, roles, art6):
        """Issue 14 audit: a refusal read "How it was sent: Secure e-mail", "Protective marking:
        OFFICIAL-SENSITIVE", "Data categories: None" and "Criminal offence data: No"."""
        sign_in(client, roles.practitioner)
        data = not_shared(roles, art6)

        response = client.post(CREATE, with_token(client, data))
        page = html_lib.unescape(client.get(response["Location"]).content.decode())

        for label in ("How it was sent", "Protective marking", "Data categories", "Special category data",
                      "Criminal offence data"):
            assert f">{label}<" not in page, label
        assert ">Reason for the decision<" in page

    def test_whether_the_person_will_be_told_is_kept_when_answered(self, client, roles, art6):
        sign_in(client, roles.practitioner)
        data = not_shared(roles, art6, not_shared_reason="Seek consent first.", subject_informed="no",
                          not_told_reason="It would alert the household.", data_categories=["asb"])

        client.post(CREATE, with_token(client, data))

        entry = Disclosure.objects.get()
        assert (entry.subject_informed, entry.subject_not_informed_reason) == ("no", "It would alert the household.")

    def test_answers_about_a_share_left_on_the_page_are_not_kept(self, client, roles, art6):
        sign_in(client, roles.practitioner)
        data = routine_share(
            roles, art6, decision=Decision.REQUEST_REFUSED, refused_reason="Not under this agreement.",
            consent_status=ConsentStatus.NOT_SOUGHT, consent_not_sought_reason="Not shared", art6_basis="",
        )
        # The request came the day it was refused (five minutes ago: yesterday, just after midnight).
        for part in ("day", "month", "year"):
            data[f"request_received_on-{part}"] = data[f"occurred_on-{part}"]

        client.post(CREATE, with_token(client, data))

        entry = Disclosure.objects.get()
        assert (entry.consent_status, entry.consent_reason, entry.data_level, entry.data_categories) == ("", "", "", [])

    def test_a_share_still_needs_them(self, client, roles, art6):
        response = sign_in(client, roles.practitioner).post(CREATE, with_token(client, routine_share(
            roles, art6, data_level=None, consent_status=None, subject_informed=None)))

        summary = error_summary(response)
        for message in ("Select how much was shared", "Select the consent position",
                        "Select whether the person was told"):
            assert message in summary
        assert Disclosure.objects.exists() is False

    def test_the_page_for_a_decision_not_to_share_hides_the_questions_about_a_share(self, client, roles, art6):
        html = sign_in(client, roles.practitioner).get(CREATE, {"decision": Decision.NOT_SHARED}).content.decode()

        assert html.count("<div data-shared-only hidden>") == 4
        assert '<div id="decision-not_shared" data-decision-reveal="not_shared">' in html
        assert '<div id="decision-shared" data-decision-reveal="shared" hidden>' in html


class TestDefaultsAndAddress:
    def test_the_persons_last_transfer_method_and_marking_are_the_defaults(self, client, roles, art6):
        DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                          recipient_organisation=roles.partner, disclosed_by=roles.practitioner,
                          transfer_method=TransferMethod.TELEPHONE, protective_marking="official")

        form = form_of(sign_in(client, roles.practitioner))

        assert (form["transfer_method"].value(), form["protective_marking"].value()) == (
            TransferMethod.TELEPHONE, "official")

    def test_the_purpose_and_cited_basis_of_the_persons_last_entry_are_one_line_to_change(
            self, client, roles, art6):
        # Decision 0047: an agreement with several purposes and bases settles neither; the
        # person's last entry under it does, and the page shows them in a line, not as questions.
        second_purpose = PurposeFactory(agreement=roles.agreement, text="To keep a child safe")
        second_basis = LegalGatewayFactory(art6=True, provision="Art 6(1)(c)", title="Legal obligation")
        roles.agreement.gateways.add(second_basis)
        sign_in(client, roles.practitioner)
        first = form_of(client)
        assert (first["purpose"].value(), first["art6_basis"].value(), first.art6_settled) == (None, None, False)

        DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                          recipient_organisation=roles.partner, disclosed_by=roles.practitioner,
                          purpose=second_purpose, art6_basis=second_basis)
        response = client.get(CREATE)
        form = response.context["form"]

        assert (form["purpose"].value(), form["art6_basis"].value()) == (second_purpose.pk, second_basis.pk)
        page = html_lib.unescape(response.content.decode())
        summary = re.search(r'<details class="govuk-details" data-basis-settled>\s*<summary[^>]*>(.*?)</summary>',
                            page, re.S)
        assert summary and "To keep a child safe; Legal obligation" in re.sub(r"<[^>]+>", "", summary[1])
        # Still answerable without JavaScript: the questions are inside the details.
        assert page.index("data-basis-settled") < page.index('name="art6_basis"')

    def test_a_basis_the_agreement_does_not_cite_is_not_remembered(self, client, roles, art6):
        PurposeFactory(agreement=roles.agreement, text="To keep a child safe")
        roles.agreement.gateways.add(LegalGatewayFactory(art6=True, provision="Art 6(1)(c)"))
        elsewhere = LegalGatewayFactory(art6=True, provision="Art 6(1)(f)", title="Legitimate interests")
        DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                          recipient_organisation=roles.partner, disclosed_by=roles.practitioner,
                          art6_basis=elsewhere, art6_departure_reason="A one-off.")

        assert form_of(sign_in(client, roles.practitioner))["art6_basis"].value() is None

    def test_an_error_on_a_settled_basis_shows_its_questions(self, client, roles, art6):
        elsewhere = LegalGatewayFactory(art6=True, provision="Art 6(1)(f)", title="Legitimate interests")
        response = sign_in(client, roles.practitioner).post(CREATE, with_token(client, routine_share(
            roles, art6, art6_basis=elsewhere.pk)))

        form = response.context["form"]
        assert "art6_departure_reason" in form.errors and not form.art6_settled
        page = response.content.decode()
        assert "data-basis-settled" not in page
        details = page[page.rindex("<details", 0, page.index('name="art6_departure_reason"')):]
        assert details.startswith('<details class="govuk-details govuk-!-margin-bottom-3" open>')

    def test_how_much_and_what_it_included_follow_the_last_share_to_the_partner_and_nothing_else(
            self, client, roles, art6):
        DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                          recipient_organisation=roles.partner, disclosed_by=roles.practitioner,
                          data_level="detailed", data_categories=["housing", "asb"],
                          consent_status=ConsentStatus.IMPLIED, subject_informed="yes",
                          case_reference="ASB-2026-0001")
        DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,  # not a share
                          recipient_organisation=roles.partner, disclosed_by=roles.practitioner,
                          decision=Decision.NOT_SHARED, data_level="", data_categories=[], consent_status="",
                          subject_informed="", decision_reason="Not needed.")
        response = sign_in(client, roles.practitioner).get(CREATE)
        form = response.context["form"]

        assert (form["data_level"].value(), form["data_categories"].value()) == ("detailed", ["housing", "asb"])
        assert form.last_shares == {roles.partner.pk: {"data_level": "detailed",
                                                       "data_categories": ["housing", "asb"]}}
        assert b"data-filled-from-last hidden" not in response.content
        # What the case's auditor relies on is asked afresh every time.
        for name in ("consent_status", "subject_informed", "case_reference", "necessity_reason", "subject_type"):
            assert form[name].value() in (None, ""), name

    def test_nothing_is_filled_in_without_a_share_to_the_partner(self, client, roles, art6):
        response = sign_in(client, roles.practitioner).get(CREATE)

        assert response.context["form"]["data_level"].value() is None
        assert b"data-filled-from-last hidden" in response.content
        assert b'id="log-last-shares"' not in response.content

    def test_answers_in_the_address_are_initial_values_when_valid(self, client, roles, art6):
        form = form_of(sign_in(client, roles.practitioner), case_reference="ASB-2026-0099",
                       decision=Decision.NOT_SHARED, subject_type="nonsense", data_categories=["asb", "nonsense"],
                       recipient_organisation=roles.unrelated_organisation.pk, consent_status="explicit")

        assert form["case_reference"].value() == "ASB-2026-0099"
        assert form["decision"].value() == Decision.NOT_SHARED
        assert form["consent_status"].value() == "explicit"
        assert form["subject_type"].value() is None
        assert form["data_categories"].value() in (None, [])
        assert form["recipient_organisation"].value() == roles.partner.pk

    def test_the_recipients_named_spoc_is_offered_as_the_recipient(self, client, roles, art6):
        spoc = ContactFactory(organisation=roles.partner, name="Dana Whitlock", job_title="Information sharing officer",
                              email="dana.whitlock@police.example")
        PartyContact.objects.create(party=roles.partner_party, contact=spoc, role=ContactRole.SPOC)

        form = form_of(sign_in(client, roles.practitioner))

        assert (form["recipient_name"].value(), form["recipient_job_title"].value(),
                form["recipient_contact"].value()) == (
            "Dana Whitlock", "Information sharing officer", "dana.whitlock@police.example")

    def test_an_entry_offers_to_log_another_for_the_case(self, client, roles, art6):
        sign_in(client, roles.practitioner)
        response = client.post(CREATE, with_token(client, routine_share(roles, art6)))

        page = client.get(response["Location"]).content.decode()
        again = form_of(client, agreement=roles.agreement.pk, case_reference="ASB-2026-0042")

        assert (f'href="{CREATE}?agreement={roles.agreement.pk}&amp;case_reference=ASB-2026-0042">'
                "Log another for this case</a>") in page
        assert again["case_reference"].value() == "ASB-2026-0042"

    def test_a_reader_who_cannot_log_is_not_offered_to_log_another(self, client, roles):
        entry = DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                                  recipient_organisation=roles.partner, disclosed_by=roles.practitioner)

        page = sign_in(client, roles.auditor).get(reverse("sharing_log:detail", args=[entry.pk])).content

        assert b"Log another for this case" not in page


class TestLogAShareAgain:
    """The home page's "Log a share again with" links (decision 0047): the partner chosen by a
    click the person makes, not by a silent default; what was shared is then filled in from the
    last share to them, and nothing the case's auditor relies on."""

    def test_the_home_page_offers_the_partners_last_shared_with_and_the_link_chooses_them(
            self, client, roles, art6):
        DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                          recipient_organisation=roles.partner, disclosed_by=roles.practitioner,
                          data_level="detailed", data_categories=["housing"])
        home = sign_in(client, roles.practitioner).get(reverse("home"))

        assert [(agreement, partner) for agreement, partner in home.context["recent_partners"]] == [
            (roles.agreement, roles.partner)]
        link = f"{CREATE}?agreement={roles.agreement.pk}&amp;recipient_organisation={roles.partner.pk}"
        assert link in home.content.decode()

        response = client.get(CREATE, {"agreement": roles.agreement.pk, "recipient_organisation": roles.partner.pk})
        form = response.context["form"]
        assert (form["recipient_organisation"].value(), form["data_level"].value(),
                form["data_categories"].value()) == (roles.partner.pk, "detailed", ["housing"])
        assert form.filled_from_last and b"data-filled-from-last hidden" not in response.content
        for name in ("consent_status", "subject_informed", "case_reference", "necessity_reason"):
            assert form[name].value() in (None, ""), name

    def test_a_partner_that_can_no_longer_receive_and_decisions_not_to_share_are_not_offered(
            self, client, roles, art6):
        DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                          recipient_organisation=roles.partner, disclosed_by=roles.practitioner)
        other = PartyFactory(agreement=roles.agreement, signed=True).organisation
        DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                          recipient_organisation=other, disclosed_by=roles.practitioner,
                          decision=Decision.NOT_SHARED, data_level="", data_categories=[], consent_status="",
                          subject_informed="", decision_reason="Not needed.")
        type(roles.partner_party).objects.filter(pk=roles.partner_party.pk).update(
            status=PartyStatus.WITHDRAWN, withdrawal_notified_on=timezone.localdate() - datetime.timedelta(days=30),
            withdrawal_effective_on=timezone.localdate() - datetime.timedelta(days=1))

        home = sign_in(client, roles.practitioner).get(reverse("home"))

        assert home.context["recent_partners"] == []
        assert b"Log a share again with" not in home.content

    def test_the_home_page_reads_them_in_a_fixed_number_of_queries(self, client, roles, art6,
                                                                   django_assert_max_num_queries):
        from sharing_log.selectors import recent_partners

        for _ in range(5):
            DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                              recipient_organisation=roles.partner, disclosed_by=roles.practitioner)
        with django_assert_max_num_queries(4):
            found = recent_partners(roles.practitioner, on=timezone.localdate())
        assert found == [(roles.agreement, roles.partner)]
