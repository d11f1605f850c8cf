from django.urls import reverse

from agreements.permissions import can_read_breaches, can_read_requests
from partners.selectors import notifications_for
from sharing_log.permissions import can_read_log


def navigation(request):
    """The service navigation: what the signed-in user may reach."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    items = [
        {"text": "Home", "href": reverse("home")},
        {"text": "Agreements", "href": reverse("agreements:list")},
        {"text": "Partners", "href": reverse("partners:organisation_list")},
        {"text": _notifications_text(user), "href": reverse("notifications")},
    ]
    if can_read_log(user):
        items.insert(3, {"text": "Sharing log", "href": reverse("sharing_log:list")})
    # Before Notifications, which stays last.
    if can_read_breaches(user):
        items.insert(-1, {"text": "Breaches", "href": reverse("breaches:list")})
    if can_read_requests(user):
        items.insert(-1, {"text": "Requests", "href": reverse("requests:list")})
    items.insert(1, {"text": "What's due", "href": reverse("due")})
    for item in items:
        item["active"] = path == item["href"] if item["href"] == "/" else path.startswith(item["href"])
    return {"nav_items": items}


def _notifications_text(user) -> str:
    """The navigation's label, with the number unread: one COUNT query a page."""
    unread = notifications_for(user).filter(read_at__isnull=True).count()
    return f"Notifications ({unread} unread)" if unread else "Notifications"
