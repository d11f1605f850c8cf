"""Reads of the parties to agreements and the people who act for them."""

from django.db.models import F, Prefetch, Q, QuerySet

from partners.models import Contact, Organisation, Role
from partners.permissions import objects_granted
from partners.selectors import contacts_reachable

from ..models import Agreement, ContactRole, Party, PartyContact
from ..permissions import PARTNER_STATUSES
from .drafting import agreements_visible_to


def agreement_parties(agreement: Agreement) -> QuerySet[Party]:
    contacts = PartyContact.objects.select_related("contact")
    return agreement.parties.select_related("organisation").prefetch_related(
        Prefetch("contacts", queryset=contacts), "signatures",
    )


def parties_user_may_sign(user) -> QuerySet[Party]:
    if not user.is_authenticated:
        return Party.objects.none()
    return objects_granted(user, "agreements.sign_party", Party).filter(
        agreement__in=agreements_visible_to(user),
    ).select_related("agreement", "organisation")


# Roles whose holders at an organisation are told when it is invited, and stand in for a party
# that has named no SPOC yet.
ORGANISATION_CONTACT_ROLES = (Role.SPOC, Role.GOVERNANCE_MANAGER)


def organisations_invitable(agreement: Agreement) -> QuerySet[Organisation]:
    """Organisations that may be invited to ``agreement``: not yet parties, and still in being."""
    return Organisation.objects.active().exclude(parties__agreement=agreement).order_by("name")


def organisations_ceased_with_successor(agreement: Agreement) -> QuerySet[Organisation]:
    """Bodies that no longer exist (a PCT, a CCG) and are not parties, each with its successor,
    so the invitation page can point to whom to invite instead."""
    return (
        Organisation.objects.filter(ceased_on__isnull=False, successor__isnull=False)
        .exclude(parties__agreement=agreement).select_related("successor").order_by("name")
    )


def organisation_contacts(organisation: Organisation) -> QuerySet[Contact]:
    """The people who act for ``organisation`` in the portal as its SPOC or governance manager."""
    return Contact.objects.filter(
        organisation=organisation, user__memberships__organisation=organisation,
        user__memberships__role__in=ORGANISATION_CONTACT_ROLES,
    ).distinct()



def organisations_contacts(organisation_ids) -> dict[int, list[Contact]]:
    """``organisation_contacts`` of each of ``organisation_ids``, by organisation id (those with
    nobody left out), in one query for them all (the daily run, issue 15)."""
    people: dict[int, list[Contact]] = {}
    for contact in Contact.objects.filter(
        organisation_id__in=organisation_ids, user__memberships__organisation=F("organisation"),
        user__memberships__role__in=ORGANISATION_CONTACT_ROLES,
    ).distinct().order_by("organisation_id", "pk"):
        people.setdefault(contact.organisation_id, []).append(contact)
    return people

def party_spocs(parties) -> list[Contact]:
    """The SPOCs of ``parties``: those each party has named for the agreement or, for a party
    that has named none yet, the people who act for its organisation (``organisation_contacts``)."""
    people: dict[int, Contact] = {}
    for party in parties:
        spocs = list(Contact.objects.filter(party_roles__party=party, party_roles__role=ContactRole.SPOC))
        for contact in spocs or organisation_contacts(party.organisation):
            people[contact.pk] = contact
    return list(people.values())


def party_recipients(parties) -> list[tuple[Organisation, list[Contact]]]:
    """Whom a notice reaches at each of ``parties`` (for ``partners.services.notice_send``): the
    SPOCs the party named who can be reached, or else the people who act for its organisation
    in the portal (``organisation_contacts``); an empty list where there is nobody."""
    recipients = []
    for party in parties:
        named = Contact.objects.filter(party_roles__party=party, party_roles__role=ContactRole.SPOC)
        people = contacts_reachable(named, party.organisation) or list(organisation_contacts(party.organisation))
        recipients.append((party.organisation, people))
    return recipients


def governance_manager_contacts(organisation: Organisation) -> QuerySet[Contact]:
    """The directory entries of ``organisation``'s governance managers who use the portal."""
    return Contact.objects.filter(
        user__memberships__organisation=organisation,
        user__memberships__role=Role.GOVERNANCE_MANAGER,
    ).distinct()


def party_lead_signatory_contacts(party: Party) -> QuerySet[Contact]:
    """Who signs for ``party``: the lead signatory it named, and its organisation's members
    in the lead signatory role."""
    return Contact.objects.filter(
        Q(party_roles__party=party, party_roles__role=ContactRole.LEAD_SIGNATORY)
        | Q(user__memberships__organisation=party.organisation_id,
            user__memberships__role=Role.LEAD_SIGNATORY)
    ).distinct()


def dpo_reviewer_contacts(party: Party) -> list[Contact]:
    """Whom to ask for ``party``'s DPO review (decision 0062): the DPOs it names for the agreement,
    or, with none named, its organisation's governance managers who use the portal."""
    named = [link.contact for link in party.contacts.filter(role=ContactRole.DPO).select_related("contact")]
    return named or list(governance_manager_contacts(party.organisation))


def partner_party(agreement: Agreement, organisation: Organisation) -> Party | None:
    """``organisation``'s place in ``agreement``, if it is or was a partner."""
    return agreement.parties.filter(organisation=organisation, status__in=PARTNER_STATUSES).first()


def party_rows_filtered(
    rows: list[Party], *, search: str = "", status: str = "", status_field: str = "status",
) -> list[Party]:
    """The parties in ``rows`` whose organisation's name contains
    ``search`` (ignoring case and extra spaces) and whose ``status_field`` is ``status``; an empty
    filter keeps every row. Applied to the rows already read, so the page's counts stay whole."""
    search = " ".join(search.split()).casefold()

    def kept(row) -> bool:
        if search and search not in row.organisation.name.casefold():
            return False
        return not status or getattr(row, status_field) == status

    return [row for row in rows if kept(row)]


def party_invitation_purpose(agreement: Agreement) -> str:
    """What a party's first person is invited to join the portal for, as the invitation e-mail
    and the join page say it after "as <role>": the agreement, and who leads it."""
    return f"to take part in {agreement.quoted}, which {agreement.owner} leads"
