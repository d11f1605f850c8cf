from django.urls import path

from .views import browse

app_name = "agreements"

urlpatterns = [
    path("", browse.agreement_list, name="list"),
    path("<int:pk>/", browse.agreement_detail, name="detail"),
]
