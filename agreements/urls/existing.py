"""Agreements that predate the portal, at /agreements/<pk>/existing/ and /in-force-since/."""

from django.urls import path

from ..views import existing

urlpatterns = [
    path("<int:pk>/existing/", existing.record_existing, name="record_existing"),
    path("<int:pk>/in-force-since/", existing.record_in_force, name="record_in_force"),
]
