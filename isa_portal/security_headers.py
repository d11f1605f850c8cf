"""Caching of what a signed-in person is sent (docs/decisions/0022).

The Content-Security-Policy and Permissions-Policy headers come from maintained packages
(django-csp, django-permissions-policy), configured in settings; this is the one header rule
that depends on who asked.
"""


class NoStoreWhenSignedInMiddleware:
    """Every response to a signed-in request says ``Cache-Control: no-store``.

    Pages behind the sign-in show case-level sharing log entries, names and contact details: no
    browser cache, shared computer's history or proxy should keep a copy, and the browser's
    back button must not show them again after signing out. A view's own caching header is
    replaced, never merged, so nothing a view says can make such a page storable.

    "Signed in" includes a person who has given a password but not yet the second factor: they
    are sent little, and it is no one else's. Anonymous visitors' public pages (the published
    agreements, the privacy notice) keep their ordinary caching. Static files never reach this
    middleware: WhiteNoise answers them first.

    It reads the user ``AuthenticationMiddleware`` puts on the request, once the response comes
    back; placed outside the session, CSRF and common middleware, it covers their answers too
    (a refused CSRF token, the redirect that appends a slash).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            response["Cache-Control"] = "no-store"
            # For HTTP/1.0 caches, which know no Cache-Control.
            response["Pragma"] = "no-cache"
        return response
