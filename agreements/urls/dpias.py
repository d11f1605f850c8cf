"""An agreement's DPIA."""

from django.urls import path

from ..views import dpias

urlpatterns = [
    path("<int:pk>/dpia/", dpias.dpia_edit, name="dpia"),
    path("<int:pk>/dpia/document/", dpias.dpia_document, name="dpia_document"),
]
