"""A case system's token and what it sends to log a routine share (the API's tests)."""

import datetime

from django.utils import timezone

from api.services import api_token_issue
from tests.sharing_log.helpers.disclosures import routine_share

ENTRIES = "/api/entries/"


def issue(organisation, by_user, name="Mosaic", days=90):
    """A token for ``organisation``'s case system: ``(token, secret)``."""
    return api_token_issue(organisation=organisation, name=name, by_user=by_user,
                           expires_on=timezone.localdate() + datetime.timedelta(days=days))


def bearer(secret: str, **headers) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}", **headers}


def api_share(roles, art6, when: datetime.datetime | None = None, **changes) -> dict:
    """What the owner's case system sends to log a routine share with the partner: the answers of
    ``tests.sharing_log.helpers.disclosures.routine_share``, by id, with one ISO time for the
    form's date and time boxes."""
    when = when or (timezone.localtime() - datetime.timedelta(minutes=5)).replace(second=0, microsecond=0)
    data = {name: value for name, value in routine_share(roles, art6).items()
            if not name.startswith(("occurred_on-", "occurred_time"))}
    data["occurred_at"] = when.isoformat()
    data.update(changes)
    return data
