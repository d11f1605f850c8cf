from django.urls import path

from .views import disclosures

app_name = "sharing_log"

urlpatterns = [
    path("", disclosures.disclosure_list, name="list"),
    path("received/", disclosures.received_list, name="received"),
    path("export/", disclosures.export, name="export"),
    path("new/", disclosures.disclosure_create, name="create"),
    path("inbox/", disclosures.inbox, name="inbox"),
    path("<int:pk>/", disclosures.disclosure_detail, name="detail"),
    path("<int:pk>/correct/", disclosures.disclosure_amend, name="amend"),
    path("<int:pk>/void/", disclosures.disclosure_void, name="void"),
    path("<int:pk>/acknowledge/", disclosures.acknowledge, name="acknowledge"),
]
