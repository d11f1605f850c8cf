from django.urls import path

from .. import views

# Included at /sign-out/ by the root URLconf: signing out, and the page a provider sends a person
# back to after signing them out there.
urlpatterns = [
    path("", views.SignOutView.as_view(), name="logout"),
    path("done/", views.signed_out, name="signed_out"),
]
