"""The directory as CSV or Excel: every organisation the directory lists, with the filters of its
page, and the people at each as its page shows them to anyone signed in — one row a person, and
one row for an organisation with nobody in it.

Columns are declared once, in ``DIRECTORY_COLUMNS``; ``govuk_blocks.exports`` writes them, formula
safe, the CSV streamed. ``directory_rows`` reads them in one query: the organisations joined to
their people (a left join), streamed.
"""

from collections.abc import Iterator

from django.db.models import QuerySet

from govuk_blocks.exports import Column, streamed

from .models import DsptStatus, Organisation, Sector

_SECTORS = dict(Sector.choices)
_DSPT_STATUSES = dict(DsptStatus.choices)

DIRECTORY_COLUMNS = (
    Column("Organisation", lambda row: row["name"]),
    Column("Sector", lambda row: str(_SECTORS.get(row["sector"], row["sector"]))),
    Column("ICO registration number", lambda row: row["ico_registration_number"]),
    Column("ICO registration renewal", lambda row: row["ico_renewal_date"]),
    # Organisation assurance (decision 0063), under the headings the directory import reads back.
    Column("ODS code", lambda row: row["ods_code"]),
    Column("DSPT status", lambda row: str(_DSPT_STATUSES.get(row["dspt_status"], row["dspt_status"]))),
    Column("DSPT publication date", lambda row: row["dspt_published_on"]),
    Column("Main phone", lambda row: row["phone"]),
    Column("Address", lambda row: row["address"]),
    Column("Ceased on", lambda row: row["ceased_on"]),
    Column("Succeeded by", lambda row: row["successor__name"] or ""),
    Column("Name", lambda row: row["contacts__name"] or ""),
    Column("Job title", lambda row: row["contacts__job_title"] or ""),
    Column("Work e-mail", lambda row: row["contacts__email"] or ""),
    Column("Phone", lambda row: row["contacts__phone"] or ""),
    Column("Details confirmed", lambda row: row["contacts__details_confirmed_on"]),
)


def directory_rows(organisations: QuerySet[Organisation]) -> Iterator[dict]:
    """The people of ``organisations`` (from ``selectors.organisations_visible_to``, filtered), by
    organisation then name, each with its organisation's details: one streamed query."""
    return streamed(
        Organisation.objects.filter(pk__in=organisations.values("pk"))
        .values(
            "name", "sector", "ico_registration_number", "ico_renewal_date", "ods_code", "dspt_status",
            "dspt_published_on", "phone", "address", "ceased_on",
            "successor__name", "contacts__name", "contacts__job_title", "contacts__email", "contacts__phone",
            "contacts__details_confirmed_on",
        )
        .order_by("name", "pk", "contacts__name", "contacts__pk")
    )
