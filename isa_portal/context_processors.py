from django.urls import reverse


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
    ]
    for item in items:
        item["active"] = path == item["href"] if item["href"] == "/" else path.startswith(item["href"])
    return {"nav_items": items}
