"""The flow map pages (issue 17, item 6): an agreement's and an organisation's, the diagram as an
SVG image with its table, the period a GET form with an error summary, linked from the agreement
and the organisation."""

import datetime
import zoneinfo

import pytest
from django.urls import reverse

from agreements.models import DataItem, DataLevel
from tests.auth import sign_in
from tests.factories import DisclosureFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=LONDON)
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED, tick=False)]


def setup_flows(roles):
    item = DataItem.objects.create(agreement=roles.agreement, provider_label="Police", description="Names.",
                                   level=DataLevel.DETAILED)
    item.providers.add(roles.partner_party)
    for _ in range(3):
        DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                          recipient_organisation=roles.partner, disclosed_by=roles.practitioner,
                          occurred_at=datetime.datetime(2026, 3, 5, 11, tzinfo=LONDON))


def test_the_agreement_map_draws_the_flows_as_an_image_with_their_table(client, roles):
    setup_flows(roles)
    sign_in(client, roles.governance_manager)

    html = client.get(reverse("reports:agreement_flows", args=[roles.agreement.pk])).content.decode()

    assert 'role="img"' in html and "<title id=\"flows-1-title\">Flows under" in html
    assert "! Not declared" in html  # the council declares nothing, and shared
    assert "Declared, not used" in html  # the police declared, and shared nothing
    assert "Shared: fewer than 5" in html
    table = html[html.index("<table"):html.index("</table>")]
    assert "the organisation provides no data under the agreement" in table.lower()
    assert "fewer than 5" in table


def test_a_bad_period_shows_the_error_summary_and_the_default_period(client, roles):
    sign_in(client, roles.governance_manager)
    response = client.get(reverse("reports:agreement_flows", args=[roles.agreement.pk]),
                          {"date_from": "31/3/2026", "date_to": "1/3/2026"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert "Showing 1 July 2025 to 17 June 2026." in html


def test_the_log_is_not_shown_to_those_who_may_not_read_it(client, roles):
    setup_flows(roles)
    sign_in(client, roles.lead_signatory)
    html = client.get(reverse("reports:agreement_flows", args=[roles.agreement.pk])).content.decode()
    assert "You may not read the sharing log" in html
    assert "Shared: fewer than 5" not in html and "! Not declared" not in html
    assert html.count("Declared, not used") == 0 and "Declared" in html


def test_the_agreement_and_organisation_pages_link_to_their_maps(client, roles):
    sign_in(client, roles.governance_manager)
    agreement = client.get(reverse("agreements:detail", args=[roles.agreement.pk])).content.decode()
    organisation = client.get(reverse("partners:organisation_detail", args=[roles.owner.pk])).content.decode()
    assert reverse("reports:agreement_flows", args=[roles.agreement.pk]) in agreement
    assert reverse("reports:organisation_flows", args=[roles.owner.pk]) in organisation


def test_the_organisation_map_shows_its_flows(client, roles):
    setup_flows(roles)
    sign_in(client, roles.spoc)
    html = client.get(reverse("reports:organisation_flows", args=[roles.partner.pk])).content.decode()
    assert "Flows under" in html and str(roles.agreement) in html
