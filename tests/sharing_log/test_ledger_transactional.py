# ruff: noqa: S608 – the SQL is the test's own, aimed at the log on purpose.
"""What only separate transactions show (issue 12, item 4), on PostgreSQL only: an entry's legal
gateways are set in the transaction that logs it and never after (the trigger of
sharing_log/database/) — every other test runs inside one transaction, where an entry would
count as being logged still — and concurrent appends to the chain neither fork it nor lose or
number twice an event (the advisory lock of sharing_log/services/ledger.py)."""

import threading

import pytest
from django.db import connection, transaction

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


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_an_article_9_condition_cannot_be_added_to_an_entry_logged_in_another_transaction(between):
    first = LegalGatewayFactory(art9=True)
    with transaction.atomic():  # logged with its condition, as ``disclosure_log`` does
        logged = DisclosureFactory(**between, special_categories=["health"], art9_conditions=[first])
    condition = LegalGatewayFactory(art9=True, provision="Art 9(2)(a)")

    message = refused("INSERT INTO sharing_log_disclosure_art9_conditions (disclosure_id, legalgateway_id) "
                      "VALUES (%s, %s)", [logged.pk, condition.pk])

    assert "The legal gateways of a logged entry cannot change." in message
    assert "cannot change." in refused("DELETE FROM sharing_log_disclosure_art9_conditions")
    assert logged.art9_conditions.count() == 1


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_lose_duplicate_and_fork_nothing(between):
    from sharing_log.models import LogEvent, LogEventKind
    from sharing_log.selectors.ledger import log_chain_verify
    from sharing_log.services.ledger import log_event_append

    threads, per_thread = 4, 5
    entries = [DisclosureFactory(**between) for _ in range(threads * per_thread)]
    start, failures = threading.Barrier(threads), []

    def append(mine):
        try:
            start.wait()
            for entry in mine:
                with transaction.atomic():
                    log_event_append(kind=LogEventKind.LOGGED, record=entry)
        except Exception as error:  # noqa: BLE001 – a lost event is the failure under test
            failures.append(type(error).__name__)
        finally:
            connection.close()

    workers = [threading.Thread(target=append, args=(entries[i::threads],)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert failures == []
    assert list(LogEvent.objects.order_by("seq").values_list("seq", flat=True)) == list(range(1, len(entries) + 1))
    assert sorted(LogEvent.objects.values_list("record_id", flat=True)) == sorted(entry.pk for entry in entries)
    assert log_chain_verify().problems == []
