"""Rights and freedom of information requests, at /requests/ (001 §6.2)."""

from django.urls import path

from ..views import requests

app_name = "requests"

urlpatterns = [
    path("", requests.request_list, name="list"),
    path("export/", requests.request_export, name="export"),
    path("export/xlsx/", requests.request_export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("new/", requests.request_create, name="create"),
    path("<int:pk>/", requests.request_detail, name="detail"),
    path("<int:pk>/extend/", requests.request_extend, name="extend"),
]
