"""The agreements' pages, at /agreements/: one module per feature, each with its own
``urlpatterns``, composed here under the ``agreements`` namespace. Breaches and requests have
their own namespaces and are included by ``isa_portal.urls`` from ``urls.breaches`` and
``urls.requests``."""

from . import (
    browse,
    consultation,
    documents,
    dpias,
    drafting,
    existing,
    gateways,
    holdings,
    parties,
    records,
    reviews,
    signing,
    versions,
)

app_name = "agreements"

urlpatterns = [
    *browse.urlpatterns,
    *consultation.urlpatterns,
    *documents.urlpatterns,
    *parties.urlpatterns,
    *holdings.urlpatterns,
    *drafting.urlpatterns,
    *existing.urlpatterns,
    *gateways.urlpatterns,
    *signing.urlpatterns,
    *versions.urlpatterns,
    *reviews.urlpatterns,
    *records.urlpatterns,
    *dpias.urlpatterns,
]
