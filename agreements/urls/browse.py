"""Reading agreements: the list, an agreement's page and history, and who is who."""

from django.urls import path

from ..views import browse

urlpatterns = [
    path("", browse.agreement_list, name="list"),
    path("export/", browse.agreement_export, name="export"),
    path("export/xlsx/", browse.agreement_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("<int:pk>/", browse.agreement_detail, name="detail"),
    path("<int:pk>/history/", browse.agreement_history, name="history"),
    path("organisations/<int:pk>/roles/", browse.organisation_roles, name="organisation_roles"),
]
