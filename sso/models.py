"""Single sign-on through each organisation's own OpenID Connect provider (issue 17, item 1;
docs/decisions/0060).

One provider per organisation, found by the domain of the e-mail address a person types. Its
client secret is never stored: the row names the environment variable that holds it.
"""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django_otp.models import Device
from simple_history.models import HistoricalRecords

from partners.models import Organisation, Role

# RFC 8176 authentication method references that mean more than one factor was used.
DEFAULT_MFA_AMR = "mfa otp hwk sms"
_DOMAIN = RegexValidator(
    r"^([a-z0-9]([a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$",
    "Enter e-mail domains like council.gov.uk, separated by spaces.",
)


def domains_of(text: str) -> list[str]:
    return [d for d in text.lower().replace(",", " ").split() if d]


class IdentityProvider(models.Model):
    """An organisation's identity provider (Microsoft Entra ID, NHSmail, ...), set up by a portal
    administrator in the Django admin."""

    organisation = models.OneToOneField(Organisation, on_delete=models.PROTECT, related_name="identity_provider")
    email_domains = models.CharField(
        max_length=500, help_text="The e-mail domains of the organisation's people, separated by spaces: "
                                  "a person who types an address at one of them signs in here.",
    )
    issuer = models.URLField(help_text="The provider's issuer; its discovery document is read from "
                                       "ISSUER/.well-known/openid-configuration.")
    client_id = models.CharField(max_length=255)
    client_secret_variable = models.CharField(
        max_length=100,
        validators=[RegexValidator(r"^[A-Z][A-Z0-9_]*$", "Enter an environment variable's name, like SSO_SECRET_NHS.")],
        help_text="The name of the environment variable that holds the client secret (the secret is not "
                  "kept in the database).",
    )
    mfa_amr_values = models.CharField(
        "amr values that mean multi-factor", max_length=200, blank=True, default=DEFAULT_MFA_AMR,
        help_text="Separated by spaces. The portal's own security code is skipped when the ID token's amr "
                  "holds one of them.",
    )
    mfa_acr_values = models.CharField(
        "acr values that mean multi-factor", max_length=500, blank=True,
        help_text="Separated by spaces. The portal's own security code is skipped when the ID token's acr "
                  "is one of them.",
    )
    contact_role = models.CharField(
        max_length=32, choices=Role.choices, default=Role.PRACTITIONER,
        help_text="The role of a directory contact of the organisation who signs in for the first time "
                  "without an invitation.",
    )
    sign_out_at_provider = models.BooleanField(
        "Sign out at the provider too", default=False,
        help_text="When on, a person who signed in here and signs out of ISA Portal is then signed out at the "
                  "provider too (OpenID Connect RP-initiated logout). Off by default: at Microsoft Entra ID it "
                  "also signs them out of Microsoft 365. Register the portal's signed-out page, "
                  "https://PORTAL/sign-out/done/, with the provider as the client's post-logout redirect URI.",
    )
    enabled = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["organisation__name"]

    def __str__(self) -> str:
        return f"Identity provider of {self.organisation}"

    @property
    def domains(self) -> list[str]:
        return domains_of(self.email_domains)

    @property
    def client_secret(self) -> str:
        return os.environ.get(self.client_secret_variable, "")

    def asserts_mfa(self, claims: dict) -> bool:
        """Whether the ID token says the person used more than one factor."""
        amr = claims.get("amr") or []
        if isinstance(amr, str):
            amr = [amr]
        if set(self.mfa_amr_values.split()) & {str(value) for value in amr}:
            return True
        acr = claims.get("acr")
        return bool(acr) and str(acr) in self.mfa_acr_values.split()

    def clean(self):
        self.email_domains = " ".join(domains_of(self.email_domains))
        if not self.email_domains:
            raise ValidationError({"email_domains": "Enter at least one e-mail domain."})
        for domain in self.domains:
            _DOMAIN(domain)
        taken = {
            domain for other in IdentityProvider.objects.exclude(pk=self.pk).only("email_domains")
            for domain in other.domains
        } & set(self.domains)
        if taken:
            raise ValidationError({"email_domains": f"Another organisation's provider has {', '.join(sorted(taken))}."})


class ExternalIdentity(models.Model):
    """A person's account at a provider (its ``sub``), linked to their portal login at first sign-in."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.PROTECT, related_name="identities")
    subject = models.CharField(max_length=255)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="external_identities")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["provider", "subject"], name="sso_identity_unique_subject")]

    def __str__(self) -> str:
        return f"{self.user} at {self.provider}"


class ProviderDevice(Device):
    """The second factor a provider vouched for (``amr``/``acr``): a django-otp device, so that the
    session is verified exactly as a TOTP one is, and says which provider verified it. It checks
    no code of its own."""

    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="+")

    def verify_token(self, token) -> bool:
        return False


class SecondFactor(models.TextChoices):
    PROVIDER = "provider", "Multi-factor at the identity provider"
    PORTAL = "portal", "The portal's own security code"


class ProviderSignIn(models.Model):
    """That a person signed in through their organisation's provider, and how their second factor
    was met. Ids and the provider's own words (``amr``, ``acr``) only."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey(IdentityProvider, on_delete=models.CASCADE, related_name="sign_ins")
    signed_in_at = models.DateTimeField(auto_now_add=True)
    second_factor = models.CharField(max_length=10, choices=SecondFactor.choices)
    amr = models.CharField(max_length=200, blank=True)
    acr = models.CharField(max_length=200, blank=True)
    account_created = models.BooleanField(default=False)

    class Meta:
        ordering = ["-signed_in_at", "-pk"]

    def __str__(self) -> str:
        return f"Sign-in of {self.user} through {self.provider}"
