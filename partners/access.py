"""The access log: who opened a case-level record or a document, and every refused object access.

Views that serve a sharing log entry, the log's export, an agreement's PDF, a signed copy or a
signature scan call ``access_event_record`` once the object is found and allowed, before the
content is served. ``AccessLogMiddleware`` records every 403 and 404 answered to a signed-in
user, and to an anonymous request for a URL that names an object (a route with arguments); it
also gives each request its id.

Each event is written twice: first as one line of JSON on the ``partners.access`` logger (the
log stream, shipped off the machine by the deployment), then as one row (``AccessEvent``, one
INSERT, no read: the user's organisations come from the copy of their memberships the request
already holds). Neither holds personal data: ids, the route's name and a keyed hash of the
address (docs/decisions/0025). A failure to write the row is logged and the page is still
served: the line already written is the record of last resort, and refusing a practitioner the
entry they need because the audit table is unwritable would fail the people the log is about.

Rules of reading are in ``partners.permissions`` (``can_read_access_log``); the purge, run by the
daily scheduler, is ``access_events_purge``.
"""

import datetime
import json
import logging
import re
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from .models import AccessEvent, AccessKind
from .permissions import user_organisation_ids

logger = logging.getLogger("partners.access")

DEFAULT_RETENTION_DAYS = 400
REFUSED_STATUSES = (403, 404)
REQUEST_ID_HEADER = "X-Request-ID"
# A request id a proxy passes on is kept only if it looks like one: it goes into the log line.
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def request_id_of(request) -> str:
    """The request's id: set by the middleware, or made now for a request it did not see."""
    if not getattr(request, "request_id", ""):
        offered = request.META.get("HTTP_X_REQUEST_ID", "")
        request.request_id = offered if _REQUEST_ID.match(offered) else uuid.uuid4().hex
    return request.request_id


def address_hash(request) -> str:
    """A keyed hash (HMAC-SHA256 under the secret key) of the request's address, shortened.

    It tells repeated refusals from one address apart without keeping the address: the whole
    IPv4 space can be hashed in minutes, so a plain hash would be the address by another name.
    """
    address = request.META.get("REMOTE_ADDR", "")
    if not address:
        return ""
    return salted_hmac("partners.access.address", address, algorithm="sha256").hexdigest()[:32]


def _route(request) -> tuple[str, dict[str, int]]:
    """The route's name and its whole-number arguments; never a token, slug or the path."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "", {}
    ids = {name: value for name, value in match.kwargs.items() if type(value) is int}
    return match.view_name or "", ids


def access_event_record(
    *, request, kind: str, object_type: str = "", object_id: int | None = None,
    object_organisation_ids: Iterable[int] = (), status_code: int = 200,
) -> AccessEvent | None:
    """Record that ``request``'s user opened (or was refused) something: a log line, then a row.

    Keyword-only; ``object_organisation_ids`` are the organisations the object belongs to (an
    entry's two, an agreement's owner), read from the object the view already holds. Returns
    the row, or ``None`` when it could not be written (logged; the caller carries on).
    """
    user = getattr(request, "user", None)
    signed_in = bool(user is not None and user.is_authenticated)
    url_name, url_ids = _route(request)
    event = AccessEvent(
        occurred_at=timezone.now(),
        kind=kind,
        user_id=user.pk if signed_in else None,
        user_organisation_ids=AccessEvent.ids_text(user_organisation_ids(user)) if signed_in else "",
        object_type=object_type,
        object_id=object_id,
        object_organisation_ids=AccessEvent.ids_text(object_organisation_ids),
        url_name=url_name,
        url_ids=url_ids,
        status_code=status_code,
        request_id=request_id_of(request),
        address_hash=address_hash(request),
    )
    logger.info("access %s", access_event_line(event))
    try:
        if connection.in_atomic_block:
            # A savepoint, so that a failed INSERT does not break the view's own transaction.
            with transaction.atomic():
                event.save(force_insert=True)
        else:
            event.save(force_insert=True)
    except DatabaseError as error:
        logger.error("access event not stored kind=%s request_id=%s error=%s",
                     kind, event.request_id, type(error).__name__)
        return None
    return event


def access_event_line(event: AccessEvent) -> str:
    """The event as one line of JSON: the same fields as its row, escaped against log injection."""
    return json.dumps({
        "at": event.occurred_at.isoformat(),
        "kind": event.kind,
        "user_id": event.user_id,
        "user_organisation_ids": event.user_organisations,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_organisation_ids": event.object_organisations,
        "url_name": event.url_name,
        "url_ids": event.url_ids,
        "status": event.status_code,
        "request_id": event.request_id,
        "address_hash": event.address_hash,
    }, separators=(",", ":"), sort_keys=True)


def retention_days() -> int:
    return int(getattr(settings, "ACCESS_LOG_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def access_events_purge(*, now: datetime.datetime) -> int:
    """Delete the events older than the retention period at ``now``; how many were deleted."""
    cutoff = now - datetime.timedelta(days=retention_days())
    deleted, _ = AccessEvent.objects.filter(occurred_at__lt=cutoff).delete()
    return deleted


def _skipped(request) -> bool:
    """Static files and the like are not object accesses."""
    path = request.path_info
    return any(path.startswith(prefix) for prefix in _skipped_prefixes())


def _skipped_prefixes() -> tuple[str, ...]:
    prefixes = [settings.STATIC_URL or "/static/", "/favicon.ico", "/robots.txt"]
    prefixes += list(getattr(settings, "ACCESS_LOG_SKIP_PATHS", ()))
    return tuple(prefix if prefix.startswith("/") else f"/{prefix}" for prefix in prefixes)


class AccessLogMiddleware:
    """Gives each request its id (returned in ``X-Request-ID``) and records every refused
    object access: a 403 or 404 answered to a signed-in user, or to an anonymous request for a
    route with arguments. Anonymous 404s for paths that name nothing (scanners probing for
    ``/wp-admin/``) are not recorded: they would drown the log and tell an auditor nothing.

    Runs after the authentication and membership middleware, so ``request.user`` and its
    memberships are known.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request_id_of(request)
        response = self.get_response(request)
        if response.status_code in REFUSED_STATUSES and not _skipped(request):
            user = getattr(request, "user", None)
            signed_in = bool(user is not None and user.is_authenticated)
            match = getattr(request, "resolver_match", None)
            if signed_in or (match is not None and match.kwargs):
                access_event_record(request=request, kind=AccessKind.REFUSED, status_code=response.status_code)
        response.headers.setdefault(REQUEST_ID_HEADER, request.request_id)
        return response
