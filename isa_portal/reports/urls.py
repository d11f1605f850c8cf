from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("flows/agreements/<int:pk>/", views.agreement_flows, name="agreement_flows"),
    path("flows/organisations/<int:pk>/", views.organisation_flows, name="organisation_flows"),
]
