"""What a withdrawn partner did with what it holds under the agreement (001 §3.5): returned,
destroyed, or retained with its reason. Asked of the partner once its withdrawal takes effect,
shown on the agreement's parties page and on "What's due" until answered."""

from django.conf import settings
from django.db import models
from django.db.models import Q

from .parties import Party


class HoldingsOutcome(models.TextChoices):
    RETURNED = "returned", "Returned to the partners who shared it"
    DESTROYED = "destroyed", "Destroyed"
    RETAINED = "retained", "Retained"


class WithdrawalHoldings(models.Model):
    """A withdrawn party's confirmation of what it did with the information it received."""

    party = models.OneToOneField(Party, on_delete=models.CASCADE, related_name="holdings")
    outcome = models.CharField(max_length=12, choices=HoldingsOutcome.choices)
    retained_reason = models.TextField(blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField()

    class Meta:
        verbose_name_plural = "withdrawal holdings"
        constraints = [
            models.CheckConstraint(
                condition=~Q(outcome=HoldingsOutcome.RETAINED) | ~Q(retained_reason=""),
                name="withdrawal_holdings_retained_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.party.organisation}: {self.get_outcome_display().lower()}"
