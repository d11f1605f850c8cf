from django.urls import path

from .. import views

urlpatterns = [
    path("", views.organisation_sign_in, name="sso_sign_in"),
    path("callback/", views.callback, name="sso_callback"),
    path("code/", views.security_code, name="sso_code"),
]
