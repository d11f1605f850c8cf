"""A session that will sign out at its provider may send the header's sign-out form on there
(docs/decisions/0060, amendment of 2026-12-07).

The portal's policy is ``form-action 'self'``, and Chromium applies a form page's form-action to
the redirects that follow the form's submission too: the sign-out form's redirect to the
provider's end_session_endpoint would be blocked. So the pages of a session signed in through a
provider that signs out too, and no one else's, allow that one endpoint's origin.
"""

from urllib.parse import urlsplit

from .views import PROVIDER_SIGN_OUT_KEY


class ProviderSignOutFormActionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        sign_out = session.get(PROVIDER_SIGN_OUT_KEY) if session is not None else None
        if isinstance(sign_out, dict) and sign_out.get("endpoint"):
            parts = urlsplit(sign_out["endpoint"])
            update = dict(getattr(response, "_csp_update", None) or {})
            update["form-action"] = [*update.get("form-action", []), f"{parts.scheme}://{parts.netloc}"]
            response._csp_update = update
        return response
