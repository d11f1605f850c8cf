"""Helpers several agreements test modules share; one module per feature where a feature's
tests are split between ``test_<feature>.py`` and ``test_<feature>_views.py``. Fixtures are in
``tests/agreements/conftest.py``."""

import datetime
import io
import re

from pypdf import PdfReader

from tests.factories import MembershipFactory

# For the rules the database holds: one day, and the day an agreement or party takes effect.
DAY = datetime.timedelta(days=1)
EFFECTIVE = datetime.date(2024, 4, 1)


def member(organisation, role):
    return MembershipFactory(organisation=organisation, role=role).user


def error_summary(response) -> str:
    """The text of the GOV.UK error summary, or "" when there is none."""
    content = response.content.decode()
    if "govuk-error-summary" not in content:
        return ""
    return content.split('govuk-error-summary__list">', 1)[1].split("</ul>", 1)[0]


def date_fields(name: str, day: datetime.date) -> dict:
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


def pdf_pages(pdf: bytes) -> list[str]:
    """Each page's text with runs of whitespace made single spaces (cells wrap over lines)."""
    return [re.sub(r"\s+", " ", page.extract_text() or "") for page in PdfReader(io.BytesIO(pdf)).pages]
