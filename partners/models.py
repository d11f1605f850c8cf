"""Organisations that share information, the people at them, and who may sign in for whom."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history import register as register_history
from simple_history.models import HistoricalRecords


class Sector(models.TextChoices):
    DISTRICT_COUNCIL = "district_council", "District council"
    COUNTY_COUNCIL = "county_council", "County council"
    UNITARY_COUNCIL = "unitary_council", "Unitary, metropolitan or London borough council"
    POLICE = "police", "Police"
    FIRE_RESCUE = "fire_rescue", "Fire and rescue"
    NHS = "nhs", "NHS trust or integrated care board"
    PROBATION = "probation", "Probation"
    HOUSING = "housing", "Registered social landlord"
    EDUCATION = "education", "School, academy or college"
    VOLUNTARY = "voluntary", "Voluntary or support agency"
    OTHER = "other", "Other"


# Sectors whose bodies are public authorities (FOIA 2000 Sch 1, as DPA 2018 s7 reads it): they
# may not rely on legitimate interests, UK GDPR Art 6(1)(f), for their tasks (its last paragraph).
# Registered social landlords and voluntary agencies are not; "other" is not assumed to be.
PUBLIC_AUTHORITY_SECTORS = frozenset({
    Sector.DISTRICT_COUNCIL, Sector.COUNTY_COUNCIL, Sector.UNITARY_COUNCIL, Sector.POLICE,
    Sector.FIRE_RESCUE, Sector.NHS, Sector.PROBATION, Sector.EDUCATION,
})
# Sectors whose bodies are competent authorities for law enforcement (DPA 2018 s30 and Sch 7):
# their sharing for law-enforcement purposes may rest on DPA 2018 Part 3.
COMPETENT_AUTHORITY_SECTORS = frozenset({Sector.POLICE, Sector.PROBATION})


class Role(models.TextChoices):
    """What a signed-in user does for an organisation. A user may hold several."""

    PRACTITIONER = "practitioner", _("Practitioner")
    SPOC = "spoc", _("Single point of contact (SPOC)")
    GOVERNANCE_MANAGER = "governance_manager", _("Governance manager")
    LEAD_SIGNATORY = "lead_signatory", _("Lead signatory")
    AUDITOR = "auditor", _("Auditor")
    ADMIN = "admin", _("Portal administrator")


# The ICO's data protection fee register numbers: "Z" and 7 digits (the older series, for example
# Z5813762), or "Z", a series letter and 6 digits (ZA123456, ZB123456; the ICO moves to the next
# letter when a series is used up, so a later letter is accepted rather than a genuine new number
# refused). Spaces are taken out and letters capitalised before the check (partners.forms).
ICO_REGISTRATION_NUMBER = re.compile(r"^(Z[0-9]{7}|Z[A-Z][0-9]{6})$")
ICO_REGISTRATION_NUMBER_FORMAT = _("Enter an ICO registration number in the correct format, like ZA123456.")


def validate_ico_registration_number(value: str) -> None:
    if value and not ICO_REGISTRATION_NUMBER.match(value):
        raise ValidationError(ICO_REGISTRATION_NUMBER_FORMAT, code="ico_registration_number")


# NHS Organisation Data Service (ODS) codes: 3 to 5 capital letters and digits for an
# organisation or site (for example RGT, RGT01, 00L, X26, 8HV48 for a charity); spaces are taken out
# and letters capitalised before the check (partners.forms). Decision 0063.
ODS_CODE = re.compile(r"^[A-Z0-9]{3,5}$")
ODS_CODE_FORMAT = _("Enter an ODS code in the correct format: 3 to 5 letters and numbers, like RGT or 8HV48.")


def validate_ods_code(value: str) -> None:
    if value and not ODS_CODE.match(value):
        raise ValidationError(ODS_CODE_FORMAT, code="ods_code")


class DsptStatus(models.TextChoices):
    """The Data Security and Protection Toolkit's published statuses (NHS England, DSPT v6+, from
    2024-25 against the Cyber Assessment Framework; the older "Standards met" wording kept)."""

    # English labels, as the DSPT publishes them and the directory's import reads them; pages show
    # them in the reader's language (partners.forms.DSPT_STATUS_LABELS, decision 0058).
    EXCEEDED = "exceeded", "Standards exceeded"
    MET = "met", "Standards met"
    APPROACHING = "approaching", "Approaching standards"
    NOT_MET = "not_met", "Standards not met"
    NOT_PUBLISHED = "not_published", "Not published"


# A DSPT assessment is published once a year; one published more than 12 months ago has lapsed
# (decision 0063: a rolling 12 months from the publication date, not the 30 June deadline).
DSPT_VALID_MONTHS = 12


class OrganisationQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ceased_on__isnull=True)


class Organisation(models.Model):
    """A partner: a public body, landlord, school or charity that may be party to agreements."""

    name = models.CharField(max_length=255, unique=True)
    sector = models.CharField(max_length=32, choices=Sector.choices)
    address = models.TextField(blank=True)
    phone = models.CharField("main phone", max_length=40, blank=True)
    ico_registration_number = models.CharField(
        "ICO registration number", max_length=20, blank=True, validators=[validate_ico_registration_number],
        help_text="Data protection fee registration, for example ZA123456.",
    )
    ico_renewal_date = models.DateField(_("ICO registration renewal date"), null=True, blank=True)
    ods_code = models.CharField(
        _("ODS code"), max_length=5, blank=True, validators=[validate_ods_code],
        help_text="NHS Organisation Data Service code, for example RGT.",
    )
    dspt_status = models.CharField(_("DSPT status"), max_length=16, choices=DsptStatus.choices, blank=True)
    dspt_published_on = models.DateField(_("DSPT publication date"), null=True, blank=True)
    ceased_on = models.DateField(
        null=True, blank=True,
        help_text="When the body was abolished or merged (for example a PCT or CCG).",
    )
    successor = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="predecessors",
    )
    note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    objects = OrganisationQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(successor=F("pk")), name="organisation_not_own_successor",
            ),
            models.CheckConstraint(
                condition=Q(successor__isnull=True) | Q(ceased_on__isnull=False),
                name="organisation_successor_only_when_ceased",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("partners:organisation_detail", args=[self.pk])

    @property
    def has_ceased(self) -> bool:
        return self.ceased_on is not None

    @property
    def is_public_authority(self) -> bool:
        return self.sector in PUBLIC_AUTHORITY_SECTORS

    @property
    def is_competent_authority(self) -> bool:
        return self.sector in COMPETENT_AUTHORITY_SECTORS


class OrganisationUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Organisation, on_delete=models.CASCADE)


class OrganisationGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Organisation, on_delete=models.CASCADE)


class Contact(models.Model):
    """A person at an organisation, as the directory shows them (SPOC, signatory, DPO…).

    A contact need not have a login; ``user`` links the two when they do.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="contacts")
    name = models.CharField(max_length=200)
    job_title = models.CharField(max_length=200, blank=True)
    email = models.EmailField(blank=True)
    phone = models.CharField(max_length=40, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="contact",
    )
    details_confirmed_on = models.DateField(
        null=True, blank=True, help_text="When this person last confirmed their details are current.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"], condition=~Q(email=""),
                name="contact_unique_email_per_organisation",
                violation_error_message="Someone at this organisation already has that e-mail address.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}, {self.job_title}" if self.job_title else self.name


class Membership(models.Model):
    """A user acting for an organisation in one role. Permissions flow from memberships."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships",
    )
    role = models.CharField(max_length=32, choices=Role.choices)
    # A case system's account (an API client): nobody signs in as it, and it is managed with its
    # token, not on the People page.
    service_account = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"], name="membership_unique_role",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} – {self.get_role_display()} – {self.organisation}"


class Notification(models.Model):
    """Something a person was told: shown in the portal and, when they have an address, e-mailed.

    ``event_key`` names the event for reminders that must never be sent twice (the scheduler);
    one person gets one notification per key.
    """

    recipient = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="notifications")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True, help_text="A path in the portal.")
    event_key = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)
    # A reminder of the daily run: e-mailed with the person's other reminders of the run in one
    # digest (``notification_digests_send``), not on its own (docs/decisions/0039).
    in_digest = models.BooleanField(default=False)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "event_key"], condition=~Q(event_key=""),
                name="notification_once_per_event",
            ),
        ]
        # The daily run asks which of its events anyone was told of already, by key (issue 15).
        indexes = [models.Index(fields=["event_key"], name="notification_event_key")]

    def __str__(self) -> str:
        return f"{self.subject} → {self.recipient.name}"


def nobody_to_tell(organisation) -> str:
    """What the portal says of a notice the rules require that reached nobody at ``organisation``."""
    return f"not delivered: {organisation} has nobody to tell"


class UndeliveredNoticeQuerySet(models.QuerySet):
    def open(self):
        return self.filter(delivered_at__isnull=True)


class UndeliveredNotice(models.Model):
    """A notice the rules require (a partner joining, a withdrawal, a breach, an escalation, a
    correction) that reached nobody at ``organisation``: it has no contact with an e-mail address
    and nobody who signs in for it. Shown where it was triggered (``url``) and on "What's due"
    until someone is on record and the notice is delivered (``delivered_at``).

    ``responsible_organisation`` is the one whose people must put it right (the agreement's
    owner); the body is kept so the notice can be sent as it was once someone is there to read it.
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="undelivered_notices")
    responsible_organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
    )
    subject = models.CharField(max_length=200)
    body = models.TextField()
    url = models.CharField(max_length=500, blank=True, help_text="The page where the notice was triggered.")
    event_key = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    objects = UndeliveredNoticeQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "event_key"], name="undelivered_notice_once_per_event"),
        ]
        indexes = [models.Index(fields=["event_key"], name="undelivered_notice_event_key")]

    def __str__(self) -> str:
        return f"{self.subject}: {self.message}"

    @property
    def message(self) -> str:
        return nobody_to_tell(self.organisation)


class Invitation(models.Model):
    """Someone asked to join the portal for an organisation, in one role, by a single-use link.

    Only a hash of the link's secret is kept. The link works once, until ``expires_at``, unless
    withdrawn; accepting it makes the person's login and membership (``user``).
    """

    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="invitations")
    name = models.CharField(max_length=200)
    email = models.EmailField()
    role = models.CharField(max_length=32, choices=Role.choices)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    purpose = models.CharField(
        max_length=500, blank=True,
        help_text="What they are asked to join for, as the e-mail and the join page say it after "
                  "\"as <role>\": e.g. \"to take part in <agreement>, which <organisation> leads\".",
    )
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="invitations",
    )

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-sent_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True, user__isnull=True)
                | Q(accepted_at__isnull=False, user__isnull=False, withdrawn_at__isnull=True),
                name="invitation_accepted_with_its_login",
            ),
            models.UniqueConstraint(
                fields=["organisation", "email"], condition=Q(accepted_at__isnull=True, withdrawn_at__isnull=True),
                name="invitation_one_open_per_email",
                violation_error_message="This person has an invitation already: resend it instead.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.email}) – {self.get_role_display()} – {self.organisation}"

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.withdrawn_at is None


class AuthenticatorReset(models.Model):
    """A person's authenticator app and backup codes withdrawn by someone who manages their
    organisation's people, with a single-use link (only its hash kept) to enrol a new one. The
    person proves who they are with their password; the manager never sees a secret."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="authenticator_resets")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"Authenticator reset for {self.user} by {self.requested_by}"


class SignedInSession(models.Model):
    """A session a person signed in with (``partners.sessions``), so that every session of theirs
    can be ended at once: deactivated, a membership removed, the password changed or the
    authenticator reset (docs/decisions/0021). Not audited: it holds no decision, only a key."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="signed_in_sessions")
    session_key = models.CharField(max_length=40, unique=True)
    signed_in_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-signed_in_at", "-pk"]

    def __str__(self) -> str:
        return f"Session of {self.user} since {self.signed_in_at:%Y-%m-%d %H:%M}"


# The audit trail of authenticators: when a person's app or backup codes were added, confirmed or
# withdrawn, and by whom (django-otp's own models, registered with simple-history here). A TOTP
# device's secret key is left out of its history: the trail must not hold a second copy of it.
register_history(TOTPDevice, app="partners", table_name="partners_historicaltotpdevice", excluded_fields=["key"])
register_history(StaticDevice, app="partners", table_name="partners_historicalstaticdevice")


# Access log (issue 12, item 5; docs/decisions/0025) ---------------------------------------------


class AccessKind(models.TextChoices):
    ENTRY_OPENED = "entry_opened", "Sharing log entry opened"
    LOG_EXPORTED = "log_exported", "Sharing log exported"
    AGREEMENT_PDF = "agreement_pdf", "Agreement PDF downloaded"
    SIGNED_COPY = "signed_copy", "Signed copy downloaded"
    SIGNATURE_SCAN = "signature_scan", "Signature scan downloaded"
    RECORD_OF_PROCESSING = "processing_record", "Record of processing downloaded"
    REFUSED = "refused", "Access refused"


class AccessEvent(models.Model):
    """Who opened a case-level record or a document, or was refused one: kept without personal data.

    Only ids: the user's (not a foreign key, so the event outlives the login and never stops its
    deletion), the organisations they belonged to at the time, the object's type and id and the
    organisations it belongs to. The route's name, never its path or query string (a search may
    hold a case reference); the address only as a keyed hash. Organisation ids are kept as
    ``,3,17,`` so that "events of organisation 3" is a portable ``LIKE '%,3,%'``. Written by
    ``partners.access.access_event_record`` alone, read through ``partners.selectors``; deleted
    after ``ACCESS_LOG_RETENTION_DAYS`` by the daily scheduler.
    """

    occurred_at = models.DateTimeField(default=timezone.now, db_index=True)
    kind = models.CharField(max_length=20, choices=AccessKind.choices)
    user_id = models.BigIntegerField(null=True, blank=True, help_text="Empty for an anonymous request.")
    user_organisation_ids = models.CharField(max_length=500, blank=True)
    object_type = models.CharField(max_length=60, blank=True)
    object_id = models.BigIntegerField(null=True, blank=True)
    object_organisation_ids = models.CharField(max_length=200, blank=True)
    url_name = models.CharField(max_length=100, blank=True)
    url_ids = models.JSONField(default=dict, blank=True, help_text="The route's whole-number arguments only.")
    status_code = models.PositiveSmallIntegerField()
    request_id = models.CharField(max_length=64, blank=True)
    address_hash = models.CharField(max_length=32, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.status_code} ({self.url_name or 'no route'})"

    @staticmethod
    def ids_text(ids) -> str:
        """``{3, 17}`` as ``,3,17,``; nothing as ``""``."""
        ids = sorted({int(pk) for pk in ids if pk is not None})
        return f",{','.join(map(str, ids))}," if ids else ""

    @staticmethod
    def ids_from_text(text: str) -> list[int]:
        return [int(pk) for pk in text.strip(",").split(",") if pk]

    @property
    def user_organisations(self) -> list[int]:
        return self.ids_from_text(self.user_organisation_ids)

    @property
    def object_organisations(self) -> list[int]:
        return self.ids_from_text(self.object_organisation_ids)
