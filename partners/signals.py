"""Memberships are the one source of truth for what a person may do: every save and delete of one,
whatever made it (a portal page, the Django admin, an import, the shell), re-derives its person's
grants at once (``partners.permissions.grants_sync``).

The house style keeps writes out of signals. This receiver writes no record of its own: it only
brings the derived grants (groups, staff flag) into line with the membership just written, which
no service can do for a membership the Django admin or the shell wrote (docs/decisions/0018).
A fixture load (``raw``) is left to ``manage.py check``, which reports the drift, and
``manage.py grants_sync``, which repairs it.
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import Membership
from .permissions import grants_sync, memberships_written


def _sync(user_id) -> None:
    # A membership is deleted with its person too (CASCADE): then there is nobody left to sync.
    user = get_user_model()._default_manager.filter(pk=user_id).first()
    if user is not None:
        grants_sync(user)


@receiver(pre_save, sender=Membership)
def membership_saving(sender, instance, raw=False, **kwargs):
    """Remember whose membership this was, should the save move it to another person."""
    instance._previous_user_id = (
        None if raw or instance.pk is None
        else sender._default_manager.filter(pk=instance.pk).values_list("user_id", flat=True).first()
    )


@receiver(post_save, sender=Membership)
def membership_saved(sender, instance, raw=False, **kwargs):
    memberships_written()
    if raw:
        return
    _sync(instance.user_id)
    previous = getattr(instance, "_previous_user_id", None)
    if previous not in (None, instance.user_id):
        _sync(previous)


@receiver(post_delete, sender=Membership)
def membership_deleted(sender, instance, **kwargs):
    memberships_written()
    _sync(instance.user_id)
