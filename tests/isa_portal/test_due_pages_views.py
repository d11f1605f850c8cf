"""What's due a page at a time (issue 15): the list is counted in the database and read only as
far as the page asked for reaches, yet reads in the same order as the whole list would; the
home page counts without listing.

The clock is frozen on Monday 2 March 2026.
"""

import datetime
import zoneinfo

import pytest
from django.db.models.signals import post_init
from django.urls import reverse
from django.utils import timezone

from agreements.models import Review, ReviewTrigger
from isa_portal.due import DueSequence, due_counts, due_for
from sharing_log.models import Decision, Disclosure, SubjectInformed
from sharing_log.services import disclosure_acknowledge, disclosure_amend
from tests.auth import sign_in
from tests.factories import DisclosureFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(MONDAY, tick=False)]
TODAY = MONDAY.date()
DAY = datetime.timedelta(days=1)



def received(roles, *, days_ago: int, hour: int = 10):
    """Shared with the partner (whose SPOC is ``roles.spoc``) ``days_ago`` days ago."""
    when = datetime.datetime.combine(TODAY - days_ago * DAY, datetime.time(hour), tzinfo=LONDON)
    return DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                             recipient_organisation=roles.partner, occurred_at=when)


def to_tell(roles, *, by: datetime.date):
    return DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.partner,
                             recipient_organisation=roles.owner, disclosed_by=roles.spoc,
                             subject_informed=SubjectInformed.NOT_YET, subject_told_by=by)


@pytest.fixture
def busy(roles):
    """A SPOC with receipts overdue (shared the weekend before last and since, up to Thursday: due
    by Friday) and not yet overdue (shared Friday: due today; today: due tomorrow), people to
    tell either side of today, and an acknowledged receipt and a person told, which are not due."""
    roles.name_spocs()
    for days_ago in (9, 8, 7, 4, 4, 3, 3, 3, 0, 0):
        received(roles, days_ago=days_ago)
    for offset in (-3, -1, 0, 2, 5):
        to_tell(roles, by=TODAY + offset * DAY)
    disclosure_acknowledge(disclosure=received(roles, days_ago=10), by_user=roles.spoc)
    told = to_tell(roles, by=TODAY - 5 * DAY)
    disclosure_amend(disclosure=told, by_user=roles.spoc, field="subject_informed", value=SubjectInformed.YES,
                     reason="Told on the phone.")
    DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                      recipient_organisation=roles.partner, decision=Decision.NOT_SHARED,
                      decision_reason="Not necessary.")
    return roles


def keys(items) -> list[str]:
    return [item.key for item in items]


def test_the_counts_are_those_of_the_whole_list(busy):
    whole = due_for(busy.spoc)

    assert (len(whole.overdue), len(whole.coming_up)) == (7, 8)
    assert due_counts(busy.spoc) == (7, 8)


def test_each_page_reads_as_the_whole_list_would(busy):
    whole = due_for(busy.spoc)
    everything = whole.overdue + whole.coming_up
    sequence = DueSequence(busy.spoc)

    pages = [sequence[start:start + 4] for start in range(0, 15, 4)]

    assert [keys(page) for page in pages] == [keys(everything[start:start + 4]) for start in range(0, 15, 4)]
    assert [item.status for item in sequence[6:10]] == [item.status for item in everything[6:10]]


def test_receipts_overdue_are_those_due_before_today(busy):
    whole = due_for(busy.spoc)

    assert sorted(item.due for item in whole.overdue if item.kind == "Receipt") == [
        datetime.date(2026, 2, 23), datetime.date(2026, 2, 23), datetime.date(2026, 2, 24),
        datetime.date(2026, 2, 27), datetime.date(2026, 2, 27),
    ]
    assert sorted(item.due for item in whole.coming_up if item.kind == "Receipt") == [
        datetime.date(2026, 3, 2), datetime.date(2026, 3, 2), datetime.date(2026, 3, 2),
        datetime.date(2026, 3, 3), datetime.date(2026, 3, 3),
    ]


def test_the_page_shows_a_page_at_a_time_with_numbered_links(client, busy, monkeypatch):
    monkeypatch.setattr("isa_portal.views.DUE_PER_PAGE", 5)
    sign_in(client, busy.spoc)

    first = client.get(reverse("due"))
    last = client.get(reverse("due"), {"page": "3"})

    html = first.content.decode()
    assert "7 things are overdue" in html
    assert "Showing 1 to 5 of 15: overdue first." in html
    assert '<h2 class="govuk-heading-m">Coming up</h2>' not in html
    assert '<a class="govuk-link govuk-pagination__link" href="?page=2" rel="next">' in html
    assert len(first.context["overdue"]) == 5
    assert (len(last.context["overdue"]), len(last.context["coming_up"])) == (0, 5)
    assert "Showing 11 to 15 of 15: overdue first." in last.content.decode()
    assert "<title>What's due (page 3 of 3)" in last.content.decode()


def test_a_page_past_the_end_shows_the_last_and_a_page_that_is_not_a_number_the_first(client, busy, monkeypatch):
    monkeypatch.setattr("isa_portal.views.DUE_PER_PAGE", 5)
    sign_in(client, busy.spoc)

    assert client.get(reverse("due"), {"page": "99"}).context["page"].number == 3
    assert client.get(reverse("due"), {"page": "first"}).context["page"].number == 1


def test_a_manager_s_reviews_and_the_log_s_items_are_merged_in_date_order(busy):
    Review.objects.create(agreement=busy.agreement, trigger=ReviewTrigger.CHAIR_REQUEST, due_on=TODAY - 6 * DAY,
                          reason="The chair asked.")
    Review.objects.create(agreement=busy.agreement, trigger=ReviewTrigger.CHAIR_REQUEST, due_on=TODAY + 3 * DAY,
                          reason="The chair asked again.")
    user = busy.governance_manager
    whole = due_for(user)
    everything = whole.overdue + whole.coming_up
    sequence = DueSequence(user)

    assert keys(sequence[0:3] + sequence[3:len(sequence)]) == keys(everything)
    assert due_counts(user) == (len(whole.overdue), len(whole.coming_up))


def test_an_acknowledged_receipt_and_a_person_told_are_not_counted(busy):
    before = due_counts(busy.spoc)
    entry = received(busy, days_ago=1)
    assert due_counts(busy.spoc) == (before[0], before[1] + 1)

    disclosure_acknowledge(disclosure=entry, by_user=busy.spoc)

    assert due_counts(busy.spoc) == before
    assert timezone.localdate(entry.occurred_at) == TODAY - DAY


def rows_made(sequence, page: slice) -> int:
    """The log's rows (entries) made into model instances to read ``page`` of ``sequence``."""
    made = []

    def count(sender, **kwargs):
        made.append(sender)

    post_init.connect(count, sender=Disclosure)
    try:
        sequence[page]
    finally:
        post_init.disconnect(count, sender=Disclosure)
    return len(made)


def test_a_deep_page_makes_items_of_its_own_rows_only(busy):
    for days_ago in range(1, 31):
        received(busy, days_ago=days_ago)
        to_tell(busy, by=TODAY + days_ago * DAY)
    sequence = DueSequence(busy.spoc)
    assert len(sequence) > 70

    first, deep = rows_made(sequence, slice(0, 5)), rows_made(sequence, slice(65, 70))

    # Before: page n made n × 5 rows of each reader into entries (and items) to keep 5.
    assert (first, deep) == (5, 5)
