"""The sharing log's lists (sharing_log/selectors/lists.py): filters, and pages read by keyset."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sharing_log.selectors import (
    LogFilters,
    disclosure_page,
    disclosures_filtered,
    disclosures_made,
    filter_options,
)
from sharing_log.services import disclosure_amend
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

    response = client.get(f"{reverse(f'sharing_log:{name}')}?{query}")

    assert response.status_code == 200
    if name != "export":
        assert message in error_summary(response)


class TestFilterOptions:
    def test_options_are_read_from_the_parties_never_from_the_log(self, roles, entries):
        with CaptureQueriesContext(connection) as captured:
            options = {name: list(values) for name, values in filter_options(roles.auditor).items()}

        assert options["agreements"] == [roles.agreement]
        assert not [query for query in captured.captured_queries if "sharing_log_disclosure" in query["sql"]]

    def test_an_agreement_with_nothing_logged_yet_is_offered_with_its_partners(self, roles):
        newcomer = PartyFactory(agreement=roles.agreement, signed=True,
                                organisation=OrganisationFactory(name="Borsetshire Ambulance Service")).organisation

        options = filter_options(roles.practitioner)

        assert list(options["agreements"]) == [roles.agreement]
        assert newcomer in options["partners"]
        assert roles.owner not in options["partners"]

    def test_neither_a_draft_nor_another_partnerships_agreement_is_offered(self, roles, entries):
        offered = set(filter_options(roles.spoc)["agreements"])

        assert roles.draft not in offered
        assert roles.unrelated_agreement not in offered
        assert roles.unrelated_organisation not in set(filter_options(roles.spoc)["partners"])
