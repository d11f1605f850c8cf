from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse_lazy
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_http_methods, require_POST
from django.views.i18n import LANGUAGE_QUERY_PARAMETER, set_language
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from agreements.models import PartyStatus
from agreements.permissions import can_decide_gateway_proposal, can_oversee_signatures, can_start_agreement
from agreements.selectors import (
    SIGNABLE,
    agreements_for_home,
    drafts_invited_to,
    gateway_proposals_awaiting,
    gateway_proposals_visible_to,
    parties_to_resign,
    parties_user_may_sign,
    parties_with_signature_status,
    with_dpo_outcome,
)
from govuk_blocks.glossary import GLOSSARY_TERMS
from partners.selectors import memberships_of, notifications_for
from partners.services import account_event_tell, notification_mark_read
from partners.throttle import failure_record, is_locked, lockout_response
from sharing_log.permissions import can_log
from sharing_log.selectors import recent_partners

from .due import DueSequence, due_counts
from .forms import ResetPasswordForm, ResetRequestForm, SignInForm
from .middleware import SESSION_ENDED_KEY


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    form_class = ResetRequestForm
    template_name = "isa_portal/password_reset.html"
    email_template_name = "isa_portal/password_reset_email.txt"
    subject_template_name = "isa_portal/password_reset_subject.txt"
    success_url = reverse_lazy("password_reset_sent")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """A new password, with the second factor still asked (``ResetPasswordForm``)."""

    form_class = ResetPasswordForm
    template_name = "isa_portal/password_reset_confirm.html"
    success_url = reverse_lazy("password_reset_done")

    def post(self, request, *args, **kwargs):
        # The code is a second factor like the sign-in's: a locked account is not checked here either.
        if self.validlink and is_locked(request, username=self.user.get_username()):
            return lockout_response(request)
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        if form.has_error("otp_token", "wrong_code") and failure_record(
            self.request, username=form.user.get_username(),
        ):
            return lockout_response(self.request)
        return super().form_invalid(form)

    def form_valid(self, form):
        response = super().form_valid(form)
        account_event_tell(
            user=form.user, subject="Your password was changed",
            body="The password of your ISA Portal login was changed through a reset link. If it was not you, "
                 "tell a governance manager of your organisation at once.",
        )
        return response


class SignInView(auth_views.LoginView):
    """Sign in with a password and a TOTP code: two factors from the start."""

    form_class = SignInForm
    template_name = "isa_portal/sign_in.html"
    redirect_authenticated_user = False

    def get_context_data(self, **kwargs):
        # Set by isa_portal.middleware.SessionLimitsMiddleware when it ended the last session.
        return {**super().get_context_data(**kwargs), "session_ended": self.request.session.pop(
            SESSION_ENDED_KEY, None)}

    def form_valid(self, form):
        response = super().form_valid(form)
        otp_login(self.request, form.otp_device)
        if isinstance(form.otp_device, StaticDevice):
            left = form.otp_device.token_set.count()
            account_event_tell(
                user=form.get_user(), subject="You signed in with a backup code",
                body=f"Your ISA Portal login was signed in to with a backup code. {left} backup codes are left. If "
                     "you have lost your phone, ask a governance manager of your organisation to reset your "
                     "authenticator app. If it was not you, tell them at once.",
            )
        return response


def home(request):
    """Where each role starts: logging a disclosure, signing, drafting, how much is due and overdue (a
    link to "What's due"), and their organisations' agreements."""
    memberships = list(memberships_of(request.user))
    due_overdue, due_coming_up = due_counts(request.user)
    logs = can_log(request.user)
    return render(request, "isa_portal/home.html", {
        "due_overdue": due_overdue,
        "due_coming_up": due_coming_up,
        "memberships": memberships,
        "roles": sorted({m.get_role_display() for m in memberships}),
        "agreements": agreements_for_home(request.user),
        "drafts_invited_to": drafts_invited_to(request.user),
        # Each with ``dpo_awaited``: no "read and sign" link before the party's DPO is content (decision 0062).
        # Out for signature (or in force, for a party joining later): not a draft, which has no
        # version to sign (the Safe and Well trial's P10).
        "parties_to_sign": with_dpo_outcome(parties_with_signature_status(
            parties_user_may_sign(request.user).exclude(status=PartyStatus.SIGNED)
            .filter(agreement__status__in=SIGNABLE))),
        "parties_to_resign": with_dpo_outcome(parties_to_resign(request.user)),
        "oversees_signatures": can_oversee_signatures(request.user),
        "can_log": logs,
        # A share to the same partner again, in one click (decision 0047).
        "recent_partners": recent_partners(request.user, on=timezone.localdate()) if logs else [],
        "can_start_agreement": can_start_agreement(request.user),
        "gateway_proposals_awaiting": (
            gateway_proposals_awaiting(gateway_proposals_visible_to(request.user)).count()
            if can_decide_gateway_proposal(request.user) else 0
        ),
    })


# Items of "What's due" a page.
DUE_PER_PAGE = 50


def due(request):
    """What's due: everything due and overdue for the signed-in person, overdue first, a page
    at a time. A page number that is not a number shows the first page; one past the end, the last."""
    sequence = DueSequence(request.user)
    page = Paginator(sequence, DUE_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "isa_portal/due.html", {
        "page": page, "overdue_count": sequence.overdue_count, "coming_up_count": sequence.coming_up_count,
        "overdue": [item for item in page.object_list if item.overdue],
        "coming_up": [item for item in page.object_list if not item.overdue],
    })


@login_not_required
@require_POST
def language(request):
    """The header's "English | Cymraeg" switch (docs/decisions/0058): Django's ``set_language``,
    open before sign-in too. A POST, protected against forgery like every other; it sets the
    language cookie and goes back to ``next`` (a path in the portal, else the page it came from,
    else home). A language the portal does not offer changes nothing: Django's view would set any
    language it has a catalogue for (French, say), which the portal would then ignore."""
    if request.POST.get(LANGUAGE_QUERY_PARAMETER) not in dict(settings.LANGUAGES):
        request.POST = request.POST.copy()
        request.POST.pop(LANGUAGE_QUERY_PARAMETER, None)
    return set_language(request)


@login_not_required
def privacy(request):
    return render(request, "pages/privacy.html")


@login_not_required
def accessibility(request):
    return render(request, "pages/accessibility.html")


@login_not_required
def help_index(request):
    """How to use the portal and where to get help: public, so people can read it before signing in."""
    return render(request, "pages/help.html")


@login_not_required
def glossary(request):
    """The words of information sharing in plain English, each term with its own anchor."""
    return render(request, "pages/glossary.html", {"terms": [{"id": i, "name": n} for i, n in GLOSSARY_TERMS]})


NOTIFICATIONS_PER_PAGE = 25


def notifications(request):
    """What the signed-in person has been told, newest first; unread ones marked."""
    page = Paginator(notifications_for(request.user), NOTIFICATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "isa_portal/notifications.html", {"page": page, "notifications": page.object_list})


@require_http_methods(["GET", "POST"])
def notification_open(request, pk: int):
    """Mark one of the person's own notifications read and go where it points.

    Another person's notification is a 404. Only a path in the portal is followed.
    """
    notification = get_object_or_404(notifications_for(request.user), pk=pk)
    notification_mark_read(notification=notification)
    if notification.url and url_has_allowed_host_and_scheme(
        notification.url, allowed_hosts={request.get_host()}, require_https=request.is_secure(),
    ):
        return redirect(notification.url)
    return redirect("notifications")
