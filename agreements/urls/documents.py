"""The agreement as a PDF and the signed copy of a version (``/verify/`` is in ``isa_portal.urls``)."""

from django.urls import path

from ..views import documents

urlpatterns = [
    path("<int:pk>/pdf/", documents.agreement_document, name="pdf"),
    path(
        "<int:pk>/versions/<int:number>/signed-copy/", documents.signed_copy_download,
        name="signed_copy",
    ),
]
