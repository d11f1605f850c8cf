"""Throttling of every door that checks a password or a code (docs/decisions/0021).

django-axes keeps the failures (``axes.models.AccessAttempt``: one row per username, address and
browser) and refuses a locked-out ``authenticate()`` before any password is checked. The portal
adds three things:

- **Its own limits per key** (``FailureLimitsHandler``): ``settings.SIGN_IN_FAILURE_LIMITS`` gives
  one account from one address, one account from anywhere and one address whatever the account
  each their own limit within ``AXES_COOLOFF_TIME``; axes alone has one limit for all.
- **Doors that are not ``authenticate()``**: a wrong second factor after a right password, a wrong
  code on the password-reset or enrolment page, a wrong password on an authenticator-reset link
  and a link that is no link at all are failures too (``failure_record``), and each such door asks
  ``is_locked`` before it checks anything.
- **A GOV.UK page** with HTTP 429 (``lockout_response``), the same whatever was wrong.
"""

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.helpers import get_client_username, get_credentials
from django.conf import settings
from django.contrib.auth.signals import user_login_failed
from django.db.models import Sum
from django.shortcuts import render


def _limit_key(parameter) -> str:
    return parameter if isinstance(parameter, str) else "+".join(parameter)


class FailureLimitsHandler(AxesDatabaseHandler):
    """axes' database handler, each lockout parameter measured against its own limit.

    ``get_failures`` answers in units of ``AXES_FAILURE_LIMIT``: it reaches that limit exactly when
    one of the keys (``AXES_LOCKOUT_PARAMETERS``, in order) has reached its own limit in
    ``SIGN_IN_FAILURE_LIMITS``. A key whose username is unknown (a link that is no link) is
    not counted against "username" keys: every failure without a username would otherwise count
    against one shared blank account.
    """

    def get_failures(self, request, credentials=None) -> int:
        username = get_client_username(request, credentials)
        account_limit = settings.AXES_FAILURE_LIMIT
        worst = 0
        for parameter, attempts in zip(
            settings.AXES_LOCKOUT_PARAMETERS, self.get_user_attempts(request, credentials), strict=True,
        ):
            if username is None and "username" in parameter:
                continue
            limit = settings.SIGN_IN_FAILURE_LIMITS[_limit_key(parameter)]
            failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            if failures >= limit:
                return account_limit
            worst = max(worst, failures * account_limit // limit)
        return min(worst, account_limit - 1)


def _without_secrets(request):
    """``request`` with axes' attributes set, its path kept as the URL pattern (``join/<str:token>/``)
    rather than the path itself: a link's secret is never stored, not even a guessed one."""
    AxesProxyHandler.update_request(request)
    match = getattr(request, "resolver_match", None)
    if match is not None and match.kwargs:
        request.axes_path_info = f"/{match.route}"
    return request


def is_locked(request, *, username: str | None = None) -> bool:
    """Whether the door must refuse ``request`` before checking anything (``username``: the
    account the door checks a secret of, if it knows it)."""
    return not AxesProxyHandler.is_allowed(_without_secrets(request), get_credentials(username))


def failure_record(request, *, username: str | None = None) -> bool:
    """Count a failed check of a password or code at ``request``'s door; true if that locks it.

    Sent as Django's ``user_login_failed``, the signal ``authenticate()`` sends for a wrong
    password, so axes counts both the same way.
    """
    user_login_failed.send(sender=__name__, credentials=get_credentials(username), request=_without_secrets(request))
    return bool(getattr(request, "axes_locked_out", False))


def lockout_response(request, original_response=None, credentials=None):
    """The page every door answers with once locked: GOV.UK, HTTP 429, the same for any cause."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "partners/locked_out.html", {"minutes": minutes}, status=429)
