"""What the sharing log does when something it depends on changes in a lower layer (0017)."""

from django.dispatch import receiver

from agreements.models import Agreement
from agreements.signals import retention_rule_set

from .services.retention_dates import agreement_entries_retention_fill


@receiver(retention_rule_set, sender=Agreement, dispatch_uid="sharing_log_retention_rule_set")
def fill_retention_dates(sender, *, agreement, by_user, **kwargs):
    """An agreement's retention rule was set or changed: its entries without a due date get one."""
    agreement_entries_retention_fill(agreement=agreement, by_user=by_user)
