"""Welsh on the pages added for issue 17 (docs/decisions/0058): single sign-on, the flow maps, the
kinds of agreement and organisation assurance. Each page is read with Welsh chosen in the switch:
its Welsh words are there and a known English heading or label is not, so a string left unmarked
fails here. (The DPO and QA reviews' pages are tested apart.) That every marked string has its
Welsh is tests/isa_portal/test_translations.py's."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from agreements.models import Agreement, Article28Term, DataItem, DataLevel, DocumentLanguage, Kind, KindTerms
from agreements.pdf import StaticOnlyURLFetcher, agreement_pdf
from agreements.services import agreement_version_create
from govuk_blocks.dates import long_date
from isa_portal.reports.selectors import default_period
from partners.models import Organisation
from sso.services import NOT_KNOWN
from sso.views import PENDING_KEY
from tests.agreements.test_agreement_language import pdf_text
from tests.factories import AgreementFactory, DisclosureFactory, PartyFactory
from tests.isa_portal.welsh import in_welsh, read

# Lapses and renewals are counted from this day, not from one that may turn mid-run.
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]

TODAY = PINNED.date()


def agreement_url(name: str, agreement: Agreement, **kwargs) -> str:
    return reverse(f"agreements:{name}", kwargs={"pk": agreement.pk, **kwargs})


def of_kind(agreement: Agreement, kind: str) -> Agreement:
    Agreement.objects.filter(pk=agreement.pk).update(kind=kind)
    agreement.refresh_from_db()
    return agreement


class TestSingleSignOn:
    def test_the_organisation_sign_in_page_and_its_errors(self):
        client = in_welsh(Client())

        page = read(client.get(reverse("sso_sign_in")))
        refused = read(client.post(reverse("sso_sign_in"), {"email": "not an address"}))

        assert '<html lang="cy"' in page
        assert "Mewngofnodi gyda chyfrif eich sefydliad" in page
        assert "Eich cyfeiriad e-bost gwaith" in page
        assert "Mewngofnodwch gyda’ch enw defnyddiwr a’ch cyfrinair Porth ISA yn lle hynny" in page
        assert "Sign in with your organisation's account" not in page
        assert "Your work e-mail address" not in page
        assert "Rhowch gyfeiriad e-bost yn y fformat cywir, fel enw@enghraifft.gov.uk." in refused
        assert "Enter an e-mail address in the correct format" not in refused

    def test_the_refusal_page(self):
        client = in_welsh(Client())

        page = read(client.get(reverse("sso_callback")), status=400)

        assert "Ni allwch fewngofnodi gyda chyfrif eich sefydliad" in page
        assert "Mae’r ddolen fewngofnodi hon wedi dod i ben neu wedi’i defnyddio eisoes. Dechreuwch eto." in page
        assert f'<a class="govuk-link" href="{reverse("sso_sign_in")}">Dechrau eto</a>' in page
        assert "You cannot sign in with your organisation's account" not in page
        assert "Start again" not in page

    def test_the_security_code_page(self):
        client = in_welsh(Client())
        client.force_login(get_user_model().objects.create_user("ceri.sso", "ceri@example.gov.uk"))
        session = client.session
        session[PENDING_KEY] = True
        session.save()

        page = read(client.get(reverse("sso_code")))
        error = read(client.post(reverse("sso_code"), {"otp_token": ""}))

        assert "Rhowch eich cod diogelwch" in page
        assert "Cod diogelwch" in page
        assert "Enter your security code" not in page
        assert "Rhowch y cod 6 digid o’ch ap dilysu." in error

    def test_the_signed_out_page(self):
        client = in_welsh(Client())

        page = read(client.get(reverse("signed_out")))

        assert '<html lang="cy"' in page
        assert "Rydych wedi allgofnodi o Borth ISA." in page
        assert "Os ydych yn defnyddio cyfrifiadur a rennir, caewch y porwr hefyd." in page
        assert f'<a class="govuk-link" href="{reverse("login")}">Mewngofnodi eto</a>' in page
        assert "You have signed out" not in page

    def test_a_refusal_from_the_service_is_read_in_the_language_of_the_page(self):
        with translation.override("cy"):
            assert str(NOT_KNOWN).startswith("Nid yw cyfrif eich sefydliad wedi’i gysylltu â Phorth ISA eto.")
        with translation.override("en-gb"):
            assert str(NOT_KNOWN).startswith("Your organisation's account is not linked to ISA Portal yet.")


class TestFlowMaps:
    @pytest.fixture
    def flows(self, roles):
        item = DataItem.objects.create(agreement=roles.agreement, provider_label="Police", description="Names.",
                                       level=DataLevel.DETAILED)
        item.providers.add(roles.partner_party)
        for _ in range(3):
            DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                              recipient_organisation=roles.partner, disclosed_by=roles.practitioner,
                              occurred_at=timezone.now() - datetime.timedelta(days=30))
        return roles

    def test_an_agreements_map_its_diagram_and_table(self, client, sign_in, flows):
        client = in_welsh(sign_in(client, flows.governance_manager))

        page = read(client.get(reverse("reports:agreement_flows", args=[flows.agreement.pk])))

        assert '<h1 class="govuk-heading-l">Map llif</h1>' in page
        first, last = default_period()
        with translation.override("cy"):  # Django's Welsh month names
            assert f"Yn dangos {long_date(first)} i {long_date(last)}." in page
        assert "Allwedd" in page and "Dangos y llifoedd" in page
        assert "! Heb ei ddatgan" in page  # the diagram's badge
        assert "Rhannwyd: llai na 5" in page  # the diagram's counts
        assert "Wedi’i ddatgan, heb ei ddefnyddio" in page
        assert "Nid yw’r sefydliad yn darparu unrhyw ddata o dan y cytundeb" in page  # the table’s reason
        assert "Manwl" in page  # the level, in the reader's language
        for english in ("Flow map</h1>", "Showing", "Not declared", "fewer than 5", "Declared, not used",
                        "Data categories shared", "Any other party"):
            assert english not in page, english

    def test_an_organisations_map_and_its_period_errors(self, client, sign_in, flows):
        client = in_welsh(sign_in(client, flows.governance_manager))

        page = read(client.get(reverse("reports:organisation_flows", args=[flows.partner.pk]),
                               {"date_from": "31/3/2026", "date_to": "1/3/2026"}))

        assert "Yn ôl i’r sefydliad" in page
        assert "Er enghraifft, 1/1/2026" in page
        assert "Back to the organisation" not in page and "For example" not in page

    def test_declared_flows_only_for_those_who_may_not_read_the_log(self, client, sign_in, flows):
        client = in_welsh(sign_in(client, flows.lead_signatory))

        page = read(client.get(reverse("reports:agreement_flows", args=[flows.agreement.pk])))

        assert "Ni chewch ddarllen y log rhannu" in page
        assert "You may not read the sharing log" not in page


class TestKindsOfAgreement:
    @pytest.fixture
    def manager(self, client, sign_in, roles):
        return in_welsh(sign_in(client, roles.governance_manager))

    def test_starting_from_a_template(self, manager):
        page = read(manager.get(reverse("agreements:create")))

        assert "Dechrau cytundeb newydd" in page
        assert "Dechrau o dempled" in page
        assert "Protocol rhannu gwybodaeth (adrannau WASPI)" in page
        assert "Trefniant cyd-reolyddion (Erthygl 26 GDPR y DU)" in page
        for english in ("Start a new agreement", "Start from a template", "WASPI sections", "Choose a template"):
            assert english not in page, english

    def test_the_essence_of_a_joint_controller_arrangement(self, manager, roles):
        draft = of_kind(roles.draft, Kind.JOINT_CONTROLLER)

        page = read(manager.get(agreement_url("task_kind", draft)))
        error = read(manager.post(agreement_url("task_kind", draft), {}))

        assert '<h1 class="govuk-heading-l">Hanfod y trefniant</h1>' in page
        assert "Pa barti sy’n ateb pa hawliau gwrthrychau data?" in page
        assert ">Cadw</button>" in page
        assert "Essence of the arrangement" not in page and "Which party answers" not in page
        assert "Nodwch y pwynt cyswllt ar gyfer gwrthrychau data." in error

    def test_the_article_28_terms_and_sub_processors(self, manager, roles):
        draft = of_kind(roles.draft, Kind.PROCESSING_CONTRACT)

        page = read(manager.get(agreement_url("task_kind", draft)))
        adding = read(manager.get(agreement_url("sub_processor_add", draft)))

        assert "Telerau Erthygl 28" in page and "Is-broseswyr" in page and "Ychwanegu is-brosesydd" in page
        assert "(a) Mae’r prosesydd yn gweithredu ar gyfarwyddiadau dogfennol y rheolydd yn unig" in page
        assert "(a) The processor acts" not in page and "Sub-processors" not in page
        assert "Enw’r is-brosesydd" in adding and "Name of the sub-processor" not in adding

    def test_the_discloser_and_recipient(self, manager, roles):
        draft = of_kind(roles.draft, Kind.DATA_DISCLOSURE)

        page = read(manager.get(agreement_url("task_kind", draft)))

        assert "Pa barti sy’n datgelu?" in page and "Which party discloses?" not in page

    def test_the_kind_terms_on_the_agreements_page(self, manager, roles):
        draft = of_kind(roles.draft, Kind.JOINT_CONTROLLER)

        page = read(manager.get(agreement_url("detail", draft)))

        assert "Hanfod y trefniant cyd-reolyddion (Erthygl 26 GDPR y DU)" in page
        assert "Trefniant cyd-reolyddion (Erthygl 26 GDPR y DU)" in page  # the kind's name
        assert "Essence of the joint controller arrangement" not in page


class TestOrganisationAssurance:
    def test_the_organisations_page(self, client, sign_in, roles):
        Organisation.objects.filter(pk=roles.partner.pk).update(
            ods_code="RGT", dspt_status="met", dspt_published_on=TODAY - datetime.timedelta(days=400))
        client = in_welsh(sign_in(client, roles.governance_manager))

        page = read(client.get(reverse("partners:organisation_detail", args=[roles.partner.pk])))

        assert "Cod ODS" in page and "Statws y DSPT" in page
        assert "Wedi bodloni’r safonau" in page and "DSPT wedi dod i ben" in page
        assert "Rhif cofrestru ICO" in page
        for english in ("ODS code", "DSPT status", "Standards met", "DSPT lapsed", "ICO registration number"):
            assert english not in page, english

    def test_the_organisations_form(self, client, sign_in, roles):
        client = in_welsh(sign_in(client, roles.governance_manager))

        page = read(client.get(reverse("partners:organisation_edit", args=[roles.owner.pk])))

        assert "Statws y Pecyn Cymorth Diogelwch a Diogelu Data (DSPT)" in page
        assert "Dyddiad cyhoeddi’r DSPT" in page
        assert "Data Security and Protection Toolkit" not in page and "DSPT publication date" not in page
        assert "Cod ODS" in page and "Rhif cofrestru ICO" in page
        assert "ODS code" not in page and "ICO registration number" not in page

    def test_the_parties_table_and_acting_for_a_party(self, client, sign_in, roles):
        Organisation.objects.filter(pk=roles.partner.pk).update(
            ico_registration_number="ZA123456", ico_renewal_date=TODAY - datetime.timedelta(days=1))
        client = in_welsh(sign_in(client, roles.governance_manager))
        act_for = agreement_url("party_act_for", roles.agreement, party_pk=roles.partner_party.pk)

        table = read(client.get(agreement_url("parties", roles.agreement)))
        page = read(client.get(act_for))
        acted = read(client.post(act_for, {"action": "start"}, follow=True))

        assert '<strong class="govuk-tag govuk-tag--red">Cofrestriad ICO wedi dod i ben</strong>' in table
        assert "Gweithredu ar ei ran" in table and "ICO registration lapsed" not in table
        assert f"<h1 class=\"govuk-heading-l\">Gweithredu ar ran {roles.partner}</h1>" in page
        assert f"Nid oes neb yn gweinyddu {roles.partner} yn y porth" in page
        assert "Act for" not in page and "Nobody administers" not in page
        assert f"Rydych bellach yn gweithredu ar ran {roles.partner}." in acted
        assert "yn gweithredu ar ei ran ers" in acted and "Acted for by" not in acted


def test_the_kind_terms_in_the_pdf_of_an_agreement_written_in_welsh(tmp_path):
    """The PDF is in the agreement's language whatever the reader's: its kind terms' headings, and
    the Article 28(3) terms frozen in English, read in Welsh."""
    agreement = AgreementFactory(kind=Kind.PROCESSING_CONTRACT, language=DocumentLanguage.WELSH)
    PartyFactory(agreement=agreement, organisation=agreement.owner)
    KindTerms.objects.create(agreement=agreement, controller="Cyngor Sir Ynys Môn", processor="Gwesteio Cyf",
                             article_28_terms=[Article28Term.INSTRUCTIONS])
    version = agreement_version_create(agreement=agreement, label="1.0")

    with translation.override("en-gb"):
        text = pdf_text(agreement_pdf(agreement, version, url_fetcher=StaticOnlyURLFetcher()), tmp_path)

    assert version.content["kind_terms"]["article_28_terms"] == [Article28Term.INSTRUCTIONS.label]
    for words in ("Contract prosesu (Erthygl 28 GDPR y DU)", "Telerau Erthygl 28(3) sy’n bresennol",
                  "(a) Mae’r prosesydd yn gweithredu ar gyfarwyddiadau dogfennol y rheolydd yn unig",
                  "Cyngor Sir Ynys Môn"):
        assert words in text, words
    assert "Processing contract (UK GDPR Article 28)" not in text and "(a) The processor" not in text
