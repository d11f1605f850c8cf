"""A withdrawn partner confirms what it did with what it holds (agreements/services/holdings.py;
001 §3.5; issue 13 item 3)."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from agreements.models import HoldingsOutcome, PartyStatus, WithdrawalHoldings
from agreements.services import party_holdings_confirm, party_withdraw, party_withdrawals_complete
from isa_portal.due import due_for
from tests.db import violates

pytestmark = pytest.mark.django_db

NOTICE = datetime.date(2026, 11, 22)
EFFECTIVE = datetime.date(2026, 12, 22)


def withdrawn(roles):
    party_withdraw(party=roles.partner_party, notice_given_on=NOTICE, on=NOTICE)
    party_withdrawals_complete(on=EFFECTIVE)
    roles.partner_party.refresh_from_db()
    return roles.partner_party


def refused(**kwargs) -> list[str] | dict:
    with pytest.raises(ValidationError) as excinfo:
        party_holdings_confirm(**kwargs)
    assert WithdrawalHoldings.objects.count() == 0
    return excinfo.value.message_dict


def test_the_partners_spoc_confirms_it_destroyed_what_it_held(roles):
    party = withdrawn(roles)

    holdings = party_holdings_confirm(party=party, by_user=roles.spoc, outcome=HoldingsOutcome.DESTROYED)

    assert (holdings.party, holdings.outcome, holdings.confirmed_by, holdings.retained_reason) == (
        party, HoldingsOutcome.DESTROYED, roles.spoc, "",
    )


def test_retaining_needs_a_reason_and_saves_nothing(roles):
    party = withdrawn(roles)

    assert refused(party=party, by_user=roles.spoc, outcome=HoldingsOutcome.RETAINED, retained_reason="  ") == {
        "retained_reason": ["Give the reason your organisation retained the information"],
    }


def test_retained_with_its_reason_is_kept(roles):
    party = withdrawn(roles)

    holdings = party_holdings_confirm(party=party, by_user=roles.spoc, outcome=HoldingsOutcome.RETAINED,
                                      retained_reason="  A court order requires it.  ")

    assert holdings.retained_reason == "A court order requires it."


def test_a_party_that_has_not_withdrawn_is_not_asked(roles):
    assert refused(party=roles.partner_party, by_user=roles.spoc, outcome=HoldingsOutcome.DESTROYED) == {
        "__all__": ["Borsetshire Police has not withdrawn from this agreement: it confirms what it did with what "
                    "it holds once its withdrawal has taken effect."],
    }


def test_it_is_answered_once(roles):
    party = withdrawn(roles)
    party_holdings_confirm(party=party, by_user=roles.spoc, outcome=HoldingsOutcome.RETURNED)

    with pytest.raises(ValidationError) as excinfo:
        party_holdings_confirm(party=party, by_user=roles.spoc, outcome=HoldingsOutcome.DESTROYED)

    assert excinfo.value.messages[0].startswith("Borsetshire Police confirmed on ")
    assert excinfo.value.messages[0].endswith(" that it returned to the partners who shared it what it held.")
    assert WithdrawalHoldings.objects.get().outcome == HoldingsOutcome.RETURNED


@pytest.mark.parametrize("subject", ["governance_manager", "practitioner", "unrelated"])
def test_only_the_partys_own_spoc_or_governance_manager_may_answer(roles, subject):
    party = withdrawn(roles)

    with pytest.raises(PermissionDenied):
        party_holdings_confirm(party=party, by_user=getattr(roles, subject), outcome=HoldingsOutcome.DESTROYED)

    assert WithdrawalHoldings.objects.count() == 0


def test_whats_due_asks_until_answered(roles):
    party = withdrawn(roles)
    what = "Confirm what Borsetshire Police did with what it held under BCSP ISA"

    assert what in [item.what for item in due_for(roles.spoc).overdue]
    assert what in [item.what for item in due_for(roles.governance_manager).overdue]
    party_holdings_confirm(party=party, by_user=roles.spoc, outcome=HoldingsOutcome.DESTROYED)
    assert what not in [item.what for item in due_for(roles.spoc).overdue + due_for(roles.spoc).coming_up]
    assert party.status == PartyStatus.WITHDRAWN


def test_the_database_refuses_retained_without_a_reason(roles):
    party = withdrawn(roles)

    with violates(WithdrawalHoldings, "withdrawal_holdings_retained_has_reason"):
        WithdrawalHoldings.objects.create(party=party, outcome=HoldingsOutcome.RETAINED, retained_reason="",
                                          confirmed_by=roles.spoc, confirmed_at=roles.agreement.created_at)
