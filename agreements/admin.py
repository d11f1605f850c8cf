from django.contrib import admin
from guardian.admin import GuardedModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from . import models


class ReadOnlyMixin:
    """Nothing added, changed or deleted through the admin: for records that are frozen once
    made (signed copies) or append-only (the sharing log, which uses this too)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class PurposeInline(admin.TabularInline):
    model = models.Purpose
    extra = 0


class SectionInline(admin.StackedInline):
    model = models.Section
    extra = 0


class PartyContactInline(admin.TabularInline):
    model = models.PartyContact
    extra = 0
    raw_id_fields = ["contact"]


@admin.register(models.LegalGateway)
class LegalGatewayAdmin(SimpleHistoryAdmin):
    list_display = ["instrument", "provision", "title", "category", "status", "replaced_by"]
    list_filter = ["category", "status"]
    search_fields = ["key", "instrument", "provision", "title"]


@admin.register(models.GatewayProposal)
class GatewayProposalAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Read only: proposals are decided on their own page (agreements:gateway_proposal_decide)."""

    list_display = ["instrument", "provision", "category", "status", "proposed_by", "proposed_at", "decided_by"]
    list_filter = ["status", "category"]
    search_fields = ["instrument", "provision", "title"]


@admin.register(models.Agreement)
class AgreementAdmin(GuardedModelAdminMixin, SimpleHistoryAdmin):
    list_display = ["title", "reference", "kind", "owner", "status", "version", "next_review_due"]
    list_filter = ["kind", "status", "protective_marking"]
    search_fields = ["title", "reference", "owner__name"]
    filter_horizontal = ["gateways", "drawn_up_by"]
    inlines = [PurposeInline, SectionInline]


@admin.register(models.Party)
class PartyAdmin(GuardedModelAdminMixin, SimpleHistoryAdmin):
    list_display = ["organisation", "agreement", "status", "board_member", "withdrawal_effective_on"]
    list_filter = ["status", "board_member"]
    search_fields = ["organisation__name", "agreement__title"]
    inlines = [PartyContactInline]


@admin.register(models.WithdrawalHoldings)
class WithdrawalHoldingsAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """A withdrawn partner's answer, given on its own page; read only here."""

    list_display = ["party", "outcome", "confirmed_by", "confirmed_at"]


@admin.register(models.ConsultationComment)
class ConsultationCommentAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Read only: comments and answers are given on the agreement's consultation page (decision 0070)."""

    list_display = ["agreement", "organisation", "written_at", "answered_at"]
    list_select_related = ["agreement", "organisation"]
    search_fields = ["agreement__title", "organisation__name"]


@admin.register(models.DataItem)
class DataItemAdmin(SimpleHistoryAdmin):
    list_display = ["agreement", "provider_label", "level", "description"]
    list_filter = ["level"]
    filter_horizontal = ["providers"]


@admin.register(models.AgreementVersion)
class AgreementVersionAdmin(SimpleHistoryAdmin):
    list_display = ["agreement", "label", "number", "substantive", "content_hash", "created_at"]
    readonly_fields = ["content", "content_hash"]


@admin.register(models.Signature)
class SignatureAdmin(SimpleHistoryAdmin):
    list_display = ["party", "version", "method", "signatory_name", "signed_on", "signed_at"]
    list_filter = ["method"]
    readonly_fields = ["content_hash"]


class ReviewActionInline(admin.TabularInline):
    model = models.ReviewAction
    extra = 0


@admin.register(models.Dpia)
class DpiaAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Read only: a DPIA is recorded on its agreement's DPIA page, where its rules are checked."""

    list_display = ["agreement", "needed", "outcome", "review_on"]
    list_filter = ["needed", "outcome"]


@admin.register(models.Review)
class ReviewAdmin(SimpleHistoryAdmin):
    list_display = ["agreement", "trigger", "due_on", "completed_on", "outcome"]
    list_filter = ["trigger", "outcome"]
    inlines = [ReviewActionInline]


class BreachNotificationInline(admin.TabularInline):
    model = models.BreachNotification
    extra = 0


@admin.register(models.Breach)
class BreachAdmin(SimpleHistoryAdmin):
    list_display = ["agreement", "kind", "reporting_organisation", "discovered_at", "closed_on"]
    list_filter = ["kind", "personal_data_breach"]
    inlines = [BreachNotificationInline]


@admin.register(models.SignedCopy)
class SignedCopyAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Read only: a signed copy is frozen once and never changed."""

    list_display = ["version", "sha256", "frozen_at"]


@admin.register(models.SignatureReminder)
class SignatureReminderAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Read only: a reminder to sign is sent from the signatures page, at most once a day."""

    list_display = ["party", "version", "sent_on"]
    list_select_related = ["party__organisation", "party__agreement", "version"]


@admin.register(models.DpoReview)
class DpoReviewAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Read only: a DPO's review is recorded on the party's review page, and never changed
    (decision 0062)."""

    list_display = ["party", "version", "outcome", "reviewer_name", "reviewed_at"]
    list_select_related = ["party__organisation", "party__agreement", "version"]


@admin.register(models.QaCheckpoint)
class QaCheckpointAdmin(SimpleHistoryAdmin):
    """The QA checklist (decision 0064), kept by a portal administrator: retire a point by
    clearing "active" rather than deleting it (findings keep it)."""

    list_display = ["position", "text", "source", "active"]
    list_editable = ["active"]
    list_filter = ["source", "active"]

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.QaReview)
class QaReviewAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Read only: a QA review is recorded on the agreement's QA page, and never changed."""

    list_display = ["agreement", "version", "outcome", "reviewer_name", "reviewed_at"]
    list_select_related = ["agreement", "version"]


@admin.register(models.QaFinding)
class QaFindingAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Read only: a finding is part of its QA review, never changed."""

    list_display = ["review", "checkpoint_text", "result"]
    list_select_related = ["review__version", "review__agreement"]


@admin.register(models.PreparedPdf)
class PreparedPdfAdmin(ReadOnlyMixin, admin.ModelAdmin):
    """Read only: a large agreement's PDF rendered by a background task (decision 0050)."""

    list_display = ["agreement", "version", "requested_at", "ready_at"]
    list_select_related = ["agreement", "version"]


@admin.register(models.InformationRequest)
class InformationRequestAdmin(SimpleHistoryAdmin):
    list_display = ["kind", "agreement", "routed_to", "received_on", "due_on", "responded_on"]
    list_filter = ["kind"]


@admin.register(models.KindTerms, models.SubProcessor)
class KindTermsAdmin(ReadOnlyMixin, SimpleHistoryAdmin):
    """Read only: a kind's terms and sub-processors are substance, changed through the drafting
    services so that a new version follows (decision 0065)."""


for model in (models.Purpose, models.Section, models.PartyContact, models.ReviewAction,
              models.BreachNotification):
    admin.site.register(model, SimpleHistoryAdmin)
