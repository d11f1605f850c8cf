"""Memberships are the one source of truth for what a person may do: every save and delete of one,
whatever made it (a portal page, the Django admin, an import, the shell), re-derives its person's
grants at once (``partners.permissions.grants_sync``).

The house style keeps writes out of signals. This receiver writes no record of its own: it only
brings the derived grants (groups, staff flag) into line with the membership just written, which
no service can do for a membership the Django admin or the shell wrote (docs/decisions/0018).
A fixture load (``raw``) is left to ``manage.py check``, which reports the drift, and
``manage.py grants_sync``, which repairs it.

The same doors end sessions at once (docs/decisions/0021): a membership removed, moved to someone
else or changed to another role ends every session of the person who held it, and so does a login
deactivated or given a new password, whether by a reset link, the Django admin, ``changepassword``
or the shell (no service writes these but ``person_roles_set``'s deactivation).
"""

from django.contrib.auth import get_user_model
from django.db.models.signals import post_delete, post_save, pre_save
from django.dispatch import receiver

from .models import Membership
from .permissions import grants_sync, memberships_written
from .sessions import sessions_end

User = get_user_model()


def _sync(user_id) -> None:
    # A membership is deleted with its person too (CASCADE): then there is nobody left to sync.
    user = get_user_model()._default_manager.filter(pk=user_id).first()
    if user is not None:
        grants_sync(user)


@receiver(pre_save, sender=Membership)
def membership_saving(sender, instance, raw=False, **kwargs):
    """Remember whose membership this was and what it was, should the save move or change it."""
    instance._previous = (
        None if raw or instance.pk is None
        else sender._default_manager.filter(pk=instance.pk).values_list("user_id", "organisation_id", "role").first()
    )


@receiver(post_save, sender=Membership)
def membership_saved(sender, instance, raw=False, **kwargs):
    memberships_written()
    if raw:
        return
    _sync(instance.user_id)
    previous = getattr(instance, "_previous", None)
    if previous is not None and previous != (instance.user_id, instance.organisation_id, instance.role):
        previous_user_id = previous[0]
        if previous_user_id != instance.user_id:
            _sync(previous_user_id)
        sessions_end(user=previous_user_id)


@receiver(post_delete, sender=Membership)
def membership_deleted(sender, instance, **kwargs):
    memberships_written()
    _sync(instance.user_id)
    sessions_end(user=instance.user_id)


@receiver(pre_save, sender=User)
def login_saving(sender, instance, raw=False, update_fields=None, **kwargs):
    """Remember whether the save deactivates the login or changes its password."""
    instance._ends_sessions = False
    if raw or instance.pk is None or (update_fields is not None and not {"is_active", "password"} & set(update_fields)):
        return
    before = sender._default_manager.filter(pk=instance.pk).values_list("is_active", "password").first()
    if before is not None:
        was_active, password = before
        instance._ends_sessions = (was_active and not instance.is_active) or password != instance.password


@receiver(post_save, sender=User)
def login_saved(sender, instance, raw=False, **kwargs):
    if getattr(instance, "_ends_sessions", False):
        instance._ends_sessions = False
        sessions_end(user=instance)
