"""Breaches and near misses, at /breaches/ (002 §6)."""

from django.urls import path

from ..views import breaches

app_name = "breaches"

urlpatterns = [
    path("", breaches.breach_list, name="list"),
    path("export/", breaches.breach_export, name="export"),
    path("export/xlsx/", breaches.breach_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("new/", breaches.breach_create, name="create"),
    path("<int:pk>/", breaches.breach_detail, name="detail"),
    path("<int:pk>/progress/", breaches.breach_progress, name="progress"),
    path("<int:pk>/ico/", breaches.breach_ico, name="ico"),
    path("<int:pk>/people-affected/", breaches.breach_affected, name="affected"),
    path("<int:pk>/close/", breaches.breach_close, name="close"),
    path(
        "<int:pk>/notifications/<int:notification_pk>/acknowledge/", breaches.breach_acknowledge,
        name="acknowledge",
    ),
]
