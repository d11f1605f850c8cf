"""An entry's page within the detail budget whatever points at it (sharing_log/views/disclosures.py,
``disclosure_detail``; issue 15). tests/test_query_budgets.py counts an entry with corrections;
here the entry holds everything an entry can: corrections, an acknowledgement, a notice of
inaccuracy with its recipients' confirmations (one answered), a request to pass it on (decided),
a closed case, and then its destruction; and a refusal with a resolved escalation. Each part is
read once: the page still shows every one of them."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from sharing_log.models import ConfirmationOutcome, RecipientDestructionConfirmation
from sharing_log.services import disclosure_acknowledge, disclosures_destroy_due, recipient_copy_confirm
from tests.auth import sign_in
from tests.sharing_log.helpers.retention import PINNED, today
from tests.test_query_budgets import DETAIL_BUDGET, asked

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


@pytest.fixture
def full_case(roles, case):
    """The ``case`` fixture's entries, the shared one acknowledged and one copy confirmed."""
    shared, refusal = case
    disclosure_acknowledge(disclosure=shared, by_user=roles.spoc)
    confirmation = RecipientDestructionConfirmation.objects.get(disclosure=shared, organisation=roles.partner)
    recipient_copy_confirm(confirmation=confirmation, by_user=roles.spoc, outcome=ConfirmationOutcome.CORRECTED)
    return shared, refusal


def page(client, entry):
    url = reverse("sharing_log:detail", args=[entry.pk])
    client.get(url)  # the session's first request writes its activity
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), asked(captured)


@pytest.mark.parametrize("subject", ["spoc", "governance_manager", "auditor"])
def test_an_entry_with_everything_pointing_at_it_stays_within_the_budget(client, roles, full_case, subject):
    shared, _ = full_case
    sign_in(client, roles.subject(subject))

    html, questions = page(client, shared)

    assert len(questions) <= DETAIL_BUDGET, "\n".join(questions)
    for shown in ("Receipt acknowledged", "Amended: summary", "Marked inaccurate",
                  "Asked to pass it on to", "Consent to pass it on to", "confirmed its copy corrected"):
        assert shown in html, shown


@pytest.mark.parametrize("subject", ["spoc", "governance_manager"])
def test_a_refusal_with_its_escalation_stays_within_the_budget(client, roles, full_case, subject):
    _, refusal = full_case
    sign_in(client, roles.subject(subject))

    html, questions = page(client, refusal)

    assert len(questions) <= DETAIL_BUDGET, "\n".join(questions)
    assert "escalat" in html.lower()


@pytest.mark.parametrize("subject", ["spoc", "governance_manager"])
def test_a_destroyed_entry_stays_within_the_budget(client, roles, full_case, subject):
    shared, refusal = full_case
    disclosures_destroy_due(on=today())
    sign_in(client, roles.subject(subject))

    for entry in (shared, refusal):
        html, questions = page(client, entry)

        assert len(questions) <= DETAIL_BUDGET, "\n".join(questions)
        assert "What remains of the entry" in html
