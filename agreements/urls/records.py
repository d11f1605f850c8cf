"""An organisation's record of processing (UK GDPR Art 30), under /agreements/."""

from django.urls import path

from ..views import records

urlpatterns = [
    path(
        "organisations/<int:pk>/record-of-processing.csv", records.record_of_processing,
        name="record_of_processing",
    ),
    path(
        "organisations/<int:pk>/record-of-processing.pdf", records.record_of_processing_pdf,
        name="record_of_processing_pdf",
    ),
]
