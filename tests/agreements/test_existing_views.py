"""The pages for agreements that predate the portal (agreements/views/existing.py): found from
the status page, GOV.UK errors, and the dates shown where versions are listed.

Who may reach each page is the permission matrix's business (tests/test_permission_matrix.py)."""

import datetime

import pytest
from django.urls import reverse

from agreements.models import Status
from agreements.services import agreement_record_existing, signature_record_paper
from tests.agreements.helpers import date_fields, error_summary

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def agreement(ready_draft):
    return ready_draft


def test_the_status_page_offers_it_and_the_versions_are_recorded(client, sign_in, roles, agreement):
    manager = sign_in(client, roles.governance_manager)
    assert reverse("agreements:record_existing", args=[agreement.pk]) in manager.get(
        reverse("agreements:status", args=[agreement.pk])).content.decode()

    response = manager.post(reverse("agreements:record_existing", args=[agreement.pk]), {
        "label": "2.0", **date_fields("issued_on", D(2019, 5, 14)), "earlier_label": "1.0",
        **date_fields("earlier_issued_on", D(2016, 9, 1)), "earlier_change_summary": "Police added.",
    })

    assert response["Location"] == reverse("agreements:signatures", args=[agreement.pk])
    page = manager.get(response["Location"]).content.decode()
    assert "Parties sign version 2.0, issued 14 May 2019." in page


def test_an_earlier_version_without_its_date_is_refused(client, sign_in, roles, agreement):
    response = sign_in(client, roles.governance_manager).post(
        reverse("agreements:record_existing", args=[agreement.pk]),
        {"label": "2.0", **date_fields("issued_on", D(2019, 5, 14)), "earlier_label": "1.0"},
    )

    assert "Enter the date the earlier version was issued" in error_summary(response)
    agreement.refresh_from_db()
    assert agreement.status == Status.DRAFT


def test_in_force_since_is_recorded_from_its_page(client, sign_in, roles, agreement):
    agreement_record_existing(agreement=agreement, by_user=roles.governance_manager, label="2.0",
                              issued_on=D(2019, 5, 14))
    for organisation, on in ((roles.owner, D(2019, 6, 1)), (roles.partner, D(2019, 6, 20))):
        signature_record_paper(party=agreement.parties.get(organisation=organisation),
                               version=agreement.versions.latest(), signatory_name="A Signatory", signed_on=on)
    manager = sign_in(client, roles.governance_manager)

    empty = manager.post(reverse("agreements:record_in_force", args=[agreement.pk]), {})
    assert "Enter the date it came into force" in error_summary(empty)

    response = manager.post(reverse("agreements:record_in_force", args=[agreement.pk]), {
        **date_fields("since", D(2019, 7, 1)),
    }, follow=True)

    assert "recorded as in force since 1 July 2019." in response.content.decode()
    agreement.refresh_from_db()
    assert (agreement.status, agreement.effective_date) == (Status.IN_FORCE, D(2019, 7, 1))


def test_a_form_signed_before_the_portal_needs_no_scan_and_only_the_held_version_is_offered(client, sign_in, roles,
                                                                                          agreement):
    agreement_record_existing(agreement=agreement, by_user=roles.governance_manager, label="2.0",
                              issued_on=D(2019, 5, 14), earlier=[{"label": "1.0", "issued_on": D(2016, 9, 1)}])
    party = agreement.parties.get(organisation=roles.partner)
    url = reverse("agreements:party_paper_signature", args=[agreement.pk, party.pk])
    manager = sign_in(client, roles.governance_manager)
    current = agreement.versions.get(label="2.0")

    assert manager.get(url).context["form"].fields["version"].choices == [(current.pk, "Version 2.0 (the latest)")]
    response = manager.post(url, {"signatory_name": "Kenton Archer", "signatory_role": "Chief Constable",
                                  **date_fields("signed_on", D(2019, 6, 20)), "version": current.pk})

    assert response.status_code == 302
    assert party.signatures.get().scan.name == ""
