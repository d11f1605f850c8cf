"""The volume generator (``bench.volume``, issue 15 item 1), at a tiny size: what it writes, that
the log's hash chain verifies over it, that its rows keep the log's constraints and the grants
the services give, and that a generated SPOC's log pages render. On SQLite and PostgreSQL (COPY)
alike; the generation is made once for the module, in a transaction rolled back after it."""

import datetime

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import CheckConstraint, Count
from django.urls import reverse

from agreements import permissions as agreement_permissions
from agreements.models import Agreement, AgreementGroupObjectPermission, Party, PartyGroupObjectPermission
from bench.volume.generate import SQLITE_LIMIT, Refused, generate
from partners.models import Membership, Organisation, Role
from partners.permissions import grants_sync, organisation_groups
from sharing_log.models import (
    Acknowledgement,
    Amendment,
    CaseClosure,
    Decision,
    Disclosure,
    LogEvent,
    LogEventKind,
)
from sharing_log.selectors.ledger import log_chain_verify
from sharing_log.services.retention import disclosures_destroy_due

SIZE = {"entries": 200, "agreements": 4, "organisations": 8, "people": 40, "seed": 7, "due_for_destruction": 6}
TODAY = datetime.date(2026, 11, 16)


def _quiet(*args):
    pass


@pytest.fixture(scope="module")
def volume(django_db_setup, django_db_blocker):
    """The generation's summary; its rows stay for the module's tests (each in a savepoint)."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            summary = generate(**SIZE, today=TODAY, batch=80, log=_quiet)
        except BaseException:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            raise
    yield summary
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        atomic.__exit__(None, None, None)


def test_it_writes_the_sizes_asked_for_and_says_so(volume, db):
    assert Disclosure.objects.count() == volume["entries"] == 200
    assert Organisation.objects.count() == volume["organisations"] == 8
    assert get_user_model().objects.count() == Membership.objects.count() == volume["people"] == 40
    assert Agreement.objects.count() == volume["agreements"] == 4
    assert Acknowledgement.objects.count() == volume["acknowledgements"] > 0
    assert Amendment.objects.count() == volume["amendments"]
    assert CaseClosure.objects.count() == volume["closures"] > 0
    assert Disclosure.gateways.through.objects.count() == volume["gateways"] > 0
    assert Disclosure.art9_conditions.through.objects.count() == volume["art9"] > 0
    assert LogEvent.objects.count() == volume["events"]


def test_every_record_has_its_creation_in_history(volume, db):
    assert set(Disclosure.history.values_list("id", "history_type")) == {
        (pk, "+") for pk in Disclosure.objects.values_list("pk", flat=True)}
    assert apps.get_model("sharing_log", "HistoricalDisclosure_gateways").objects.count() == volume["gateways"]
    assert apps.get_model("sharing_log", "HistoricalDisclosure_art9_conditions").objects.count() == volume["art9"]
    assert Acknowledgement.history.count() == volume["acknowledgements"]
    assert CaseClosure.history.count() == volume["closures"]
    assert Membership.history.count() == volume["people"]


def test_the_shape_is_a_partnerships(volume, db):
    decisions = dict(Disclosure.objects.values_list("decision").annotate(n=Count("pk")))
    assert decisions[Decision.SHARED] > 150
    assert decisions[Decision.NOT_SHARED] + decisions[Decision.REQUEST_REFUSED] > 5
    assert Disclosure.objects.filter(case_reference__regex=r"^CASE-[0-9]{6}$").count() == 200
    first, last = Disclosure.objects.order_by("occurred_at").values_list("occurred_at", flat=True)[::199]
    assert (last - first).days > 900
    assert Disclosure.objects.exclude(retention_due_on=None).count() == volume["with_retention"] > 0


def test_exactly_the_entries_asked_for_are_due_for_destruction(volume, db):
    assert Disclosure.objects.filter(retention_due_on__lte=TODAY, purged_at=None).count() == 6
    assert volume["due_for_destruction"] == 6


def test_the_hash_chain_verifies(volume, db, capsys):
    report = log_chain_verify()
    assert report.problems == []
    assert report.events == volume["events"]
    assert LogEvent.objects.filter(kind=LogEventKind.RETENTION_SET).count() == volume["with_retention"]
    call_command("verify_log_chain")
    assert capsys.readouterr().out.startswith(f"The log's chain is intact: {volume['events']} events, head ")


def test_the_chain_follows_time(volume, db):
    times = list(LogEvent.objects.order_by("seq").values_list("at", flat=True))
    assert times == sorted(times)


@pytest.mark.parametrize("model", [Disclosure, Amendment, CaseClosure])
def test_every_row_keeps_the_check_constraints(volume, db, model):
    for constraint in model._meta.constraints:
        if isinstance(constraint, CheckConstraint):
            assert not model._default_manager.exclude(constraint.condition).exists(), constraint.name


def test_the_grants_are_what_the_services_give(volume, db):
    def held():
        return (Group.objects.count(), AgreementGroupObjectPermission.objects.count(),
                PartyGroupObjectPermission.objects.count(), get_user_model().groups.through.objects.count())

    before = held()
    for organisation in Organisation.objects.all():
        organisation_groups(organisation=organisation)
    for agreement in Agreement.objects.all():
        agreement_permissions.grant_owner(agreement=agreement)
    for party in Party.objects.all():
        agreement_permissions.grant_party(party=party)
    for user in get_user_model().objects.all():
        grants_sync(user)
    assert held() == before


def test_a_generated_spocs_log_pages_render(volume, db, client, sign_in):
    entry = Disclosure.objects.order_by("-occurred_at").first()
    spoc = Membership.objects.filter(organisation=entry.disclosing_organisation_id, role=Role.SPOC).first().user
    sign_in(client, spoc)
    response = client.get(reverse("sharing_log:list"))
    assert response.status_code == 200
    assert entry.case_reference in response.content.decode()
    received = Disclosure.objects.filter(recipient_organisation=entry.disclosing_organisation_id).first()
    response = client.get(reverse("sharing_log:received"))
    assert response.status_code == 200
    assert received is None or received.case_reference in response.content.decode()


def test_the_same_seed_gives_the_same_log(volume, db):
    def fingerprint():
        return list(Disclosure.objects.order_by("pk").values_list(
            "case_reference", "decision", "occurred_at", "consent_status", "retention_due_on", "summary"))[-200:]

    first = fingerprint()
    with transaction.atomic():
        generate(**SIZE, today=TODAY, batch=80, log=_quiet, force=True)
        again = fingerprint()
        transaction.set_rollback(True)
    assert [row[1:] for row in again] == [row[1:] for row in first]


def test_it_refuses_a_database_holding_data(volume, db):
    with pytest.raises(Refused) as refusal:
        generate(**SIZE, today=TODAY, log=_quiet)
    assert str(refusal.value) == (
        "The database already holds 8 organisations, 40 people, 4 agreements, 200 log entries, "
        f"{volume['events']} chain events: it may be real. Use an empty, migrated database, or --force.")


@pytest.mark.skipif(connection.vendor == "postgresql", reason="PostgreSQL takes any size")
def test_it_refuses_sqlite_for_big_sizes(db):
    with pytest.raises(Refused) as refusal:
        generate(**{**SIZE, "entries": SQLITE_LIMIT + 1}, log=_quiet)
    assert str(refusal.value) == (
        "20001 entries on sqlite would take hours: use PostgreSQL (DATABASE_URL), or at most 20000 entries.")



def test_the_retention_purge_destroys_the_entries_due_and_the_chain_still_verifies(volume, db):
    destroyed = disclosures_destroy_due(on=TODAY)
    assert len(destroyed) == 6
    assert Disclosure.objects.exclude(purged_at=None).count() == 6
    assert log_chain_verify().problems == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the bench's raw INSERT reference runs on PostgreSQL")
def test_the_insert_references_rows_are_taken_out_so_the_schedulers_chain_check_passes(volume, db):
    # Issue 15: the bench's reference inserts (the bare insert view, raw single-row INSERTs) write
    # entries around the portal's services, with no hash chain; the daily scheduler it then timed
    # failed its chain step on them, and so did every later run on the kept database.
    from bench.run import reference_rows_remove

    newest = Disclosure.objects.order_by("-id").values_list("id", flat=True).first()
    columns = [field.column for field in Disclosure._meta.concrete_fields if field.column != "id"]
    names = ", ".join(connection.ops.quote_name(column) for column in columns)
    with connection.cursor() as cursor:
        for _ in range(3):
            cursor.execute(f"INSERT INTO sharing_log_disclosure ({names}) "  # noqa: S608 – names from the model
                           f"SELECT {names} FROM sharing_log_disclosure WHERE id = %s", [newest])
        assert len(log_chain_verify().problems) >= 3

        assert reference_rows_remove(cursor, after_id=newest) == 3

    assert log_chain_verify().problems == []
    assert Disclosure.objects.order_by("-id").values_list("id", flat=True).first() == newest


def _tell_by_reminders() -> set[str]:
    """The event keys of "tell the person" reminders recorded: sent, or reaching nobody."""
    from partners.models import Notification, UndeliveredNotice

    return {key for model in (Notification, UndeliveredNotice)
            for key in model.objects.filter(event_key__contains="-tell-by-").values_list("event_key", flat=True)}


def test_yesterdays_run_leaves_today_one_days_reminders_and_every_destruction(volume, db):
    """The template's "yesterday's run" (``bench.volume.yesterday``): the reminders of every earlier
    day are made, so the run measured today makes only today's; the entries due for destruction
    are left for it."""
    from django.utils import timezone

    from bench.volume.yesterday import yesterday_run
    from isa_portal.batch_reminders import remind_people_to_tell
    from sharing_log.models import SubjectInformed

    now = timezone.make_aware(datetime.datetime.combine(TODAY, datetime.time(6)))
    not_yet = Disclosure.objects.filter(subject_informed=SubjectInformed.NOT_YET, purged_at__isnull=True)
    earlier = set(not_yet.filter(subject_told_by__lt=TODAY).values_list("pk", flat=True))
    todays = set(not_yet.filter(subject_told_by=TODAY).values_list("pk", flat=True))
    assert earlier

    ran = yesterday_run(today=TODAY)

    assert ran["yesterday_ok"], ran["yesterday_steps"]
    assert not any(line.startswith("Entries destroyed") for line in ran["yesterday_steps"])
    reminded = _tell_by_reminders()
    assert {int(key.split("-")[1]) for key in reminded} == earlier
    remind_people_to_tell(on=TODAY, now=now)
    assert {int(key.split("-")[1]) for key in _tell_by_reminders() - reminded} == todays
    assert Disclosure.objects.filter(retention_due_on__lte=TODAY, purged_at__isnull=True).count() == \
        SIZE["due_for_destruction"]
