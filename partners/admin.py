from django.contrib import admin
from guardian.admin import GuardedModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from .models import (
    AccessEvent,
    AuthenticatorReset,
    Contact,
    Invitation,
    Membership,
    Notification,
    Organisation,
    SignedInSession,
    UndeliveredNotice,
)


@admin.register(Organisation)
class OrganisationAdmin(GuardedModelAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "sector", "ico_registration_number", "ico_renewal_date", "ceased_on"]
    list_filter = ["sector"]
    search_fields = ["name", "ico_registration_number"]


@admin.register(Contact)
class ContactAdmin(SimpleHistoryAdmin):
    list_display = ["name", "job_title", "organisation", "email", "details_confirmed_on"]
    list_filter = ["organisation__sector"]
    search_fields = ["name", "job_title", "email", "organisation__name"]
    raw_id_fields = ["user"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "organisation__name"]


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["subject", "recipient", "created_at", "emailed_at", "read_at"]
    search_fields = ["subject", "recipient__name"]
    raw_id_fields = ["recipient"]


@admin.register(UndeliveredNotice)
class UndeliveredNoticeAdmin(admin.ModelAdmin):
    """Notices the rules required that reached nobody; read here, put right in the directory."""

    list_display = ["subject", "organisation", "responsible_organisation", "created_at", "delivered_at"]
    list_filter = ["delivered_at"]
    search_fields = ["subject", "organisation__name"]
    readonly_fields = ["organisation", "responsible_organisation", "subject", "body", "url", "event_key",
                       "created_at"]


class RecordAdmin(SimpleHistoryAdmin):
    """Records the portal's own pages make: listed and read here, never added or changed."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Invitation)
class InvitationAdmin(RecordAdmin):
    """Read only: invitations are sent, resent and withdrawn on the organisation's people page."""

    list_display = ["name", "email", "organisation", "role", "sent_at", "expires_at", "accepted_at", "withdrawn_at"]
    list_filter = ["role"]
    search_fields = ["name", "email", "organisation__name"]
    exclude = ["token_hash"]


@admin.register(AuthenticatorReset)
class AuthenticatorResetAdmin(RecordAdmin):
    """Read only: the record of who reset whose authenticator app, and when it was used."""

    list_display = ["user", "requested_by", "created_at", "expires_at", "used_at"]
    search_fields = ["user__username", "requested_by__username"]
    exclude = ["token_hash"]


@admin.register(SignedInSession)
class SignedInSessionAdmin(RecordAdmin):
    """Read only: who is signed in since when (the key is not shown). Deactivating the person ends
    every session of theirs at once (partners.sessions)."""

    list_display = ["user", "signed_in_at"]
    search_fields = ["user__username"]
    exclude = ["session_key"]


@admin.register(AccessEvent)
class AccessEventAdmin(RecordAdmin):
    """The access log (docs/decisions/0025) is read on its own page by each organisation's
    auditors and governance managers. Portal administrators have no case-level sight, so here it
    is for a superuser alone (the operator, who holds the database anyway), read only; nobody
    deletes an event but the daily purge."""

    list_display = ["occurred_at", "kind", "status_code", "user_id", "object_type", "object_id", "url_name"]
    list_filter = ["kind", "status_code"]

    def has_view_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_module_permission(self, request):
        return self.has_view_permission(request)

    def has_delete_permission(self, request, obj=None):
        return False
