"""The sub-navigation between an agreement's pages.

    {% load agreement_pages %}
    {% agreement_sub_navigation agreement "agreements:history" %}
    {% agreement_sub_navigation agreement "agreements:detail" manages=manages %}

The drafting tasks and the status page are linked only for those who may manage the agreement;
a page that knows already (``can_manage``) says so with ``manages``, and it is not asked again.
"""

from django import template
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ..permissions import can_manage

register = template.Library()

# (route name, link text, shown only to those who may manage the agreement)
AGREEMENT_PAGES = [
    ("agreements:detail", _("Agreement"), False),
    ("agreements:tasks", _("Drafting tasks"), True),
    ("agreements:status", _("Status"), True),
    ("agreements:parties", _("Parties"), False),
    ("agreements:signatures", _("Signatures"), False),
    ("agreements:versions", _("Versions"), False),
    ("agreements:reviews", _("Reviews"), False),
    ("agreements:history", _("History"), False),
]


def agreement_pages(user, agreement, current: str, managing: bool | None = None) -> list[dict]:
    """``[{"text", "href", "current"}]`` for the pages of ``agreement`` that ``user`` may open;
    ``current`` is the route name of the page being shown; ``managing``, ``can_manage`` when the
    page has asked it already (or ``None``: asked here if needed)."""
    items = []
    for name, text, managers_only in AGREEMENT_PAGES:
        if managers_only:
            if managing is None:
                managing = can_manage(user, agreement)
            if not managing:
                continue
        items.append({"text": text, "href": reverse(name, args=[agreement.pk]), "current": name == current})
    return items


@register.inclusion_tag("agreements/includes/sub_navigation.html", takes_context=True)
def agreement_sub_navigation(context, agreement, current: str, manages: bool | None = None) -> dict:
    return {"items": agreement_pages(context["request"].user, agreement, current, manages)}
