"""Writes for agreements: every change to an agreement, its parties and signatures goes here.

Each service is keyword-only, atomic and validated (``full_clean`` before ``save``).
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from partners.models import Contact, Organisation

from .. import permissions
from ..models import (
    Agreement,
    AgreementVersion,
    DataItem,
    LegalGateway,
    Party,
    PartyContact,
    PartyStatus,
    Purpose,
    Section,
    Signature,
    SignatureMethod,
    Status,
)
from ..selectors import agreement_content, content_hash, latest_version, next_version_label
from .signed_copies import signed_copy_freeze
from .signing import resigning_notify, scan_checked, signature_tell, signing_refusal, version_refusal


@transaction.atomic
def agreement_create(*, title: str, owner: Organisation, **fields) -> Agreement:
    """Create an agreement its owner's members may see and its governance managers manage.

    The owner is not made a party here: add it with ``party_add`` like any other.
    """
    gateways = fields.pop("gateways", [])
    drawn_up_by = fields.pop("drawn_up_by", [])
    agreement = Agreement(title=title, owner=owner, **fields)
    agreement.full_clean()
    agreement.save()
    agreement.gateways.set(gateways)
    agreement.drawn_up_by.set(drawn_up_by)
    permissions.grant_owner(agreement=agreement)
    return agreement


@transaction.atomic
def agreement_purposes_set(*, agreement: Agreement, purposes: list[str]) -> None:
    agreement.purposes.all().delete()
    for position, text in enumerate(purposes, start=1):
        purpose = Purpose(agreement=agreement, position=position, text=text)
        purpose.full_clean()
        purpose.save()


@transaction.atomic
def section_create(*, agreement: Agreement, number: str, heading: str, body: str = "") -> Section:
    position = agreement.sections.count() + 1
    section = Section(agreement=agreement, position=position, number=number, heading=heading, body=body)
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def data_item_create(
    *, agreement: Agreement, provider_label: str, level: str, description: str,
    providers: list[Party] = (),
) -> DataItem:
    position = agreement.data_items.count() + 1
    item = DataItem(
        agreement=agreement, position=position, provider_label=provider_label,
        level=level, description=description,
    )
    item.full_clean()
    item.save()
    item.providers.set(providers)
    return item


@transaction.atomic
def party_add(
    *, agreement: Agreement, organisation: Organisation, status: str = PartyStatus.INVITED,
    invited_on: datetime.date | None = None, **fields,
) -> Party:
    """Add ``organisation`` to ``agreement`` and give its members sight of the agreement."""
    party = Party(
        agreement=agreement, organisation=organisation, status=status,
        invited_on=invited_on or timezone.localdate(), **fields,
    )
    party.full_clean()
    party.save()
    permissions.grant_party(party=party)
    return party


@transaction.atomic
def party_contact_add(*, party: Party, contact: Contact, role: str) -> PartyContact:
    if contact.organisation_id != party.organisation_id:
        raise ValidationError(
            {"contact": f"{contact.name} works for {contact.organisation}, not {party.organisation}."}
        )
    party_contact = PartyContact(party=party, contact=contact, role=role)
    party_contact.full_clean()
    party_contact.save()
    return party_contact


@transaction.atomic
def agreement_version_create(
    *, agreement: Agreement, label: str, by_user=None, substantive: bool = True, change_summary: str = "",
) -> AgreementVersion:
    """Freeze the agreement's current substance as a numbered version with its content hash."""
    content = agreement_content(agreement)
    number = (agreement.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = AgreementVersion(
        agreement=agreement, number=number, label=label, content=content,
        content_hash=content_hash(content), substantive=substantive,
        change_summary=change_summary, created_by=by_user,
    )
    version.full_clean()
    version.save()
    if agreement.version != label:
        agreement.version = label
        agreement.save(update_fields=["version", "updated_at"])
    return version


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
    signed_copy_freeze(version=version)  # only when this was the last signature needed
    return signature


@transaction.atomic
def gateway_save(*, key: str, **fields) -> LegalGateway:
    """Create or update one entry of the legal gateway catalogue (reference data)."""
    gateway = LegalGateway.objects.filter(key=key).first() or LegalGateway(key=key)
    for name, value in fields.items():
        setattr(gateway, name, value)
    gateway.full_clean()
    gateway.save()
    return gateway


# Statuses in which the agreement has a signed or signable version that a change must not
# silently alter.
VERSIONED_STATUSES = (Status.AWAITING_SIGNATURES, Status.IN_FORCE, Status.UNDER_REVIEW)


@transaction.atomic
def agreement_substance_changed(*, agreement: Agreement, by_user, summary: str = "") -> AgreementVersion | None:
    """Every service that changes an agreement's substance calls this after its write.

    Before the agreement goes for signature nothing happens: drafts have no versions. After,
    a change whose content differs from the latest version is a substantive change (DOMAIN.md
    rule 5): if nobody has signed the latest version yet it is re-frozen with the new text;
    otherwise a new version is made, and every signature on an older version needs re-signing:
    the lead signatory of each party so signed is told (``signing.resigning_notify``).
    Changes to SPOC or contact details never reach here (001 §6.5).
    """
    if agreement.status not in VERSIONED_STATUSES:
        return None
    latest = latest_version(agreement)
    content = agreement_content(agreement)
    digest = content_hash(content)
    if latest is not None and latest.content_hash == digest:
        return None
    if latest is not None and not latest.signatures.exists():
        latest.content, latest.content_hash = content, digest
        latest.change_summary = "\n".join(filter(None, [latest.change_summary, summary]))
        latest.full_clean()
        latest.save()
        return latest
    version = agreement_version_create(
        agreement=agreement, label=next_version_label(agreement), by_user=by_user,
        substantive=True, change_summary=summary,
    )
    resigning_notify(version=version)
    return version
