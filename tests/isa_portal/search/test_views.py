"""Search (issue 16 item 4; docs/decisions/0059): one page across agreements, organisations,
contacts and legal gateways, and sharing log entries by exact case reference for those who may
read the log, each person finding what the pages themselves would show them.

These run on whichever database the run uses: SQLite's simple match in the normal run,
PostgreSQL's full-text search with ``DATABASE_URL`` pointing at PostgreSQL. Searches use whole
words, which both find.
"""

import re

import pytest
from django.urls import reverse

from agreements.models import GatewayStatus
from tests.factories import ContactFactory, DisclosureFactory, LegalGatewayFactory, OrganisationFactory

pytestmark = pytest.mark.django_db
URL = reverse("search:results")


def search(client, q, **params):
    return client.get(URL, {"q": q, **params})


def links(html: str) -> list[str]:
    return re.findall(r'<a class="govuk-link govuk-!-font-weight-bold" href="([^"]+)"', html)


def group_count(response, kind: str) -> int:
    return next(group.count for group in response.context["groups"] if group.kind == kind)


def test_a_governance_manager_finds_their_draft_and_the_agreement_in_force_each_linking_to_its_page(
    client, sign_in, roles,
):
    sign_in(client, roles.governance_manager)
    response = search(client, "Borsetshire")
    found = links(response.content.decode())
    assert roles.agreement.get_absolute_url() in found
    assert roles.draft.get_absolute_url() in found
    assert roles.owner.get_absolute_url() in found
    assert group_count(response, "agreements") == 2


def test_another_organisations_member_never_finds_its_draft_and_finds_the_agreement_in_force_on_the_register(
    client, sign_in, roles,
):
    sign_in(client, roles.unrelated)
    response = search(client, "Borsetshire")
    html = response.content.decode()
    found = links(html)
    assert roles.draft.get_absolute_url() not in found
    assert "Domestic Abuse Protocol" not in html
    assert reverse("register:detail", args=[roles.agreement.pk]) in found
    assert roles.agreement.get_absolute_url() not in found
    assert group_count(response, "agreements") == 1
    assert client.get(reverse("register:detail", args=[roles.agreement.pk])).status_code == 200


def test_an_agreement_is_found_by_its_reference_and_by_several_words_only_when_all_match(client, sign_in, roles):
    sign_in(client, roles.practitioner)
    assert roles.agreement.get_absolute_url() in links(search(client, "BCSP").content.decode())
    assert roles.agreement.get_absolute_url() in links(search(client, "community safety").content.decode())
    assert group_count(search(client, "community tenancy"), "agreements") == 0


def test_contacts_and_organisations_are_found_by_name_and_contacts_link_to_their_organisations_people(
    client, sign_in, roles,
):
    ContactFactory(organisation=roles.partner, name="Imogen Thistlewood", job_title="Analyst")
    OrganisationFactory(name="Thistlewood Parish Council")
    sign_in(client, roles.unrelated)
    response = search(client, "Thistlewood")
    found = links(response.content.decode())
    assert f"{roles.partner.get_absolute_url()}#contacts" in found
    assert group_count(response, "contacts") == 1
    assert group_count(response, "organisations") == 1


def test_a_gateway_is_found_by_its_words_with_the_agreements_citing_it_that_the_person_may_see(
    client, sign_in, roles,
):
    gateway = LegalGatewayFactory(instrument="Children Act 2004", provision="s10",
                                  title="Co-operation to improve wellbeing", summary="Safeguarding children.")
    roles.agreement.gateways.add(gateway)
    roles.draft.gateways.add(gateway)
    LegalGatewayFactory(instrument="Children Act 1989", provision="s47", title="Enquiries",
                        status=GatewayStatus.REPEALED)
    sign_in(client, roles.spoc)
    html = search(client, "wellbeing").content.decode()
    assert "Co-operation to improve wellbeing – Children Act 2004 s10" in html
    assert f'href="{roles.agreement.get_absolute_url()}"' in html
    # The draft is its owner's alone: the partner's SPOC does not see it cited.
    assert roles.draft.title not in html
    assert "Repealed" in search(client, "enquiries").content.decode()


def entry(roles, reference: str, **fields):
    return DisclosureFactory(
        agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
        disclosed_by=roles.practitioner, case_reference=reference, **fields,
    )


def test_entries_are_found_by_their_whole_case_reference_ignoring_letter_case(client, sign_in, roles):
    shared = entry(roles, "ASB-2026-0042")
    entry(roles, "ASB-2026-0043")
    sign_in(client, roles.practitioner)
    response = search(client, "asb-2026-0042")
    assert links(response.content.decode()) == [reverse("sharing_log:detail", args=[shared.pk])]
    assert group_count(response, "entries") == 1
    assert group_count(search(client, "ASB-2026"), "entries") == 0


def test_entries_are_never_found_by_the_words_of_their_summary(client, sign_in, roles):
    entry(roles, "ASB-1", summary="Address shared about Marmaduke's tenancy")
    sign_in(client, roles.governance_manager)
    assert group_count(search(client, "Marmaduke's"), "entries") == 0
    assert group_count(search(client, "tenancy"), "entries") == 0


@pytest.mark.parametrize("subject, finds", [
    ("practitioner", True), ("spoc", True), ("governance_manager", True), ("auditor", True),
    ("lead_signatory", None), ("admin", None), ("unrelated", False),
])
def test_who_finds_an_entry_by_its_case_reference_follows_who_may_read_it(client, sign_in, roles, subject, finds):
    entry(roles, "ASB-7")
    sign_in(client, roles.subject(subject))
    response = search(client, "ASB-7")
    kinds = [group.kind for group in response.context["groups"]]
    if finds is None:  # may not read the log: no such kind of result at all
        assert "entries" not in kinds
        assert "Sharing log" not in response.content.decode()
    else:
        assert group_count(response, "entries") == (1 if finds else 0)


def test_a_kind_is_read_a_page_at_a_time(client, sign_in, roles):
    for number in range(23):
        ContactFactory(organisation=roles.partner, name=f"Quillon Person{number}")
    sign_in(client, roles.practitioner)
    everything = search(client, "Quillon")
    assert len(links(everything.content.decode())) == 5
    assert "See all 23 contacts" in everything.content.decode()
    second = search(client, "Quillon", kind="contacts", page=2)
    assert len(links(second.content.decode())) == 3
    assert "21 to 23" in second.content.decode()


def test_a_search_too_long_shows_the_error_summary_and_no_results(client, sign_in, roles):
    sign_in(client, roles.practitioner)
    response = search(client, "Borsetshire " * 20)
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Search must be 200 characters or fewer" in html
    assert response.context["groups"] == []


def test_hostile_searches_find_nothing_and_break_nothing(client, sign_in, roles):
    sign_in(client, roles.governance_manager)
    for q in ['"', "-", "or", "&|!:*()", "' OR 1=1 --", "%", "_", "\\"]:
        response = search(client, q)
        assert response.status_code == 200, q
        assert links(response.content.decode()) == [], q


def test_an_empty_search_shows_the_box_and_no_results(client, sign_in, roles):
    sign_in(client, roles.practitioner)
    html = client.get(URL).content.decode()
    assert 'type="search"' in html
    assert "result" not in html.lower().split("<main", 1)[1]


def test_the_header_links_to_search_for_those_signed_in_only(client, sign_in, roles):
    assert 'href="/search/"' not in client.get(reverse("login")).content.decode()
    sign_in(client, roles.practitioner)
    assert '<a class="govuk-link govuk-link--inverse" href="/search/">Search</a>' in client.get("/").content.decode()


@pytest.mark.parametrize(("subject", "says_case_reference"), [("practitioner", True), ("lead_signatory", False)])
def test_the_box_says_what_it_searches_and_how_to_the_screen_reader_too(client, sign_in, roles, subject,
                                                                         says_case_reference):
    sign_in(client, roles.subject(subject))
    html = client.get(URL).content.decode()
    assert 'aria-describedby="id_q-hint"' in html
    assert "a minus sign before a word leaves it out" in html
    assert ("whole case reference" in html) is says_case_reference
    assert ("sharing log case references</label>" in html) is says_case_reference


def test_asking_for_a_kind_one_may_not_search_shows_every_kind_one_may_and_no_entry(client, sign_in, roles):
    entry(roles, "ASB-8")
    sign_in(client, roles.lead_signatory)
    response = search(client, "ASB-8", kind="entries")
    assert response.context["kind"] == ""
    assert "entries" not in [group.kind for group in response.context["groups"]]
    assert "/log/" not in response.content.decode().split("<main", 1)[1]


def test_a_page_number_past_the_end_shows_the_last_page(client, sign_in, roles):
    sign_in(client, roles.practitioner)
    response = search(client, "Borsetshire", kind="organisations", page="99")
    assert response.status_code == 200
    assert response.context["page"].number == 1
