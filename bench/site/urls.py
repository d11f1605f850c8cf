"""The portal's URLs, and under ``/bench/`` the reference views (``bench.site.references``)."""

from django.urls import path

from isa_portal.urls import urlpatterns as portal

from . import references

urlpatterns = [
    path("bench/keyset/", references.keyset, name="bench_keyset"),
    path("bench/insert/", references.insert, name="bench_insert"),
    path("bench/weasyprint/<int:pk>/", references.weasyprint, name="bench_weasyprint"),
    *portal,
]
