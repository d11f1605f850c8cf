"""Helpers of the isolation matrices (``tests/test_isolation_matrix.py``, ``tests/test_isolation_pair.py``).

- ``database_state()``: what a refused request must leave exactly as it was — the number of rows
  of every table (so any insert or delete, and any save of a model with history, which writes a
  history row, shows), and every row of the apps' models that keep no history (so an update of
  one of those shows too).
- ``routes_with_kwargs()``: every named route whose address carries an identifier, from the URL
  resolver, so a new one cannot ship without rows.
- ``build_clusters()``: the cast's organisations in two clusters and a second unrelated pair in a
  third, each with its people, the pages of its objects and the words only those pages show.
- ``build_sibling()``: a second agreement in force between the cast's owner and partner, so every
  subject who sees the cast's agreement sees another one too: the other parent of the
  "child of another parent" rows.
"""

import datetime
from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.db import connection
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from .factories import AgreementFactory, DisclosureFactory, PartyFactory, SectionFactory

# Tables that record the request itself rather than the objects it names: the session a
# signed-in client holds (and may touch) and its record (``SignedInSession``), sign-in attempts
# (django-axes) and the access log, which records every refused object access (``AccessEvent``),
# and the API's record of each use of a token (``ApiUse``).
# A refusal may write those; it must write nothing else. Matched as prefixes of table names.
REQUEST_RECORD_TABLES = ("django_session", "axes_", "partners_accessevent", "partners_signedinsession",
                         "api_apiuse")

# Apps whose models that keep no history are compared row by row.
_COMPARED_APPS = {"agreements", "partners", "sharing_log", "isa_portal", "api", "auth", "otp_totp", "otp_static"}


def _recorded(table: str) -> bool:
    return not table.startswith(REQUEST_RECORD_TABLES)


@cache
def _row_compared_models() -> tuple:
    return tuple(_models_without_history())


def _models_without_history():
    for model in apps.get_models():
        meta = model._meta
        if meta.app_label not in _COMPARED_APPS or not _recorded(meta.db_table):
            continue
        if meta.proxy or hasattr(model, "history") or model.__name__.startswith("Historical"):
            continue
        # Object permissions are granted and withdrawn (rows made and deleted), never changed.
        if model.__name__.endswith(("UserObjectPermission", "GroupObjectPermission")):
            continue
        if meta.label in {"auth.Permission", "auth.Group"}:
            continue
        yield model


@cache
def _counting(vendor: str) -> tuple[tuple, str]:
    """The tables to count, and one query counting them all (per database vendor)."""
    tables = tuple(sorted(table for table in connection.introspection.table_names() if _recorded(table)))
    quote = connection.ops.quote_name
    # Table names come from the database's own catalogue, never from input.
    return tables, "SELECT " + ", ".join(f"(SELECT COUNT(*) FROM {quote(table)})" for table in tables)  # noqa: S608


def database_state() -> dict:
    """Row counts of every table (one query) and the rows of the models without history."""
    tables, sql = _counting(connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        counts = dict(zip(tables, cursor.fetchone(), strict=True))
    rows = {
        model._meta.label: list(model._base_manager.order_by("pk").values_list())
        for model in _row_compared_models()
    }
    return {"counts": counts, "rows": rows}


def state_changes(before: dict, after: dict) -> list[str]:
    """What differs between two ``database_state()``s, table by table."""
    changed = [
        f"{table}: {before['counts'][table]} -> {after['counts'].get(table)} rows"
        for table in before["counts"] if before["counts"][table] != after["counts"].get(table)
    ]
    changed += [f"{label}: rows changed" for label in before["rows"] if before["rows"][label] != after["rows"][label]]
    return changed


def routes_with_kwargs(resolver=None, prefix: str = "", namespace: str = ""):
    """``(name, kwarg names)`` of every named route whose address carries a value (not the admin's)."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from routes_with_kwargs(pattern, prefix + str(pattern.pattern), inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            kwargs = tuple(getattr(pattern.pattern, "converters", {}))
            if kwargs:
                yield f"{namespace}{pattern.name}", kwargs


def build_sibling(cast):
    """Another agreement in force of the owner's, the partner signed too, with a section.

    Everyone who sees ``cast.agreement`` sees this one, and holds the same rights on it.
    """
    today = timezone.localdate()
    sibling = AgreementFactory(
        title="Borsetshire Troubled Families Agreement", reference="BTFA", owner=cast.owner,
        status="in_force", effective_date=today - datetime.timedelta(days=300),
    )
    SectionFactory(agreement=sibling, number="1", heading="Purpose")
    PartyFactory(agreement=sibling, organisation=cast.owner, signed=True)
    partner_party = PartyFactory(agreement=sibling, organisation=cast.partner, signed=True)
    return sibling, partner_party


# The second unrelated pair --------------------------------------------------------------------


@dataclass
class Cluster:
    """Organisations that share agreements with each other and with nobody else: their people,
    the pages of their objects, and words that appear only on pages showing their objects."""

    name: str
    subjects: dict = field(default_factory=dict)  # subject name -> user
    object_urls: list = field(default_factory=list)
    markers: list = field(default_factory=list)
    organisations: list = field(default_factory=list)


def _entries_and_records(*, agreement, sender, receiver, sender_user, receiver_user, manager, prefix: str) -> tuple:
    """An entry each way, a refusal escalated, a breach, a request and a closed case under ``agreement``.

    Returns the object pages and the words (title, case references) only pages about them show.
    """
    from agreements.services import breach_record, information_request_record, review_start
    from sharing_log.models import Decision
    from sharing_log.services import case_close, escalation_raise

    shared = DisclosureFactory(
        agreement=agreement, disclosing_organisation=sender, recipient_organisation=receiver,
        disclosed_by=sender_user, case_reference=f"{prefix}-CASE-0001",
    )
    received = DisclosureFactory(
        agreement=agreement, disclosing_organisation=receiver, recipient_organisation=sender,
        disclosed_by=receiver_user, case_reference=f"{prefix}-CASE-0002",
    )
    refusal = DisclosureFactory(
        agreement=agreement, disclosing_organisation=receiver, recipient_organisation=sender,
        disclosed_by=receiver_user, case_reference=f"{prefix}-CASE-0003", decision=Decision.REQUEST_REFUSED,
        art6_basis=None, decision_reason="Would prejudice an investigation.",
    )
    escalation = escalation_raise(
        disclosure=refusal, by_user=sender_user, organisation=sender, concern=f"{prefix} concern: a child at risk.",
    )
    breach = breach_record(
        agreement=agreement, reporting_organisation=sender, kind="breach",
        discovered_at=timezone.now() - datetime.timedelta(days=2), description=f"{prefix} breach: wrong team.",
        data_involved="Names of 2 adults.", personal_data_breach=True, by_user=manager,
    )
    request = information_request_record(
        agreement=agreement, kind="subject_access", received_on=agreement.effective_date, organisation=receiver,
        description=f"{prefix} request: records about the requester.", by_user=manager,
    )
    review = review_start(agreement=agreement, by_user=manager, why="chair_request", reason=f"{prefix} review.")
    closure = case_close(by_user=manager, organisation=sender, case_reference=shared.case_reference,
                         closed_on=timezone.localdate())
    urls = [
        agreement.get_absolute_url(), reverse("agreements:parties", args=[agreement.pk]),
        reverse("agreements:history", args=[agreement.pk]), reverse("agreements:reviews", args=[agreement.pk]),
        review.get_absolute_url(), reverse("sharing_log:detail", args=[shared.pk]),
        reverse("sharing_log:detail", args=[received.pk]), escalation.get_absolute_url(), breach.get_absolute_url(),
        request.get_absolute_url(), closure.get_absolute_url(),
    ]
    # The lists show an agreement by its title and an entry by its case reference (a breach and a
    # request by their agreement's title): words no other cluster's pages may carry.
    markers = [agreement.title, shared.case_reference, received.case_reference, refusal.case_reference]
    return urls, markers


def build_clusters(cast) -> list[Cluster]:
    """Three clusters that must see nothing of each other: the cast's owner and partner
    (Borsetshire), the cast's unrelated organisation (Felpersham), and a second unrelated pair,
    Loamshire Fire and Rescue and Loamshire NHS Trust, with an agreement in force between them
    and a record of every kind — built here, for the isolation tests only, so the ~700 tests of
    the standard cast are unchanged."""
    from partners.models import Role, Sector

    from .factories import MembershipFactory, OrganisationFactory, PurposeFactory, UserFactory

    borsetshire = Cluster(
        "borsetshire", organisations=[cast.owner, cast.partner],
        subjects={name: cast.subject(name) for name in
                  ("practitioner", "spoc", "governance_manager", "lead_signatory", "auditor")},
    )
    borsetshire.object_urls, borsetshire.markers = _entries_and_records(
        agreement=cast.agreement, sender=cast.owner, receiver=cast.partner, sender_user=cast.practitioner,
        receiver_user=cast.spoc, manager=cast.governance_manager, prefix="BOR",
    )
    borsetshire.object_urls.append(cast.draft.get_absolute_url())
    borsetshire.markers.append(cast.draft.title)

    felpersham = Cluster("felpersham", organisations=[cast.unrelated_organisation],
                         subjects={"unrelated": cast.unrelated})
    felpersham.object_urls = [cast.unrelated_agreement.get_absolute_url(),
                              reverse("agreements:parties", args=[cast.unrelated_agreement.pk])]
    felpersham.markers = [cast.unrelated_agreement.title]

    fire = OrganisationFactory(name="Loamshire Fire and Rescue Service", sector=Sector.FIRE_RESCUE)
    trust = OrganisationFactory(name="Loamshire NHS Trust", sector=Sector.NHS)
    agreement = AgreementFactory(
        title="Loamshire Safe and Well Visits Agreement", reference="LSWV", owner=fire, status="in_force",
        effective_date=timezone.localdate() - datetime.timedelta(days=250),
    )
    PurposeFactory(agreement=agreement, text="To make homes of vulnerable adults safe from fire")
    PartyFactory(agreement=agreement, organisation=fire, signed=True)
    PartyFactory(agreement=agreement, organisation=trust, signed=True)
    loamshire = Cluster("loamshire", organisations=[fire, trust])
    for name, organisation, role in (
        ("fire_governance_manager", fire, Role.GOVERNANCE_MANAGER), ("fire_practitioner", fire, Role.PRACTITIONER),
        ("trust_spoc", trust, Role.SPOC), ("trust_auditor", trust, Role.AUDITOR),
        ("trust_lead_signatory", trust, Role.LEAD_SIGNATORY),
    ):
        user = UserFactory(username=name)
        MembershipFactory(user=user, organisation=organisation, role=role)
        loamshire.subjects[name] = user
    loamshire.object_urls, loamshire.markers = _entries_and_records(
        agreement=agreement, sender=fire, receiver=trust, sender_user=loamshire.subjects["fire_practitioner"],
        receiver_user=loamshire.subjects["trust_spoc"], manager=loamshire.subjects["fire_governance_manager"],
        prefix="LOA",
    )
    return [borsetshire, felpersham, loamshire]
