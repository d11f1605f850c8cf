"""The daily run's reminders of organisation assurance (decision 0063, amended): a DSPT assessment
30 days before it lapses (12 months after publication) and once it has lapsed, beside the ICO
registration's renewal reminders; each once per organisation and lapse date, to the
organisation's governance managers (or, with none, its SPOCs), in the day's digest, and in a
number of queries that does not grow with the number of organisations."""

import datetime
import zoneinfo

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext

from isa_portal import batch_reminders, scheduler
from partners.models import DsptStatus, Notification, Role, UndeliveredNotice
from tests.factories import ContactFactory, MembershipFactory, OrganisationFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY = datetime.datetime(2026, 3, 2, 6, 15, tzinfo=LONDON)
TODAY = MONDAY.date()
DAY = datetime.timedelta(days=1)
# Published on 1 April 2025: lapses after 1 April 2026, 30 days after TODAY.
PUBLISHED = datetime.date(2025, 4, 1)
LAPSES = datetime.date(2026, 4, 1)

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(MONDAY, tick=False)]


@pytest.fixture(autouse=True)
def clock(time_machine):
    time_machine.move_to(MONDAY, tick=False)
    return time_machine


def organisation(name: str, *, manager: bool = True, spoc: bool = True, **fields):
    """An organisation with a governance manager ("<name> manager") and a SPOC ("<name> SPOC"),
    each signing in and in the directory."""
    body = OrganisationFactory(name=name, **fields)
    for wanted, role, label in ((manager, Role.GOVERNANCE_MANAGER, "manager"), (spoc, Role.SPOC, "SPOC")):
        if wanted:
            user = MembershipFactory(organisation=body, role=role).user
            ContactFactory(organisation=body, user=user, name=f"{name} {label}")
    return body


def dspt_organisation(name: str = "Fenland Hospice", published=PUBLISHED, **kwargs):
    return organisation(name, dspt_status=DsptStatus.MET, dspt_published_on=published, **kwargs)


def remind(day: datetime.date) -> int:
    return batch_reminders.remind_dspt_lapses(on=day, now=datetime.datetime.combine(day, MONDAY.time(), tzinfo=LONDON))


def sent(prefix: str) -> list[tuple[str, str]]:
    return sorted(Notification.objects.filter(event_key__startswith=prefix).values_list(
        "event_key", "recipient__name"))


class TestDsptReminders:
    def test_30_days_before_it_lapses_and_once_it_has_lapsed_each_once(self):
        body = dspt_organisation()
        prefix = f"dspt-{body.pk}-"

        remind(TODAY - DAY)
        assert sent(prefix) == []
        remind(TODAY)
        assert sent(prefix) == [(f"{prefix}due-{LAPSES}", "Fenland Hospice manager")]
        remind(TODAY + DAY)
        remind(LAPSES)  # still valid on its last day (partners.selectors.assurance_lapses)
        assert len(sent(prefix)) == 1
        remind(LAPSES + DAY)
        remind(LAPSES + 2 * DAY)
        assert sent(prefix) == [(f"{prefix}due-{LAPSES}", "Fenland Hospice manager"),
                                (f"{prefix}lapsed-{LAPSES}", "Fenland Hospice manager")]

    def test_the_message_says_when_it_lapses_and_what_to_do(self):
        body = dspt_organisation()

        remind(TODAY)

        notification = Notification.objects.get(event_key=f"dspt-{body.pk}-due-{LAPSES}")
        assert notification.subject == "Fenland Hospice's DSPT assessment lapses on 1 April 2026"
        assert "published on 1 April 2025" in notification.body
        assert notification.url == body.get_absolute_url()
        assert notification.in_digest is True

    def test_a_missed_run_is_caught_up_with_the_lapse_only(self):
        body = dspt_organisation()

        remind(LAPSES + 3 * DAY)

        assert [key for key, _ in sent(f"dspt-{body.pk}-")] == [f"dspt-{body.pk}-lapsed-{LAPSES}"]

    def test_a_new_publication_is_reminded_of_in_its_turn(self):
        body = dspt_organisation()
        remind(LAPSES + DAY)
        body.dspt_published_on = LAPSES
        body.save(update_fields=["dspt_published_on"])

        remind(datetime.date(2027, 3, 2))

        assert [key for key, _ in sent(f"dspt-{body.pk}-")] == [
            f"dspt-{body.pk}-due-2027-04-01", f"dspt-{body.pk}-lapsed-{LAPSES}",
        ]

    def test_the_spocs_are_told_when_there_is_no_governance_manager(self):
        body = dspt_organisation(manager=False)

        remind(TODAY)

        assert sent(f"dspt-{body.pk}-") == [(f"dspt-{body.pk}-due-{LAPSES}", "Fenland Hospice SPOC")]

    def test_an_organisation_with_nobody_to_tell_is_recorded_not_skipped(self):
        body = dspt_organisation(manager=False, spoc=False)

        remind(TODAY)

        assert list(UndeliveredNotice.objects.values_list("organisation", "event_key")) == [
            (body.pk, f"dspt-{body.pk}-due-{LAPSES}"),
        ]
        remind(TODAY + DAY)
        assert UndeliveredNotice.objects.count() == 1

    def test_nothing_for_a_body_that_has_ceased_or_has_published_nothing(self):
        dspt_organisation(ceased_on=TODAY - DAY)
        organisation("Fenland Parish Council", dspt_status=DsptStatus.NOT_PUBLISHED)
        dspt_organisation("Wisbech Academy", published=TODAY - 300 * DAY)  # lapses in 65 days

        assert remind(TODAY) == 0
        assert not Notification.objects.exists() and not UndeliveredNotice.objects.exists()

    def test_in_the_days_digest_with_the_other_reminders(self, settings):
        dspt_organisation(ico_registration_number="ZA123456", ico_renewal_date=TODAY + 10 * DAY)

        results = {result.name: result.count for result in scheduler.run_scheduler()}

        assert results["dspt_reminders"] == 1 and results["ico_reminders"] == 1
        digests = [message for message in mail.outbox if message.to == [
            Notification.objects.filter(event_key__startswith="dspt-").get().recipient.email]]
        assert len(digests) == 1
        assert "Fenland Hospice's DSPT assessment lapses on 1 April 2026" in digests[0].body
        assert "Fenland Hospice's ICO registration is due for renewal" in digests[0].body


class TestQueries:
    """However many organisations are due, each step reads and writes in the same few queries."""

    @staticmethod
    def queries(step, numbers: range) -> int:
        for number in numbers:
            organisation(f"Huntingdon Partner {number}", dspt_status=DsptStatus.MET, dspt_published_on=PUBLISHED,
                         ico_registration_number="ZA123456", ico_renewal_date=TODAY + 10 * DAY)
        with CaptureQueriesContext(connection) as context:
            told = step(on=TODAY, now=MONDAY)
        assert told == len(numbers)  # each new organisation's governance manager, once
        return len(context.captured_queries)

    @pytest.mark.parametrize("step", [batch_reminders.remind_dspt_lapses, batch_reminders.remind_ico_renewals],
                             ids=["dspt", "ico"])
    def test_the_number_of_queries_does_not_grow_with_the_organisations(self, step):
        few = self.queries(step, range(2))
        many = self.queries(step, range(2, 14))  # the first two read again, and left alone

        assert many == few
        assert few <= 6
