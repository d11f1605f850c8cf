"""The help page and the glossary (issue 14, item 6): public, every term with its own anchor,
and linked ("What is this?") from the log form's legal-basis questions and the DPIA page."""

import re

import pytest
from django.urls import resolve, reverse

from govuk_blocks.glossary import GLOSSARY_PATH, GLOSSARY_TERMS, glossary_hint, glossary_url
from sharing_log.forms.legal_basis import LegalBasisForm

pytestmark = pytest.mark.django_db

TERMS = ["spoc", "legal-gateway", "article-6", "article-9", "schedule-1", "part-3", "dpia",
         "designated-manager", "onward-disclosure", "retention-rule", "breach-clocks"]


def test_the_glossary_path_is_the_glossary_page():
    assert reverse("glossary") == GLOSSARY_PATH
    assert resolve(GLOSSARY_PATH).url_name == "glossary"


def test_help_and_glossary_are_public(client):
    for name, heading in (("help", "Help"), ("glossary", "Glossary")):
        response = client.get(reverse(name))
        assert response.status_code == 200
        assert f'<h1 class="govuk-heading-l">{heading}</h1>' in response.content.decode()


def test_every_term_has_its_anchor_and_a_contents_link(client):
    body = client.get(reverse("glossary")).content.decode()
    assert [term for term, _ in GLOSSARY_TERMS] == TERMS
    for term, name in GLOSSARY_TERMS:
        assert len(re.findall(rf'id="{term}"', body)) == 1, term
        assert f'<a class="govuk-link" href="#{term}">{name}</a>' in body


def test_the_glossary_states_the_breach_clocks_and_the_bar_on_legitimate_interests(client):
    body = client.get(reverse("glossary")).content.decode()
    assert "within 72 hours of becoming aware of it" in body
    assert "They cannot rely on legitimate interests (Article 6(1)(f)) for their public tasks." in body


def test_every_link_from_the_help_page_to_the_glossary_names_a_term(client):
    body = client.get(reverse("help")).content.decode()
    anchors = re.findall(r'href="/help/glossary/#([\w-]+)"', body)
    assert anchors
    assert set(anchors) <= set(TERMS)


def test_a_hint_links_its_term_in_a_new_tab():
    assert str(glossary_hint("Needed when information was shared.", "article-6")) == (
        'Needed when information was shared. <a class="govuk-link" href="/help/glossary/#article-6" '
        'target="_blank" rel="noopener noreferrer">What is this?<span class="govuk-visually-hidden"> '
        'Article 6 lawful basis in the glossary</span> (opens in new tab)</a>')


def test_a_term_not_in_the_glossary_is_refused():
    with pytest.raises(ValueError, match="Not a glossary term: 'article-7'"):
        glossary_url("article-7")


def test_the_log_form_links_its_legal_basis_questions_to_the_glossary(client, roles, sign_in):
    sign_in(client, roles.spoc)
    body = client.get(reverse("sharing_log:create")).content.decode()
    for term in ("article-6", "article-9", "schedule-1", "designated-manager"):
        assert f'href="/help/glossary/#{term}" target="_blank"' in body, term


def test_the_gateway_and_part_3_questions_link_the_glossary_when_they_are_asked():
    """Both are on the page only for some agreements and organisations: their hints, directly."""
    fields = LegalBasisForm.base_fields
    assert 'href="/help/glossary/#legal-gateway"' in str(fields["gateways"].help_text)
    assert 'href="/help/glossary/#part-3"' in str(fields["law_enforcement_basis"].help_text)
    assert 'href="/help/glossary/#schedule-1"' in str(fields["criminal_offence_condition"].help_text)


def test_the_dpia_page_links_to_the_glossary(client, roles, sign_in):
    sign_in(client, roles.governance_manager)
    body = client.get(reverse("agreements:dpia", kwargs={"pk": roles.agreement.pk})).content.decode()
    assert body.count('href="/help/glossary/#dpia" target="_blank"') == 2


def test_the_parties_page_links_spoc_to_the_glossary(client, roles, sign_in):
    """Issue 14 audit: "SPOC" was in the glossary but no page that uses the word linked it."""
    sign_in(client, roles.practitioner)
    body = client.get(reverse("agreements:parties", kwargs={"pk": roles.agreement.pk})).content.decode()
    assert body.count('href="/help/glossary/#spoc" target="_blank"') == 1


@pytest.mark.parametrize(("subject", "page", "term"), [
    ("governance_manager", lambda roles: reverse("agreements:detail", args=[roles.agreement.pk]), "legal-gateway"),
    ("governance_manager", lambda roles: reverse("agreements:detail", args=[roles.agreement.pk]), "retention-rule"),
    ("governance_manager", lambda roles: reverse("agreements:parties", args=[roles.agreement.pk]), "spoc"),
    ("governance_manager", lambda roles: reverse("agreements:signatures", args=[roles.agreement.pk]), "spoc"),
    ("practitioner", lambda roles: reverse("partners:organisation_detail", args=[roles.partner.pk]), "spoc"),
    ("spoc", lambda roles: reverse("sharing_log:onward_request", args=[roles.disclosure_to_partner.pk]),
     "onward-disclosure"),
], ids=["agreement-gateways", "agreement-retention", "parties", "signatures", "organisation", "pass-on"])
def test_pages_that_use_a_term_link_it_to_the_glossary(client, roles, sign_in, subject, page, term):
    sign_in(client, roles.subject(subject))

    response = client.get(page(roles))

    assert response.status_code == 200
    assert f'href="{glossary_url(term)}"' in response.content.decode()


def test_the_breach_pages_link_the_breach_clocks_to_the_glossary(client, roles, sign_in):
    # Issue 14, item 6: the 72 hours to the ICO and the partners' working days are breach clocks.
    import datetime

    from django.utils import timezone

    from agreements.models import Breach

    breach = Breach.objects.create(
        agreement=roles.agreement, reporting_organisation=roles.owner,
        discovered_at=timezone.now() - datetime.timedelta(hours=20), description="Sent to the wrong team.",
    )
    sign_in(client, roles.governance_manager)
    for page in (reverse("breaches:list"), reverse("breaches:detail", args=[breach.pk]),
                 reverse("breaches:ico", args=[breach.pk])):
        response = client.get(page)
        assert response.status_code == 200, page
        assert f'href="{glossary_url("breach-clocks")}"' in response.content.decode(), page


def test_an_entry_links_its_part_3_or_article_6_basis_to_the_glossary(client, roles, sign_in):
    from tests.factories import DisclosureFactory, LegalGatewayFactory

    between = {"agreement": roles.agreement, "disclosing_organisation": roles.owner,
               "recipient_organisation": roles.partner, "disclosed_by": roles.practitioner}
    police = DisclosureFactory(**between, art6_basis=None, law_enforcement_basis=LegalGatewayFactory(part3=True))
    council = DisclosureFactory(**between)
    sign_in(client, roles.practitioner)

    part3 = client.get(reverse("sharing_log:detail", args=[police.pk])).content.decode()
    art6 = client.get(reverse("sharing_log:detail", args=[council.pk])).content.decode()

    assert f'href="{glossary_url("part-3")}"' in part3 and f'href="{glossary_url("article-6")}"' not in part3
    assert f'href="{glossary_url("article-6")}"' in art6
