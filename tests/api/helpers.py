"""A case system's token and what it sends to log a routine share (the API's tests)."""

import datetime

from django.utils import timezone

from agreements.models import DataLevel
from api.services import api_token_issue
from sharing_log.models import ConsentStatus, Decision, SubjectInformed, SubjectType

ENTRIES = "/api/entries/"


def issue(organisation, by_user, name="Mosaic", days=90):
    """A token for ``organisation``'s case system: ``(token, secret)``."""
    return api_token_issue(organisation=organisation, name=name, by_user=by_user,
                           expires_on=timezone.localdate() + datetime.timedelta(days=days))


def bearer(secret: str, **headers) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}", **headers}


def api_share(roles, art6, when: datetime.datetime | None = None, **changes) -> dict:
    """What the owner's case system sends to log a routine share with the partner: the same
    answers as ``tests.sharing_log.helpers.disclosures.routine_share``, by id."""
    when = when or (timezone.localtime() - datetime.timedelta(minutes=5)).replace(second=0, microsecond=0)
    data = {
        "organisation": roles.owner.pk, "agreement": roles.agreement.pk,
        "recipient_organisation": roles.partner.pk, "decision": Decision.SHARED,
        "occurred_at": when.isoformat(), "case_reference": "ASB-2026-0042",
        "subject_type": SubjectType.ADULT, "data_level": DataLevel.MINIMUM, "data_categories": ["asb"],
        "purpose": roles.agreement.purposes.get().pk, "art6_basis": art6.pk,
        "consent_status": ConsentStatus.EXPLICIT, "subject_informed": SubjectInformed.YES,
        "fact_or_opinion": "fact", "protective_marking": "official_sensitive",
        "summary": "Tenancy status, to plan a joint visit.",
        "necessity_reason": "The joint visit cannot be planned safely without the tenancy status.",
    }
    data.update(changes)
    return data
