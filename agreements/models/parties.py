"""The parties to an agreement, the people each names for it, and the data each provides."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from partners.models import Contact, Organisation

from .drafting import Agreement, DataLevel


class PartyStatus(models.TextChoices):
    INVITED = "invited", _("Invited")
    AWAITING_DETAILS = "awaiting_details", _("Awaiting details")
    AWAIT_CASE = "await_case", _("Await appropriate case before signing")
    SIGNED = "signed", _("Signed")
    DECLINED = "declined", _("Declined")
    WITHDRAWAL_NOTIFIED = "withdrawal_notified", _("Withdrawal notified")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Parties no longer taking part in an agreement: they are not told of it, consulted, reviewed with
# or chased.
NOT_TAKING_PART = (PartyStatus.DECLINED, PartyStatus.WITHDRAWN)


class PartyQuerySet(models.QuerySet):
    def in_force(self, *, on):
        """Parties that may receive a disclosure on ``on``: signed, not yet withdrawn, and whose
        organisation still existed (an abolished body, such as a PCT, receives nothing new)."""
        return self.filter(
            Q(status=PartyStatus.SIGNED)
            | Q(status=PartyStatus.WITHDRAWAL_NOTIFIED, withdrawal_effective_on__gt=on)
        ).in_being(on=on)

    def in_being(self, *, on):
        """Parties whose organisation still existed on ``on``: an abolished body is neither sent
        anything nor chased to sign."""
        return self.filter(Q(organisation__ceased_on__isnull=True) | Q(organisation__ceased_on__gt=on))


class Party(models.Model):
    """An organisation's place in an agreement."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="parties")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="parties")
    status = models.CharField(max_length=24, choices=PartyStatus.choices, default=PartyStatus.INVITED)
    board_member = models.BooleanField(
        default=False, help_text="Sits on the partnership's board (001 Appendix 1).",
    )
    invited_on = models.DateField(null=True, blank=True)
    joined_on = models.DateField(null=True, blank=True)
    declined_on = models.DateField(null=True, blank=True)
    withdrawal_notified_on = models.DateField(null=True, blank=True)
    withdrawal_effective_on = models.DateField(null=True, blank=True)
    status_note = models.CharField(
        max_length=255, blank=True, help_text="What the register says, word for word.",
    )
    ecins_user = models.BooleanField(
        null=True, blank=True,
        help_text="Uses ECINS, the partnership's case management system (001 Appendix 1's "
                  "\"ECINS users\" column); blank where the register says nothing.",
    )
    member_of = models.ManyToManyField(
        "self", symmetrical=False, blank=True, related_name="members",
        help_text="The partnerships (themselves parties) through whose membership this party is "
                  "bound, as 004 §3.2–3.4 binds the member organisations of four partnerships.",
    )
    acting_for_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text="Someone of the agreement's owner who acts for this party, which has nobody to "
                  "administer it (decision 0063).",
    )
    acting_for_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = PartyQuerySet.as_manager()

    class Meta:
        ordering = ["agreement", "organisation__name"]
        verbose_name_plural = "parties"
        permissions = [("sign_party", "Can sign the agreement for this party")]
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation"], name="party_unique_organisation"),
            models.CheckConstraint(
                condition=~Q(status__in=[PartyStatus.WITHDRAWAL_NOTIFIED, PartyStatus.WITHDRAWN])
                | (Q(withdrawal_notified_on__isnull=False) & Q(withdrawal_effective_on__isnull=False)),
                name="party_withdrawal_has_dates",
            ),
            models.CheckConstraint(
                condition=Q(acting_for_by__isnull=True, acting_for_since__isnull=True)
                | Q(acting_for_by__isnull=False, acting_for_since__isnull=False),
                name="party_acting_for_has_who_and_when",
            ),
            models.CheckConstraint(
                condition=Q(withdrawal_effective_on__isnull=True)
                | Q(withdrawal_effective_on__gt=F("withdrawal_notified_on")),
                name="party_withdrawal_takes_effect_after_notice",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.agreement}"


class PartyUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Party, on_delete=models.CASCADE)


class PartyGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Party, on_delete=models.CASCADE)


class ContactRole(models.TextChoices):
    SPOC = "spoc", "Single point of contact (SPOC)"
    LEAD_SIGNATORY = "lead_signatory", "Lead signatory"
    CALDICOTT_GUARDIAN = "caldicott_guardian", "Caldicott Guardian"
    DPO = "dpo", "Data protection officer"
    DESIGNATED_MANAGER = "designated_manager", "Designated manager"


class PartyContact(models.Model):
    """A person named by a party for this agreement: its SPOC, lead signatory, DPO…"""

    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="contacts")
    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="party_roles")
    role = models.CharField(max_length=24, choices=ContactRole.choices)

    history = HistoricalRecords()

    class Meta:
        ordering = ["party", "role", "contact__name"]
        constraints = [
            models.UniqueConstraint(fields=["party", "contact", "role"], name="party_contact_unique_role"),
            models.UniqueConstraint(
                fields=["party"], condition=Q(role=ContactRole.LEAD_SIGNATORY),
                name="party_one_lead_signatory",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.contact} – {self.get_role_display()}"


class DataItem(models.Model):
    """What a partner (or group of partners) shares under the agreement (001 §5.5)."""

    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="data_items")
    position = models.PositiveSmallIntegerField(default=0)
    provider_label = models.CharField(max_length=255, help_text="Who provides it, as the agreement says.")
    providers = models.ManyToManyField(Party, blank=True, related_name="data_items")
    level = models.CharField(max_length=12, choices=DataLevel.choices, default=DataLevel.DETAILED)
    description = models.TextField()
    special_category = models.BooleanField(
        default=False,
        help_text="Special category data (UK GDPR Article 9(1)), such as ethnic origin or health.",
    )
    criminal_offence = models.BooleanField(
        default=False,
        help_text="Criminal offence data (UK GDPR Article 10): allegations, offences, proceedings or convictions.",
    )

    history = HistoricalRecords(m2m_fields=[providers])

    class Meta:
        ordering = ["agreement", "position", "pk"]

    def __str__(self) -> str:
        return self.description[:80]
