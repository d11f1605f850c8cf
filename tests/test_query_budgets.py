"""Query budgets (issue 15): a page asks the database a fixed number of questions whatever the
size of the log and of the page — list pages at most ``LIST_BUDGET``, detail pages at most
``DETAIL_BUDGET``, logging a disclosure at most ``LOGGING_BUDGET``.

Each test counts a page's queries on a small log, grows the log (more entries, more partners,
corrections, acknowledgements), and counts again: the count must not move, and must be within
the budget. Counting twice is what makes a budget mean "constant": a page under budget on a tiny
log may still ask once per row."""

import copy
import datetime
import time

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from agreements.models import Breach
from agreements.services import breach_record, information_request_record
from isa_portal.middleware import SESSION_SEEN_KEY
from sharing_log.models import CaseClosure, Decision, Disclosure, SubjectInformed
from sharing_log.services import (
    case_close,
    disclosure_acknowledge,
    disclosure_amend,
    disclosure_mark_inaccurate,
    escalation_raise,
    onward_disclosure_request,
)
from tests.auth import sign_in
from tests.factories import DisclosureFactory, LegalGatewayFactory, OrganisationFactory, PartyFactory
from tests.sharing_log.helpers.disclosures import routine_share, with_token

pytestmark = pytest.mark.django_db

LIST_BUDGET = 10
DETAIL_BUDGET = 15
LOGGING_BUDGET = 20
# The home page and "What's due" compose some twenty readers of every app (reviews, signatures,
# breaches, requests, receipts, copies …: ``isa_portal.due``), each counted or read a page at a
# time in a query or two whatever the log's size: constant, but above ``LIST_BUDGET``.
COMPOSED_BUDGET = 50
COMPOSED_PAGES = {"home", "due", "reports:dashboard"}
# Who manages no agreement asks none of the managers' readers (decision 0048, amended): a debt
# to be lowered, never raised (the SPOC's home page asks 26, the practitioner's 19).
COMPOSED_BUDGET_MANAGING_NOTHING = 30


def asked(captured: CaptureQueriesContext) -> list[str]:
    """The queries captured, without the savepoints: a test runs in a transaction, so each
    ``atomic`` block of the request is a SAVEPOINT and a RELEASE here where it would be the
    transaction's BEGIN and COMMIT in production, which ask nothing of the data."""
    return [query["sql"] for query in captured.captured_queries
            if not query["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT"))]


def seen_now(client) -> None:
    """Write the session's activity time as of now, before a count. The session limits write it
    at most once a minute (``isa_portal.middleware``); a count whose request fell just past the
    minute since the last write was one query higher than its twin, a failure seen only on a slow
    machine. A session's first request still writes it (the warm-ups below)."""
    session = client.session
    if SESSION_SEEN_KEY in session:
        session[SESSION_SEEN_KEY] = int(time.time())
        session.save()


def queries(client, url, params=None) -> list[str]:
    seen_now(client)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200, url
    return asked(captured)


def grow_log(roles, *, entries: int = 6, tag: str = "") -> None:
    """More of everything a list row shows: partners, both directions, refusals, corrections
    and acknowledgements."""
    for number in range(entries):
        third = PartyFactory(agreement=roles.agreement, signed=True,
                             organisation=OrganisationFactory(name=f"Borsetshire Partner {tag}{number}")).organisation
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


def grow_everything(roles, *, rounds: int = 3, first: int = 1) -> None:
    """More of what every list and detail page shows, around the standard cast: entries
    (``grow_log``), and in each round a breach, a request, a refusal escalated, a request to pass
    an entry on, a copy to correct, a person to tell, a case closed, and the notices they send."""
    grow_log(roles, entries=rounds * 2, tag=f"{first}-")
    today = timezone.localdate()
    for number in range(first * 100, first * 100 + rounds):
        breach_record(
            agreement=roles.agreement, reporting_organisation=roles.partner, kind="breach",
            discovered_at=timezone.now() - datetime.timedelta(days=number + 1),
            description=f"Letter {number} went astray.", data_involved="An address.",
            personal_data_breach=True, by_user=roles.spoc,
        )
        information_request_record(
            agreement=roles.agreement, kind="subject_access", received_on=today, organisation=roles.partner,
            description=f"Records {number} about the requester.", by_user=roles.governance_manager,
        )
        refusal = DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.partner, recipient_organisation=roles.owner,
            disclosed_by=roles.spoc, decision=Decision.REQUEST_REFUSED, art6_basis=None,
            case_reference=f"ESC-{number}", decision_reason="Would prejudice an investigation.",
        )
        escalation_raise(disclosure=refusal, by_user=roles.practitioner, organisation=roles.owner,
                         concern="A child may be at risk at the address.")
        shared = DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
            disclosed_by=roles.practitioner, case_reference=f"ASB-{number + 10}",
            subject_informed=SubjectInformed.NOT_YET, subject_told_by=today + datetime.timedelta(days=number),
        )
        onward_disclosure_request(disclosure=shared, by_user=roles.spoc, purpose="A joint visit.",
                                  third_party_name=f"Borsetshire Youth Service {number}")
        disclosure_mark_inaccurate(disclosure=shared, by_user=roles.practitioner, what_is_wrong="The date was wrong.")
        case_close(by_user=roles.governance_manager, organisation=roles.owner, case_reference=f"ASB-{number + 10}",
                   closed_on=today)


# (URL name, the subjects who may open it): every page listing rows that grow.
GROWING_LISTS = [
    ("home", ["practitioner", "spoc", "governance_manager", "auditor"]),
    ("due", ["practitioner", "spoc", "governance_manager", "auditor"]),
    # The reports (issue 16): the log counted in GROUP BY queries, signatures, reviews, breaches.
    ("reports:dashboard", ["practitioner", "spoc", "governance_manager", "auditor"]),
    ("notifications", ["practitioner", "spoc", "governance_manager"]),
    ("sharing_log:inbox", ["spoc"]),
    ("sharing_log:escalations", ["practitioner", "spoc", "governance_manager", "auditor"]),
    ("sharing_log:onward_list", ["spoc", "governance_manager"]),
    ("sharing_log:copies", ["spoc"]),
    ("sharing_log:cases", ["practitioner", "spoc", "governance_manager", "auditor"]),
    ("breaches:list", ["spoc", "governance_manager", "auditor"]),
    ("requests:list", ["spoc", "governance_manager"]),
    ("agreements:list", ["practitioner", "spoc", "governance_manager", "auditor"]),
    ("partners:organisation_list", ["practitioner", "governance_manager"]),
    ("register:list", ["anonymous"]),  # the public register
    ("agreements:gateway_proposals", ["governance_manager", "admin"]),
]


GROWING_CELLS = [(url_name, subject) for url_name, subjects in GROWING_LISTS for subject in subjects]


@pytest.mark.parametrize(("url_name", "subject"), GROWING_CELLS)
def test_every_growing_list_asks_a_fixed_number_of_questions(counted, url_name, subject):
    small, large = counted[url_name, subject]

    # Never more; fewer when the page no longer reaches a part (so much overdue that nothing
    # coming up is on the first page).
    assert len(large) <= len(small), "\n".join(large)
    if url_name not in COMPOSED_PAGES:
        budget = LIST_BUDGET
    elif subject == "governance_manager":
        budget = COMPOSED_BUDGET
    else:
        budget = COMPOSED_BUDGET_MANAGING_NOTHING
    assert len(large) <= budget, "\n".join(large)


def _entry(roles):
    return roles.disclosure.pk


def _breach(roles):
    return Breach.objects.order_by("pk").first().pk


def _case(roles):
    return CaseClosure.objects.order_by("pk").first().pk


# (URL name, the object's pk from the cast, the subjects who may open it): the main detail pages.
DETAIL_PAGES = [
    ("sharing_log:detail", _entry, ["spoc", "governance_manager", "auditor"]),
    ("agreements:detail", lambda roles: roles.agreement.pk, ["practitioner", "spoc", "governance_manager"]),
    ("partners:organisation_detail", lambda roles: roles.owner.pk, ["practitioner", "governance_manager"]),
    ("breaches:detail", _breach, ["spoc", "governance_manager"]),
    ("sharing_log:case", _case, ["governance_manager"]),
    # The flow maps (issue 17, item 6): the log in one GROUP BY, parties and data items in three.
    ("reports:agreement_flows", lambda roles: roles.agreement.pk,
     ["practitioner", "spoc", "governance_manager", "auditor", "lead_signatory"]),
    ("reports:organisation_flows", lambda roles: roles.owner.pk, ["practitioner", "spoc", "governance_manager"]),
]


DETAIL_CELLS = [(url_name, subject) for url_name, _pk_of, subjects in DETAIL_PAGES for subject in subjects]


@pytest.mark.parametrize(("url_name", "subject"), DETAIL_CELLS)
def test_the_main_detail_pages_ask_a_fixed_number_of_questions(counted, url_name, subject):
    small, large = counted[url_name, subject]

    assert len(large) == len(small), "\n".join(large)
    assert len(large) <= DETAIL_BUDGET, "\n".join(large)


# Search (issue 16 item 4): each kind counted and its first few read (a kind on its own: a page
# of it), the gateways' citing agreements in one more query, whatever how much is found.
SEARCH_BUDGET = 20
SEARCHES = [{"q": "Borsetshire"}, {"q": "ASB-77"}, {"q": "Borsetshire", "kind": "contacts", "page": "2"},
            {"q": "ASB-77", "kind": "entries"}, {"q": "crime", "kind": "gateways"}]


def grow_search(roles, *, rounds: int, tag: str) -> None:
    """More of every kind the searches above find: agreements, organisations, contacts, gateways
    cited by agreements, and entries under one case reference."""
    from tests.factories import AgreementFactory, ContactFactory

    for number in range(rounds):
        organisation = OrganisationFactory(name=f"Borsetshire Body {tag}{number}")
        ContactFactory(organisation=organisation, name=f"Borsetshire Person {number}")
        ContactFactory(organisation=roles.partner, name=f"Borsetshire Officer {number}")
        cited = AgreementFactory(title=f"Borsetshire Protocol {number}", owner=roles.owner)
        gateway = LegalGatewayFactory()
        roles.agreement.gateways.add(gateway)
        cited.gateways.add(gateway)
        DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
            disclosed_by=roles.practitioner, case_reference="asb-77",
        )


@pytest.mark.parametrize("subject", ["practitioner", "spoc", "governance_manager", "auditor", "lead_signatory",
                                     "unrelated"])
def test_search_asks_a_fixed_number_of_questions(client, roles, subject):
    sign_in(client, roles.subject(subject))
    url = reverse("search:results")
    grow_search(roles, rounds=1, tag="a")
    queries(client, url, SEARCHES[0])  # the session's first request writes its activity; content types cached
    small = [queries(client, url, params) for params in SEARCHES]

    grow_search(roles, rounds=30, tag="b")
    large = [queries(client, url, params) for params in SEARCHES]

    for params, before, after in zip(SEARCHES, small, large, strict=True):
        assert len(after) == len(before), (params, "\n".join(after))
        assert len(after) <= SEARCH_BUDGET, (params, len(after), "\n".join(after))


@pytest.fixture(scope="module")
def counted(_module_cast, django_db_blocker) -> dict[tuple[str, str], tuple[list[str], list[str]]]:
    """The queries of every (page, subject) cell of the growing-list and detail-page tests, on a small world and then
    on a large one: ``{(url_name, subject): (small, large)}``.

    Counted once for the module (docs/testing.md, "A fifth round"), not once a cell: each cell
    grew the same world twice for itself, about three quarters of a CPU-second, 49 times. The
    world is grown around a copy of the module's cast inside a savepoint rolled back when the
    counting is done, so the module's other tests see the cast as it was. Each cell has a session
    of its own, as it had a test client of its own; it asks for its page once before each count,
    so a count never includes the session's activity time being written (once a minute).
    """
    _built_at, cast = _module_cast
    roles = copy.deepcopy(cast)
    with django_db_blocker.unblock(), transaction.atomic():
        assert roles.disclosure.pk and roles.disclosure_to_partner.pk
        grow_everything(roles, rounds=1, first=0)  # one of each kind: a page reads a kind only if there is some
        cells = {}
        for url_name, subject in GROWING_CELLS:
            cells[url_name, subject] = (Client(), reverse(url_name))
        for url_name, pk_of, subjects in DETAIL_PAGES:
            for subject in subjects:
                cells[url_name, subject] = (Client(), reverse(url_name, args=[pk_of(roles)]))
        for (_url_name, subject), (client, _url) in cells.items():
            if subject != "anonymous":
                sign_in(client, roles.subject(subject))
        small = {}
        for cell, (client, url) in cells.items():
            queries(client, url)  # the session's first request writes its activity
            small[cell] = queries(client, url)

        entries = Disclosure.objects.count()
        grow_everything(roles)
        assert Disclosure.objects.count() > entries  # the large world is larger
        for number in range(3):  # the entry's own corrections, each with its reason
            disclosure_amend(disclosure=roles.disclosure, by_user=roles.spoc, field="summary",
                             value=f"Attendance concerns {number}.", reason="Clearer.")
        large = {}
        for cell, (client, url) in cells.items():
            queries(client, url)  # as before the small count: the activity time is not what is counted
            large[cell] = queries(client, url)
        transaction.set_rollback(True)
    return {cell: (small[cell], large[cell]) for cell in cells}
