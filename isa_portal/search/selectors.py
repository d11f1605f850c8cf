"""Reads for the search page (``/search/``, issue 16 item 4; docs/decisions/0059).

Each kind of record is read through its own app's selector scoped to the user, and only then
narrowed by the words asked for: what a person finds is what the pages themselves would show
them. Nothing here decides who may see a record.

- **Agreements**: those the user may see (``agreements_visible_to``), and those on the public
  register (in force today), which anyone may read there: an agreement the user may not open
  links to its register entry instead. A draft of another organisation is never found.
- **Organisations** and **contacts**: the directory (``organisations_visible_to``,
  ``contacts_visible_to``), open to everyone signed in.
- **Legal gateways**: the catalogue, which is reference data; each with the agreements the user
  may see that cite it.
- **Sharing log entries**: by case reference alone, matched exactly (ignoring case), and only
  for those who may read the log (``can_read_log``), among the entries they may read
  (``disclosures_visible_to``). Never by the words of a summary: free text in an entry may name
  the person it is about.

Words are matched by PostgreSQL's full-text search (English stemming, ``websearch`` syntax:
``"a phrase"``, ``or``, ``-word``) where the database is PostgreSQL, ranked; elsewhere (SQLite)
every word must appear, ignoring case, in one of the same fields, and no word marked "-word".
"""

from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from agreements.models import Agreement, LegalGateway
from agreements.selectors import agreements_visible_to
from partners.selectors import contacts_visible_to, organisations_visible_to
from sharing_log.permissions import can_read_log
from sharing_log.selectors import LogFilters, disclosures_filtered, disclosures_visible_to

# The full-text configuration: the records are in English.
CONFIG = "english"
# Longest search accepted (the form says so).
MAX_LENGTH = 200

# The fields each kind is matched on, most telling first. The GIN indexes of agreements
# migration 0017 and partners migration 0015 (``*_search_full_text_indexes``) are on exactly
# these expressions: change both.
AGREEMENT_FIELDS = ("title", "reference")
ORGANISATION_FIELDS = ("name", "ico_registration_number")
CONTACT_FIELDS = ("name", "job_title", "email")
GATEWAY_FIELDS = ("instrument", "provision", "title", "summary")

AGREEMENTS = "agreements"
ORGANISATIONS = "organisations"
CONTACTS = "contacts"
GATEWAYS = "gateways"
ENTRIES = "entries"
KIND_LABELS = {
    AGREEMENTS: "Agreements",
    ORGANISATIONS: "Organisations",
    CONTACTS: "Contacts",
    GATEWAYS: "Legal gateways",
    ENTRIES: "Sharing log entries",
}


def full_text_available() -> bool:
    return connection.vendor == "postgresql"


def search_vector(fields) -> SearchVector:
    """The expression the GIN indexes hold, and the queries match: the same, or no index use."""
    return SearchVector(*fields, config=CONFIG)


def _words(q: str) -> tuple[list[str], list[str]]:
    """The words of ``q`` for the simple match, those wanted and those to leave out ("-word"),
    websearch's quotes and "or" set aside."""
    wanted, unwanted = [], []
    for word in q.replace('"', " ").split():
        if word.lower() == "or" or not word.lstrip("-"):
            continue
        (unwanted if word.startswith("-") else wanted).append(word.lstrip("-"))
    return wanted, unwanted


def matching(records: QuerySet, fields, q: str, *, order_by) -> QuerySet:
    """``records`` narrowed to those matching ``q``, best first (ties by ``order_by``).
    ``records`` must already be scoped to the user: matching never widens it."""
    if full_text_available():
        query = SearchQuery(q, search_type="websearch", config=CONFIG)
        vector = search_vector(fields)
        # Django writes the annotation's expression itself into WHERE, so the GIN index on
        # the same expression serves the match.
        return (
            records.annotate(search_vector=vector, search_rank=SearchRank(vector, query))
            .filter(search_vector=query).order_by("-search_rank", *order_by)
        )
    wanted, unwanted = _words(q)
    if not wanted:
        return records.none()
    for word in wanted:
        records = records.filter(_in_any(fields, word))
    for word in unwanted:
        records = records.exclude(_in_any(fields, word))
    return records.order_by(*order_by)


def _in_any(fields, word: str) -> Q:
    condition = Q()
    for name in fields:
        condition |= Q(**{f"{name}__icontains": word})
    return condition


@dataclass
class Group:
    """One kind of record found: its key, label, how many, and the page or first few shown."""

    kind: str
    label: str
    records: QuerySet
    count: int = 0
    shown: list = field(default_factory=list)


def search_kinds(user) -> list[str]:
    """The kinds of record ``user`` may search, in the order the page shows them."""
    kinds = [AGREEMENTS, ORGANISATIONS, CONTACTS, GATEWAYS]
    if can_read_log(user):
        kinds.append(ENTRIES)
    return kinds


def agreements_found(user, q: str) -> QuerySet[Agreement]:
    """Agreements matching ``q`` that ``user`` may see, or that the public register lists;
    ``openable`` says whether the user may open the agreement's own page."""
    visible = agreements_visible_to(user)
    on_register = Agreement.objects.in_force(on=timezone.localdate())
    scoped = (
        Agreement.objects.filter(Q(pk__in=visible.values("pk")) | Q(pk__in=on_register.values("pk")))
        .select_related("owner")
        .annotate(openable=Exists(visible.filter(pk=OuterRef("pk"))))
    )
    return matching(scoped, AGREEMENT_FIELDS, q, order_by=("title", "pk"))


def organisations_found(user, q: str):
    return matching(organisations_visible_to(user), ORGANISATION_FIELDS, q, order_by=("name", "pk"))


def contacts_found(user, q: str):
    return matching(contacts_visible_to(user), CONTACT_FIELDS, q, order_by=("name", "pk"))


def gateways_found(user, q: str) -> QuerySet[LegalGateway]:
    """Gateways of the catalogue matching ``q``, each with ``cited_by``: the agreements that cite
    it and that ``user`` may see."""
    citing = agreements_visible_to(user).order_by("title", "pk")
    gateways = LegalGateway.objects.prefetch_related(Prefetch("agreements", queryset=citing, to_attr="cited_by"))
    if not user.is_authenticated:
        gateways = gateways.none()
    return matching(gateways, GATEWAY_FIELDS, q, order_by=("instrument", "provision", "pk"))


def entries_found(user, q: str):
    """Entries of the sharing log ``user`` may read whose case reference is ``q`` (as logged or
    as corrected since, ignoring case), newest first; none for someone who may not read the log."""
    reference = " ".join(q.split())
    if not reference or not can_read_log(user):
        return disclosures_visible_to(user).none()
    found = disclosures_filtered(disclosures_visible_to(user), LogFilters(case_reference=reference))
    return found.select_related("disclosing_organisation", "recipient_organisation", "agreement").order_by(
        "-occurred_at", "-pk")


FINDERS = {
    AGREEMENTS: agreements_found,
    ORGANISATIONS: organisations_found,
    CONTACTS: contacts_found,
    GATEWAYS: gateways_found,
    ENTRIES: entries_found,
}


def search_groups(user, q: str) -> list[Group]:
    """A group for each kind ``user`` may search, its records matching ``q`` (not yet read)."""
    return [Group(kind, KIND_LABELS[kind], FINDERS[kind](user, q)) for kind in search_kinds(user)]
