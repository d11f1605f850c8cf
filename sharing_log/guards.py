"""The application's guard on an entry's legal gateways and Article 9 conditions: they are set when the entry is logged
(``disclosure_log`` marks the entry ``_logging``) and never change after. A guard, not a side
effect; on PostgreSQL a trigger holds the same rule (``sharing_log.database``)."""

from django.db.models.signals import m2m_changed
from django.dispatch import receiver

from .models.disclosures import AppendOnlyError, Disclosure

CHANGES = {"pre_add", "pre_remove", "pre_clear"}


@receiver(m2m_changed, sender=Disclosure.gateways.through, dispatch_uid="sharing_log_gateways_guard")
def refuse_gateway_changes(sender, instance, action, reverse, **kwargs):
    if action not in CHANGES:
        return
    if reverse or not getattr(instance, "_logging", False):
        raise AppendOnlyError("The legal gateways of a logged entry cannot change: record an amendment instead.")


@receiver(m2m_changed, sender=Disclosure.art9_conditions.through, dispatch_uid="sharing_log_art9_conditions_guard")
def refuse_art9_condition_changes(sender, instance, action, reverse, **kwargs):
    if action not in CHANGES:
        return
    if reverse or not getattr(instance, "_logging", False):
        raise AppendOnlyError(
            "The Article 9 conditions of a logged entry cannot change: record an amendment instead.",
        )
