"""Removing a membership ends its person's sessions at once."""

from django.contrib.auth import logout

from .permissions import memberships_keep, roles_held

SESSION_KEY = "_partners_memberships"


def memberships_held(user, memberships=None) -> list[str]:
    """``user``'s memberships (or ``memberships``, theirs already read) as a session keeps them:
    sorted ``organisation:role`` strings."""
    held = roles_held(user) if memberships is None else memberships
    return sorted(f"{organisation_id}:{role}" for organisation_id, role in held)


def remember_memberships(sender, request, user, **kwargs):
    """On sign-in (``user_logged_in``): the memberships the new session begins with."""
    request.session[SESSION_KEY] = memberships_held(user)


class MembershipSessionMiddleware:
    """Signs out a person who has lost a membership (an organisation, or a role in one) since
    their session began, at their next request, however the membership was removed.

    The session keeps the memberships its person held, as ``organisation:role``, from sign-in
    (``remember_memberships``; a session from before has them kept at its first request); a
    request that finds one of them gone ends the session, and the sign-in page follows. A
    membership gained is simply added. One indexed query per signed-in request, whose answer the
    request's permission checks then share (``partners.permissions.memberships_keep``). Runs after
    Django's and django-otp's authentication middleware and before
    ``VerifiedLoginRequiredMiddleware``.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            held = memberships_held(user, memberships_keep(user))
            began_with = request.session.get(SESSION_KEY)
            if began_with is not None and not set(began_with) <= set(held):
                logout(request)
            elif began_with != held:
                request.session[SESSION_KEY] = held
        return self.get_response(request)
