"""Sign in with your organisation's account (issue 17, item 1; docs/decisions/0060).

/sign-in/organisation/: the person types their work e-mail address; an organisation with an
identity provider for that domain gets its provider's sign-in page, anyone else the portal's own
sign-in page. /sign-in/organisation/callback/: the provider sends the person back with a code;
the ID token decides who they are (``sso.services``) and whether the provider checked a second
factor. If it did not, /sign-in/organisation/code/ asks for the portal's own security code (or,
for a new login, sends them to set up their authenticator app).

/sign-out/ ends the portal session; a person who signed in through a provider that signs out too
(``IdentityProvider.sign_out_at_provider``) is then sent to the provider's end_session_endpoint,
which sends them back to /sign-out/done/ (amendment of 2026-12-07).
"""

from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp import match_token

from govuk_blocks.forms import submitted
from partners.selectors import has_authenticator
from partners.throttle import failure_record, is_locked, lockout_response

from . import selectors, services
from .forms import OrganisationEmailForm, SecurityCodeForm
from .oidc import SIGN_IN_FAILED, client_for, end_session_url
from .services import SignInRefused

PROVIDER_KEY = "_isa_sso_provider"
NEXT_KEY = "_isa_sso_next"
PENDING_KEY = "_isa_sso_code_pending"
# How this session was signed in: "password" is never written (the portal's own sign-in is the
# default); "provider" (the provider checked two factors) or "provider+code" (the provider, then
# the portal's own security code).
SIGNED_IN_WITH_KEY = "_isa_signed_in_with"
# For signing out at the provider: its pk, the ID token it gave (the hint of who is signing out)
# and its end_session_endpoint. Only in a session signed in through a provider that signs out too,
# and gone with the session; never logged.
PROVIDER_SIGN_OUT_KEY = "_isa_sso_sign_out"


def _safe_next(request, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()},
                                                 require_https=request.is_secure()):
        return value
    return reverse("home")


@login_not_required
@require_http_methods(["GET", "POST"])
def organisation_sign_in(request):
    """/sign-in/organisation/: the e-mail address, to find the organisation's provider."""
    form = OrganisationEmailForm(submitted(request))
    if form.is_valid():
        email = form.cleaned_data["email"]
        provider = selectors.provider_for_email(email)
        if provider is None:
            return redirect(reverse("login") + "?organisation=none")
        try:
            response = client_for(provider).authorize_redirect(
                request, request.build_absolute_uri(reverse("sso_callback")), login_hint=email,
            )
        except SIGN_IN_FAILED:
            return _refused(request, _("Your organisation's sign-in service is not answering. Try again later, or "
                                       "sign in with your ISA Portal password if you have one."), status=502)
        request.session[PROVIDER_KEY] = provider.pk
        request.session[NEXT_KEY] = _safe_next(request, request.GET.get("next"))
        return response
    response = render(request, "sso/organisation_sign_in.html", {"form": form, "next": request.GET.get("next", "")})
    # The form posts here and is sent on to a provider: a browser applies the form page's
    # form-action to the redirects that follow a form too, so this page (and it alone) names the
    # configured providers' origins. See docs/decisions/0060.
    response._csp_update = {"form-action": selectors.provider_origins()}
    return response


def _refused(request, problem: str, status: int = 403):
    return render(request, "sso/refused.html", {"problem": problem}, status=status)


@login_not_required
@require_http_methods(["GET"])
def callback(request):
    """/sign-in/organisation/callback/: where the provider sends the person back."""
    provider = selectors.provider_enabled(request.session.pop(PROVIDER_KEY, None))
    if provider is None:
        return _refused(request, _("This sign-in link has expired or was already used. Start again."), status=400)
    try:
        client = client_for(provider)
        token = client.authorize_access_token(request)
        claims = dict(token["userinfo"])
    except SIGN_IN_FAILED:
        return _refused(request, _("Your organisation's sign-in did not complete. Start again; if it happens "
                                   "again, ask your organisation's IT service desk."))
    try:
        user = services.provider_sign_in(provider=provider, claims=claims)
    except SignInRefused as refusal:
        return _refused(request, str(refusal))
    next_url = request.session.get(NEXT_KEY) or reverse("home")
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    _keep_for_sign_out(request, provider, token, endpoint=client.server_metadata.get("end_session_endpoint"))
    if provider.asserts_mfa(claims):
        otp_login(request, services.provider_device(user=user, provider=provider))
        request.session[SIGNED_IN_WITH_KEY] = "provider"
        return redirect(next_url)
    request.session[PENDING_KEY] = True
    request.session[NEXT_KEY] = next_url
    if not has_authenticator(user):
        request.session[SIGNED_IN_WITH_KEY] = "provider+code"
        return redirect("authenticator")
    return redirect("sso_code")


def _keep_for_sign_out(request, provider, token, *, endpoint: str | None) -> None:
    """Keep what signing out at the provider needs, if it is to be done (``endpoint``: the
    discovery document's end_session_endpoint): after ``login``, so that it is this session's own."""
    if provider.sign_out_at_provider and endpoint and token.get("id_token"):
        request.session[PROVIDER_SIGN_OUT_KEY] = {
            "provider": provider.pk, "id_token": token["id_token"], "endpoint": endpoint,
        }


@login_not_required
@require_http_methods(["GET", "POST"])
def security_code(request):
    """/sign-in/organisation/code/: the portal's own second factor, when the provider did not
    check one."""
    if request.user.is_authenticated and request.user.is_verified():
        return redirect("home")
    if not (request.user.is_authenticated and request.session.get(PENDING_KEY)):
        return redirect("login")
    username = request.user.get_username()
    if request.method == "POST" and is_locked(request, username=username):
        return lockout_response(request)
    form = SecurityCodeForm(submitted(request))
    if form.is_valid():
        device = match_token(request.user, form.cleaned_data["otp_token"].replace(" ", ""))
        if device is None:
            if failure_record(request, username=username):
                return lockout_response(request)
            form.add_error("otp_token", _("Enter the code your authenticator app shows now, or an unused backup code."))
        else:
            otp_login(request, device)
            request.session.pop(PENDING_KEY, None)
            request.session[SIGNED_IN_WITH_KEY] = "provider+code"
            return redirect(request.session.pop(NEXT_KEY, None) or "home")
    return render(request, "sso/security_code.html", {"form": form})


class SignOutView(auth_views.LogoutView):
    """/sign-out/: Django's own sign-out (a POST), which ends the session; then, for a person who
    signed in through a provider that signs out too, on to that provider's end_session_endpoint."""

    def post(self, request, *args, **kwargs):
        sign_out = request.session.get(PROVIDER_SIGN_OUT_KEY)
        response = super().post(request, *args, **kwargs)  # the session, and the ID token in it, end here
        if not isinstance(sign_out, dict):
            return response
        provider = selectors.provider_enabled(sign_out.get("provider"))
        if provider is None or not provider.sign_out_at_provider:
            return response
        return redirect(end_session_url(
            endpoint=sign_out["endpoint"], provider=provider, id_token=sign_out["id_token"],
            post_logout_redirect_uri=request.build_absolute_uri(reverse("signed_out")),
        ))


@login_not_required
@require_http_methods(["GET"])
def signed_out(request):
    """/sign-out/done/: where a provider sends a person back after signing them out there."""
    if request.user.is_authenticated:
        return redirect("home")
    return render(request, "sso/signed_out.html")
