# ruff: noqa: S608 – the SQL is the test's own, aimed at the log on purpose.
"""An entry's legal gateways are set in the transaction that logs it and never after (issue 12,
item 4; the trigger of sharing_log/database.py). Transactional, on PostgreSQL only: every other
test runs inside one transaction, where an entry would count as being logged still."""

import pytest
from django.db import transaction

from tests.factories import DisclosureFactory, LegalGatewayFactory, PartyFactory
from tests.sharing_log.helpers.database import postgresql_only
from tests.sharing_log.test_ledger_guards import refused, run


@pytest.fixture
def between():
    discloser = PartyFactory(signed=True)
    recipient = PartyFactory(agreement=discloser.agreement, signed=True)
    return {"agreement": discloser.agreement, "disclosing_organisation": discloser.organisation,
            "recipient_organisation": recipient.organisation}


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_a_gateway_cannot_be_added_to_an_entry_logged_in_another_transaction(between):
    # Transactional: every other test runs inside one transaction, where the entry would count
    # as being logged still.
    logged = DisclosureFactory(**between)
    gateway = LegalGatewayFactory()

    message = refused("INSERT INTO sharing_log_disclosure_gateways (disclosure_id, legalgateway_id) "
                      "VALUES (%s, %s)", [logged.pk, gateway.pk])

    assert "The legal gateways of a logged entry cannot change." in message


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_gateways_are_set_in_the_transaction_that_logs_the_entry(between):
    gateway = LegalGatewayFactory()
    with transaction.atomic():
        logged = DisclosureFactory(**between)
        run("INSERT INTO sharing_log_disclosure_gateways (disclosure_id, legalgateway_id) VALUES (%s, %s)",
            [logged.pk, gateway.pk])

    assert list(logged.gateways.all()) == [gateway]
    # …and, once logged, never taken away.
    assert "The legal gateways of a logged entry cannot change." in refused(
        "DELETE FROM sharing_log_disclosure_gateways")
    assert list(logged.gateways.all()) == [gateway]
