"""One-time form tokens: a form sent twice (a double click, a reload, the back button) makes one
write, not two.

Each time a page shows a form that writes, it carries a fresh token in a hidden input
(``issue``); the session keeps the last ``KEEP`` tokens of that form, each with what its
submission made (``None`` while unused). So every tab open at once has a token of its own, and
a form shown again with errors keeps its token (``token_for``). The view writes inside
``claimed``, which

- serialises a person's submissions of the form (it locks the person's row: on PostgreSQL a
  second request waits there until the first commits; SQLite serialises writes anyway),
- reads the tokens again from the session store, not from the request's copy, which a request
  running at the same moment may have made stale, and
- records what the write made against the token, in the same transaction as the write (the
  database session store saves the session in it).

The second submission of a token then finds what the first made (``Claim.made``) and sends the
person there. A token the session never issued, or one pushed out by ``KEEP`` newer ones, is
``Claim.unknown``: the view shows the form again with a fresh token and asks to send it again.

Nothing personal goes in the session: a token and the key of what it made.
"""

import contextlib
import secrets
from dataclasses import dataclass
from importlib import import_module

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

FIELD = "submission_token"
SESSION_KEY = "once"
KEEP = 20

FORM_EXPIRED = "This page has expired. Check your answers and send the form again"


def _tokens(session, form: str) -> dict:
    return dict(session.get(SESSION_KEY, {}).get(form, {}))


def _store(session, form: str, tokens: dict) -> None:
    kept = dict(list(tokens.items())[-KEEP:])
    session[SESSION_KEY] = {**session.get(SESSION_KEY, {}), form: kept}


def issue(request, form: str) -> str:
    """A fresh token for one showing of ``form``, kept in the session."""
    token = secrets.token_urlsafe(16)
    tokens = _tokens(request.session, form)
    tokens[token] = None
    _store(request.session, form, tokens)
    return token


def posted(request) -> str:
    return str(request.POST.get(FIELD, ""))[:64]


def made_by(request, form: str, token: str):
    """What the submission of ``token`` made (its key), or ``None``: unused, or not known."""
    return _tokens(request.session, form).get(token) if token else None


def token_for(request, form: str) -> str:
    """The token for the form shown now: the one posted, while it is known and unused (the form
    shown again with errors), else a fresh one."""
    token = posted(request) if request.method == "POST" else ""
    tokens = _tokens(request.session, form)
    if token and token in tokens and tokens[token] is None:
        return token
    return issue(request, form)


@dataclass
class Claim:
    unknown: bool = False
    made: object = None  # the key of what an earlier submission of the token made

    def spend(self, request, form: str, token: str, key) -> None:
        """Record ``key`` as what ``token`` made; saved with the write's transaction."""
        tokens = _tokens(request.session, form)
        tokens[token] = key
        _store(request.session, form, tokens)
        request.session.save()
        # Saved: the session middleware need not save it again at the end of the request unless
        # something changes it after this (which marks it modified again).
        request.session.modified = False


def _stored_tokens(request, form: str) -> dict:
    session = request.session
    if not session.session_key:
        return _tokens(session, form)
    fresh = import_module(settings.SESSION_ENGINE).SessionStore(session.session_key)
    try:
        return _tokens(fresh.load(), form)
    except NotImplementedError:  # a store with nothing to read again (signed cookies)
        return _tokens(session, form)


@contextlib.contextmanager
def claimed(request, form: str, token: str):
    """A transaction in which ``token`` of ``form`` is claimed for one write: see the module's
    docstring. Yields a ``Claim``; when it is neither ``unknown`` nor ``made``, write, then
    ``claim.spend(request, form, token, key)``."""
    with transaction.atomic():
        if request.user.is_authenticated:
            list(get_user_model().objects.select_for_update().filter(pk=request.user.pk).values_list("pk"))
        tokens = {**_tokens(request.session, form), **_stored_tokens(request, form)}
        _store(request.session, form, tokens)
        if not token or token not in tokens:
            yield Claim(unknown=True)
        else:
            yield Claim(made=tokens[token])
