"""Query budgets (issue 15): a page asks the database a fixed number of questions whatever the
size of the log and of the page — list pages at most ``LIST_BUDGET``, detail pages at most
``DETAIL_BUDGET``, logging a disclosure at most ``LOGGING_BUDGET``.

Each test counts a page's queries on a small log, grows the log (more entries, more partners,
corrections, acknowledgements), and counts again: the count must not move, and must be within
the budget. Counting twice is what makes a budget mean "constant": a page under budget on a tiny
log may still ask once per row."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sharing_log.models import Decision, Disclosure
from sharing_log.services import disclosure_acknowledge, disclosure_amend
from tests.auth import sign_in
from tests.factories import DisclosureFactory, LegalGatewayFactory, OrganisationFactory, PartyFactory
from tests.sharing_log.helpers.disclosures import routine_share, with_token

pytestmark = pytest.mark.django_db

LIST_BUDGET = 10
DETAIL_BUDGET = 15
LOGGING_BUDGET = 20


def asked(captured: CaptureQueriesContext) -> list[str]:
    """The queries captured, without the savepoints: a test runs in a transaction, so each
    ``atomic`` block of the request is a SAVEPOINT and a RELEASE here where it would be the
    transaction's BEGIN and COMMIT in production, which ask nothing of the data."""
    return [query["sql"] for query in captured.captured_queries
            if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))]


def queries(client, url, params=None) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return asked(captured)


def grow_log(roles, *, entries: int = 6) -> None:
    """More of everything a list row shows: partners, both directions, refusals, corrections
    and acknowledgements."""
    for number in range(entries):
        third = PartyFactory(agreement=roles.agreement, signed=True,
                             organisation=OrganisationFactory(name=f"Borsetshire Partner {number}")).organisation
        shared = DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
            disclosed_by=roles.practitioner, data_categories=["asb", "housing"],
        )
        DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.partner, recipient_organisation=third,
            disclosed_by=roles.spoc, decision=Decision.NOT_SHARED, decision_reason="Not necessary.",
        )
        if number % 3 == 0:
            disclosure_amend(disclosure=shared, by_user=roles.practitioner, field="summary",
                             value="Attendance concerns.", reason="Clearer.")
        if number % 2 == 0:
            disclosure_acknowledge(disclosure=shared, by_user=roles.spoc)


LIST_PAGES = [
    ("sharing_log:list", {}),
    ("sharing_log:list", {"data_category": "asb"}),
    ("sharing_log:list", {"decision": "shared", "case_reference": "ASB-1"}),
    ("sharing_log:received", {}),
]


@pytest.mark.parametrize("subject", ["practitioner", "spoc", "governance_manager", "auditor"])
def test_the_log_lists_ask_a_fixed_number_of_questions(client, roles, subject):
    assert roles.disclosure.pk and roles.disclosure_to_partner.pk
    sign_in(client, roles.subject(subject))
    pages = [(reverse(url_name), params) for url_name, params in LIST_PAGES]
    queries(client, *pages[0])  # the session's first request writes its activity
    small = [queries(client, url, params) for url, params in pages]

    grow_log(roles)
    large = [queries(client, url, params) for url, params in pages]

    for (url, params), before, after in zip(pages, small, large, strict=True):
        assert len(after) == len(before), (url, params, "\n".join(after))
        assert len(after) <= LIST_BUDGET, (url, params, "\n".join(after))


def test_logging_a_routine_share_asks_at_most_the_logging_budget(client, roles):
    art6 = LegalGatewayFactory(art6=True)
    roles.agreement.gateways.add(art6)
    grow_log(roles, entries=3)
    sign_in(client, roles.practitioner)
    data = with_token(client, routine_share(roles, art6))

    with CaptureQueriesContext(connection) as captured:
        response = client.post(reverse("sharing_log:create"), data)

    assert response.status_code == 302, response.content.decode()[:2000]
    logged = Disclosure.objects.order_by("-pk").first()
    assert logged.history.count() == 1
    assert len(asked(captured)) <= LOGGING_BUDGET, "\n".join(asked(captured))
