from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import ExternalIdentity, IdentityProvider, ProviderSignIn


@admin.register(IdentityProvider)
class IdentityProviderAdmin(SimpleHistoryAdmin):
    list_display = ["organisation", "email_domains", "issuer", "sign_out_at_provider", "enabled"]
    list_filter = ["enabled", "sign_out_at_provider"]
    search_fields = ["organisation__name", "email_domains"]
    autocomplete_fields = ["organisation"]


@admin.register(ExternalIdentity)
class ExternalIdentityAdmin(admin.ModelAdmin):
    list_display = ["user", "provider", "created_at"]
    raw_id_fields = ["user"]
    readonly_fields = ["provider", "subject", "user", "created_at"]


@admin.register(ProviderSignIn)
class ProviderSignInAdmin(admin.ModelAdmin):
    list_display = ["user", "provider", "signed_in_at", "second_factor", "account_created"]
    list_filter = ["second_factor"]
    readonly_fields = ["user", "provider", "signed_in_at", "second_factor", "amr", "acr", "account_created"]

    def has_add_permission(self, request):
        return False
