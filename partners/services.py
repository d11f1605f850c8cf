"""Writes for organisations, contacts and memberships, invitations and authenticators. Every write is
atomic and validated. The notices (notifications, notices that must reach someone) are in
``partners.notices``, re-exported here."""

import datetime

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import (
    AuthenticatorReset,
    Contact,
    Invitation,
    Membership,
    Organisation,
    Role,
)
from .notices import Message as Message
from .notices import Notice as Notice

# The notices live in ``partners.notices``; callers across the apps import them from here.
from .notices import account_event_tell as account_event_tell
from .notices import notice_send as notice_send
from .notices import notices_record as notices_record
from .notices import notification_digests_send as notification_digests_send
from .notices import notification_mark_read as notification_mark_read
from .notices import notification_send as notification_send
from .notices import notifications_send_in_digest as notifications_send_in_digest
from .notices import undelivered_notices_deliver as undelivered_notices_deliver
from .permissions import can_change_organisation, can_grant_role
from .selectors import has_authenticator
from .sessions import sessions_end
from .tasks import authenticator_reset_email, invitation_email, link_secret, task_enqueue_after_commit

User = get_user_model()


@transaction.atomic
def organisation_create(*, name: str, sector: str, **fields) -> Organisation:
    """Add an organisation to the directory (``fields``: address, phone, ICO registration,
    ceased on, successor). Its name must be new to the directory, whatever its case."""
    organisation = Organisation(name=" ".join(name.split()), sector=sector, **fields)
    _clean_organisation(organisation)
    organisation.save()
    return organisation


@transaction.atomic
def contact_create(*, organisation: Organisation, name: str, **fields) -> Contact:
    contact = Contact(organisation=organisation, name=name, **fields)
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_confirm_details(*, contact: Contact, on: datetime.date) -> Contact:
    """The person confirms their directory entry is current (001 §6.5)."""
    contact.details_confirmed_on = on
    contact.save(update_fields=["details_confirmed_on", "updated_at"])
    return contact


@transaction.atomic
def contact_update(
    *, contact: Contact, by_user, name: str, job_title: str = "", email: str = "", phone: str = "",
) -> Contact:
    """Change a person's directory entry: name, job title, e-mail and phone.

    Keeping SPOC and other contact details current is not a substantive change to any
    agreement (001 §6.5): nothing here touches agreements, so no new version is made and no
    signature needs renewing. When the person changes their own entry, that also confirms it
    is current.
    """
    contact.name, contact.job_title, contact.email, contact.phone = name, job_title, email, phone
    update_fields = ["name", "job_title", "email", "phone", "updated_at"]
    if by_user is not None and contact.user_id is not None and contact.user_id == by_user.pk:
        contact.details_confirmed_on = timezone.localdate()
        update_fields.append("details_confirmed_on")
    _clean_contact(contact)
    contact.save(update_fields=update_fields)
    return contact


def _clean_contact(contact: Contact) -> None:
    """``full_clean``, with the one-e-mail-per-organisation rule reported on the e-mail field."""
    try:
        contact.full_clean()
    except ValidationError as error:
        errors = error.message_dict
        general = errors.pop(NON_FIELD_ERRORS, [])
        duplicate = next(
            constraint.violation_error_message for constraint in Contact._meta.constraints
            if constraint.name == "contact_unique_email_per_organisation"
        )
        if duplicate in general:
            general.remove(duplicate)
            errors.setdefault("email", []).append(duplicate)
        if general:
            errors[NON_FIELD_ERRORS] = general
        raise ValidationError(errors) from error


ORGANISATION_FIELDS = (
    "name", "sector", "address", "phone", "ico_registration_number", "ico_renewal_date", "ods_code", "dspt_status",
    "dspt_published_on", "ceased_on", "successor",
)


@transaction.atomic
def organisation_update(*, organisation: Organisation, **changes) -> Organisation:
    """Change an organisation's record: any of ``ORGANISATION_FIELDS`` — its name and sector, its
    ICO registration (002 §4.1–4.2), main phone and address, and when it ceased and which body
    took on its work. The audit trail (its history) keeps what it was."""
    unknown = set(changes) - set(ORGANISATION_FIELDS)
    if unknown:
        raise TypeError(f"organisation_update() cannot change {sorted(unknown)}")
    if "name" in changes:
        changes["name"] = " ".join(changes["name"].split())
    for name, value in changes.items():
        setattr(organisation, name, value)
    _clean_organisation(organisation)
    organisation.save(update_fields=[*changes, "updated_at"])
    return organisation


def _clean_organisation(organisation: Organisation) -> None:
    """``full_clean`` with the directory's own messages: one name per body, whatever its case,
    and a successor only for a body that has ceased, never itself."""
    errors: dict[str, list[str]] = {}
    same_name = Organisation.objects.filter(name__iexact=organisation.name).exclude(pk=organisation.pk)
    if organisation.name and same_name.exists():
        errors["name"] = [f"{same_name.get().name} is already in the directory."]
    if organisation.successor_id is not None:
        if organisation.pk is not None and organisation.successor_id == organisation.pk:
            errors["successor"] = ["An organisation cannot be its own successor."]
        elif organisation.ceased_on is None:
            errors["ceased_on"] = ["Enter the date it ceased, or leave out the organisation that took on its work."]
    try:
        organisation.full_clean(exclude=list(errors) or None)  # what is reported already, once
    except ValidationError as error:
        for field, messages in error.message_dict.items():
            errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def membership_create(*, user, organisation: Organisation, role: str, service_account: bool = False) -> Membership:
    """Let ``user`` act for ``organisation`` in ``role``, with that role's permissions;
    ``service_account`` for a case system's account, which the People page leaves out.

    The permissions follow from the membership itself (``partners.permissions.grants_sync``),
    as they do for one made in the Django admin or the shell.
    """
    membership = Membership(user=user, organisation=organisation, role=role, service_account=service_account)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def membership_delete(*, membership: Membership) -> None:
    """End ``membership``: its permissions go with it, and so do its person's sessions."""
    membership.delete()


# Invitations and authenticators -------------------------------------------------------------

INVITATION_DAYS = 7
BACKUP_CODES = 10


def _issue(invitation: Invitation) -> None:
    """A fresh hash (of a secret nobody sees: the e-mail's task makes the link's) and a new week."""
    _, invitation.token_hash = link_secret()
    now = timezone.now()
    invitation.sent_at, invitation.expires_at = now, now + datetime.timedelta(days=INVITATION_DAYS)


ADMIN_ROLE_REFUSED = "Only a portal administrator can make someone a portal administrator."


@transaction.atomic
def invitation_send(*, organisation: Organisation, name: str, email: str, role: str, by_user,
                    purpose: str = "") -> Invitation:
    """Ask someone to join for ``organisation`` in ``role``: an e-mail with a single-use link,
    saying what for (``purpose``, e.g. the agreement they are invited to take part in), if given."""
    if not can_grant_role(by_user, role):
        raise ValidationError({"role": ADMIN_ROLE_REFUSED})
    email = email.strip().lower()
    if User.objects.filter(Q(email__iexact=email) | Q(username__iexact=email)).exists():
        raise ValidationError({"email": "Someone with this e-mail address has a login already."})
    invitation = Invitation(organisation=organisation, name=" ".join(name.split()), email=email, role=role,
                            invited_by=by_user, purpose=purpose)
    _issue(invitation)
    _clean_invitation(invitation)
    invitation.save()
    task_enqueue_after_commit(invitation_email, invitation.pk)
    return invitation


def _clean_invitation(invitation: Invitation) -> None:
    try:
        invitation.full_clean(exclude=["invited_by", "user"])
    except ValidationError as error:
        errors = error.message_dict
        general = errors.pop(NON_FIELD_ERRORS, [])
        if general:
            errors.setdefault("email", []).extend(general)
        raise ValidationError(errors) from error


def _still_open(invitation: Invitation) -> None:
    if not invitation.is_open:
        raise ValidationError("This invitation was accepted or withdrawn already.")


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by_user) -> Invitation:
    """A new link, valid for another week; the old one stops working."""
    _still_open(invitation)
    _issue(invitation)
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at"])
    task_enqueue_after_commit(invitation_email, invitation.pk)
    return invitation


def invitation_resume(*, invitation: Invitation, password: str):
    """The person who accepted ``invitation`` (``selectors.invitation_resumable``), if
    ``password`` is the one they chose: they go on to set up their authenticator app."""
    user = invitation.user
    if not user.check_password(password):
        raise ValidationError({"password": "Enter the password you chose when you first opened this link."})
    return user


@transaction.atomic
def invitation_withdraw(*, invitation: Invitation, by_user) -> Invitation:
    _still_open(invitation)
    invitation.withdrawn_at = timezone.now()
    invitation.save(update_fields=["withdrawn_at"])
    return invitation


@transaction.atomic
def invitation_accept(*, invitation: Invitation, password: str | None):
    """The invitee's login (their e-mail address is their username), with the password they chose
    (Django's validators), and their membership; their directory entry is linked to it.

    ``password=None``: a person who signs in through their organisation's identity provider
    (``sso.services``) has no portal password at all."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    _still_open(invitation)
    if invitation.expires_at <= timezone.now():
        raise ValidationError("This invitation has expired: ask for a new one.")
    first, _, last = invitation.name.partition(" ")
    user = User(username=invitation.email, email=invitation.email, first_name=first, last_name=last)
    if password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as error:
            raise ValidationError({"password": error.messages}) from error
        user.set_password(password)
    user.save()
    membership_create(user=user, organisation=invitation.organisation, role=invitation.role)
    contact = Contact.objects.filter(organisation=invitation.organisation, email__iexact=invitation.email,
                                     user__isnull=True).first()
    if contact is None:
        contact_create(organisation=invitation.organisation, name=invitation.name, email=invitation.email, user=user)
    else:
        contact.user = user
        contact.save(update_fields=["user", "updated_at"])
    invitation.accepted_at, invitation.user = timezone.now(), user
    invitation.save(update_fields=["accepted_at", "user"])
    return user


@transaction.atomic
def authenticator_begin(*, user) -> TOTPDevice:
    """An authenticator for a person who has none yet, to be confirmed with its first code."""
    if has_authenticator(user):
        raise ValidationError("You have an authenticator app already.")
    return TOTPDevice.objects.filter(user=user, confirmed=False).first() or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=False,
    )


@transaction.atomic
def authenticator_confirm(*, device: TOTPDevice, token: str) -> list[str]:
    """Confirm the authenticator with a code it shows, and make the person's backup codes,
    returned once to be shown once."""
    if not device.verify_token("".join(token.split())):
        raise ValidationError({"token": "Enter the 6-digit code your authenticator app shows now."})
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    backup, _ = StaticDevice.objects.get_or_create(user=device.user, name="Backup codes")
    backup.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODES)]
    for code in codes:
        backup.token_set.create(token=code)
    return codes


@transaction.atomic
def authenticator_reset(*, user, by_user) -> AuthenticatorReset:
    """Withdraw ``user``'s authenticator app and backup codes, end every session of theirs at once,
    and e-mail them a single-use link to enrol a new app."""
    if user == by_user:
        raise ValidationError("You cannot reset your own authenticator app: ask another governance manager.")
    if not user.email:
        raise ValidationError(f"{user.get_full_name() or user} has no e-mail address to send the link to.")
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    sessions_end(user=user)
    _, token_hash = link_secret()  # replaced by the e-mail's task, which makes the link's secret
    reset = AuthenticatorReset.objects.create(
        user=user, requested_by=by_user, token_hash=token_hash,
        expires_at=timezone.now() + datetime.timedelta(days=INVITATION_DAYS),
    )
    task_enqueue_after_commit(authenticator_reset_email, reset.pk)
    return reset


@transaction.atomic
def authenticator_reset_use(*, reset: AuthenticatorReset, password: str):
    """The person proves who they are with their password; the link is then used up."""
    reset = AuthenticatorReset.objects.select_for_update().get(pk=reset.pk)
    if reset.used_at is not None or reset.expires_at <= timezone.now():
        raise ValidationError("This link has been used already or has expired: ask for a new one.")
    if not reset.user.is_active or not reset.user.check_password(password):
        raise ValidationError({"password": "Enter the password of your ISA Portal login."})
    reset.used_at = timezone.now()
    reset.save(update_fields=["used_at"])
    return reset.user


@transaction.atomic
def person_roles_set(*, user, organisation: Organisation, roles: list[str], by_user) -> list[Membership]:
    """``user``'s roles at ``organisation`` become exactly ``roles``: memberships added and ended
    through the services, so grants and sessions follow (decision 0018). With no role left the
    person no longer acts for the organisation; with no membership anywhere their login is closed."""
    if user == by_user:
        raise ValidationError({"roles": "You cannot change your own roles: ask another governance manager."})
    unknown = set(roles) - set(Role.values)
    if unknown:
        raise ValidationError({"roles": "Select roles from the list."})
    held = {m.role: m for m in Membership.objects.filter(user=user, organisation=organisation)}
    if not all(can_grant_role(by_user, role) for role in set(roles) - set(held)):
        raise ValidationError({"roles": ADMIN_ROLE_REFUSED})
    for role in set(held) - set(roles):
        membership_delete(membership=held[role])
    for role in set(roles) - set(held):
        membership_create(user=user, organisation=organisation, role=role)
    if not user.memberships.exists() and user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
    return list(Membership.objects.filter(user=user, organisation=organisation))


@transaction.atomic
def directory_import(*, plans: list[dict], by_user) -> dict[str, int]:
    """Import the rows of a previewed directory (``partners.imports.plan``) that have no
    problems, all or nothing. An organisation already in the directory (same name, any case)
    and a person already at it (same e-mail, or same name) are left as they are, so importing
    the same file twice changes nothing; the row's assurance fields (ODS code, ICO registration,
    DSPT: decision 0063) are what may change of it, through ``organisation_update``. People and
    assurance for an organisation ``by_user`` may not change (``permissions.can_change_organisation``)
    are not added: the row is left out. A row the services refuse raises ``ValidationError`` and
    nothing of the file is saved."""
    counts = {"organisations": 0, "people": 0, "skipped": 0, "assurance": 0}
    for row in plans:
        if row["problems"]:
            counts["skipped"] += 1
            continue
        organisation = Organisation.objects.filter(name__iexact=row["organisation"]).first()
        # Dates wait in the session as ISO text.
        assurance = {field: datetime.date.fromisoformat(value) if field in ("ico_renewal_date", "dspt_published_on")
                     and value else value for field, value in (row.get("assurance") or {}).items()}
        if organisation is not None and (row["people"] or assurance) \
                and not can_change_organisation(by_user, organisation):
            # Its own governance managers keep its contacts (imports.plan says so in the preview).
            counts["skipped"] += 1
            continue
        if organisation is None:
            organisation = organisation_create(name=row["organisation"], sector=row["sector"], **assurance)
            counts["organisations"] += 1
        elif assurance:
            changes = {field: value for field, value in assurance.items() if getattr(organisation, field) != value}
            if changes:
                organisation_update(organisation=organisation, **changes)
                counts["assurance"] += 1
        for person in row["people"]:
            known = Contact.objects.filter(organisation=organisation)
            known = known.filter(email__iexact=person["email"]) if person["email"] else known.filter(
                name__iexact=person["name"])
            if not known.exists():
                contact_create(organisation=organisation, **{k: v for k, v in person.items() if k != "role"})
                counts["people"] += 1
    return counts
