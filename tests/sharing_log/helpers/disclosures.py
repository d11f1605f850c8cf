"""What the log form posts, for the log page's tests and the guided start's; and a refusal to log,
for the service's tests."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from agreements.models import DataLevel
from sharing_log.models import ConsentStatus, Decision, Disclosure, SubjectInformed, SubjectType
from sharing_log.services import disclosure_log


def with_token(client, data: dict, url: str | None = None) -> dict:
    """``data`` with the one-time token (govuk_blocks.once) of a fresh showing of the log page at
    ``url`` (the log page by default), as a browser would post it."""
    response = client.get(url or reverse("sharing_log:create"))
    return {**data, "submission_token": response.context["submission_token"]}


def occurred_on(day, month, year) -> dict:
    """The three inputs of the date it happened, as the form posts them."""
    return {"occurred_on-day": day, "occurred_on-month": month, "occurred_on-year": year}


def routine_share(roles, art6, **changes) -> dict:
    """What a practitioner at the owner posts to log a routine share with the partner."""
    now = timezone.localtime() - datetime.timedelta(minutes=5)
    data = {
        "organisation": roles.owner.pk, "agreement": roles.agreement.pk,
        "recipient_organisation": roles.partner.pk, "decision": Decision.SHARED,
        "occurred_on-day": now.day, "occurred_on-month": now.month, "occurred_on-year": now.year,
        "occurred_time": f"{now:%H:%M}", "case_reference": "ASB-2026-0042",
        "subject_type": SubjectType.ADULT, "data_level": DataLevel.MINIMUM, "data_categories": ["asb"],
        "purpose": roles.agreement.purposes.get().pk, "art6_basis": art6.pk,
        "consent_status": ConsentStatus.EXPLICIT, "subject_informed": SubjectInformed.YES,
        "fact_or_opinion": "fact", "protective_marking": "official_sensitive",
        "summary": "Tenancy status, to plan a joint visit.",
        "necessity_reason": "The joint visit cannot be planned safely without the tenancy status.",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def refused(**kwargs) -> dict:
    """The problems ``disclosure_log`` raises for ``kwargs``, having saved nothing."""
    before = Disclosure.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        disclosure_log(**kwargs)
    assert Disclosure.objects.count() == before
    return excinfo.value.message_dict
