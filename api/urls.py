"""The API (``/api/``) and the pages for its clients (``/api-clients/``)."""

import functools

from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from partners.access import request_id_of

from . import views
from .endpoints import api
from .models import ApiToken
from .services import api_use_record

app_name = "api_clients"

urlpatterns = [
    path("<int:pk>/", views.clients, name="list"),
    path("<int:pk>/new/", views.issue, name="issue"),
    path("tokens/<int:pk>/revoke/", views.revoke, name="revoke"),
]


def _recorded(view):
    """The API's views: open to requests without a session (a token is their credential), and
    every request made with a valid token recorded as one use of it (``api_use_record``)."""

    @functools.wraps(view)
    def recorded(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        token = getattr(request, "auth", None)
        if isinstance(token, ApiToken):
            match = request.resolver_match
            api_use_record(
                token=token, method=request.method, operation=match.url_name if match else "",
                status_code=response.status_code, object_id=getattr(request, "api_object_id", None),
                request_id=request_id_of(request),
            )
        return response

    recorded.login_required = False  # Django's LoginRequiredMiddleware (and ours) let it through
    return csrf_exempt(recorded)


def api_urls():
    patterns, app, namespace = api.urls
    for pattern in patterns:
        pattern.callback = _recorded(pattern.callback)
    return patterns, app, namespace
