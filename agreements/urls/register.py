"""The public register, at /register/ (included by ``isa_portal.urls`` under ``register``)."""

from django.urls import path

from ..views import register

app_name = "register"

urlpatterns = [
    path("", register.register_list, name="list"),
    path("<int:pk>/", register.register_detail, name="detail"),
    path("<int:pk>/pdf/", register.register_document, name="pdf"),
]
