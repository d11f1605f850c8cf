"""Every page needs a signed-in, two-factor-verified user unless its view says otherwise."""

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
