"""An agreement's parties and what the governance manager records about them."""

from django.urls import path

from ..views import parties

urlpatterns = [
    path("<int:pk>/parties/", parties.party_list, name="parties"),
    path("<int:pk>/parties/invite/", parties.party_invite, name="party_invite"),
    path("<int:pk>/parties/import/", parties.party_import, name="party_import"),
    path("<int:pk>/parties/<int:party_pk>/first-person/", parties.party_first_person, name="party_first_person"),
    path("<int:pk>/parties/<int:party_pk>/status/", parties.party_status, name="party_status"),
    path("<int:pk>/parties/<int:party_pk>/contacts/", parties.party_contacts, name="party_contacts"),
    path(
        "<int:pk>/parties/<int:party_pk>/contacts/<int:link_pk>/remove/",
        parties.party_contact_remove, name="party_contact_remove",
    ),
    path("<int:pk>/parties/<int:party_pk>/data/", parties.party_data, name="party_data"),
    path("<int:pk>/parties/<int:party_pk>/act-for/", parties.party_act_for, name="party_act_for"),
    path("<int:pk>/parties/<int:party_pk>/withdraw/", parties.party_withdraw, name="party_withdraw"),
]
