"""The sharing log in the Django admin: read-only, because the log is append-only."""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from agreements.admin import ReadOnlyMixin

from . import models


class ReadOnlyAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    pass


@admin.register(models.Disclosure)
class DisclosureAdmin(ReadOnlyAdmin):
    list_display = ["occurred_at", "decision", "disclosing_organisation", "recipient_organisation",
                    "agreement", "data_level"]
    list_filter = ["decision", "data_level", "subject_type", "consent_status"]
    search_fields = ["case_reference"]


@admin.register(models.Destruction)
class DestructionAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["disclosure", "destroyed_at", "reason"]


# Each record with the related rows its name (``__str__``) reads, so that a changelist asks
# for them with its rows rather than once a row (issue 15).
for model, named_by in (
    (models.Amendment, ()), (models.Acknowledgement, ()), (models.OnwardDisclosureRequest, ()),
    (models.CaseClosure, ()), (models.RecipientDestructionConfirmation, ("organisation",)),
    (models.Escalation, ("raised_by_organisation",)),
):
    admin.site.register(model, type(f"{model.__name__}Admin", (ReadOnlyAdmin,), {"list_select_related": named_by}))


# A designated manager's authorisation of an override and its confirmation: append-only too.
@admin.register(models.OverrideAuthorisation)
class OverrideAuthorisationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["disclosure", "designated_manager", "requested_at"]


@admin.register(models.OverrideConfirmation)
class OverrideConfirmationAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ["authorisation", "confirmed_by", "confirmed_at"]


# The log's hash chain and the database functions' own records (docs/decisions/0023), read only.
@admin.register(models.LogEvent)
class LogEventAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("seq", "kind", "disclosure_id", "at", "hash")
    list_filter = ("kind",)


@admin.register(models.GuardedWrite)
class GuardedWriteAdmin(ReadOnlyMixin, admin.ModelAdmin):
    list_display = ("at", "kind", "disclosure_id", "detail", "database_user")


@admin.register(models.LogCheckpoint)
class LogCheckpointAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """The daily chain check's checkpoints (docs/decisions/0055), read only."""

    list_display = ("checked_at", "seq", "full", "hash")
    list_filter = ("full",)
