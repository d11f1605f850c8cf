"""``{% undelivered_notices request.path %}``: the notices triggered on this page that reached nobody."""

from django import template

from ..selectors import undelivered_notices_at

register = template.Library()


@register.inclusion_tag("partners/includes/undelivered_notices.html")
def undelivered_notices(path: str):
    return {"notices": list(undelivered_notices_at(path))}
