"""api/models.py: the database keeps one entry per idempotency key of a token."""

import pytest

from api.models import IdempotentEntry
from tests.db import violates

from .helpers import issue

pytestmark = pytest.mark.django_db


def test_one_key_of_one_token_holds_one_entry(roles):
    token, _secret = issue(roles.owner, roles.governance_manager)
    IdempotentEntry.objects.create(token=token, key="k-1", request_hash="h", disclosure=roles.disclosure_to_partner)

    with violates(IdempotentEntry, "api_idempotency_key_unique_per_token"):
        IdempotentEntry.objects.create(token=token, key="k-1", request_hash="h", disclosure=roles.disclosure)
