"""Signing a test client in as a two-factor-verified user, and current TOTP codes.

Every page sits behind ``isa_portal.middleware.VerifiedLoginRequiredMiddleware``, which wants
``request.user.is_verified()``. ``client.force_login`` alone gives a password-only session,
which is sent back to the sign-in page; django-otp's ``OTPMiddleware`` verifies a request whose
session holds the persistent id of one of the user's confirmed devices.
"""

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


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

    Returns the client, so ``sign_in(client, user).get(url)`` reads well.
    """
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = (device or device_of(user)).persistent_id
    session.save()
    return client
