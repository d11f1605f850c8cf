from django.urls import path

from . import views

app_name = "sharing_log"

urlpatterns = [
    path("", views.disclosure_list, name="list"),
    path("received/", views.received_list, name="received"),
    path("export/", views.export, name="export"),
    path("new/", views.disclosure_create, name="create"),
    path("inbox/", views.inbox, name="inbox"),
    path("<int:pk>/", views.disclosure_detail, name="detail"),
    path("<int:pk>/correct/", views.disclosure_amend, name="amend"),
    path("<int:pk>/void/", views.disclosure_void, name="void"),
    path("<int:pk>/acknowledge/", views.acknowledge, name="acknowledge"),
]
