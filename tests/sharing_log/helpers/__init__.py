"""Helpers several sharing log test modules share; one module per feature whose tests are
split between ``test_<feature>.py`` and ``test_<feature>_views.py``. Fixtures are in
``tests/sharing_log/conftest.py``."""

import datetime

from django.utils.dateformat import format as date_format

from sharing_log.models import ConfirmationOutcome


def names(queryset, entries) -> set[str]:
    pks = set(queryset.values_list("pk", flat=True))
    return {name for name, entry in entries.items() if entry.pk in pks}


def day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


Outcome = ConfirmationOutcome


def error_summary(response) -> str:
    html = response.content.decode()
    start = html.index('<div class="govuk-error-summary"')
    return html[start:html.index("</ul>", start)]

