"""Proposals to add legal gateways to the catalogue, at /agreements/gateways/."""

from django.urls import path

from ..views import gateways

urlpatterns = [
    path("gateways/proposals/", gateways.gateway_proposal_list, name="gateway_proposals"),
    path("gateways/propose/", gateways.gateway_propose, name="gateway_propose"),
    path("gateways/proposals/<int:pk>/", gateways.gateway_proposal_decide, name="gateway_proposal_decide"),
]
