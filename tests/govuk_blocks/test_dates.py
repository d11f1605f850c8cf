import datetime
import zoneinfo

import pytest

from govuk_blocks.dates import date_time, long_date, time_of_day

LONDON = zoneinfo.ZoneInfo("Europe/London")


def test_a_long_date_has_no_leading_zero_and_the_month_in_full():
    assert long_date(datetime.date(2026, 3, 7)) == "7 March 2026"


def test_a_long_date_of_a_moment_is_the_day_in_the_uk():
    # 23:30 UTC on 30 June is already 1 July in British Summer Time.
    moment = datetime.datetime(2026, 6, 30, 23, 30, tzinfo=datetime.UTC)

    assert long_date(moment) == "1 July 2026"


@pytest.mark.parametrize(("hour", "minute", "expected"), [
    (9, 41, "9:41am"),
    (0, 5, "12:05am"),
    (12, 30, "12:30pm"),
    (17, 0, "5:00pm"),
    (12, 0, "midday"),
    (0, 0, "midnight"),
])
def test_times_use_the_gov_uk_12_hour_clock(hour, minute, expected):
    assert time_of_day(datetime.datetime(2026, 1, 15, hour, minute, tzinfo=LONDON)) == expected


def test_a_date_and_time_reads_in_uk_time_across_the_change_of_the_clocks():
    # 08:41 UTC is 9:41am in British Summer Time.
    moment = datetime.datetime(2026, 4, 1, 8, 41, tzinfo=datetime.UTC)

    assert date_time(moment) == "1 April 2026 at 9:41am"
