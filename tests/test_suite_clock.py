"""The run's clock (docs/testing.md, "The clock"): ``ISA_TEST_NOW`` starts a whole run at a
moment of one's choosing, to find the tests that read "today" without pinning it."""

import datetime

from django.utils import timezone

from tests.conftest import _start_at_isa_test_now


def test_isa_test_now_moves_the_clock_there_and_lets_it_tick(monkeypatch):
    monkeypatch.setenv("ISA_TEST_NOW", "2027-06-30T23:40:00+00:00")
    before = timezone.now()
    traveller = _start_at_isa_test_now()
    try:
        # 23:40 in UTC is 00:40 the next day in London: the portal's day has turned.
        assert timezone.localdate() == datetime.date(2027, 7, 1)
        first = timezone.now()
        assert datetime.timedelta(0) <= first - datetime.datetime(2027, 6, 30, 23, 40, tzinfo=datetime.UTC) \
            < datetime.timedelta(minutes=1)
        assert timezone.now() > first
    finally:
        traveller.stop()
    assert datetime.timedelta(0) <= timezone.now() - before < datetime.timedelta(minutes=1)


def test_without_it_the_clock_is_the_machines(monkeypatch):
    monkeypatch.delenv("ISA_TEST_NOW", raising=False)

    assert _start_at_isa_test_now() is None
