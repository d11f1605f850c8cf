"""Issue 14, item 5: the daily run e-mails each person one digest of its reminders; what cannot
wait (a breach's deadline, an escalation, a withdrawal) is still e-mailed on its own at once
(docs/decisions/0039, 0045)."""

import datetime
import zoneinfo

import pytest
from django.core import mail

from agreements.models import Agreement, Breach, PartyStatus, Status
from isa_portal import scheduler
from partners.models import Notification
from sharing_log.models import SubjectInformed
from tests.factories import ContactFactory, DisclosureFactory, OrganisationFactory, PartyFactory
from tests.sharing_log.helpers.database import chain_factory_rows, force_retention_due

LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY = datetime.datetime(2026, 3, 2, 6, 15, tzinfo=LONDON)
TODAY = MONDAY.date()
DAY = datetime.timedelta(days=1)
GM_EMAIL = "alex.example@borsetshire.example"

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(MONDAY, tick=False)]


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(MONDAY, tick=False)
    return time_machine


@pytest.fixture
def roles(roles):
    """The cast with the owner's governance manager in the directory, and no review due for years."""
    Agreement.objects.filter(status=Status.IN_FORCE).update(next_review_due=datetime.date(2031, 3, 2))
    roles.gm_contact = ContactFactory(organisation=roles.owner, user=roles.governance_manager,
                                      name="Alex Example", email=GM_EMAIL)
    roles.spoc_contact = ContactFactory(organisation=roles.partner, user=roles.spoc, name="Sam Example",
                                        email="sam.example@borsetshire.example", details_confirmed_on=TODAY)
    chain_factory_rows()
    return roles


@pytest.fixture
def eighteen_unsigned(roles):
    """18 organisations invited to sign the cast's agreement today, none of which signs."""
    return [
        PartyFactory(agreement=roles.agreement, status=PartyStatus.INVITED, invited_on=TODAY,
                     organisation=OrganisationFactory(name=f"Felpersham Parish Council {number}"))
        for number in range(1, 19)
    ]


def run_on(clock, day: datetime.date, capture) -> dict:
    clock.move_to(datetime.datetime.combine(day, MONDAY.time(), tzinfo=LONDON), tick=False)
    with capture(execute=True):
        return {result.name: result.count for result in scheduler.run_scheduler()}


def to(address: str) -> list:
    return [message for message in mail.outbox if message.to == [address]]


def test_a_run_owing_one_person_18_reminders_sends_them_one_email_listing_all_18(
    roles, eighteen_unsigned, clock, django_capture_on_commit_callbacks,
):
    results = run_on(clock, TODAY + 14 * DAY, django_capture_on_commit_callbacks)

    # In the portal, 18 notifications as before…
    assert roles.gm_contact.notifications.filter(event_key__startswith="signature-").count() == 18
    # …and one e-mail.
    [digest] = to(GM_EMAIL)
    assert digest.subject == "ISA Portal: 18 things due today"
    [(html, mimetype)] = digest.alternatives
    assert mimetype == "text/html"
    for party in eighteen_unsigned:
        line = f"{party.organisation} has not yet signed"
        assert line in digest.body
        assert line in html
    assert digest.body.count("has not yet signed") == 18
    link = f"http://127.0.0.1:8000/agreements/{roles.agreement.pk}/signatures/"
    assert digest.body.count(link) == 18
    assert html.count(f'href="{link}"') == 18
    assert results["digests"] == 1
    assert roles.gm_contact.notifications.filter(emailed_at__isnull=True).count() == 0


def test_the_next_run_sends_no_digest_again(roles, eighteen_unsigned, clock, django_capture_on_commit_callbacks):
    run_on(clock, TODAY + 14 * DAY, django_capture_on_commit_callbacks)
    mail.outbox.clear()

    results = run_on(clock, TODAY + 14 * DAY, django_capture_on_commit_callbacks)

    assert results["digests"] == 0
    assert mail.outbox == []


def test_one_reminder_is_one_thing_due(roles, eighteen_unsigned, clock, django_capture_on_commit_callbacks):
    PartyFactory._meta.model.objects.filter(pk__in=[p.pk for p in eighteen_unsigned[1:]]).update(
        status=PartyStatus.SIGNED)

    run_on(clock, TODAY + 14 * DAY, django_capture_on_commit_callbacks)

    assert [message.subject for message in to(GM_EMAIL)] == ["ISA Portal: 1 thing due today"]


def test_a_breach_deadline_is_emailed_at_once_on_its_own_beside_the_digest(
    roles, eighteen_unsigned, clock, django_capture_on_commit_callbacks,
):
    Breach.objects.create(agreement=roles.agreement, reporting_organisation=roles.partner,
                          discovered_at=MONDAY, description="A letter went to the wrong address.")

    run_on(clock, TODAY + 14 * DAY, django_capture_on_commit_callbacks)

    subjects = sorted(message.subject for message in to(GM_EMAIL))
    # The breach opened a review (in the digest, with the 18) and its report is due: at once.
    assert subjects == [
        "ISA Portal: 19 things due today",
        "ISA Portal: Due soon: Report from the partner in breach (within 10 working days) – BCSP ISA",
    ]
    assert not Notification.objects.filter(event_key__startswith="breach-", in_digest=True).exists()


def test_a_reminder_to_tell_the_person_goes_in_the_digest_with_the_rest(
    roles, eighteen_unsigned, clock, django_capture_on_commit_callbacks,
):
    # Decision 0045: a notice the rules require that has no clock of hours is a reminder like the others.
    entry = DisclosureFactory(
        agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
        disclosed_by=roles.governance_manager, occurred_at=MONDAY, subject_informed=SubjectInformed.NOT_YET,
        subject_told_by=TODAY + 14 * DAY,
    )
    chain_factory_rows()

    run_on(clock, TODAY + 14 * DAY, django_capture_on_commit_callbacks)

    [digest] = to(GM_EMAIL)
    assert digest.subject == "ISA Portal: 19 things due today"
    assert f". Tell the person sharing log entry {entry.pk} is about\n" in digest.body


def test_a_digest_the_mail_server_refuses_waits_for_the_next_run_and_others_still_go(
    roles, eighteen_unsigned, clock, django_capture_on_commit_callbacks, monkeypatch,
):
    other = ContactFactory(organisation=roles.owner, name="Robin Example", email="robin.example@borsetshire.example")
    Notification.objects.create(recipient=other, subject="The review is due in 7 days", body="…", in_digest=True)
    from partners import notices

    real = notices.digest_email_send

    def refuse_alex(recipient, notifications):
        if recipient.email == GM_EMAIL:
            raise ConnectionRefusedError("the mail server is down")
        real(recipient, notifications)

    monkeypatch.setattr(notices, "digest_email_send", refuse_alex)
    run_on(clock, TODAY + 14 * DAY, django_capture_on_commit_callbacks)

    assert to(GM_EMAIL) == []
    assert [m.subject for m in to("robin.example@borsetshire.example")] == ["ISA Portal: 1 thing due today"]
    assert roles.gm_contact.notifications.filter(in_digest=True, emailed_at__isnull=True).count() == 18

    monkeypatch.setattr(notices, "digest_email_send", real)
    run_on(clock, TODAY + 15 * DAY, django_capture_on_commit_callbacks)

    [digest] = to(GM_EMAIL)
    assert digest.subject == "ISA Portal: 18 things due today"


def test_copies_to_destroy_under_the_retention_rule_are_asked_for_in_one_digest(
    roles, clock, django_capture_on_commit_callbacks,
):
    for _ in range(3):
        entry = DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                                  recipient_organisation=roles.partner, disclosed_by=roles.practitioner)
        force_retention_due(entry, TODAY)

    results = run_on(clock, TODAY, django_capture_on_commit_callbacks)

    assert results["retention"] == 3
    assert roles.spoc_contact.notifications.filter(event_key__startswith="retention-confirmation-").count() == 3
    [digest] = to("sam.example@borsetshire.example")
    assert digest.subject == "ISA Portal: 3 things due today"
    assert digest.body.count("Destroy your copy of information Borsetshire County Council shared") == 3
