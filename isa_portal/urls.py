from django.contrib import admin
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.urls import include, path, reverse
from django_otp.admin import OTPAdminSite

from agreements.views import documents
from partners import views as partner_views

from . import views


class PortalAdminSite(OTPAdminSite):
    """The admin demands a verified second factor too, and signs in only through the portal's own
    page (issue 12): one form, one error message, throttled like every other door."""

    @login_not_required
    def login(self, request, extra_context=None):
        return redirect_to_login(request.GET.get(REDIRECT_FIELD_NAME) or reverse("admin:index"), reverse("login"))


admin.site.__class__ = PortalAdminSite
admin.site.site_header = "ISA Portal administration"
admin.site.site_title = "ISA Portal administration"
# Tables that grow to millions of rows (the log and its history, the access log, sign-in
# attempts): a changelist counts the rows its filters match, not the whole table a second time
# for its "N total" (issue 15). Every registered admin, the packages' own included.
for _model_admin in admin.site._registry.values():
    _model_admin.show_full_result_count = False

urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.SignInView.as_view(), name="login"),
    path("sign-in/organisation/", include("sso.urls")),
    # Signing out, and out at an organisation's provider too where it is set to (docs/decisions/0060).
    path("sign-out/", include("sso.urls.sign_out")),
    path("password-reset/", views.PasswordResetView.as_view(), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(
        template_name="isa_portal/password_reset_sent.html"), name="password_reset_sent"),
    path("password-reset/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("password-reset/done/", auth_views.PasswordResetCompleteView.as_view(
        template_name="isa_portal/password_reset_done.html"), name="password_reset_done"),
    path("language/", views.language, name="language"),
    path("privacy/", views.privacy, name="privacy"),
    path("accessibility/", views.accessibility, name="accessibility"),
    path("help/", views.help_index, name="help"),
    path("help/glossary/", views.glossary, name="glossary"),
    path("due/", views.due, name="due"),
    path("reports/", include("isa_portal.reports.urls")),
    path("search/", include("isa_portal.search.urls")),
    path("notifications/", views.notifications, name="notifications"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("verify/", documents.verify, name="verify"),
    path("join/<str:token>/", partner_views.join, name="join"),
    path("account/authenticator/", partner_views.authenticator, name="authenticator"),
    path("account/backup-codes/", partner_views.backup_codes, name="backup_codes"),
    path("account/authenticator/reset/<str:token>/", partner_views.authenticator_reset_link,
         name="authenticator_reset_link"),
    path("agreements/", include("agreements.urls")),
    path("breaches/", include("agreements.urls.breaches")),
    path("requests/", include("agreements.urls.requests")),
    path("register/", include("agreements.urls.register")),
    path("partners/", include("partners.urls")),
    # issue 16: the API and its clients' pages; by name, since nothing imports the api app.
    path("api/", include("api.api_urls")),
    path("api-clients/", include("api.urls")),
    path("log/", include("sharing_log.urls")),
    path("admin/", admin.site.urls),
]
