"""api/services.py: logging with an idempotency key when two retries race; expired clients' accounts closed."""

import datetime
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from api import services
from api.models import IdempotentEntry
from partners.models import Membership
from sharing_log.models import Disclosure
from sharing_log.services import disclosure_log
from tests.factories import LegalGatewayFactory

from .helpers import issue

pytestmark = pytest.mark.django_db


@pytest.fixture
def answers(roles):
    """What the owner's case system logs, as ``disclosure_log`` takes it."""
    from django.utils import timezone

    from tests.api.helpers import api_share

    art6 = LegalGatewayFactory(art6=True)
    roles.agreement.gateways.add(art6)
    data = api_share(roles, art6)
    return {
        **data, "organisation": roles.owner, "agreement": roles.agreement, "recipient_organisation": roles.partner,
        "purpose": roles.agreement.purposes.get(), "art6_basis": art6,
        "occurred_at": timezone.datetime.fromisoformat(data["occurred_at"]),
    }


def test_a_retry_that_loses_the_race_gets_the_winners_entry_and_logs_nothing(roles, answers, monkeypatch):
    token, _secret = issue(roles.owner, roles.governance_manager)
    # The winner: its entry and key committed between the loser's read and its insert.
    winner = disclosure_log(by_user=token.service_user, **answers)
    IdempotentEntry.objects.create(token=token, key="k-1", request_hash="h", disclosure=winner)
    real_earlier = services._earlier
    reads = []

    def first_read_misses_it(*args):
        reads.append(args)
        return None if len(reads) == 1 else real_earlier(*args)

    monkeypatch.setattr(services, "_earlier", first_read_misses_it)

    entry, new = services.api_disclosure_log(token=token, idempotency_key="k-1", request_hash="h", **answers)

    assert (entry, new) == (winner, False)
    assert len(reads) == 2  # the insert failed on the constraint, and the key was read again
    assert Disclosure.objects.count() == 1


def test_the_same_key_of_another_token_is_another_entry(roles, answers):
    first, _ = issue(roles.owner, roles.governance_manager)
    second, _ = issue(roles.owner, roles.governance_manager, name="Liquidlogic")

    services.api_disclosure_log(token=first, idempotency_key="k-1", request_hash="h", **answers)
    services.api_disclosure_log(token=second, idempotency_key="k-1", request_hash="h", **answers)

    assert Disclosure.objects.count() == 2


def test_the_daily_run_closes_the_accounts_of_expired_tokens_and_only_theirs(roles):
    expired, _secret = services.api_token_issue(
        organisation=roles.owner, name="Mosaic", by_user=roles.governance_manager,
        expires_on=timezone.localdate() + datetime.timedelta(days=1),
    )
    current, _secret = issue(roles.owner, roles.governance_manager, name="Liquidlogic")
    after_expiry = timezone.localdate() + datetime.timedelta(days=2)

    call_command("run_scheduler", "--date", after_expiry.isoformat(), stdout=StringIO())

    expired.service_user.refresh_from_db()
    current.service_user.refresh_from_db()
    assert (expired.service_user.is_active, Membership.objects.filter(user=expired.service_user).exists()) == (
        False, False)
    assert (current.service_user.is_active, Membership.objects.filter(user=current.service_user).exists()) == (
        True, True)
    assert services.api_tokens_retire_expired(on=after_expiry) == 0
