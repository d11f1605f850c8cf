"""The log page and agreements without a retention rule (review of issue 13 item 7): an
agreement loaded in force before the rule existed has none; logging under it is not refused,
but warned of on the log page and in the success message (sharing_log/services/retention_dates.py
``no_retention_rule_warning``).

Who may reach each page is the permission matrix's business (tests/test_permission_matrix.py)."""

import html

import pytest
from django.urls import reverse

from agreements.models import Agreement
from sharing_log.models import Disclosure
from tests.auth import sign_in
from tests.sharing_log.helpers.disclosures import routine_share, with_token

pytestmark = pytest.mark.django_db

CREATE = reverse("sharing_log:create")



def without_a_rule(agreement) -> None:
    """As a legacy agreement loaded in force: no retention rule (the gate only stops new moves)."""
    Agreement.objects.filter(pk=agreement.pk).update(
        retention_months_after_closure=None, retention_months_from_disclosure=None,
    )


def warning(agreement) -> str:
    return (f"{agreement} has no retention rule: entries logged under it will not be destroyed until its "
            "governance manager sets one.")


def test_the_log_page_warns_of_an_agreement_without_a_retention_rule(client, roles, art6):
    without_a_rule(roles.agreement)

    page = html.unescape(sign_in(client, roles.practitioner).get(CREATE).content.decode())

    assert warning(roles.agreement) in page


def test_logging_under_it_goes_ahead_and_the_success_message_warns(client, roles, art6):
    without_a_rule(roles.agreement)
    sign_in(client, roles.practitioner)

    response = client.post(CREATE, with_token(client, routine_share(roles, art6)), follow=True)

    entry = Disclosure.objects.get()
    assert entry.retention_due_on is None
    assert response.redirect_chain[-1][0] == reverse("sharing_log:detail", args=[entry.pk])
    assert f"Disclosure to {roles.partner} logged. {warning(roles.agreement)}" in html.unescape(
        response.content.decode()
    )


def test_an_agreement_with_a_rule_gives_no_such_warning(client, roles, art6):
    sign_in(client, roles.practitioner)

    page = html.unescape(client.get(CREATE).content.decode())
    response = client.post(CREATE, with_token(client, routine_share(roles, art6)), follow=True)

    assert "has no retention rule" not in page
    assert "has no retention rule" not in html.unescape(response.content.decode())
    assert Disclosure.objects.count() == 1
