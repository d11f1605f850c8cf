"""Dates and times as GOV.UK writes them: "22 December 2026", "22 December 2026 at 9:41am".

GOV.UK's style (https://www.gov.uk/guidance/style-guide/a-to-z#dates, #times): no leading zero on
the day, the month in full, the 12-hour clock with "am" or "pm" and no full stops, "midday" and
"midnight" for 12:00 and 0:00. Every page, message and e-mail of the portal writes dates through
these functions or their template filters (``{{ day|long_date }}``, ``{{ moment|date_time }}``).
"""

import datetime

from django.utils import timezone
from django.utils.formats import date_format

#: Django's format for a date in words (``{{ day|date:LONG_DATE }}``).
LONG_DATE = "j F Y"


def long_date(day: datetime.date | datetime.datetime) -> str:
    """22 December 2026. A datetime is first read in the portal's time zone."""
    if isinstance(day, datetime.datetime):
        day = timezone.localdate(day) if timezone.is_aware(day) else day.date()
    return date_format(day, LONG_DATE)


def time_of_day(moment: datetime.datetime) -> str:
    """9:41am, 12:05pm, midday: the GOV.UK 12-hour clock, in the portal's time zone."""
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    if moment.minute == 0 and moment.hour in (0, 12):
        return "midday" if moment.hour == 12 else "midnight"
    hour = moment.hour % 12 or 12
    return f"{hour}:{moment:%M}{'am' if moment.hour < 12 else 'pm'}"


def date_time(moment: datetime.datetime) -> str:
    """22 December 2026 at 9:41am, in the portal's time zone."""
    return f"{long_date(moment)} at {time_of_day(moment)}"
