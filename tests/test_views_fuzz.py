"""Hostile posts through the real pages (issue 12, bad input): 360 generated requests, 40 for
each of the 9 pages below, each sent by the test client as a browser would (the session's
one-time token included where the page has one). No response is a server error (the test
client raises any exception a view lets out), and a refused post (the form shown again) leaves
every table it could write as it was; a post that is accepted makes a whole write and
redirects. tests/test_forms_fuzz.py sends 12,876 more to every form of the portal directly.
"""

import datetime

import pytest
from django.apps import apps
from django.urls import reverse
from hypothesis import given

from agreements.forms import breaches, dpias, drafting, signing
from govuk_blocks import once
from partners import forms as partner_forms
from partners.models import Organisation
from sharing_log.forms import amendments, closures, disclosures, lists
from tests.auth import sign_in
from tests.factories import AgreementVersionFactory
from tests.fuzzing import fuzz_settings, posts

pytestmark = pytest.mark.django_db

EXAMPLES_PER_PAGE = 40

# Every table a page might write, counted before and after a refused post.
_LOG = ["sharing_log.Disclosure", "sharing_log.HistoricalDisclosure", "sharing_log.Amendment",
        "sharing_log.CaseClosure"]
_AGREEMENTS = ["agreements.Agreement", "agreements.HistoricalAgreement", "agreements.Breach",
               "agreements.InformationRequest", "agreements.Signature", "agreements.Party"]
_PARTNERS = ["partners.Organisation", "partners.HistoricalOrganisation"]


def _version(cast):
    return cast.agreement.versions.first() or AgreementVersionFactory(agreement=cast.agreement)


# name: (who, url(cast), the form as the page makes it, the tables it writes, method)
PAGES = {
    "log an entry": (
        "practitioner", lambda cast: reverse("sharing_log:create"),
        lambda cast: disclosures.DisclosureForm(user=cast.practitioner, today=datetime.date.today()),
        _LOG, "post"),
    "correct an entry": (
        "spoc", lambda cast: reverse("sharing_log:amend", args=[cast.disclosure.pk]),
        lambda cast: amendments.AmendmentForm(disclosure=cast.disclosure), _LOG, "post"),
    "close a case": (
        "governance_manager", lambda cast: reverse("sharing_log:case_close"),
        lambda cast: closures.CaseCloseForm(user=cast.governance_manager), _LOG, "post"),
    "filter the log": (
        "auditor", lambda cast: reverse("sharing_log:list"),
        lambda cast: lists.LogFilterForm(user=cast.auditor), _LOG, "get"),
    "add an organisation": (
        "governance_manager", lambda cast: reverse("partners:organisation_create"),
        lambda cast: partner_forms.OrganisationForm(), _PARTNERS, "post"),
    "start an agreement": (
        "governance_manager", lambda cast: reverse("agreements:create"),
        lambda cast: drafting.AgreementStartForm(user=cast.governance_manager, owners=Organisation.objects.all()),
        _AGREEMENTS, "post"),
    "record a breach": (
        "governance_manager", lambda cast: reverse("breaches:create"),
        lambda cast: breaches.BreachForm(user=cast.governance_manager), _AGREEMENTS, "post"),
    "upload a directory to import": (
        "governance_manager", lambda cast: reverse("partners:directory_import"),
        lambda cast: partner_forms.DirectoryImportForm(), _PARTNERS + ["partners.Contact"], "post"),
    "record a returned signature form with its scan": (
        "governance_manager", lambda cast: reverse("agreements:party_paper_signature", kwargs={
            "pk": cast.agreement.pk, "party_pk": cast.partner_party.pk}),
        lambda cast: signing.PaperSignatureForm(versions=[_version(cast)]), _AGREEMENTS, "post"),
    "record the DPIA": (
        "governance_manager", lambda cast: reverse("agreements:dpia", args=[cast.agreement.pk]),
        lambda cast: dpias.DpiaForm(), ["agreements.Dpia", "agreements.HistoricalDpia"], "post"),
}


def _counts(labels: list[str]) -> dict[str, int]:
    return {label: apps.get_model(label).objects.count() for label in labels}


@pytest.mark.parametrize("page", list(PAGES))
def test_a_page_answers_40_hostile_posts_without_an_error_or_a_half_write(client, roles, page):
    """40 generated requests per page; 400 across the 10 pages."""
    who, url_of, form_of, tables, method = PAGES[page]
    user = roles.subject(who)
    url, blank = url_of(roles), form_of(roles)
    sign_in(client, user)
    foreign_ids = [roles.unrelated_agreement.pk, roles.unrelated_organisation.pk, roles.draft.pk, 0, 2 ** 63]

    @fuzz_settings(EXAMPLES_PER_PAGE)
    @given(posts(blank, foreign_ids))
    def answers(post):
        data, files = post
        if page == "log an entry":  # a token the session issued, as the page would have
            session = client.session
            token = f"t{len(session.get(once.SESSION_KEY, {}).get('sharing_log:create', {}))}"
            session[once.SESSION_KEY] = {"sharing_log:create": {token: None}}
            session.save()
            data.setlist(once.FIELD, [token])
        before = _counts(tables)
        if method == "get":
            response = client.get(url, data)
        else:
            response = client.post(url, {**{key: data.getlist(key) for key in data}, **files})
        assert response.status_code in (200, 302, 403, 404), response.status_code
        if response.status_code != 302:
            assert _counts(tables) == before

    answers()


@pytest.mark.parametrize("value", ["99999999999999999999", str(2 ** 63), "-" + "9" * 30, "1" * 5000, "\u0663", "x"])
@pytest.mark.parametrize(("who", "page", "parameter"), [
    ("governance_manager", lambda cast: reverse("agreements:pdf", args=[cast.agreement.pk]), "version"),
    ("governance_manager", lambda cast: reverse("agreements:version_diff", args=[cast.agreement.pk, 1]), "from"),
    ("auditor", lambda cast: reverse("sharing_log:list"), "after"),
    ("auditor", lambda cast: reverse("sharing_log:list"), "before"),
    ("auditor", lambda cast: reverse("sharing_log:list"), "agreement"),
    ("practitioner", lambda cast: reverse("notifications"), "page"),
], ids=["pdf version", "diff from", "log after", "log before", "log agreement", "notifications page"])
def test_a_number_out_of_range_in_the_address_is_no_server_error(client, roles, who, page, parameter, value):
    _version(roles)
    sign_in(client, roles.subject(who))

    response = client.get(page(roles), {parameter: value})

    assert response.status_code in (200, 404)
