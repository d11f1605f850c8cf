"""A person's sessions, known by person, so that all of them can be ended at once
(docs/decisions/0021).

Django's session store is keyed by session only. Each sign-in records its key against its person
(``session_record``, on ``user_logged_in``); ``sessions_end`` deletes every recorded session of a
person from the session store, so the next request of any of them is anonymous — not merely
refused at that request, as ``partners.middleware`` and Django's password hash check would.
"""

import datetime
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import SignedInSession


def _store(session_key: str | None = None):
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


@transaction.atomic
def session_record(*, user, session_key: str) -> SignedInSession:
    """Remember that ``session_key`` is a session of ``user``; records older than the longest a
    session may last are dropped on the way."""
    oldest = timezone.now() - datetime.timedelta(seconds=settings.SESSION_ABSOLUTE_SECONDS)
    SignedInSession.objects.filter(signed_in_at__lt=oldest).delete()
    record, _ = SignedInSession.objects.update_or_create(session_key=session_key, defaults={"user": user})
    return record


@transaction.atomic
def sessions_end(*, user) -> int:
    """End every session ``user`` signed in with, at once: each is deleted from the session store.
    Returns how many were recorded."""
    keys = list(SignedInSession.objects.filter(user=user).values_list("session_key", flat=True))
    for key in keys:
        _store(key).delete(key)
    SignedInSession.objects.filter(session_key__in=keys).delete()
    return len(keys)


def session_signed_in(sender, request, user, **kwargs):
    """``user_logged_in``: record the new session's key."""
    if request is not None and hasattr(request, "session") and request.session.session_key:
        session_record(user=user, session_key=request.session.session_key)


def session_signed_out(sender, request, user, **kwargs):
    """``user_logged_out``: the session is over; forget its key."""
    if request is not None and hasattr(request, "session") and request.session.session_key:
        SignedInSession.objects.filter(session_key=request.session.session_key).delete()
