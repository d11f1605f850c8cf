"""A withdrawn partner's confirmation of what it did with what it holds."""

from django.urls import path

from ..views import holdings

urlpatterns = [
    path("<int:pk>/parties/<int:party_pk>/holdings/", holdings.party_holdings, name="party_holdings"),
]
