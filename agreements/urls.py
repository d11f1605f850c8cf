from django.urls import path

from .views import browse, documents, drafting, parties, reviews, signed_copies, signing

app_name = "agreements"

urlpatterns = [
    path("", browse.agreement_list, name="list"),
    path("<int:pk>/", browse.agreement_detail, name="detail"),
    path("<int:pk>/history/", browse.agreement_history, name="history"),
    path("<int:pk>/pdf/", documents.agreement_document, name="pdf"),
    path("organisations/<int:pk>/roles/", browse.organisation_roles, name="organisation_roles"),
    path("<int:pk>/parties/", parties.party_list, name="parties"),
    path("<int:pk>/parties/invite/", parties.party_invite, name="party_invite"),
    path("<int:pk>/parties/<int:party_pk>/status/", parties.party_status, name="party_status"),
    path("<int:pk>/parties/<int:party_pk>/contacts/", parties.party_contacts, name="party_contacts"),
    path(
        "<int:pk>/parties/<int:party_pk>/contacts/<int:link_pk>/remove/",
        parties.party_contact_remove, name="party_contact_remove",
    ),
    path("<int:pk>/parties/<int:party_pk>/data/", parties.party_data, name="party_data"),
    path("<int:pk>/parties/<int:party_pk>/withdraw/", parties.party_withdraw, name="party_withdraw"),
    path("new/", drafting.agreement_start, name="create"),
    path("<int:pk>/tasks/", drafting.agreement_task_list, name="tasks"),
    path("<int:pk>/tasks/details/", drafting.DetailsTask.as_view(), name="task_details"),
    path("<int:pk>/tasks/purposes/", drafting.PurposesTask.as_view(), name="task_purposes"),
    path("<int:pk>/tasks/data/", drafting.data_items, name="task_data"),
    path("<int:pk>/tasks/data/add/", drafting.DataItemTask.as_view(), name="data_item_add"),
    path("<int:pk>/tasks/data/<int:item_pk>/", drafting.DataItemTask.as_view(), name="data_item_edit"),
    path("<int:pk>/tasks/data/<int:item_pk>/remove/", drafting.data_item_remove, name="data_item_remove"),
    path("<int:pk>/tasks/gateways/", drafting.GatewaysTask.as_view(), name="task_gateways"),
    path("<int:pk>/tasks/transfer/", drafting.TransferTask.as_view(), name="task_transfer"),
    path("<int:pk>/tasks/retention/", drafting.RetentionTask.as_view(), name="task_retention"),
    path("<int:pk>/tasks/review/", drafting.ReviewTask.as_view(), name="task_review"),
    path("<int:pk>/tasks/sections/", drafting.sections, name="task_sections"),
    path("<int:pk>/tasks/sections/add/", drafting.SectionTask.as_view(), name="section_add"),
    path("<int:pk>/tasks/sections/<int:item_pk>/", drafting.SectionTask.as_view(), name="section_edit"),
    path("<int:pk>/tasks/sections/<int:item_pk>/remove/", drafting.section_remove, name="section_remove"),
    path("<int:pk>/status/", drafting.agreement_status, name="status"),
    path("signatures/", signing.signature_overview, name="signature_overview"),
    path("<int:pk>/signatures/", signing.signatures, name="signatures"),
    path("<int:pk>/signatures/<int:signature_pk>/scan/", signing.signature_scan, name="signature_scan"),
    path("<int:pk>/parties/<int:party_pk>/sign/", signing.party_sign, name="party_sign"),
    path(
        "<int:pk>/parties/<int:party_pk>/paper-signature/", signing.party_paper_signature,
        name="party_paper_signature",
    ),
    path("<int:pk>/versions/", signing.versions, name="versions"),
    path("<int:pk>/versions/<int:number>/", signing.version_diff, name="version_diff"),
    path(
        "<int:pk>/versions/<int:number>/signed-copy/", signed_copies.signed_copy_download,
        name="signed_copy",
    ),
    path("<int:pk>/reviews/", reviews.review_list, name="reviews"),
    path("<int:pk>/reviews/new/", reviews.review_start, name="review_start"),
    path("<int:pk>/reviews/<int:review_pk>/", reviews.review_detail, name="review_detail"),
    path("<int:pk>/reviews/<int:review_pk>/actions/new/", reviews.review_action_add, name="review_action_add"),
    path(
        "<int:pk>/reviews/<int:review_pk>/actions/<int:action_pk>/done/", reviews.review_action_done,
        name="review_action_done",
    ),
    path(
        "<int:pk>/reviews/<int:review_pk>/findings-reported/", reviews.review_findings_reported,
        name="review_findings_reported",
    ),
]
