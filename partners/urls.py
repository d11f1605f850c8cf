from django.urls import path

from . import views

app_name = "partners"

urlpatterns = [
    path("", views.organisation_list, name="organisation_list"),
    path("export/", views.directory_export, name="directory_export"),
    path("export/xlsx/", views.directory_export, {"fmt": "xlsx"}, name="directory_export_xlsx"),
    path("new/", views.organisation_create, name="organisation_create"),
    path("import/", views.directory_import, name="directory_import"),
    path("<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("<int:pk>/edit/", views.organisation_edit, name="organisation_edit"),
    path("<int:pk>/people/", views.people, name="people"),
    path("<int:pk>/people/invite/", views.invite, name="invite"),
    path("<int:pk>/people/<int:user_pk>/roles/", views.person_roles, name="person_roles"),
    path("<int:pk>/people/<int:user_pk>/reset-authenticator/", views.authenticator_reset, name="authenticator_reset"),
    path("invitations/<int:pk>/resend/", views.invitation_change, {"action": "resend"}, name="invitation_resend"),
    path("invitations/<int:pk>/withdraw/", views.invitation_change, {"action": "withdraw"}, name="invitation_withdraw"),
    path("contacts/<int:pk>/edit/", views.contact_edit, name="contact_edit"),
    path("contacts/<int:pk>/confirm/", views.contact_confirm, name="contact_confirm"),
    # The access log (docs/decisions/0025).
    path("access-log/", views.access_log, name="access_log"),
]
