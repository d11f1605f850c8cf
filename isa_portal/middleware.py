"""Every page needs a signed-in, two-factor-verified user unless its view says otherwise, and a
session lasts only so long (issue 12)."""

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware


class VerifiedLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's LoginRequiredMiddleware, but a password alone is not enough.

    ``django_otp.middleware.OTPMiddleware`` must run first: it gives ``request.user``
    its ``is_verified()``. Views open to the public are marked ``@login_not_required``.
    """

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not getattr(view_func, "login_required", True):
            return None
        user = request.user
        if user.is_authenticated and user.is_verified():
            return None
        return self.handle_no_permission(request, view_func)


SESSION_STARTED_KEY = "_isa_session_started"
SESSION_SEEN_KEY = "_isa_session_seen"
SESSION_ENDED_KEY = "_isa_session_ended"
# How stale the last-seen time may be before it is written again: a session is not saved on every
# request only to move it by a few seconds.
SEEN_RESOLUTION_SECONDS = 60


def session_start(sender, request, user, **kwargs):
    """On sign-in (``user_logged_in``): when the session began, for the absolute limit."""
    now = int(time.time())
    request.session[SESSION_STARTED_KEY] = now
    request.session[SESSION_SEEN_KEY] = now
    # The store keeps the session a little past its absolute end, so that the middleware, not the
    # store, ends it and the sign-in page can say why; the middleware refuses it all the same.
    request.session.set_expiry(settings.SESSION_ABSOLUTE_SECONDS + settings.SESSION_IDLE_SECONDS)


class SessionLimitsMiddleware:
    """Ends a signed-in session idle for ``SESSION_IDLE_SECONDS`` (30 minutes) or begun more than
    ``SESSION_ABSOLUTE_SECONDS`` (12 hours) ago; the sign-in page then says so.

    The session keeps when it began (``session_start``) and when it was last used, written at most
    once a minute. A session from before these limits begins its count at its next request. Runs
    after the authentication middleware and before ``VerifiedLoginRequiredMiddleware``, which
    sends the ended session to the sign-in page.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            self._enforce(request)
        return self.get_response(request)

    def _enforce(self, request) -> None:
        session, now = request.session, int(time.time())
        started = session.setdefault(SESSION_STARTED_KEY, now)
        seen = session.get(SESSION_SEEN_KEY, now)
        ended = ("absolute" if now - started >= settings.SESSION_ABSOLUTE_SECONDS
                 else "idle" if now - seen >= settings.SESSION_IDLE_SECONDS else None)
        if ended:
            logout(request)
            request.session[SESSION_ENDED_KEY] = ended
        elif now - seen >= SEEN_RESOLUTION_SECONDS or SESSION_SEEN_KEY not in session:
            session[SESSION_SEEN_KEY] = now
