"""Signing an agreement, recording returned signature forms, and where the signatures stand."""

from django.urls import path

from ..views import dpo_reviews, qa_reviews, signing

urlpatterns = [
    path("signatures/", signing.signature_overview, name="signature_overview"),
    path("<int:pk>/signatures/", signing.signatures, name="signatures"),
    path("<int:pk>/signatures/export/", signing.signatures_export, name="signatures_export"),
    path("<int:pk>/signatures/export/xlsx/", signing.signatures_export, {"fmt": "xlsx"},
         name="signatures_export_xlsx"),
    path("<int:pk>/signatures/parties/<int:party_pk>/remind/", signing.signature_remind, name="signature_remind"),
    path("<int:pk>/signatures/<int:signature_pk>/scan/", signing.signature_scan, name="signature_scan"),
    path("<int:pk>/parties/<int:party_pk>/sign/", signing.party_sign, name="party_sign"),
    path(
        "<int:pk>/parties/<int:party_pk>/paper-signature/", signing.party_paper_signature,
        name="party_paper_signature",
    ),
    # Each party's DPO review before its lead signatory signs (decision 0062).
    path("<int:pk>/parties/<int:party_pk>/dpo-review/", dpo_reviews.party_dpo_review, name="party_dpo_review"),
    path("<int:pk>/signatures/dpo-review/", dpo_reviews.dpo_review_requirement, name="dpo_review_requirement"),
    # The QA review before coming into force (decision 0064).
    path("<int:pk>/qa-review/", qa_reviews.qa_review, name="qa_review"),
]
