"""The API's routes under ``/api/`` (namespace ``api``), included by name from the root URLconf so
that nothing imports this app (it is the top of the layers)."""

from .urls import api_urls

app_name = "api"
urlpatterns = api_urls()[0]
