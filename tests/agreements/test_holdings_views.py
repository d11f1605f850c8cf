"""The page where a withdrawn partner confirms what it did with what it holds
(agreements/views/holdings.py), and the parties page that shows the answer."""

import datetime

import pytest
from django.urls import reverse

from agreements.models import WithdrawalHoldings
from agreements.services import party_withdraw, party_withdrawals_complete
from tests.agreements.helpers import error_summary
from tests.auth import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def page(roles):
    party_withdraw(party=roles.partner_party, notice_given_on=datetime.date(2026, 11, 22),
                   on=datetime.date(2026, 11, 22))
    party_withdrawals_complete(on=datetime.date(2026, 12, 22))
    return reverse("agreements:party_holdings", args=[roles.agreement.pk, roles.partner_party.pk])


def test_the_parties_page_says_it_is_awaited_and_links_the_partys_spoc_to_it(client, roles, page):
    html = sign_in(client, roles.spoc).get(reverse("agreements:parties", args=[roles.agreement.pk])).content.decode()

    assert "What it did with what it held: not yet confirmed" in html
    assert f'href="{page}"' in html


def test_nothing_chosen_is_a_govuk_error_and_saves_nothing(client, roles, page):
    response = sign_in(client, roles.spoc).post(page, {})

    assert '<a href="#id_outcome_0">Select what your organisation did with the information it holds</a>' in (
        error_summary(response)
    )
    assert WithdrawalHoldings.objects.count() == 0


def test_retained_without_a_reason_is_a_govuk_error_and_saves_nothing(client, roles, page):
    response = sign_in(client, roles.spoc).post(page, {"outcome": "retained", "retained_reason": ""})

    assert '<a href="#id_retained_reason">Give the reason your organisation retained the information</a>' in (
        error_summary(response)
    )
    assert WithdrawalHoldings.objects.count() == 0


def test_the_answer_is_recorded_and_shown_on_the_parties_page(client, roles, page):
    response = sign_in(client, roles.spoc).post(page, {"outcome": "destroyed"}, follow=True)

    html = response.content.decode()
    assert "Recorded: Borsetshire Police destroyed the information it held under the agreement." in html
    assert "What it held: destroyed, confirmed " in html
    assert WithdrawalHoldings.objects.get().confirmed_by == roles.spoc


def test_a_party_still_in_the_agreement_is_not_asked(client, roles):
    url = reverse("agreements:party_holdings", args=[roles.agreement.pk, roles.partner_party.pk])

    html = sign_in(client, roles.spoc).get(url).content.decode()

    assert "Borsetshire Police has not withdrawn from this agreement" in html
    assert 'name="outcome"' not in html
