"""The sharing log's lists (sharing_log/selectors/lists.py): filters, and pages read by keyset."""

import datetime

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sharing_log.models import Decision
from sharing_log.selectors import (
    LogFilters,
    disclosure_page,
    disclosures_filtered,
    disclosures_made,
    disclosures_received,
    filter_options,
    log_page,
)
from sharing_log.services import disclosure_amend, disclosure_void
from tests.auth import sign_in
from tests.factories import DisclosureFactory, LegalGatewayFactory, OrganisationFactory, PartyFactory
from tests.sharing_log.helpers import error_summary, names

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("filters", "expected"), [
    ({"data_category": "asb"}, {"partner_to_owner", "owner_to_fire"}),
    ({"data_category": "health"}, set()),
    ({"decision": "shared"}, {"partner_to_owner", "owner_to_fire"}),
    ({"decision": "not_shared"}, set()),
])
def test_filters_on_lists_held_as_json_and_on_choices(roles, entries, filters, expected):
    entries = {key: value for key, value in entries.items() if key != "unrelated_to_landlord"}

    filtered = disclosures_filtered(disclosures_made(roles.auditor), LogFilters(**filters))

    assert names(filtered, entries) == expected


def test_special_category_filter_finds_special_category_data(roles):
    entry = DisclosureFactory(
        agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
        disclosed_by=roles.practitioner, special_categories=["health", "ethnicity"],
        art9_conditions=[LegalGatewayFactory(art9=True)],
    )

    filtered = disclosures_filtered(disclosures_made(roles.practitioner), LogFilters(data_category="ethnicity"))

    assert list(filtered) == [entry]


def test_case_reference_filter_finds_an_entry_by_its_corrected_reference(roles):
    entry = roles.disclosure_to_partner
    disclosure_amend(disclosure=entry, by_user=roles.practitioner, field="case_reference",
                       value="ASB-2026-0999", reason="Wrong case.")

    found = disclosures_filtered(disclosures_made(roles.practitioner), LogFilters(case_reference="asb-2026-0999"))

    assert list(found) == [entry]


def test_pages_are_read_by_keyset_with_ties_on_time_broken_by_entry(roles):
    moment = timezone.now() - datetime.timedelta(hours=1)
    made = [
        DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                          recipient_organisation=roles.partner, disclosed_by=roles.practitioner, occurred_at=moment)
        for _ in range(5)
    ]
    entries = disclosures_made(roles.practitioner)

    first = disclosure_page(entries, size=2)
    second = disclosure_page(entries, after=first.older, size=2)
    third = disclosure_page(entries, after=second.older, size=2)
    back = disclosure_page(entries, before=third.newer, size=2)

    newest_first = [entry.pk for entry in reversed(made)]
    assert [[entry.pk for entry in page.entries] for page in (first, second, third)] == [
        newest_first[:2], newest_first[2:4], newest_first[4:],
    ]
    assert (first.newer, third.older) == (None, None)
    assert [entry.pk for entry in back.entries] == newest_first[2:4]


@pytest.mark.parametrize("name", ["list", "received", "export"])
@pytest.mark.parametrize(("query", "message"), [
    ("date_to=31/12/9999", "The date to must be between 1 January 1900 and 31 December 2099"),
    ("date_from=1/1/0001", "The date from must be between 1 January 1900 and 31 December 2099"),
])
def test_a_filter_date_out_of_range_is_refused_not_a_server_error(client, roles, name, query, message):
    # Issue 12: the day after 31/12/9999 (the end of the filter) overflowed into a 500.
    sign_in(client, roles.auditor)

    response = client.get(f"{reverse(f'sharing_log:{name}')}?{query}", follow=True)

    assert response.status_code == 200
    assert message in error_summary(response)  # the export, refused, returns to the list that says so


class TestAFilterNotValid:
    """A filter mistyped lists and exports nothing, where it had narrowed nothing: every entry,
    under a caption that said "filtered" (found trying a MARAC protocol through the pages)."""

    BAD = {"date_from": "31/02/2026", "case_reference": "X" * 61}

    def test_the_list_shows_what_to_correct_and_no_entry(self, client, roles, entries):
        sign_in(client, roles.auditor)

        response = client.get(reverse("sharing_log:list"), self.BAD)

        summary = error_summary(response)
        assert "Enter the date from as a real date, for example 1/3/2026" in summary
        assert "Case reference must be 60 characters or fewer" in summary
        page = response.content.decode()
        assert "Correct the filters above to see the entries." in page
        assert ", filtered" not in page
        assert response.context["page"].entries == []

    def test_the_export_returns_to_the_list_rather_than_sending_every_entry(self, client, roles, entries):
        sign_in(client, roles.auditor)

        response = client.get(reverse("sharing_log:export"), {**self.BAD, "list": "received"})

        assert response.status_code == 302
        assert response["Location"].startswith(reverse("sharing_log:received") + "?")
        assert "list=" not in response["Location"]
        assert client.get(response["Location"]).context["form"].errors


class TestFilterOptions:
    def test_options_are_read_from_the_parties_never_from_the_log(self, roles, entries):
        with CaptureQueriesContext(connection) as captured:
            options = filter_options(roles.auditor)

        assert options.agreements == [(roles.agreement.pk, str(roles.agreement))]
        assert not [query for query in captured.captured_queries if "sharing_log_disclosure" in query["sql"]]

    def test_an_agreement_with_nothing_logged_yet_is_offered_with_its_partners(self, roles):
        newcomer = PartyFactory(agreement=roles.agreement, signed=True,
                                organisation=OrganisationFactory(name="Borsetshire Ambulance Service")).organisation

        options = filter_options(roles.practitioner)

        assert options.agreements == [(roles.agreement.pk, str(roles.agreement))]
        assert (newcomer.pk, newcomer.name) in options.partners
        assert roles.owner.pk not in dict(options.partners)

    def test_neither_a_draft_nor_another_partnerships_agreement_is_offered(self, roles, entries):
        options = filter_options(roles.spoc)

        assert roles.draft.pk not in dict(options.agreements)
        assert roles.unrelated_agreement.pk not in dict(options.agreements)
        assert roles.agreement.pk in dict(options.agreements)
        assert roles.unrelated_organisation.pk not in dict(options.partners)


def test_a_row_of_the_log_holds_each_cell_as_the_page_shows_it(roles):
    art6 = LegalGatewayFactory(art6=True)
    moment = datetime.datetime(2026, 7, 4, 8, 5, tzinfo=datetime.UTC)  # 09:05 in London: summer time
    shared = DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                               recipient_organisation=roles.partner, disclosed_by=roles.practitioner,
                               occurred_at=moment, case_reference="ASB-77", art6_basis=art6,
                               retention_due_on=datetime.date(2029, 1, 31))
    refused = DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                                recipient_organisation=roles.partner, disclosed_by=roles.practitioner,
                                occurred_at=moment - datetime.timedelta(days=1), decision=Decision.NOT_SHARED,
                                decision_reason="Not necessary.", art6_basis=None)
    disclosure_amend(disclosure=shared, by_user=roles.practitioner, field="summary", value="Attendance.",
                     reason="Clearer.")
    disclosure_void(disclosure=refused, by_user=roles.practitioner, reason="Logged twice.")

    rows = {row.pk: row for row in log_page(disclosures_made(roles.practitioner)).entries}

    first, second = rows[shared.pk], rows[refused.pk]
    assert (first.url, first.when, first.case_reference) == (
        reverse("sharing_log:detail", args=[shared.pk]), "4 Jul 2026, 09:05", "ASB-77")
    assert (first.disclosing_organisation, first.recipient_organisation) == (roles.owner.name, roles.partner.name)
    assert first.agreement == (roles.agreement.reference or roles.agreement.title)
    assert (first.decision_label, first.voided, first.corrected) == ("Shared", False, True)
    assert (first.lawful_basis, first.retention_due) == (str(art6), "31 Jan 2029")
    assert (second.decision_label, second.voided, second.corrected) == ("Decided not to share", True, False)
    assert (second.lawful_basis, second.retention_due) == ("–", "Not set")


def test_the_log_page_makes_no_model_instance_a_row(client, roles):
    """Rows are plain values (issue 15): the instances a page makes do not grow with its rows."""
    def instances_made() -> int:
        made = []

        def count(**kwargs):
            made.append(kwargs["instance"])

        post_init.connect(count)
        try:
            assert client.get(reverse("sharing_log:list")).status_code == 200
        finally:
            post_init.disconnect(count)
        return len(made)

    def log(count: int) -> None:
        for _ in range(count):
            DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                              recipient_organisation=roles.partner, disclosed_by=roles.practitioner)

    sign_in(client, roles.practitioner)
    log(1)
    client.get(reverse("sharing_log:list"))  # the session's first request writes its activity
    few = instances_made()
    log(20)
    many = instances_made()

    assert many == few


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's plan; SQLite has no expression index")
@pytest.mark.parametrize(("listing", "index"), [
    (disclosures_made, "disclosure_by_case_upper"),
    (disclosures_received, "disclosure_received_by_case"),
])
def test_a_case_reference_is_looked_up_in_an_index_on_either_side_of_the_log(roles, listing, index):
    """Both lists filter by case reference in any letter case (``UPPER(case_reference)``), as
    logged or as a correction made it since: each side has an index on the organisation and that
    expression, without which "Information received" read every receipt of the organisation
    (13–17 ms at a million), and the corrections theirs (sharing_log 0017), without which every
    correction ever made was read (12,000 at a million)."""
    with connection.cursor() as cursor:
        # A tiny table, whose every index costs the planner about the same: the others are dropped
        # (in the test's transaction, rolled back after) and sequential scans refused, so that the
        # plan shows whether the index kept serves the query as the ORM writes it.
        cursor.execute(
            "SELECT i.indexrelid::regclass::text FROM pg_index i WHERE i.indrelid = ANY(%s::regclass[]) "
            "AND NOT i.indisprimary AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)",
            [["sharing_log_disclosure", "sharing_log_amendment"]],
        )
        for (name,) in cursor.fetchall():
            if name not in (index, "amendment_case_reference"):
                cursor.execute(f'DROP INDEX "{name}"')
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")

    plan = disclosures_filtered(listing(roles.spoc, state=False), LogFilters(case_reference="asb-2026-0001")).explain()

    # Each index searched by the reference (an "Index Cond" on it), not merely read through.
    assert any("upper((case_reference)::text)" in condition
               for condition in _conditions(plan, f"Index Scan using {index} on sharing_log_disclosure")), plan
    corrections = "Index Scan using amendment_case_reference on sharing_log_amendment"
    assert any("upper((changes ->> 'case_reference'::text))" in condition
               for condition in _conditions(plan, corrections)), plan


def _conditions(plan: str, scan: str) -> list[str]:
    """The ``Index Cond`` line under each ``scan`` of ``plan``."""
    lines = plan.splitlines()
    return [following for line, following in zip(lines, lines[1:], strict=False)
            if scan in line and "Index Cond" in following]
