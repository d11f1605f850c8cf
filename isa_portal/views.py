from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render
from django.utils.decorators import method_decorator
from django_otp import login as otp_login

from agreements.selectors import agreements_for_home, parties_user_may_sign
from partners.selectors import memberships_of

from .forms import SignInForm


@method_decorator(login_not_required, name="dispatch")
class SignInView(auth_views.LoginView):
    """Sign in with a password and a TOTP code: two factors from the start."""

    form_class = SignInForm
    template_name = "isa_portal/sign_in.html"
    redirect_authenticated_user = False

    def form_valid(self, form):
        response = super().form_valid(form)
        otp_login(self.request, form.otp_device)
        return response


def home(request):
    """What the signed-in user may see, by role: for now, their organisations' agreements."""
    memberships = list(memberships_of(request.user))
    return render(request, "isa_portal/home.html", {
        "memberships": memberships,
        "roles": sorted({m.get_role_display() for m in memberships}),
        "agreements": agreements_for_home(request.user),
        "parties_to_sign": parties_user_may_sign(request.user).exclude(status="signed"),
    })


@login_not_required
def privacy(request):
    return render(request, "pages/privacy.html")


@login_not_required
def accessibility(request):
    return render(request, "pages/accessibility.html")
