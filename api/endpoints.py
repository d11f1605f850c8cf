"""The REST API for case systems (django-ninja; docs/decisions/0051).

A client acts as its organisation, through its token's service account: it reads what that
account may read on the pages — the agreements its organisation may see, with their parties,
purposes and legal gateways, and its organisation's sharing log entries — through the same
selectors, and logs through ``sharing_log.services.disclosure_log``, the service the browser form
uses. Another organisation's agreement or entry is 404, as on the pages.
"""

import hashlib
import hmac
import json
from typing import Annotated

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Header, NinjaAPI, Path, Query, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as NinjaValidationError
from ninja.responses import Status
from ninja.security import HttpBearer
from ninja.throttling import SimpleRateThrottle
from pydantic import Field

from partners.access import access_event_record
from partners.models import AccessKind

from . import selectors
from .models import ApiToken
from .schemas import AgreementOut, AgreementPage, EntryIn, EntryOut, EntryPage, Message, Problems
from .services import IdempotencyConflict, api_disclosure_log, secret_hash

# Visible ASCII, up to 255 characters: a key the client made, such as its own record's id or a UUID.
IdempotencyKey = Annotated[
    str | None,
    Header(alias="Idempotency-Key", pattern=r"^[!-~]{1,255}$",
           description="Your key for this entry: a retry with the same key returns the entry first logged."),
]
UNAUTHORISED = "Send a valid, unexpired API token: Authorization: Bearer <token>."
NOT_FOUND = "Not found."
# What any operation may answer besides its own: a request it cannot read, no valid token, too many.
REFUSED = {400: Problems, 401: Message, 429: Message}


class TokenAuth(HttpBearer):
    """``Authorization: Bearer isa_<prefix>_<secret>``: found by its prefix, checked against its
    hash in constant time, refused once revoked or expired."""

    def authenticate(self, request, token: str):
        parts = token.split("_")
        if len(parts) < 3 or not parts[1]:
            return None
        found = selectors.api_token_by_prefix(parts[1])
        if found is None or not hmac.compare_digest(found.secret_hash, secret_hash(token)):
            return None
        if not found.is_usable(on=timezone.localdate()) or not found.service_user.is_active:
            return None
        request.user = found.service_user
        return found


class TokenRateThrottle(SimpleRateThrottle):
    """At most ``settings.API_RATE_LIMIT`` requests a token (``"120/m"``: 120 a minute), counted in
    Django's cache: a runaway client slows itself, not the portal. The count is per cache, so with
    the default local-memory cache each server process counts on its own (docs/decisions/0051)."""

    def __init__(self):
        super().__init__(settings.API_RATE_LIMIT)

    def allow_request(self, request) -> bool:
        self.rate = settings.API_RATE_LIMIT  # read each time, so a change of setting takes effect
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request)

    def get_cache_key(self, request) -> str | None:
        token = getattr(request, "auth", None)
        return None if token is None else f"api-throttle-{token.prefix}"


api = NinjaAPI(
    title="ISA Portal API",
    version="1",
    description=(
        "For case systems: read your organisation's agreements, their parties, purposes and legal "
        "gateways, and its sharing log entries; log a disclosure or a decision not to share. "
        "Tokens are issued by your organisation's governance managers in the portal."
    ),
    auth=TokenAuth(),
    urls_namespace="api",
    openapi_url="/schema/",
    docs_url="/docs/",
    throttle=[TokenRateThrottle()],
)


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        names = [str(part) for part in error.get("loc", ()) if not isinstance(part, int)]
        field = names[-1] if names else "request"
        if field in ("body", "payload", "query", "path"):
            field = "request"
        errors.setdefault(field, []).append(str(error.get("msg", "Invalid value.")))
    return api.create_response(request, {"detail": "The request is not valid.", "errors": errors}, status=400)


@api.exception_handler(HttpError)
def _http_error(request, exc):
    """Ninja's own refusals; a body it cannot read (400) in the shape of every other 400."""
    if exc.status_code == 400:
        body = {"detail": "The request is not valid.", "errors": {"request": ["Send the entry as a JSON object."]}}
    else:
        body = {"detail": str(exc)}
    return api.create_response(request, body, status=exc.status_code)


@api.exception_handler(Throttled)
def _throttled(request, exc):
    response = api.create_response(
        request, {"detail": f"Too many requests: wait {exc.wait or 1} seconds and send it again."}, status=429,
    )
    response["Retry-After"] = str(exc.wait or 1)
    return response


@api.exception_handler(AuthenticationError)
def _unauthorised(request, exc):
    return api.create_response(request, {"detail": UNAUTHORISED}, status=401)


@api.exception_handler(Http404)
def _not_found(request, exc):
    return api.create_response(request, {"detail": NOT_FOUND}, status=404)


class PageQuery(Schema):
    limit: int = Field(50, ge=1, le=100)
    offset: int = Field(0, ge=0, le=1_000_000)


def _page(found, page: PageQuery, out) -> dict:
    """One page of ``found``, each item as ``out`` gives it, with the count of them all."""
    items = list(found[page.offset:page.offset + page.limit])
    return {"count": found.count(), "items": [out(item) for item in items]}


@api.get("/agreements/", response={200: AgreementPage, **REFUSED}, url_name="agreements",
         summary="The agreements your organisation may see")
def agreements(request, page: Query[PageQuery]):
    return _page(selectors.agreements_for_client(request.user), page, selectors.agreement_out)


@api.get("/agreements/{agreement_id}/", response={200: AgreementOut, **REFUSED, 404: Message},
         url_name="agreement", summary="One agreement, with its parties, purposes and legal gateways")
def agreement(request, agreement_id: int = Path(..., ge=1, le=2_147_483_647)):
    return selectors.agreement_out(selectors.agreement_for_client(request.user, agreement_id))


@api.get("/entries/", response={200: EntryPage, **REFUSED}, url_name="entries",
         summary="Your organisation's sharing log entries, newest first")
def entries(request, page: Query[PageQuery]):
    return _page(selectors.entries_for_client(request.user), page, selectors.entry_out)


@api.post(
    "/entries/", response={200: EntryOut, 201: EntryOut, **REFUSED, 409: Message},
    url_name="entries", summary="Log a disclosure or a decision not to share",
    description=(
        "The same rules as the portal's log form, checked by the same service: every problem comes back at once "
        "as 400, by field. Send an Idempotency-Key header (up to 255 characters) to retry safely: the same key "
        "with the same body returns the entry first logged (200) and logs nothing; with another body, 409."
    ),
)
def entry_log(request, payload: EntryIn, idempotency_key: IdempotencyKey = None):
    key = idempotency_key or ""
    answers, problems = selectors.entry_answers(request.user, payload)
    if problems:
        return Status(400, {"detail": "The entry was not logged.", "errors": problems})
    body_hash = hashlib.sha256(json.dumps(payload.model_dump(mode="json"), sort_keys=True).encode()).hexdigest()
    try:
        disclosure, new = api_disclosure_log(token=request.auth, idempotency_key=key, request_hash=body_hash, **answers)
    except DjangoValidationError as error:
        return Status(400, {"detail": "The entry was not logged.", "errors": selectors.error_fields(error)})
    except IdempotencyConflict:
        return Status(409, {"detail": "This Idempotency-Key was first sent with a different entry."})
    request.api_object_id = disclosure.pk
    return Status(201 if new else 200, selectors.entry_out(selectors.entry_for_client(request.user, disclosure.pk)))


@api.get("/entries/{entry_id}/", response={200: EntryOut, **REFUSED, 404: Message}, url_name="entry",
         summary="One of your organisation's sharing log entries")
def entry(request, entry_id: int = Path(..., ge=1, le=2_147_483_647)):
    disclosure = selectors.entry_for_client(request.user, entry_id)
    request.api_object_id = disclosure.pk
    access_event_record(
        request=request, kind=AccessKind.ENTRY_OPENED, object_type="sharing_log.disclosure", object_id=disclosure.pk,
        object_organisation_ids=(disclosure.disclosing_organisation_id, disclosure.recipient_organisation_id),
    )
    return selectors.entry_out(disclosure)


__all__ = ["api", "ApiToken"]
