from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext as _

from agreements.permissions import can_read_breaches, can_read_requests
from partners.selectors import notifications_for
from sharing_log.permissions import can_read_log

from .reports.permissions import can_read_reports


def navigation(request):
    """The service navigation: what the signed-in user may reach."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    unread = _unread(user)
    # No "Home": the service name in the header links home, and the menu must fit one row at
    # 1280 px (decision 0044).
    items = [
        {"text": _("Agreements"), "href": reverse("agreements:list")},
        {"text": _("Partners"), "href": reverse("partners:organisation_list")},
        # The menu shows "Notifications (26)", "unread" visually hidden, to fit one row (decision 0057).
        {"text": _notifications_text(user, unread), "href": reverse("notifications"), "unread": unread},
    ]
    # Before Notifications, which stays last.
    if can_read_log(user):
        items.insert(-1, {"text": _("Sharing log"), "href": reverse("sharing_log:list")})
    if can_read_breaches(user):
        items.insert(-1, {"text": _("Breaches"), "href": reverse("breaches:list")})
    if can_read_requests(user):
        items.insert(-1, {"text": _("Requests"), "href": reverse("requests:list")})
    if can_read_reports(user):
        items.insert(-1, {"text": _("Reports"), "href": reverse("reports:dashboard")})
    items.insert(0, {"text": _("What's due"), "href": reverse("due")})
    for item in items:
        item["active"] = path.startswith(item["href"])
    return {"nav_items": items}


def _unread(user) -> int:
    """The number of the person's notifications unread: one COUNT query a page."""
    return notifications_for(user).filter(read_at__isnull=True).count()


def _notifications_text(user, unread: int | None = None) -> str:
    """The navigation's label, with the number unread."""
    unread = _unread(user) if unread is None else unread
    return _("Notifications (%(unread)s unread)") % {"unread": unread} if unread else _("Notifications")


SAFE_LINK_SCHEMES = ("https://", "http://", "mailto:")


def _safe_link(value: str) -> str:
    """A configured address, or "" if it is not a web or mailto address (no javascript: links)."""
    return value if value.lower().startswith(SAFE_LINK_SCHEMES) else ""


def service(request):
    """Who runs the service and what its footer and phase banner say: settings, decision 0038."""
    operator = settings.SERVICE_OPERATOR
    return {
        "service_operator": operator,
        "footer_copyright": settings.FOOTER_COPYRIGHT or f"© {operator}",
        "footer_copyright_url": _safe_link(settings.FOOTER_COPYRIGHT_URL),
        "footer_licence_text": settings.FOOTER_LICENCE_TEXT,
        "footer_licence_url": _safe_link(settings.FOOTER_LICENCE_URL),
        "support_email": settings.SUPPORT_EMAIL,
        "support_phone": settings.SUPPORT_PHONE,
        "feedback_url": _safe_link(settings.FEEDBACK_URL),
        # The language switch names each language in itself ("English | Cymraeg"), whatever the
        # language of the page: settings.LANGUAGES, untranslated (decision 0058).
        "languages": settings.LANGUAGES,
    }
