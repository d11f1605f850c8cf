"""The pages of an organisation's API clients (api/views.py): issue, list, revoke."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from api.models import ApiToken
from partners.models import Membership, Role
from tests.auth import sign_in

from .helpers import issue

pytestmark = pytest.mark.django_db


def expiry(day: datetime.date) -> dict:
    return {"expires_on-day": day.day, "expires_on-month": day.month, "expires_on-year": day.year}


@pytest.fixture
def issue_url(roles):
    return reverse("api_clients:issue", args=[roles.owner.pk])


def test_issuing_shows_the_token_once_and_keeps_only_its_hash(client, roles, issue_url):
    sign_in(client, roles.governance_manager)
    day = timezone.localdate() + datetime.timedelta(days=30)

    response = client.post(issue_url, {"name": "Mosaic", **expiry(day)})

    token = ApiToken.objects.get()
    secret = response.context["secret"]
    assert response.status_code == 200
    assert secret in response.content.decode()
    assert (token.name, token.expires_on, token.issued_by) == ("Mosaic", day, roles.governance_manager)
    assert secret not in client.get(reverse("api_clients:list", args=[roles.owner.pk])).content.decode()
    membership = Membership.objects.get(user=token.service_user)
    assert (membership.organisation, membership.role) == (roles.owner, Role.PRACTITIONER)
    assert token.service_user.has_usable_password() is False


def test_an_empty_form_shows_every_question_in_the_error_summary(client, roles, issue_url):
    sign_in(client, roles.governance_manager)

    response = client.post(issue_url, {})

    assert response.context["form"].errors == {
        "name": ["Enter the name of the case system."], "expires_on": ["Enter the expiry date"],
    }
    assert "govuk-error-summary" in response.content.decode()
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize(("days", "message"), [
    (0, "The expiry date must be in the future."),
    (400, "The expiry date must be within a year from today."),
])
def test_an_expiry_today_or_beyond_a_year_is_refused(client, roles, issue_url, days, message):
    sign_in(client, roles.governance_manager)

    response = client.post(issue_url, {"name": "Mosaic", **expiry(timezone.localdate() + datetime.timedelta(days))})

    assert response.context["form"].errors == {"expires_on": [message]}
    assert ApiToken.objects.count() == 0


def test_revoking_says_so_and_the_list_shows_it(client, roles):
    token, _secret = issue(roles.owner, roles.governance_manager)
    sign_in(client, roles.governance_manager)

    response = client.post(reverse("api_clients:revoke", args=[token.pk]), follow=True)

    page = response.content.decode()
    assert "The token for Mosaic is revoked: it no longer works." in page
    assert "Revoked" in page
    token.refresh_from_db()
    assert token.revoked_by == roles.governance_manager


def test_the_organisation_page_links_its_own_governance_managers_to_api_clients(client, roles):
    url = reverse("api_clients:list", args=[roles.owner.pk])
    detail = reverse("partners:organisation_detail", args=[roles.owner.pk])

    assert url in sign_in(client, roles.governance_manager).get(detail).content.decode()
    assert url not in sign_in(client, roles.practitioner).get(detail).content.decode()
    # A portal administrator manages the owner's people, but has no case-level sight: no tokens.
    assert url not in sign_in(client, roles.admin).get(detail).content.decode()


def test_a_clients_service_account_is_not_among_the_people_and_cannot_be_edited_there(client, roles):
    token, _secret = issue(roles.owner, roles.governance_manager, name="Mosaic")
    assert Membership.objects.get(user=token.service_user).service_account is True
    sign_in(client, roles.governance_manager)

    people = client.get(reverse("partners:people", args=[roles.owner.pk]))
    roles_page = client.get(reverse("partners:person_roles", args=[roles.owner.pk, token.service_user.pk]))
    reset = client.get(reverse("partners:authenticator_reset", args=[roles.owner.pk, token.service_user.pk]))

    assert people.status_code == 200
    assert token.service_user not in [person for person, _labels in people.context["people"]]
    assert roles.practitioner in [person for person, _labels in people.context["people"]]
    assert (roles_page.status_code, reset.status_code) == (404, 404)
