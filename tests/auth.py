"""Signing a test client in as a two-factor-verified user, and current TOTP codes.

Every page sits behind ``isa_portal.middleware.VerifiedLoginRequiredMiddleware``, which wants
``request.user.is_verified()``. ``client.force_login`` alone gives a password-only session,
which is sent back to the sign-in page; django-otp's ``OTPMiddleware`` verifies a request whose
session holds the persistent id of one of the user's confirmed devices.
"""

from importlib import import_module

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from partners.middleware import SESSION_KEY as MEMBERSHIPS_SESSION_KEY
from partners.middleware import memberships_held
from partners.sessions import session_record


def device_of(user) -> TOTPDevice:
    """The user's confirmed authenticator app (``UserFactory`` makes exactly one)."""
    return TOTPDevice.objects.get(user=user, confirmed=True)


def current_code(device: TOTPDevice) -> str:
    """The 6-digit code the user's authenticator app shows now."""
    token = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits,
                 drift=device.drift)
    return f"{token:0{device.digits}d}"


def sign_in(client, user, device: TOTPDevice | None = None):
    """Sign ``client`` in as ``user``, verified by ``device`` (by default their own).

    The session holds what signing in puts there (``django.contrib.auth.login``: the user, the
    backend, the password hash; django-otp's ``login``: the device's persistent id;
    ``partners.middleware.remember_memberships``: the memberships held; and
    ``partners.sessions.session_record``: the key, against its person), written in one insert;
    ``client.force_login`` would cycle a session key and update ``last_login`` first.
    Returns the client, so ``sign_in(client, user).get(url)`` reads well.
    """
    session = import_module(settings.SESSION_ENGINE).SessionStore()
    session[SESSION_KEY] = user._meta.pk.value_to_string(user)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = (device or device_of(user)).persistent_id
    session[MEMBERSHIPS_SESSION_KEY] = memberships_held(user)
    session.create()
    session_record(user=user, session_key=session.session_key)
    client.cookies[settings.SESSION_COOKIE_NAME] = session.session_key
    return client
