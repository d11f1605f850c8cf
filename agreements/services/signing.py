"""Signing: a lead signatory signs the exact latest version in the portal; the checks on the
scan of a returned signature form (recorded by ``signature_record_paper``); telling lead
signatories when a new version needs their signature; and a governance manager's reminder to a
party still to sign (``signature_reminder_send``).
"""

import datetime
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govuk_blocks.dates import long_date
from partners.models import Membership, Role
from partners.services import notice_send, notification_send

from .. import permissions, uploads
from ..models import (
    AgreementVersion,
    ContactRole,
    Party,
    PartyStatus,
    Signature,
    SignatureMethod,
    SignatureReminder,
    Status,
)
from ..selectors.parties import (
    dpo_reviewer_contacts,
    governance_manager_contacts,
    party_lead_signatory_contacts,
    party_recipients,
    party_spocs,
)
from ..selectors.signing import CHASED, SIGNABLE, party_signature_state, signatory_job_title
from ..selectors.versions import latest_version
from ..tasks import signed_copy_freeze_enqueue

# The extension and content type a scan is kept under, from what reading it found
# (agreements.uploads). The file's own name and the browser's content type are never trusted.
SCAN_CONTENT_TYPES = {kind.extension: kind.content_type for kind in uploads.KINDS}

SCAN_EMPTY = "The selected file is empty"
SCAN_WRONG_TYPE = uploads.WRONG_TYPE
NOT_SENT_FOR_SIGNATURE = gettext_lazy("This agreement has not been sent for signature yet.")


def scan_too_big_message() -> str:
    megabytes = settings.SIGNATURE_SCAN_MAX_BYTES / (1024 * 1024)
    return f"The selected file must be smaller than {megabytes:g}MB"


def scan_checked(scan, *, field: str = "scan") -> File:
    """``scan`` (an uploaded file) under a name the server makes, or ``ValidationError`` on
    ``field`` saying why not: empty, larger than ``SIGNATURE_SCAN_MAX_BYTES``, or not a PDF, PNG or
    JPEG that reads in full, without active content (``agreements.uploads``). The name is a
    random UUID with the extension of the kind found. A signature's scan, and a DPIA's document."""
    if scan.size == 0:
        raise ValidationError({field: SCAN_EMPTY})
    if scan.size > settings.SIGNATURE_SCAN_MAX_BYTES:
        raise ValidationError({field: scan_too_big_message()})
    scan.seek(0)
    kind = uploads.scan_inspected(scan.read(), field=field)
    scan.seek(0)
    return File(scan, name=f"{uuid.uuid4().hex}.{kind.extension}")


def scan_content_type(signature: Signature) -> str:
    """The content type of a stored scan, from the extension the server gave it."""
    extension = signature.scan.name.rsplit(".", 1)[-1].lower()
    return SCAN_CONTENT_TYPES.get(extension, "application/octet-stream")


def signing_refusal(party: Party) -> str | None:
    """Why nobody may sign for ``party`` now, whatever the version; ``None`` when they may."""
    agreement = party.agreement
    if agreement.status in (Status.DRAFT, Status.CONSULTATION):
        return NOT_SENT_FOR_SIGNATURE
    if agreement.status == Status.ENDED:
        return _("This agreement has ended and can no longer be signed.")
    if agreement.status == Status.SUPERSEDED:
        return _("This agreement has been superseded and can no longer be signed.")
    if party.status == PartyStatus.WITHDRAWN:
        return _("%(organisation)s has withdrawn from this agreement and cannot sign it.") % {
            "organisation": party.organisation}
    if party.status == PartyStatus.WITHDRAWAL_NOTIFIED:
        return _("%(organisation)s has given notice of withdrawal from this agreement and cannot sign it.") % {
            "organisation": party.organisation}
    return None


def no_spoc_refusal(party: Party) -> str | None:
    """Why ``party`` may not sign yet for want of a SPOC; ``None`` when it has one. A SPOC is
    someone it names for the agreement, or a member of its organisation in the SPOC role: the
    person every notice under the agreement is sent to (001 §3.4, §3.5)."""
    has_spoc = (
        party.contacts.filter(role=ContactRole.SPOC).exists()
        or Membership.objects.filter(organisation=party.organisation_id, role=Role.SPOC, user__is_active=True).exists()
    )
    if has_spoc:
        return None
    return _(
        "%(organisation)s cannot sign until it has a single point of contact (SPOC) for this "
        "agreement. Name one on the agreement's parties page, then sign."
    ) % {"organisation": party.organisation}


def version_refusal(party: Party, version: AgreementVersion) -> str | None:
    """Why ``party`` may not sign ``version`` in particular; ``None`` when it may."""
    if version.agreement_id != party.agreement_id:
        return _("That version is not a version of this agreement.")
    if party.signatures.filter(version=version).exists():
        return _("%(organisation)s has already signed version %(label)s.") % {
            "organisation": party.organisation, "label": version.label}
    return None


def dpo_refusal(party: Party, version: AgreementVersion) -> str | None:
    """Why ``party``'s lead signatory may not sign ``version`` for want of its DPO's review
    (decision 0062); ``None`` when the agreement asks for none, or the latest review of this
    version, on its present content hash, found it content to sign."""
    from ..selectors.dpo_reviews import DpoStage, dpo_review_counting, dpo_stage

    if not party.agreement.dpo_review_required:
        return None
    stage = dpo_stage(dpo_review_counting(party, version), signed=False)
    if stage == DpoStage.READY:
        return None
    if stage == DpoStage.CHANGES_NEEDED:
        return _(
            "%(organisation)s's data protection officer found that version %(label)s needs changes, so "
            "it cannot be signed. Its DPO must find a version content to sign before you sign."
        ) % {"organisation": party.organisation, "label": version.label}
    return _(
        "The DPO review is awaited: %(organisation)s's data protection officer must review version "
        "%(label)s and find it content to sign before you can sign it."
    ) % {"organisation": party.organisation, "label": version.label}


def declaration_text(party: Party, version: AgreementVersion) -> str:
    """What the lead signatory declares (001 Appendix 1's words), kept with the signature."""
    return _(
        "I have read version %(label)s of this agreement and I sign it for %(organisation)s. "
        "I accept responsibility for its execution and agree to ensure that staff are trained so that "
        "requests for information and the process of sharing itself are sufficient to meet the purpose "
        "of this agreement. I will ensure that we comply with all relevant legislation."
    ) % {"label": version.label, "organisation": party.organisation}


def _same_name(typed: str, full_name: str) -> bool:
    return " ".join(typed.split()).casefold() == " ".join(full_name.split()).casefold()


@transaction.atomic
def signature_sign(
    *, party: Party, version: AgreementVersion, user, typed_name: str, declaration: bool, job_title: str | None = None,
) -> Signature:
    """``user``, a lead signatory of ``party``'s organisation, signs ``version`` in the portal.

    ``job_title`` is the role the signature records, as they give it (the signing page asks,
    offering their directory entry's); when not asked, their directory entry's job title.

    ``version`` is the version the signatory was shown: it must still be the agreement's latest.
    ``declaration`` is whether they confirmed ``declaration_text``; ``typed_name`` must be their
    own full name. The signature keeps the user, the time and the version's content hash; the
    party is then signed, and the owner's governance managers and the party's SPOCs are told.
    """
    # Locked, so a second tab signing at the same moment waits and then finds the signature.
    party = Party.objects.select_for_update(of=("self",)).select_related("agreement", "organisation").get(pk=party.pk)
    if not permissions.can_sign(user, party):
        raise ValidationError(_("You cannot sign for %(organisation)s: only its lead signatory can.") % {
            "organisation": party.organisation})
    refusal = signing_refusal(party) or no_spoc_refusal(party)
    if refusal:
        raise ValidationError(refusal)
    latest = latest_version(party.agreement)
    if version.agreement_id == party.agreement_id and version.pk != latest.pk:
        raise ValidationError({"version": _(
            "Version %(label)s is no longer the latest version of this agreement. "
            "Read version %(latest)s and sign that instead."
        ) % {"label": version.label, "latest": latest.label}})
    refusal = version_refusal(party, version) or dpo_refusal(party, version)
    if refusal:
        raise ValidationError(refusal)
    full_name = user.get_full_name().strip()
    if not full_name:
        raise ValidationError(_("Your account has no full name. Ask your portal administrator to add it, then sign."))
    problems = {}
    if not declaration:
        problems["declaration"] = _(
            "Confirm that you have read version %(label)s and sign it for %(organisation)s"
        ) % {"label": version.label, "organisation": party.organisation}
    if not typed_name.strip():
        problems["typed_name"] = _("Enter your full name")
    elif not _same_name(typed_name, full_name):
        problems["typed_name"] = _("Enter your full name as it appears on your account: %(name)s") % {
            "name": full_name}
    if job_title is None:  # not asked (imports, the demo): the directory's, as before
        role = signatory_job_title(user) or "Lead signatory"
    elif not (role := job_title.strip()):
        problems["job_title"] = _("Enter your job title")
    if problems:
        raise ValidationError(problems)

    now = timezone.now()
    signature = Signature(
        party=party, version=version, method=SignatureMethod.PORTAL,
        signatory_name=full_name, signatory_role=role,
        signed_by=user, signed_at=now, signed_on=timezone.localdate(now),
        content_hash=version.content_hash, declaration=declaration_text(party, version),
    )
    signature.full_clean()
    signature.save()
    if party.status != PartyStatus.SIGNED or party.joined_on is None:
        party.status = PartyStatus.SIGNED
        party.joined_on = party.joined_on or signature.signed_on
        party.save(update_fields=["status", "joined_on", "updated_at"])
    signature_tell(signature)
    signed_copy_freeze_enqueue(version=version)  # only when this was the last signature needed
    return signature


def _issued_on(version: AgreementVersion) -> datetime.date | None:
    """The day before which nobody can have signed ``version``: the day it was issued, recorded
    for one that predates the portal, or the day someone made it here. None for a version the
    portal made with nobody's hand (the demo's, an import's), whose paper forms were signed before
    the portal held it."""
    return version.issued if version.issued_on is not None or version.created_by_id is not None else None


@transaction.atomic
def signature_record_paper(
    *, party: Party, version: AgreementVersion, signatory_name: str, signatory_role: str = "",
    signed_on: datetime.date | None = None, recorded_by=None, scan=None, note: str = "",
) -> Signature:
    """Record a returned signature form for ``party`` on ``version``; the party is then signed.

    Refused (``ValidationError``, worded for the user) before the agreement goes for signature,
    after it ends, for a withdrawing or withdrawn party, for a version of another agreement or one
    the party has already signed, and for a date signed in the future. ``scan``, an uploaded file,
    must be a PDF, PNG or JPEG by its content and within ``SIGNATURE_SCAN_MAX_BYTES``; it is kept
    under ``MEDIA_ROOT`` with a name the server makes (``signing.scan_checked``). When
    ``recorded_by`` is someone, the owner's governance managers and the party's SPOCs are told.
    """
    refusal = signing_refusal(party) or version_refusal(party, version)
    if refusal:
        raise ValidationError(refusal)
    problems = {}
    if signed_on is not None and signed_on > timezone.localdate():
        problems["signed_on"] = "The date the form was signed must be today or in the past"
    elif signed_on is not None and (issued := _issued_on(version)) is not None and signed_on < issued:
        problems["signed_on"] = (
            f"The date the form was signed cannot be before version {version.label} was issued, "
            f"on {long_date(issued)}"
        )
    if scan is not None:
        try:
            scan = scan_checked(scan)
        except ValidationError as error:
            problems.update(error.message_dict)
    if problems:
        raise ValidationError(problems)
    signature = Signature(
        party=party, version=version, method=SignatureMethod.PAPER,
        signatory_name=signatory_name, signatory_role=signatory_role, signed_on=signed_on,
        content_hash=version.content_hash, recorded_by=recorded_by, note=note,
        acting_for=recorded_by is not None and party.acting_for_by_id is not None,
    )
    if scan is not None:
        signature.scan = scan
    signature.full_clean()
    try:
        signature.save()  # stores the scan first, outside the transaction
        if party.status != PartyStatus.SIGNED:
            party.status = PartyStatus.SIGNED
            party.joined_on = party.joined_on or signed_on
            party.save(update_fields=["status", "joined_on", "updated_at"])
    except Exception:
        # The rows roll back; a stored scan would be left behind with nothing pointing at it.
        if signature.scan:
            signature.scan.storage.delete(signature.scan.name)
        raise
    if recorded_by is not None:  # a form recorded by someone, not the demo or an import
        signature_tell(signature)
    signed_copy_freeze_enqueue(version=version)  # only when this was the last signature needed
    return signature


def signature_tell(signature: Signature) -> None:
    """Tell the owner's governance managers and the party's SPOCs that ``party`` has signed."""
    party, version = signature.party, signature.version
    agreement = party.agreement
    when = f"on {long_date(signature.signed_on)}" if signature.signed_on else "(date not recorded)"
    if agreement.status in (Status.IN_FORCE, Status.UNDER_REVIEW):
        standing = f"{party.organisation} is a signed party to the agreement, which is in force."
    else:
        standing = (
            f"{party.organisation} is a signed party to the agreement. The agreement comes into force "
            "when the owner moves it into force."
        )
    role = f" ({signature.signatory_role})" if signature.signatory_role else ""
    how = "in ISA Portal" if signature.method == SignatureMethod.PORTAL else "on a paper signature form"
    notification_send(
        contacts=[*governance_manager_contacts(agreement.owner), *party_spocs([party])],
        subject=f"{party.organisation} signed {agreement.reference or agreement.title} (version {version.label})",
        body=(
            f"{signature.signatory_name}{role} signed version {version.label} of "
            f"“{agreement.title}” for {party.organisation} {how} {when}.\n\n{standing}\n\n"
            "You do not need to do anything: this message is for your records. The signatures page shows "
            "which partners have still to sign."
        ),
        url=reverse("agreements:signatures", args=[agreement.pk]),
        event_key=f"signature:{signature.pk}", in_digest=True,  # news: the morning's digest (decision 0045)
    )


def resigning_notify(*, version: AgreementVersion) -> None:
    """Tell the lead signatory of every party whose signature is on a version older than
    ``version`` (a new substantive version) that they need to read what changed and sign again."""
    agreement = version.agreement
    parties = (
        agreement.parties.filter(status=PartyStatus.SIGNED, signatures__version__number__lt=version.number)
        .exclude(signatures__version=version).select_related("organisation").distinct()
    )
    for party in parties:
        signed = party.signatures.select_related("version").order_by("-version__number").first().version
        summary = f"\n\nWhat changed, in brief: {version.change_summary}" if version.change_summary else ""
        notification_send(
            contacts=party_lead_signatory_contacts(party),
            subject=f"Please sign version {version.label} of {agreement.reference or agreement.title}",
            body=(
                f"“{agreement.title}” has changed. The change is substantive, so there is a new version, "
                f"{version.label}. You signed version {signed.label} for {party.organisation}, and that "
                f"signature now needs renewing.{summary}\n\n"
                f"Please read what changed between version {signed.label} and version {version.label}, "
                f"then sign version {version.label} for {party.organisation} in ISA Portal as soon as you can. "
                "Until you do, the partnership's records show your organisation's signature as needing "
                "re-signing."
            ),
            url=f"{reverse('agreements:version_diff', args=[agreement.pk, version.number])}?from={signed.number}",
            event_key=f"resign:{agreement.pk}:{version.number}:{party.pk}", in_digest=True,  # decision 0045
        )


def reminder_sent_message(reminder: SignatureReminder) -> str:
    """What the signatures page says instead of the button once a party has been reminded today."""
    return f"A reminder was sent to {reminder.party.organisation} on {long_date(reminder.sent_on)}."


def signature_reminder_event_key(party: Party, on: datetime.date) -> str:
    return f"signature-{party.pk}-reminder-{on:%Y-%m-%d}"


@transaction.atomic
def signature_reminder_send(*, party: Party, sent_by, on: datetime.date | None = None) -> SignatureReminder:
    """Remind ``party``, which has not signed its agreement's latest version, to sign it: its lead
    signatories and SPOCs (or, with no SPOC named, the people who act for its organisation) are
    told through ``notice_send``, so a party with nobody to tell is recorded as an undelivered
    notice (``signature_reminder_event_key``). At most one reminder a party a day: a second is
    refused with ``reminder_sent_message``. The reminder is kept, and shows in the history.
    """
    on = on or timezone.localdate()
    Party.objects.select_for_update().filter(pk=party.pk).first()  # one reminder at a time
    state = party_signature_state(party)
    agreement = party.agreement
    if agreement.status not in SIGNABLE or state.latest_number is None:
        raise ValidationError(NOT_SENT_FOR_SIGNATURE)
    if state.signature_status not in CHASED:
        raise ValidationError(f"{party.organisation} is not waiting to sign version {state.latest_label}.")
    sent = SignatureReminder.objects.filter(party=party, sent_on=on).select_related("party__organisation").first()
    if sent is not None:
        raise ValidationError(reminder_sent_message(sent))
    version = agreement.versions.get(number=state.latest_number)
    # While the party's DPO review is awaited its lead signatory cannot sign (decision 0062,
    # amended): the DPO is reminded instead; a DPO who found changes needed waits for the owner.
    dpo_stage = dpo_stage_before_signing(party, version)
    if dpo_stage == "changes_needed":
        raise ValidationError(_(
            "%(organisation)s's data protection officer found that version %(label)s needs changes, so it "
            "cannot be signed: nobody is reminded until its DPO is content with a version."
        ) % {"organisation": party.organisation, "label": version.label})
    reminder = SignatureReminder(party=party, version=version, sent_by=sent_by, sent_on=on, sent_at=timezone.now())
    reminder._history_user = sent_by
    reminder.save()
    [(organisation, spocs)] = party_recipients([party])
    manager = sent_by.get_full_name() or "The governance manager"
    reference = agreement.reference or agreement.title
    if dpo_stage == "awaited":
        contacts, subject, body, url = (
            dpo_reviewer_contacts(party),
            f"Reminder: {organisation}'s DPO review of {reference} is awaited",
            f"{manager}, who manages “{agreement.title}” for {agreement.owner}, reminds {organisation} that "
            f"its data protection officer's review of version {version.label} is awaited.\n\n"
            "Its DPO reviews it in the portal and records whether it is content to sign. Its lead signatory "
            f"cannot sign version {version.label} until then.",
            reverse("agreements:party_dpo_review", args=[agreement.pk, party.pk]),
        )
    else:
        contacts, subject, body, url = (
            party_lead_signatory_contacts(party),
            f"Reminder: {organisation} has not yet signed {reference}",
            f"{manager}, who manages “{agreement.title}” for {agreement.owner}, reminds {organisation} that "
            f"version {version.label} is waiting for its signature.\n\n"
            "Its lead signatory reads and signs it in the portal. Until then, the partnership's records show "
            f"{organisation} as not having signed version {version.label}.",
            reverse("agreements:signatures", args=[agreement.pk]),
        )
    notice_send(
        recipients=[(organisation, [*contacts, *spocs])], subject=subject, body=body, url=url,
        event_key=signature_reminder_event_key(party, on), responsible_organisation=agreement.owner,
    )
    return reminder


def dpo_stage_before_signing(party: Party, version: AgreementVersion) -> str:
    """"awaited" while ``party``'s DPO has not reviewed ``version`` as it now reads, "changes_needed"
    while the review that counts found changes needed, and "" when its lead signatory may sign
    (no DPO review asked for, or the DPO is content): ``dpo_refusal``'s rule, as a word."""
    from ..selectors.dpo_reviews import DpoStage, dpo_review_counting, dpo_stage

    if not party.agreement.dpo_review_required:
        return ""
    stage = dpo_stage(dpo_review_counting(party, version), signed=False)
    return {DpoStage.AWAITING: "awaited", DpoStage.CHANGES_NEEDED: "changes_needed"}.get(stage, "")
