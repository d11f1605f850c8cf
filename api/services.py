"""Writes for API clients: issuing and revoking tokens, recording each use, and logging an entry
through the sharing log's own service with an idempotency key (docs/decisions/0051)."""

import datetime
import hashlib
import json
import logging
import secrets

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from partners.models import Membership, Organisation, Role
from partners.services import membership_create, membership_delete
from sharing_log.models import Disclosure
from sharing_log.services import disclosure_log

from .models import ApiToken, ApiUse, IdempotentEntry

logger = logging.getLogger("api.uses")

TOKEN_PREFIX = "isa"  # noqa: S105 (what every token begins with, not a secret)
# The role the service account holds: a practitioner logs and reads its organisation's entries,
# and manages nothing.
CLIENT_ROLE = Role.PRACTITIONER
MAX_LIFETIME_DAYS = 366


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _expiry_problems(expires_on: datetime.date, today: datetime.date) -> list[str]:
    if expires_on <= today:
        return ["The expiry date must be in the future."]
    if expires_on > today + datetime.timedelta(days=MAX_LIFETIME_DAYS):
        return ["The expiry date must be within a year from today."]
    return []


@transaction.atomic
def api_token_issue(
    *, organisation: Organisation, name: str, expires_on: datetime.date, by_user,
) -> tuple[ApiToken, str]:
    """Issue a token for ``organisation``'s case system called ``name``; returns it and its
    secret, which is shown once and never kept. The client acts as a service account of its own,
    a practitioner of ``organisation`` that cannot sign in (no password, no authenticator)."""
    problems = {}
    if not name.strip():
        problems["name"] = ["Enter the name of the case system."]
    expiry = _expiry_problems(expires_on, timezone.localdate())
    if expiry:
        problems["expires_on"] = expiry
    if problems:
        raise ValidationError(problems)
    prefix = secrets.token_hex(6)
    secret = f"{TOKEN_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
    user = get_user_model().objects.create_user(
        username=f"api-client-{prefix}", first_name=name.strip()[:100], last_name="(API client)",
    )
    user.set_unusable_password()
    user.save(update_fields=["password"])
    membership_create(user=user, organisation=organisation, role=CLIENT_ROLE, service_account=True)
    token = ApiToken.objects.create(
        organisation=organisation, name=name.strip(), prefix=prefix, secret_hash=secret_hash(secret),
        service_user=user, issued_by=by_user, expires_on=expires_on,
    )
    return token, secret


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by_user) -> ApiToken:
    """Revoke ``token`` at once: it is refused from now on, and its service account loses its
    membership and is deactivated. The entries it logged stay, named as its."""
    if token.revoked_at is not None:
        return token
    token.revoked_at = timezone.now()
    token.revoked_by = by_user
    token.save(update_fields=["revoked_at", "revoked_by"])
    _service_account_close(token)
    return token


def _service_account_close(token: ApiToken) -> None:
    for membership in Membership.objects.filter(user=token.service_user):
        membership_delete(membership=membership)
    token.service_user.is_active = False
    token.service_user.save(update_fields=["is_active"])


@transaction.atomic
def api_tokens_retire_expired(*, on: datetime.date, **_when) -> int:
    """Close the service accounts of tokens expired before ``on``, as revoking does: a token past
    its date is refused already, and its account should hold no membership either. The daily
    scheduler runs it (``api.scheduler``); returns how many were closed."""
    expired = ApiToken.objects.filter(
        revoked_at__isnull=True, expires_on__lt=on, service_user__is_active=True,
    ).select_related("service_user")
    count = 0
    for token in expired:
        _service_account_close(token)
        count += 1
    return count


def api_use_record(*, token: ApiToken, method: str, operation: str, status_code: int,
                   object_id: int | None = None, request_id: str = "") -> ApiUse:
    """Record one use of ``token``: a log line, then a row. No path, query, body or secret."""
    now = timezone.now()
    logger.info("api %s", json.dumps({
        "at": now.isoformat(), "token_id": token.pk, "organisation_id": token.organisation_id,
        "method": method, "operation": operation, "status": status_code, "object_id": object_id,
        "request_id": request_id,
    }, separators=(",", ":"), sort_keys=True))
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return ApiUse.objects.create(
        token=token, occurred_at=now, method=method[:8], operation=operation[:100], status_code=status_code,
        object_id=object_id, request_id=request_id[:64],
    )


class IdempotencyConflict(Exception):
    """The key was first used for a different request."""


def api_disclosure_log(
    *, token: ApiToken, idempotency_key: str, request_hash: str, **answers,
) -> tuple[Disclosure, bool]:
    """Log an entry for ``token``'s client through ``sharing_log.services.disclosure_log``, the
    service the browser form uses; returns the entry and whether it is new.

    With an ``idempotency_key``, a retry (the same key from the same token) gets the first
    entry back and logs nothing; the same key with another request raises
    ``IdempotencyConflict``. Two retries at once: the unique constraint lets one insert, and the
    other's transaction, its entry included, is rolled back before it returns the winner's.
    """
    if not idempotency_key:
        return disclosure_log(by_user=token.service_user, **answers), True
    earlier = _earlier(token, idempotency_key, request_hash)
    if earlier is not None:
        return earlier, False
    try:
        with transaction.atomic():
            disclosure = disclosure_log(by_user=token.service_user, **answers)
            IdempotentEntry.objects.create(
                token=token, key=idempotency_key, request_hash=request_hash, disclosure=disclosure,
            )
    except IntegrityError:
        earlier = _earlier(token, idempotency_key, request_hash)
        if earlier is None:
            raise
        return earlier, False
    return disclosure, True


def _earlier(token: ApiToken, key: str, request_hash: str) -> Disclosure | None:
    kept = IdempotentEntry.objects.filter(token=token, key=key).select_related("disclosure").first()
    if kept is None:
        return None
    if kept.request_hash != request_hash:
        raise IdempotencyConflict
    return kept.disclosure
