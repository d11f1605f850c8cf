"""A designated manager's authorisation of overriding a refusal of consent, or of sharing
confidential information without consent (002 §4.6–4.7; DOMAIN.md rule 2).

The entry names the manager chosen from its disclosing party's designated managers
(``OverrideAuthorisation``, written with the entry); the manager confirms it in the portal
(``OverrideConfirmation``, written later). Both are rows of their own, never an update of the
entry: the log is append-only (docs/decisions/0023), and so are these two tables.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse

from partners.models import Contact

from .disclosures import Disclosure


class OverrideAuthorisation(models.Model):
    """The designated manager an entry names as having authorised its override."""

    disclosure = models.OneToOneField(Disclosure, on_delete=models.PROTECT, related_name="override_authorisation")
    designated_manager = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="+")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]

    def __str__(self) -> str:
        return f"Override of entry {self.disclosure_id} authorised by {self.designated_manager.name}"

    def get_absolute_url(self) -> str:
        return reverse("sharing_log:override_confirm", args=[self.pk])


class OverrideConfirmation(models.Model):
    """The designated manager's own confirmation, in the portal, that they authorised it."""

    authorisation = models.OneToOneField(
        OverrideAuthorisation, on_delete=models.PROTECT, related_name="confirmation",
    )
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField()

    class Meta:
        ordering = ["-confirmed_at", "-pk"]

    def __str__(self) -> str:
        return f"Override of entry {self.authorisation.disclosure_id} confirmed"
