"""Who may read which entries of the sharing log, and how lists, filters, pages and the timeline read."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from partners.models import Role
from sharing_log.models import Decision
from sharing_log.selectors import (
    LogFilters,
    disclosure_page,
    disclosure_timeline,
    disclosures_awaiting_acknowledgement,
    disclosures_filtered,
    disclosures_made,
    disclosures_received,
    disclosures_visible_to,
)
from sharing_log.services import disclosure_acknowledge, disclosure_amend, disclosure_void
from tests.factories import DisclosureFactory, LegalGatewayFactory, OrganisationFactory, PartyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entries(roles):
    """Under the agreement in force: the partner shares with the owner, and the owner shares
    with a third party (a fire service). Elsewhere: the unrelated organisation shares under its
    own agreement with a party of its own."""
    fire = PartyFactory(
        agreement=roles.agreement, signed=True,
        organisation=OrganisationFactory(name="Borsetshire Fire and Rescue Service"),
    )
    landlord = PartyFactory(
        agreement=roles.unrelated_agreement, signed=True,
        organisation=OrganisationFactory(name="Felpersham Homes"),
    )
    return {
        "partner_to_owner": DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.partner,
            recipient_organisation=roles.owner, disclosed_by=roles.spoc,
        ),
        "owner_to_fire": DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.owner,
            recipient_organisation=fire.organisation, disclosed_by=roles.practitioner,
        ),
        "unrelated_to_landlord": DisclosureFactory(
            agreement=roles.unrelated_agreement, disclosing_organisation=roles.unrelated_organisation,
            recipient_organisation=landlord.organisation, disclosed_by=roles.unrelated,
        ),
    }


def visible(user, entries) -> set[str]:
    seen = set(disclosures_visible_to(user))
    return {name for name, entry in entries.items() if entry in seen}


def test_disclosing_organisations_reader_sees_the_entry(roles, entries):
    assert visible(roles.spoc, entries) == {"partner_to_owner"}


@pytest.mark.parametrize("subject", ["practitioner", "governance_manager"])
def test_recipient_organisations_readers_see_the_entry(roles, entries, subject):
    assert "partner_to_owner" in visible(roles.subject(subject), entries)


def test_owners_readers_see_what_the_owner_made_and_received(roles, entries):
    assert visible(roles.practitioner, entries) == {"partner_to_owner", "owner_to_fire"}


def test_unrelated_organisation_sees_only_its_own_entries(roles, entries):
    assert visible(roles.unrelated, entries) == {"unrelated_to_landlord"}


def test_auditor_of_a_party_sees_every_entry_under_that_agreement(roles, entries):
    assert visible(roles.auditor, entries) == {"partner_to_owner", "owner_to_fire"}


def test_auditor_of_an_organisation_party_to_nothing_sees_nothing(roles, entries):
    assert visible(roles.member(roles.host, Role.AUDITOR), entries) == set()


@pytest.mark.parametrize("status", ["invited", "awaiting_details", "await_case", "declined"])
def test_auditor_of_an_organisation_not_yet_joined_sees_nothing(roles, entries, status):
    PartyFactory(agreement=roles.agreement, organisation=roles.host, status=status)
    assert visible(roles.member(roles.host, Role.AUDITOR), entries) == set()


def test_admin_sees_no_entries(roles, entries):
    assert visible(roles.admin, entries) == set()


def test_admin_role_at_the_recipient_organisation_gives_no_sight_of_entries(roles, entries):
    assert visible(roles.member(roles.owner, Role.ADMIN), entries) == set()


def test_lead_signatory_of_the_disclosing_organisation_sees_no_entries(roles, entries):
    assert visible(roles.lead_signatory, entries) == set()


def test_anonymous_visitor_sees_no_entries(roles, entries):
    assert visible(AnonymousUser(), entries) == set()


# Lists, filters, pages and the timeline ----------------------------------------------------

def names(queryset, entries) -> set[str]:
    pks = set(queryset.values_list("pk", flat=True))
    return {name for name, entry in entries.items() if entry.pk in pks}


def test_made_is_what_the_users_organisations_shared(roles, entries):
    assert names(disclosures_made(roles.practitioner), entries) == {"owner_to_fire"}


def test_received_is_what_was_shared_with_the_users_organisations(roles, entries):
    assert names(disclosures_received(roles.practitioner), entries) == {"partner_to_owner"}


def test_auditors_made_list_is_everything_under_the_agreements_it_audits(roles, entries):
    assert names(disclosures_made(roles.auditor), entries) == {"partner_to_owner", "owner_to_fire"}


def test_inbox_holds_what_was_shared_with_the_spocs_organisation_until_acknowledged(roles, entries):
    entry = roles.disclosure_to_partner
    refused = DisclosureFactory(
        agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
        disclosed_by=roles.practitioner, decision=Decision.NOT_SHARED, decision_reason="Not necessary.",
    )
    voided = DisclosureFactory(
        agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
        disclosed_by=roles.practitioner,
    )
    disclosure_void(disclosure=voided, by_user=roles.practitioner, reason="Logged twice.")
    before = list(disclosures_awaiting_acknowledgement(roles.spoc))

    disclosure_acknowledge(disclosure=entry, by_user=roles.spoc)

    assert (before, refused in before) == ([entry], False)
    assert list(disclosures_awaiting_acknowledgement(roles.spoc)) == []


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
        art9_condition=LegalGatewayFactory(art9=True),
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


def test_timeline_says_who_did_what_and_when_without_the_values(roles):
    entry = roles.disclosure_to_partner
    disclosure_amend(disclosure=entry, by_user=roles.practitioner, field="summary",
                       value="Tenancy status only.", reason="Summary overstated what was shared.")
    disclosure_acknowledge(disclosure=entry, by_user=roles.spoc)

    timeline = disclosure_timeline(entry)

    assert [event.title for event in timeline] == ["Entry logged", "Amended: summary", "Receipt acknowledged"]
    assert [event.by for event in timeline] == [
        roles.practitioner.get_full_name(), roles.practitioner.get_full_name(), roles.spoc.get_full_name(),
    ]
    assert not any("Tenancy" in event.title for event in timeline)
