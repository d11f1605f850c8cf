"""Rights and freedom of information requests, at /requests/ (001 §6.2)."""

from django.urls import path

from ..views import requests

app_name = "requests"

urlpatterns = [
    path("", requests.request_list, name="list"),
    path("new/", requests.request_create, name="create"),
    path("<int:pk>/", requests.request_detail, name="detail"),
    path("<int:pk>/extend/", requests.request_extend, name="extend"),
]
