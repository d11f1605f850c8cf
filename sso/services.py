"""Signing in through an organisation's identity provider (docs/decisions/0060).

``provider_sign_in`` is given the claims of an ID token that ``sso.oidc`` has verified (signature,
issuer, audience, expiry, nonce) and finds or makes the person's portal login:

1. a person who signed in through this provider before (the same ``sub``);
2. a login with that e-mail address and a membership of the provider's organisation: linked;
3. a pending invitation of the organisation to that address: accepted, with the invitation's role;
4. a directory contact of the organisation with that address and no login: a login with the
   provider's ``contact_role`` (a practitioner unless the administrator chose otherwise).

Anyone else is refused and nothing is written. The address must be at one of the provider's own
domains: a provider vouches for its organisation's people only.
"""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from partners.models import Contact, Invitation, Membership
from partners.services import invitation_accept, membership_create

from .models import ExternalIdentity, IdentityProvider, ProviderDevice, ProviderSignIn, SecondFactor

NOT_KNOWN = gettext_lazy("Your organisation's account is not linked to ISA Portal yet. Ask a governance manager "
                         "of your organisation to invite you, then sign in again.")


class SignInRefused(Exception):
    """Why a person cannot sign in through the provider: shown to them as it is."""


def _words(value) -> str:
    if isinstance(value, list | tuple):
        return " ".join(str(v) for v in value)[:200]
    return str(value or "")[:200]


@transaction.atomic
def provider_sign_in(*, provider: IdentityProvider, claims: dict):
    """The login of the person the verified ``claims`` are about, made on their first sign-in;
    ``SignInRefused`` for anyone the organisation has not invited or listed."""
    subject = str(claims.get("sub") or "")
    if not subject:
        raise SignInRefused(NOT_KNOWN)
    identity = ExternalIdentity.objects.select_related("user").filter(provider=provider, subject=subject).first()
    created = False
    if identity is not None:
        user = identity.user
    else:
        user, created = _first_sign_in(provider, subject, claims)
    if not user.is_active:
        raise SignInRefused(_("Your ISA Portal login has been deactivated. Ask a governance manager of your "
                              "organisation if you still need it."))
    if not Membership.objects.filter(user=user, organisation=provider.organisation, service_account=False).exists():
        raise SignInRefused(NOT_KNOWN)
    ProviderSignIn.objects.create(
        user=user, provider=provider, account_created=created,
        second_factor=SecondFactor.PROVIDER if provider.asserts_mfa(claims) else SecondFactor.PORTAL,
        amr=_words(claims.get("amr")), acr=_words(claims.get("acr")),
    )
    return user


def _first_sign_in(provider: IdentityProvider, subject: str, claims: dict):
    email = str(claims.get("email") or "").strip().lower()
    if not email or claims.get("email_verified") is False:
        raise SignInRefused(_("Your organisation's sign-in did not give ISA Portal a confirmed e-mail address. "
                              "Ask your organisation's IT service desk."))
    if email.rpartition("@")[2] not in provider.domains:
        raise SignInRefused(NOT_KNOWN)
    User = get_user_model()
    organisation = provider.organisation
    created = False
    user = User.objects.filter(Q(username__iexact=email) | Q(email__iexact=email)).order_by("pk").first()
    if user is None:
        invitation = (Invitation.objects.select_for_update()
                      .filter(organisation=organisation, email__iexact=email, accepted_at__isnull=True,
                              withdrawn_at__isnull=True, expires_at__gt=timezone.now())
                      .order_by("-sent_at").first())
        if invitation is not None:
            user, created = invitation_accept(invitation=invitation, password=None), True
        else:
            contact = (Contact.objects.select_for_update()
                       .filter(organisation=organisation, email__iexact=email, user__isnull=True)
                       .order_by("pk").first())
            if contact is None:
                raise SignInRefused(NOT_KNOWN)
            first, _space, last = contact.name.partition(" ")
            user = User(username=email, email=email, first_name=first, last_name=last)
            user.set_unusable_password()
            user.save()
            membership_create(user=user, organisation=organisation, role=provider.contact_role)
            contact.user = user
            contact.save(update_fields=["user", "updated_at"])
            created = True
    elif not Membership.objects.filter(user=user, organisation=organisation, service_account=False).exists():
        raise SignInRefused(NOT_KNOWN)
    ExternalIdentity.objects.create(provider=provider, subject=subject, user=user)
    return user, created


@transaction.atomic
def provider_device(*, user, provider: IdentityProvider) -> ProviderDevice:
    """The device that stands for "the provider checked a second factor" for this person."""
    device, _ = ProviderDevice.objects.get_or_create(
        user=user, provider=provider, defaults={"name": f"{provider.organisation.name} sign-in", "confirmed": True},
    )
    return device
