"""The flow map's reads (isa_portal/reports/flows.py): declared flows from the agreement's data
to be shared, actual flows from the log, and the two compared, with small numbers suppressed."""

import datetime
import zoneinfo

import pytest

from agreements.models import Agreement, DataItem, DataLevel
from isa_portal.reports.flows import DECLARED_ONLY, DECLARED_USED, NOT_SHARED_ONLY, UNDECLARED, UNUSED, flow_map
from isa_portal.reports.selectors import ReportFilters
from sharing_log.models import Decision
from tests.factories import DisclosureFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=LONDON)
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED, tick=False)]
THIS_YEAR = ReportFilters(agreement=None, date_from=datetime.date(2026, 1, 1), date_to=PINNED.date())


def declare(roles, party, level, **flags):
    item = DataItem.objects.create(agreement=roles.agreement, provider_label=str(party.organisation),
                                   description="Names and addresses.", level=level, **flags)
    item.providers.add(party)
    return item


def log(roles, count, *, by="spoc", **fields):
    sides = {"spoc": (roles.partner, roles.owner), "practitioner": (roles.owner, roles.partner)}[by]
    defaults = {"agreement": roles.agreement, "disclosing_organisation": sides[0], "recipient_organisation": sides[1],
                "disclosed_by": getattr(roles, by), "occurred_at": datetime.datetime(2026, 3, 5, 11, tzinfo=LONDON)}
    for _ in range(count):
        DisclosureFactory(**{**defaults, **fields})


def agreements(roles):
    return Agreement.objects.filter(pk=roles.agreement.pk)


def states(flows):
    return [(row.source, row.target, row.level, row.state) for row in flows.rows]


def test_declared_and_used_undeclared_and_unused_flows_are_told_apart(roles):
    declare(roles, roles.partner_party, DataLevel.DETAILED)
    declare(roles, roles.partner_party, DataLevel.AGGREGATE)
    log(roles, 6, data_level=DataLevel.MINIMUM)  # the police, within what they declared
    log(roles, 7, by="practitioner")  # the council declares nothing

    flows = flow_map(roles.governance_manager, agreements(roles), THIS_YEAR, log_shown=True)

    police, council = str(roles.partner), str(roles.owner)
    assert states(flows) == [
        (council, police, "Minimum data (identifying details)", UNDECLARED),
        (police, council, "Minimum data (identifying details)", DECLARED_USED),
        (police, "Any other party", "Aggregate (no one identifiable); Detailed", UNUSED),
    ]
    undeclared = flows.undeclared[0]
    assert undeclared.reasons == ["the organisation provides no data under the agreement"]
    assert (undeclared.shared.text, undeclared.total.text) == ("7", "7")
    assert flows.total.text == "13"


def test_sharing_above_the_declared_level_or_special_category_data_is_undeclared(roles):
    declare(roles, roles.partner_party, DataLevel.MINIMUM)
    log(roles, 5, data_level=DataLevel.SENSITIVE)
    log(roles, 5, data_level=DataLevel.MINIMUM, special_categories=["health"])

    flows = flow_map(roles.governance_manager, agreements(roles), THIS_YEAR, log_shown=True)

    assert [row.reasons for row in flows.rows] == [
        ["special-category data shared, none declared"],
        ["no data declared at the level “Detailed and sensitive”"],
    ]


def test_decisions_not_to_share_are_shown_and_declare_nothing_used(roles):
    declare(roles, roles.partner_party, DataLevel.MINIMUM)
    log(roles, 6, decision=Decision.NOT_SHARED, decision_reason="Not necessary.", art6_basis=None)

    flows = flow_map(roles.governance_manager, agreements(roles), THIS_YEAR, log_shown=True)

    assert [row.state for row in flows.rows] == [NOT_SHARED_ONLY, UNUSED]
    assert (flows.rows[0].shared.text, flows.rows[0].not_shared.text) == ("0", "6")


def test_counts_under_five_read_fewer_than_5(roles):
    declare(roles, roles.partner_party, DataLevel.MINIMUM)
    log(roles, 3)
    log(roles, 9, by="practitioner")

    flows = flow_map(roles.governance_manager, agreements(roles), THIS_YEAR, log_shown=True)

    shown = {row.source: (row.shared.text, row.total.text) for row in flows.rows}
    assert shown[str(roles.partner)] == ("fewer than 5", "fewer than 5")
    # 12 in all less 9 would give the 3 away: one more figure is withheld.
    council = next(row for row in flows.rows if row.source == str(roles.owner))
    assert (flows.total.text, council.shared.text, council.total.text) == ("withheld", "withheld", "withheld")


def test_only_the_entries_the_viewer_may_read_are_counted(roles):
    log(roles, 6)
    outsider = flow_map(roles.unrelated, agreements(roles), THIS_YEAR, log_shown=True)
    assert outsider.rows == [] and outsider.total.text == "0"


def test_without_the_log_only_declared_flows_are_shown(roles):
    declare(roles, roles.partner_party, DataLevel.MINIMUM)
    log(roles, 6)
    flows = flow_map(roles.lead_signatory, agreements(roles), THIS_YEAR, log_shown=False)
    assert [row.state for row in flows.rows] == [DECLARED_ONLY]


def test_an_organisations_map_keeps_to_its_own_flows(roles):
    from tests.factories import OrganisationFactory, PartyFactory

    third = PartyFactory(agreement=roles.agreement, signed=True,
                         organisation=OrganisationFactory(name="Borsetshire Fire")).organisation
    declare(roles, roles.owner_party, DataLevel.MINIMUM)
    log(roles, 6)
    log(roles, 6, by="practitioner", recipient_organisation=third)

    flows = flow_map(roles.governance_manager, agreements(roles), THIS_YEAR, log_shown=True,
                     organisation=roles.partner)

    assert [(row.source, row.target) for row in flows.rows] == [(str(roles.partner), str(roles.owner))]
