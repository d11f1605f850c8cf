"""An agreement's versions and what changed between them."""

from django.urls import path

from ..views import versions

urlpatterns = [
    path("<int:pk>/versions/", versions.versions, name="versions"),
    path("<int:pk>/versions/<int:number>/", versions.version_diff, name="version_diff"),
]
