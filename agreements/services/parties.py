"""Writes for the parties to an agreement: inviting, their standing, contacts, data and withdrawal.

The journeys of 001 §3.4 (a partner joins), §3.5 (a partner withdraws) and §6.5 (contact
details change without a new version). Signing is not here: a party becomes *signed* only
through a signature (``agreements.services.signing`` and ``signature_record_paper``).
"""

import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govuk_blocks.dates import long_date
from partners.models import Contact, Organisation
from partners.selectors import administrators_of
from partners.services import contact_create, directory_import, notice_send, notification_send

from .. import permissions
from ..models import NOT_TAKING_PART, Agreement, ContactRole, DataItem, Party, PartyContact, PartyStatus, Status
from ..selectors.parties import organisation_contacts, party_recipients
from .versions import agreement_substance_changed

# Statuses of an agreement that can take no new partner.
CLOSED = (Status.SUPERSEDED, Status.ENDED)
# Statuses of an agreement a new partner joins rather than helps to draft (001 §3.4).
BINDING = (Status.IN_FORCE, Status.UNDER_REVIEW)

# The standings ``party_record_status`` records, and from which standing each may be reached.
# Signed comes only from a signature; withdrawal only from ``party_withdraw``.
RECORDABLE = (PartyStatus.AWAITING_DETAILS, PartyStatus.AWAIT_CASE, PartyStatus.DECLINED)
STATUS_MOVES: dict[str, tuple[str, ...]] = {
    PartyStatus.INVITED: RECORDABLE,
    PartyStatus.AWAITING_DETAILS: RECORDABLE,
    PartyStatus.AWAIT_CASE: RECORDABLE,
    PartyStatus.DECLINED: RECORDABLE,
    PartyStatus.SIGNED: (),
    PartyStatus.WITHDRAWAL_NOTIFIED: (),
    PartyStatus.WITHDRAWN: (),
}

# A partner may withdraw on at least this much notice (001 §3.5).
WITHDRAWAL_NOTICE = relativedelta(months=1)


def may_record_status(party: Party) -> bool:
    """Whether ``party_record_status`` can change where ``party`` stands at all."""
    return bool(STATUS_MOVES[party.status])


def may_withdraw(party: Party) -> bool:
    """Whether ``party`` is one that may give notice of withdrawal (``party_withdraw``)."""
    return party.status == PartyStatus.SIGNED and party.organisation_id != party.agreement.owner_id


def withdrawal_event_key(party: Party) -> str:
    """The event of telling the partnership that ``party`` gave notice of withdrawal."""
    return f"party-{party.pk}-withdrawal-{party.withdrawal_notified_on:%Y-%m-%d}"


def _parties_url(agreement: Agreement) -> str:
    return reverse("agreements:parties", args=[agreement.pk])


def _other_parties_to_tell(party: Party):
    """Every other party still in the partnership or on its way in: not declined, not gone."""
    return party.agreement.parties.exclude(pk=party.pk).exclude(
        status__in=NOT_TAKING_PART,
    ).select_related("organisation")


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
def party_partnerships_set(*, party: Party, partnerships: list[Party]) -> Party:
    """Record the partnerships ``party`` is bound through as a member (004 §3.2–3.4: the
    protocol binds the member organisations of four partnerships, each itself a party)."""
    for partnership in partnerships:
        if partnership.agreement_id != party.agreement_id:
            raise ValidationError(
                {"member_of": f"{partnership.organisation} is not a party to this agreement."}
            )
        if partnership.pk == party.pk:
            raise ValidationError({"member_of": f"{party.organisation} cannot be a member of itself."})
    party.member_of.set(partnerships)
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


# Inviting -----------------------------------------------------------------------------------


@transaction.atomic
def party_invite(
    *, agreement: Agreement, organisation: Organisation, board_member: bool = False,
    on: datetime.date | None = None,
) -> Party:
    """Invite ``organisation`` to ``agreement`` and tell the people who act for it.

    Inviting to an agreement in force is a partner joining (001 §3.4): every other party's
    SPOC is told at once. The joining partner signs the version in force; the list of parties
    is not part of the agreement's substance, so no new version is made.
    """
    on = on or timezone.localdate()
    if agreement.status in CLOSED:
        raise ValidationError({"organisation": (
            f"This agreement is {agreement.get_status_display().lower()}: "
            "no organisation can be invited to it."
        )})
    if organisation.has_ceased:
        message = f"{organisation} ceased on {long_date(organisation.ceased_on)}"
        message += f": invite {organisation.successor} instead." if organisation.successor_id else "."
        raise ValidationError({"organisation": message})
    if agreement.parties.filter(organisation=organisation).exists():
        raise ValidationError({"organisation": f"{organisation} is already a party to this agreement."})

    party = party_add(
        agreement=agreement, organisation=organisation, invited_on=on, board_member=board_member,
    )
    url = _parties_url(agreement)
    joining = agreement.status in BINDING
    if agreement.status == Status.DRAFT:
        # A draft is seen by its owner alone: there is nothing to read yet, and no link.
        next_steps = (
            "The agreement is still being drafted. You will be able to read it in the portal "
            f"when {agreement.owner} sends it out for consultation or for signature, and you "
            "will then be asked to name your organisation's single point of contact (SPOC) and "
            "lead signatory for it."
        )
    else:
        next_steps = (
            "Please read the agreement in the portal, then name your organisation's single "
            "point of contact (SPOC) and lead signatory for it on the agreement's parties page. "
            f"Your lead signatory will then sign version {agreement.version} for {organisation}."
        )
        if agreement.dpo_review_required:  # decision 0062: a partner joining later does the same
            next_steps += (
                " Before your lead signatory signs, your data protection officer (DPO) reviews that "
                "version in the portal and records that it is content to sign: without that, it "
                "cannot be signed."
            )
    invitation = {
        "subject": f"Invitation to join {agreement.title}",
        "body": (
            f"{agreement.owner} has invited {organisation} to become a party to the information "
            f"sharing agreement {agreement.quoted}"
            + (", which is already in force" if joining else "") + f".\n\n{next_steps}\n\n"
            f"If {organisation} does not wish to join, tell {agreement.owner}'s information "
            "governance team so they can record that it has declined."
        ),
        "url": "" if agreement.status == Status.DRAFT else url, "event_key": f"party-{party.pk}-invited",
    }
    if joining:
        # A partner joining is a notice the rules require (001 §3.4): it must reach someone.
        notice_send(recipients=[(organisation, organisation_contacts(organisation))],
                    responsible_organisation=agreement.owner, in_digest=True, **{**invitation, "url": url})
    else:
        notification_send(contacts=organisation_contacts(organisation), in_digest=True, **invitation)
    if joining:
        notice_send(
            recipients=party_recipients(_other_parties_to_tell(party)), responsible_organisation=agreement.owner,
            in_digest=True,
            subject=f"{organisation} is joining {agreement.title}",
            body=(
                f"{agreement.owner} has invited {organisation} to join the information sharing "
                f"agreement {agreement.quoted}, to which your organisation is a party. You are "
                "told because you are your organisation's single point of contact (SPOC) for "
                "this agreement, and every partner is told when a new partner joins.\n\n"
                f"{organisation} will sign the version in force (version {agreement.version}); "
                "the agreement itself does not change. Until it has signed, do not share "
                f"information with {organisation} under this agreement. You do not need to do "
                "anything else."
            ),
            url=url, event_key=f"party-{party.pk}-joining",
        )
    return party


# Standing -----------------------------------------------------------------------------------


@transaction.atomic
def party_record_status(
    *, party: Party, status: str, on: datetime.date | None = None, note: str | None = None,
) -> Party:
    """Record where ``party`` stands before signing: awaiting details, "await appropriate case
    before signing" (001 Appendix 1), or declined on a date (``on``, by default today).

    ``note`` replaces what the register says about the party, word for word; ``None`` keeps it.
    """
    organisation = party.organisation
    if status not in RECORDABLE:
        raise ValidationError({"status": (
            "Choose awaiting details, await appropriate case before signing, or declined."
        )})
    if status not in STATUS_MOVES[party.status]:
        if party.status == PartyStatus.SIGNED:
            message = (
                f"{organisation} has signed the agreement, so its standing cannot be changed "
                "here. If it is leaving, record its withdrawal."
            )
        else:
            message = (
                f"{organisation} has given notice of withdrawal, so its standing cannot be "
                "changed here."
            )
        raise ValidationError({"status": message})

    party.status = status
    party.declined_on = (on or timezone.localdate()) if status == PartyStatus.DECLINED else None
    if note is not None:
        party.status_note = note
    party.full_clean()
    party.save()
    return party


# Contacts -----------------------------------------------------------------------------------


@transaction.atomic
def party_contact_assign(
    *, party: Party, role: str, contact: Contact | None = None, name: str = "",
    job_title: str = "", email: str = "", phone: str = "",
) -> PartyContact:
    """Name ``contact`` — or a new person at the party's organisation — in ``role`` for ``party``.

    A party has one lead signatory: naming another replaces them. Not a substantive change
    (001 §6.5): no new version, whatever the agreement's status.
    """
    if contact is None:
        contact = contact_create(
            organisation=party.organisation, name=name, job_title=job_title, email=email,
            phone=phone,
        )
    elif party.contacts.filter(contact=contact, role=role).exists():
        label = ContactRole(role).label
        raise ValidationError({"contact": f"{contact.name} is already named as {label} for {party.organisation}."})
    if role == ContactRole.LEAD_SIGNATORY:
        party.contacts.filter(role=ContactRole.LEAD_SIGNATORY).delete()
    return party_contact_add(party=party, contact=contact, role=role)


@transaction.atomic
def party_contact_remove(*, party_contact: PartyContact) -> None:
    """Stop naming a person in a role for a party. Not a substantive change (001 §6.5)."""
    party_contact.delete()


# Data ---------------------------------------------------------------------------------------


@transaction.atomic
def party_data_set(*, party: Party, data_items, by_user) -> None:
    """Record which of the agreement's data items ``party`` provides (001 §5.5).

    What each partner shares is the substance of the agreement: a change is a substantive
    change (``agreement_substance_changed``), which after signature makes a new version.
    """
    chosen = {item.pk: item for item in data_items}
    items = list(DataItem.objects.filter(agreement=party.agreement))
    if set(chosen) - {item.pk for item in items}:
        raise ValidationError({"data_items": "Choose data items from this agreement."})
    added, removed = [], []
    for item in items:
        provides = item.providers.filter(pk=party.pk).exists()
        if item.pk in chosen and not provides:
            item.providers.add(party)
            added.append(item)
        elif item.pk not in chosen and provides:
            item.providers.remove(party)
            removed.append(item)
    if not (added or removed):
        return
    lines = [f"What {party.organisation} provides changed."]
    lines += [f"Now provides: {item.description}" for item in added]
    lines += [f"No longer provides: {item.description}" for item in removed]
    agreement_substance_changed(agreement=party.agreement, by_user=by_user, summary="\n".join(lines))


# Withdrawal ---------------------------------------------------------------------------------


def earliest_withdrawal(notice_given_on: datetime.date) -> datetime.date:
    """One calendar month after notice: the earliest a withdrawal may take effect (001 §3.5)."""
    return notice_given_on + WITHDRAWAL_NOTICE


def _first_signed_on(party: Party) -> datetime.date | None:
    """The day ``party`` first signed a version of its agreement (a paper form's date, or the day
    of an online signature), if any is on record."""
    days = [signature.signed_on or timezone.localdate(signature.signed_at)
            for signature in party.signatures.all() if signature.signed_on or signature.signed_at]
    return min(days, default=None)


@transaction.atomic
def party_withdraw(
    *, party: Party, notice_given_on: datetime.date, effective_on: datetime.date | None = None,
    on: datetime.date | None = None,
) -> Party:
    """Record that ``party`` has given notice to withdraw, and tell every other party's SPOC
    and the withdrawing party itself; a party with nobody to tell is recorded as such
    (``partners.services.notice_send``), never skipped in silence.

    The withdrawal takes effect at least one calendar month after notice (``effective_on``,
    by default exactly one month); ``on`` is today. 001 §3.5 wants the other partners told
    within seven days: the portal tells them at once. From the effective date nothing new may
    be logged to the party (``PartyQuerySet.in_force``); ``holdings.party_withdrawals_complete`` then
    marks it withdrawn.
    """
    on = on or timezone.localdate()
    organisation = party.organisation
    if party.status == PartyStatus.WITHDRAWAL_NOTIFIED:
        raise ValidationError(
            f"{organisation} has already given notice: its withdrawal takes effect on "
            f"{long_date(party.withdrawal_effective_on)}."
        )
    if party.status == PartyStatus.WITHDRAWN:
        raise ValidationError(f"{organisation} has already withdrawn from this agreement.")
    if party.status != PartyStatus.SIGNED:
        raise ValidationError(
            f"{organisation} has not signed the agreement, so it cannot give notice of "
            "withdrawal. If it does not wish to join, record that it has declined."
        )
    if party.organisation_id == party.agreement.owner_id:
        raise ValidationError(
            f"{organisation} owns this agreement, so it cannot withdraw from it. "
            "End the agreement instead."
        )
    if notice_given_on > on:
        raise ValidationError({"notice_given_on": "The date notice was given must be today or in the past."})
    signed_on = _first_signed_on(party)
    if signed_on is not None and notice_given_on < signed_on:
        # The Safe and Well trial (P19): a party "withdrew" a month before it signed.
        raise ValidationError({"notice_given_on": (
            f"The date notice was given must be on or after {long_date(signed_on)}, when {organisation} "
            "signed the agreement."
        )})
    earliest = earliest_withdrawal(notice_given_on)
    effective_on = effective_on or earliest
    if effective_on < earliest:
        raise ValidationError({"effective_on": (
            "The withdrawal must take effect at least one month after notice is given: "
            f"on or after {long_date(earliest)}."
        )})

    party.status = PartyStatus.WITHDRAWAL_NOTIFIED
    party.withdrawal_notified_on = notice_given_on
    party.withdrawal_effective_on = effective_on
    party.full_clean()
    party.save()

    agreement = party.agreement
    subject = f"{organisation} is withdrawing from {agreement.title}"
    url = _parties_url(agreement)
    key = withdrawal_event_key(party)
    notice_send(
        recipients=party_recipients(_other_parties_to_tell(party)), subject=subject, url=url, event_key=key,
        responsible_organisation=agreement.owner,
        body=(
            f"{organisation} gave notice on {long_date(notice_given_on)} that it is withdrawing "
            f"from the information sharing agreement {agreement.quoted}. The withdrawal takes "
            f"effect on {long_date(effective_on)}.\n\n"
            f"Until then the agreement applies as before. From {long_date(effective_on)}, do not "
            f"share information with {organisation} under this agreement: the portal will not "
            "record a disclosure to it.\n\n"
            f"{organisation} stays bound by the agreement for the information it has already "
            "received: it must keep it secure and destroy it, or return it to the partner who "
            "shared it, when it is no longer needed. If your organisation shared information "
            f"with {organisation}, agree with them how it will be destroyed or returned."
        ),
    )
    # The withdrawing party is told too: its notice is on record, and what it must do next.
    notice_send(
        recipients=party_recipients([party]), subject=subject, url=url, event_key=key,
        responsible_organisation=agreement.owner,
        body=(
            # Recorded by the owner or by the party itself (the Safe and Well trial, P20): said of neither.
            f"ISA Portal now records that {organisation} gave notice on "
            f"{long_date(notice_given_on)} that it is withdrawing from the information sharing "
            f"agreement {agreement.quoted}. The withdrawal takes effect on {long_date(effective_on)}; "
            "every other party has been told.\n\n"
            f"{organisation} stays bound by the agreement for the information it has already "
            "received. When the withdrawal takes effect, confirm in the portal what "
            f"{organisation} did with it: returned, destroyed, or retained and why."
        ),
    )
    return party


# What an Appendix 1 "signature form returned" cell says, in the register's words.
FORM_WORDS = {
    "yes": "Signature form returned", "returned": "Signature form returned",
    "no": "Signature form not returned", "not returned": "Signature form not returned",
}


@transaction.atomic
def agreement_parties_import(*, agreement: Agreement, plans: list[dict], by_user) -> dict[str, int]:
    """Import a previewed Appendix 1 (``partners.imports.plan``) into ``agreement``: the directory
    first (``partners.services.directory_import``), then each organisation as a party, "awaiting
    details" where the sheet says so, its lead signatory and SPOC as the party's contacts,
    whether it sits on the board, whether it uses ECINS (blank: not stated), and its "signature
    form returned" cell as the party's note where the cell says yes or no (``FORM_WORDS``). All or nothing; a party or
    contact already there is left as it is, so the same sheet twice changes nothing."""
    counts = {**directory_import(plans=plans, by_user=by_user), "parties": 0, "contacts": 0}
    roles = {"lead_signatory": ContactRole.LEAD_SIGNATORY, "spoc": ContactRole.SPOC}
    for row in plans:
        if row["problems"]:
            continue
        organisation = Organisation.objects.get(name__iexact=row["organisation"])
        party = agreement.parties.filter(organisation=organisation).first()
        if party is None:
            # The register's own words only: "Signature form returned" where its cell says so.
            form = FORM_WORDS.get(row.get("signature_form", "").lower(), "")
            party = party_add(
                agreement=agreement, organisation=organisation, status_note=form,
                board_member=bool(row.get("board_member")), ecins_user=row.get("ecins"),
                status=PartyStatus.AWAITING_DETAILS if row.get("awaiting_details") else PartyStatus.INVITED,
            )
            counts["parties"] += 1
        for person in row["people"]:
            role = roles.get(person.get("role", ""))
            contact = Contact.objects.filter(organisation=organisation, name__iexact=person["name"]).first()
            if role and contact and not party.contacts.filter(contact=contact, role=role).exists():
                party_contact_add(party=party, contact=contact, role=role)
                counts["contacts"] += 1
    return counts


@transaction.atomic
def party_act_for(*, party: Party, by_user) -> Party:
    """Record that ``by_user``, of the agreement's owner, acts for ``party``: a partner with
    nobody to administer it (no governance manager or administrator in the portal, decision
    0063). Who and when are kept on the party (and its history); what is then recorded for it,
    such as a paper signature, says it was recorded acting for it. Refused, worded for the user,
    for the owner's own party, a party already acted for, or one with its own administrators."""
    party = Party.objects.select_for_update().select_related("organisation", "agreement").get(pk=party.pk)
    if party.organisation_id == party.agreement.owner_id:
        raise ValidationError(_("%(organisation)s owns the agreement: it acts for itself.") % {
            "organisation": party.organisation})
    if party.acting_for_by_id is not None:
        raise ValidationError(_("Someone already acts for %(organisation)s.") % {"organisation": party.organisation})
    if administrators_of(party.organisation).exists():
        raise ValidationError(
            _("%(organisation)s has its own governance manager or administrator in the portal: they act for it.")
            % {"organisation": party.organisation}
        )
    party.acting_for_by = by_user
    party.acting_for_since = timezone.now()
    party.save(update_fields=["acting_for_by", "acting_for_since", "updated_at"])
    return party


@transaction.atomic
def party_stop_acting_for(*, party: Party) -> Party:
    """The owner no longer acts for ``party`` (for example once it has its own administrator)."""
    party = Party.objects.select_for_update().get(pk=party.pk)
    if party.acting_for_by_id is None:
        raise ValidationError(_("Nobody acts for this party."))
    party.acting_for_by = None
    party.acting_for_since = None
    party.save(update_fields=["acting_for_by", "acting_for_since", "updated_at"])
    return party
