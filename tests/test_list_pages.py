"""Lists that grow without bound, a page at a time (issue 15; ``govuk_blocks.pages.page_of``):
breaches, requests answered, agreements, escalations resolved, requests to pass information
on, copies to confirm and closed cases. Each page links to the others with GOV.UK's numbered
pagination, keeping the list's filters."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import InformationRequest, Status
from agreements.services import information_request_respond
from sharing_log.models import Escalation, EscalationOutcome
from sharing_log.services import escalation_resolve
from tests.auth import sign_in
from tests.factories import AgreementFactory
from tests.test_query_budgets import grow_everything

pytestmark = pytest.mark.django_db

# (URL name, who opens it, the context's name for the page's rows)
LISTS = [
    ("breaches:list", "governance_manager", "breaches"),
    ("requests:list", "governance_manager", "answered"),
    ("agreements:list", "governance_manager", "rows"),
    ("sharing_log:escalations", "governance_manager", "resolved"),
    ("sharing_log:onward_list", "governance_manager", "onward_requests"),
    ("sharing_log:copies", "spoc", "confirmations"),
    ("sharing_log:cases", "governance_manager", "closures"),
    ("register:list", "practitioner", "entries"),
]


@pytest.fixture
def grown(roles):
    grow_everything(roles, rounds=3)
    AgreementFactory.create_batch(2, owner=roles.owner, status=Status.IN_FORCE,
                                 effective_date=roles.agreement.effective_date)
    for escalation in Escalation.objects.all():
        escalation_resolve(escalation=escalation, by_user=roles.governance_manager, outcome=EscalationOutcome.UPHELD,
                           resolution_note="Lead partners met the same day: the refusal stands.")
    for request in InformationRequest.objects.all():
        information_request_respond(request=request, by_user=roles.spoc, responded_on=timezone.localdate())
    return roles


@pytest.mark.parametrize(("url_name", "subject", "rows"), LISTS)
def test_a_list_shows_a_page_at_a_time_with_numbered_links(client, grown, monkeypatch, url_name, subject, rows):
    monkeypatch.setattr("govuk_blocks.pages.PER_PAGE", 1)
    sign_in(client, grown.subject(subject))

    response = client.get(reverse(url_name), {"page": "2"})

    page = response.context["page"]
    assert page.paginator.count >= 2, url_name
    assert (page.number, len(response.context[rows])) == (2, 1)
    html = response.content.decode()
    assert '<a class="govuk-link govuk-pagination__link" href="?page=1" rel="prev">' in html
    assert f"(page 2 of {page.paginator.num_pages}) – ISA Portal</title>" in html


def test_the_pages_of_agreements_keep_the_filters(client, grown, monkeypatch):
    monkeypatch.setattr("govuk_blocks.pages.PER_PAGE", 1)
    sign_in(client, grown.governance_manager)

    html = client.get(reverse("agreements:list"), {"status": Status.IN_FORCE}).content.decode()

    assert f'href="?status={Status.IN_FORCE}&amp;page=2" rel="next"' in html
