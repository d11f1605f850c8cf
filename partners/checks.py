"""``manage.py check``: memberships and the grants derived from them must agree.

A membership saved or deleted through the ORM keeps them in line (``partners.signals``); a bulk
update, a fixture load or raw SQL does not, and a person would then hold more, or less, than their
memberships say. This check finds every such person; ``manage.py grants_sync`` repairs them.
"""

from django.contrib.auth import get_user_model
from django.core.checks import Error, register
from django.db import DatabaseError, connection

from .models import Membership
from .permissions import grants_expected, is_derived_group

SHOWN = 10


def grants_drift() -> list[str]:
    """One line per person whose groups or staff flag differ from their memberships."""
    User = get_user_model()
    memberships: dict[int, list] = {}
    for membership in Membership.objects.only("user_id", "organisation_id", "role"):
        memberships.setdefault(membership.user_id, []).append(membership)
    held: dict[int, set[str]] = {}
    for user_id, name in User.groups.through.objects.values_list("user_id", "group__name"):
        if is_derived_group(name):
            held.setdefault(user_id, set()).add(name)
    people = User._default_manager.filter(pk__in=set(memberships) | set(held)) | User._default_manager.filter(
        is_staff=True, is_superuser=False,
    )
    lines = []
    for user in people.distinct().order_by("username"):
        names, admin = grants_expected(memberships.get(user.pk, []))
        have = held.get(user.pk, set())
        problems = [f"lacks {name}" for name in sorted(names - have)]
        problems += [f"holds {name} with no membership for it" for name in sorted(have - names)]
        if not user.is_superuser and user.is_staff != admin:
            problems.append("is staff without an admin membership" if user.is_staff else "is not staff")
        if problems:
            lines.append(f"{user.get_username()}: {'; '.join(problems)}")
    return lines


def counted_people(count: int) -> str:
    return "1 person" if count == 1 else f"{count} people"


@register()
def grants_drift_check(app_configs, **kwargs):
    try:
        if Membership._meta.db_table not in connection.introspection.table_names():
            return []  # not migrated yet: nothing to compare
        lines = grants_drift()
    except DatabaseError:
        return []  # no database to read (yet): the other checks still run
    if not lines:
        return []
    shown = "\n  ".join(lines[:SHOWN]) + (f"\n  … and {len(lines) - SHOWN} more" if len(lines) > SHOWN else "")
    return [Error(
        f"Grants differ from memberships for {counted_people(len(lines))}:\n  {shown}",
        hint="Memberships are the source of truth: run `manage.py grants_sync` to bring the grants into line.",
        id="partners.E001",
    )]
