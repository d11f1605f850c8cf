"""The clocks of breaches and requests (agreements/clocks.py): UK working days by jurisdiction,
a calendar month for subject access, 20 working days for FOI, 72 hours for the ICO."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from agreements import clocks
from agreements.clocks import (
    ENGLAND_AND_WALES,
    NORTHERN_IRELAND,
    SCOTLAND,
    add_working_days,
    foi_due,
    ico_due,
    is_working_day,
    next_working_day,
    subject_access_due,
)

D = datetime.date
LONDON = ZoneInfo("Europe/London")


class TestWorkingDays:
    def test_the_day_itself_is_not_counted(self):
        # Monday 1 June 2026, an ordinary week.
        assert add_working_days(D(2026, 6, 1), 1, jurisdiction=ENGLAND_AND_WALES) == D(2026, 6, 2)

    def test_weekends_are_skipped(self):
        assert add_working_days(D(2026, 6, 5), 1, jurisdiction=ENGLAND_AND_WALES) == D(2026, 6, 8)

    def test_a_day_discovered_at_the_weekend_counts_from_monday(self):
        assert add_working_days(D(2026, 6, 6), 1, jurisdiction=ENGLAND_AND_WALES) == D(2026, 6, 8)

    def test_zero_days_is_the_day_itself(self):
        assert add_working_days(D(2026, 6, 6), 0, jurisdiction=ENGLAND_AND_WALES) == D(2026, 6, 6)

    def test_counting_backwards_is_refused(self):
        with pytest.raises(ValueError, match="days must not be negative"):
            add_working_days(D(2026, 6, 1), -1, jurisdiction=ENGLAND_AND_WALES)

    def test_an_unknown_jurisdiction_is_refused(self):
        with pytest.raises(ValueError, match="'wales' is not a UK jurisdiction the portal knows."):
            add_working_days(D(2026, 6, 1), 1, jurisdiction="wales")


class TestBreachDiscoveredTheFridayBeforeABankHolidayMonday:
    """Friday 22 May 2026; Monday 25 May is the spring bank holiday everywhere in the UK."""

    @pytest.mark.parametrize(("days", "due"), [
        (5, D(2026, 6, 1)),    # partners told: not Friday 29 May
        (10, D(2026, 6, 8)),   # the report
        (20, D(2026, 6, 22)),  # the meeting
    ])
    def test_each_deadline_skips_the_bank_holiday(self, days, due):
        assert add_working_days(D(2026, 5, 22), days, jurisdiction=ENGLAND_AND_WALES) == due

    @pytest.mark.parametrize("jurisdiction", [SCOTLAND, NORTHERN_IRELAND])
    def test_the_spring_bank_holiday_is_a_holiday_in_every_jurisdiction(self, jurisdiction):
        assert add_working_days(D(2026, 5, 22), 5, jurisdiction=jurisdiction) == D(2026, 6, 1)

    def test_the_bank_holiday_is_not_a_working_day(self):
        assert is_working_day(D(2026, 5, 25), jurisdiction=ENGLAND_AND_WALES) is False
        assert is_working_day(D(2026, 5, 26), jurisdiction=ENGLAND_AND_WALES) is True


class TestChristmasSubstitutes:
    def test_boxing_day_on_a_saturday_moves_to_monday(self):
        # Christmas 2026 is a Friday, Boxing Day a Saturday: Monday 28 December is the substitute.
        assert add_working_days(D(2026, 12, 24), 1, jurisdiction=ENGLAND_AND_WALES) == D(2026, 12, 29)

    def test_christmas_on_a_saturday_and_boxing_day_on_a_sunday_move_to_monday_and_tuesday(self):
        # 2027: 27 and 28 December are substitutes; 1 January 2028 is a Saturday, so 3 January too.
        assert add_working_days(D(2027, 12, 23), 1, jurisdiction=ENGLAND_AND_WALES) == D(2027, 12, 24)
        assert add_working_days(D(2027, 12, 23), 2, jurisdiction=ENGLAND_AND_WALES) == D(2027, 12, 29)
        assert add_working_days(D(2027, 12, 23), 5, jurisdiction=ENGLAND_AND_WALES) == D(2028, 1, 4)

    def test_scotland_also_moves_its_2_january_from_the_sunday_to_tuesday(self):
        assert add_working_days(D(2027, 12, 23), 5, jurisdiction=SCOTLAND) == D(2028, 1, 5)


class TestScotland:
    def test_2_january_is_a_bank_holiday_in_scotland_alone(self):
        # Wednesday 31 December 2025: Thursday 1 January is a holiday everywhere, Friday 2 only in Scotland.
        assert add_working_days(D(2025, 12, 31), 1, jurisdiction=ENGLAND_AND_WALES) == D(2026, 1, 2)
        assert add_working_days(D(2025, 12, 31), 1, jurisdiction=SCOTLAND) == D(2026, 1, 5)

    def test_st_andrews_day(self):
        # Monday 30 November 2026.
        assert add_working_days(D(2026, 11, 27), 1, jurisdiction=ENGLAND_AND_WALES) == D(2026, 11, 30)
        assert add_working_days(D(2026, 11, 27), 1, jurisdiction=SCOTLAND) == D(2026, 12, 1)

    def test_easter_monday_is_not_a_scottish_bank_holiday(self):
        # Easter Monday 6 April 2026.
        assert add_working_days(D(2026, 4, 2), 1, jurisdiction=SCOTLAND) == D(2026, 4, 6)
        assert add_working_days(D(2026, 4, 2), 1, jurisdiction=ENGLAND_AND_WALES) == D(2026, 4, 7)


class TestNorthernIreland:
    def test_st_patricks_day(self):
        # Tuesday 17 March 2026.
        assert add_working_days(D(2026, 3, 16), 1, jurisdiction=ENGLAND_AND_WALES) == D(2026, 3, 17)
        assert add_working_days(D(2026, 3, 16), 1, jurisdiction=NORTHERN_IRELAND) == D(2026, 3, 18)

    def test_the_twelfth_on_a_monday(self):
        assert add_working_days(D(2027, 7, 9), 1, jurisdiction=ENGLAND_AND_WALES) == D(2027, 7, 12)
        assert add_working_days(D(2027, 7, 9), 1, jurisdiction=NORTHERN_IRELAND) == D(2027, 7, 13)

    def test_the_twelfth_on_a_sunday_moves_to_monday(self):
        assert add_working_days(D(2026, 7, 10), 1, jurisdiction=NORTHERN_IRELAND) == D(2026, 7, 14)


class TestLeapYears:
    def test_29_february_is_a_working_day(self):
        assert add_working_days(D(2028, 2, 28), 1, jurisdiction=ENGLAND_AND_WALES) == D(2028, 2, 29)

    def test_five_working_days_across_29_february(self):
        # Thursday 24 February 2028: 25, 28, 29 February, 1 and 2 March.
        assert add_working_days(D(2028, 2, 24), 5, jurisdiction=ENGLAND_AND_WALES) == D(2028, 3, 2)

    def test_in_a_common_year_the_same_count_lands_a_day_later_in_march(self):
        # Thursday 25 February 2027: 26 February, 1, 2, 3 and 4 March.
        assert add_working_days(D(2027, 2, 25), 5, jurisdiction=ENGLAND_AND_WALES) == D(2027, 3, 4)


class TestSubjectAccess:
    def test_one_calendar_month_to_the_same_date(self):
        assert subject_access_due(D(2026, 9, 7), jurisdiction=ENGLAND_AND_WALES) == D(2026, 10, 7)

    def test_31_january_in_a_leap_year_is_due_on_29_february(self):
        assert subject_access_due(D(2028, 1, 31), jurisdiction=ENGLAND_AND_WALES) == D(2028, 2, 29)

    def test_29_february_is_due_on_29_march(self):
        assert subject_access_due(D(2028, 2, 29), jurisdiction=ENGLAND_AND_WALES) == D(2028, 3, 29)

    def test_a_short_month_ending_at_a_weekend_moves_to_the_next_working_day(self):
        # 31 January 2027 gives Sunday 28 February 2027, so Monday 1 March.
        assert subject_access_due(D(2027, 1, 31), jurisdiction=ENGLAND_AND_WALES) == D(2027, 3, 1)

    def test_a_date_on_christmas_moves_past_the_substitute_boxing_day(self):
        # 25 November 2026 gives Friday 25 December; Saturday, Sunday, then Monday 28 (substitute).
        assert subject_access_due(D(2026, 11, 25), jurisdiction=ENGLAND_AND_WALES) == D(2026, 12, 29)

    def test_the_jurisdictions_own_bank_holidays_count(self):
        # 17 February 2026 gives Tuesday 17 March: St Patrick's Day in Northern Ireland only.
        assert subject_access_due(D(2026, 2, 17), jurisdiction=ENGLAND_AND_WALES) == D(2026, 3, 17)
        assert subject_access_due(D(2026, 2, 17), jurisdiction=NORTHERN_IRELAND) == D(2026, 3, 18)

    def test_next_working_day_keeps_a_working_day(self):
        assert next_working_day(D(2026, 3, 17), jurisdiction=ENGLAND_AND_WALES) == D(2026, 3, 17)

    def test_a_date_on_a_saturday_moves_to_monday(self):
        # 3 September 2026 gives Saturday 3 October.
        assert subject_access_due(D(2026, 9, 3), jurisdiction=ENGLAND_AND_WALES) == D(2026, 10, 5)


class TestFreedomOfInformation:
    def test_twenty_working_days_following_receipt(self):
        # Monday 7 September 2026, no bank holiday anywhere in the way: Monday 5 October.
        assert foi_due(D(2026, 9, 7), jurisdiction=ENGLAND_AND_WALES) == D(2026, 10, 5)

    def test_a_bank_holiday_anywhere_in_the_uk_is_not_a_working_day_under_foia(self):
        # FOIA s10(6): Scotland's 2 January stops the clock for an English authority too.
        received = D(2025, 12, 15)
        assert add_working_days(received, 20, jurisdiction=ENGLAND_AND_WALES) == D(2026, 1, 15)
        assert foi_due(received, jurisdiction=ENGLAND_AND_WALES) == D(2026, 1, 16)

    def test_st_patricks_day_stops_the_clock_in_england_but_not_in_scotland(self):
        # FOISA s73 counts Scotland's bank holidays alone.
        assert foi_due(D(2026, 3, 2), jurisdiction=ENGLAND_AND_WALES) == D(2026, 3, 31)
        assert foi_due(D(2026, 3, 2), jurisdiction=NORTHERN_IRELAND) == D(2026, 3, 31)
        assert foi_due(D(2026, 3, 2), jurisdiction=SCOTLAND) == D(2026, 3, 30)

    def test_an_unknown_jurisdiction_is_refused(self):
        with pytest.raises(ValueError, match="is not a UK jurisdiction"):
            foi_due(D(2026, 3, 2), jurisdiction="")


class TestIco:
    def test_72_hours_run_through_the_weekend(self):
        discovered = datetime.datetime(2026, 5, 22, 16, 45, tzinfo=LONDON)

        assert ico_due(discovered).astimezone(LONDON) == datetime.datetime(2026, 5, 25, 16, 45, tzinfo=LONDON)

    def test_72_hours_across_29_february(self):
        discovered = datetime.datetime(2028, 2, 27, 9, 0, tzinfo=LONDON)

        assert ico_due(discovered).astimezone(LONDON) == datetime.datetime(2028, 3, 1, 9, 0, tzinfo=LONDON)

    def test_72_hours_are_real_hours_when_the_clocks_go_forward(self):
        # British Summer Time begins at 01:00 on Sunday 29 March 2026: 10:00 GMT + 72 h is 11:00 BST.
        due = ico_due(datetime.datetime(2026, 3, 27, 10, 0, tzinfo=LONDON)).astimezone(LONDON)

        assert (due.hour, due.day) == (11, 30)

    def test_72_hours_are_real_hours_when_the_clocks_go_back(self):
        due = ico_due(datetime.datetime(2026, 10, 23, 10, 0, tzinfo=LONDON)).astimezone(LONDON)

        assert (due.hour, due.day) == (9, 26)

    def test_a_time_without_a_zone_is_refused(self):
        with pytest.raises(ValueError, match="must carry its time zone"):
            ico_due(datetime.datetime(2026, 5, 22, 16, 45))


class TestDeadline:
    NOW = datetime.datetime(2026, 6, 2, 12, 0, tzinfo=LONDON)

    def step(self, **fields):
        return clocks.deadline(key="k", label="L", on=self.NOW.date(), now=self.NOW, **fields)

    def test_a_date_is_overdue_only_after_its_day(self):
        assert self.step(due=D(2026, 6, 2), done=None).overdue is False
        assert self.step(due=D(2026, 6, 1), done=None).overdue is True

    def test_a_time_is_overdue_as_soon_as_it_passes(self):
        assert self.step(due=self.NOW - datetime.timedelta(minutes=1), done=None).overdue is True
        assert self.step(due=self.NOW + datetime.timedelta(minutes=1), done=None).overdue is False

    def test_done_is_never_overdue_but_may_be_late(self):
        late = self.step(due=D(2026, 6, 1), done=D(2026, 6, 2))

        assert (late.overdue, late.late) == (False, True)
        assert self.step(due=D(2026, 6, 1), done=D(2026, 6, 1)).late is False

    def test_a_step_whose_due_date_is_not_known_is_not_overdue(self):
        assert self.step(due=None, done=None).overdue is False
