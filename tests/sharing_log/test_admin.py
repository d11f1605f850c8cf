"""The sharing log in the Django admin (sharing_log/admin.py): read-only changelists that stay
cheap when the log holds a million entries (issue 15).

Each changelist is read as the portal administrator on a small log and again on a larger one:
the number of queries must not move (no query a row), and no changelist counts the whole table
a second time for its "N total" ("show_full_result_count")."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from sharing_log.models import Decision
from sharing_log.services import (
    case_close,
    disclosure_acknowledge,
    disclosure_amend,
    escalation_raise,
)
from tests.auth import sign_in
from tests.factories import DisclosureFactory, UserFactory
from tests.sharing_log.helpers.onward import ask
from tests.sharing_log.helpers.quality import mark

pytestmark = pytest.mark.django_db

LOG_ADMINS = [model for model in admin.site._registry if model._meta.app_label == "sharing_log"]


def grow(roles, number: int) -> None:
    """One more case of everything the log's changelists list."""
    shared = DisclosureFactory(
        agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
        disclosed_by=roles.practitioner, case_reference=f"BCSP-ADM-{number}",
    )
    refused = DisclosureFactory(
        agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
        disclosed_by=roles.practitioner, case_reference=f"BCSP-ADM-{number}", decision=Decision.NOT_SHARED,
        art6_basis=None, decision_reason="Not necessary.",
    )
    disclosure_amend(disclosure=shared, by_user=roles.practitioner, field="summary",
                     value="School attendance.", reason="Clearer.")
    mark(shared, roles.practitioner)
    disclosure_acknowledge(disclosure=shared, by_user=roles.spoc)
    ask(shared, roles.spoc)
    escalation_raise(disclosure=refused, by_user=roles.spoc, organisation=roles.partner,
                     concern="A child may be unsafe without it.", concern_checked=True)
    case_close(by_user=roles.governance_manager, organisation=roles.owner, case_reference=f"BCSP-ADM-{number}",
               closed_on=timezone.localdate())


def changelist_queries(client, model) -> list[str]:
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in captured.captured_queries]


def test_the_logs_changelists_ask_the_same_whatever_the_number_of_rows(client, roles):
    grow(roles, 1)
    sign_in(client, UserFactory(is_staff=True, is_superuser=True))
    client.get(reverse("admin:index"))
    small = {model: changelist_queries(client, model) for model in LOG_ADMINS}

    for number in range(2, 6):
        grow(roles, number)
    large = {model: changelist_queries(client, model) for model in LOG_ADMINS}

    grew = {model.__name__: (len(small[model]), len(large[model])) for model in LOG_ADMINS
            if len(large[model]) != len(small[model])}
    assert grew == {}


def test_no_changelist_counts_the_whole_table_twice(client):
    assert client.get("/").status_code  # the URLconf, where the admin site is set up, is loaded

    counting = [str(model_admin) for model_admin in admin.site._registry.values() if model_admin.show_full_result_count]
    assert counting == []
