"""The standard cast of the permission tests: who works where, in what role, and what exists.

Organisations (all fictional)
-----------------------------
- ``owner``: Borsetshire County Council, owner of the agreements below.
- ``partner``: Borsetshire Police, a signed party to the owner's agreement in force, and
  *invited* to the owner's draft, so its members hold a grant on the draft that the draft rule
  must still hide.
- ``unrelated_organisation``: Felpersham Housing Association, party to nothing the others are
  party to (``unrelated`` is the subject who works there).
  It owns an agreement of its own, to which it is the only party.
- ``host``: Borsetshire Shared Services, which runs the portal; party to nothing. Its
  administrator's powers come from the admin role alone, not from belonging to an owner or party.

Subjects (``SUBJECTS``) and where they work
------------------------------------------
- ``practitioner``: practitioner at the owner.
- ``spoc``: SPOC at the partner — the partner's single point of contact, who logs what the
  partner shares with the owner.
- ``governance_manager``: governance manager at the owner — drafts and manages its agreements.
- ``lead_signatory``: lead signatory at the partner — signs the partner's place in the
  agreement, which the owner's governance manager may not.
- ``auditor``: auditor at the partner — any partner may audit the protocol (002 §5.7).
- ``admin``: portal administrator at the host.
- ``unrelated``: governance manager at the unrelated organisation: the strongest role that
  should still see nothing of the others.
- ``anonymous``: nobody signed in (``None``).

So owner members (practitioner, governance_manager) and partner members (spoc, lead_signatory,
auditor) are both present, and the draft tells them apart.

Objects
-------
- ``agreement``: the owner's agreement in force, with a purpose and a section; parties: the
  owner (signed) and the partner (signed) — ``owner_party`` and ``partner_party``.
- ``draft``: the owner's draft; parties: the owner (invited), the partner (invited).
- ``unrelated_agreement``: the unrelated organisation's agreement in force; its only party is
  itself (signed).
- ``disclosure`` (made on first use): a sharing log entry under ``agreement`` — the partner's
  SPOC shared with the owner. ``disclosure_to_partner`` (made on first use): the owner's
  practitioner shared with the partner, so the partner's SPOC may acknowledge it. Made lazily
  so that casts which never ask hold no entry (an entry protects its agreement's purposes).

Extending
---------
A new subject: add it to ``SUBJECTS`` and ``MEMBERSHIPS`` and a field to ``Cast``; the matrix then
refuses every row that does not say what the new subject gets. A new object: add a field to
``Cast`` and build it in ``build_cast``. A one-off user: ``cast.member(cast.partner, Role.SPOC)``.
"""

import datetime
from dataclasses import dataclass
from functools import cached_property

from django.utils import timezone

from agreements.models import Agreement, ContactRole, Party, PartyContact, PartyStatus, Status
from partners.models import Organisation, Role, Sector

from .factories import (
    AgreementFactory,
    ContactFactory,
    DisclosureFactory,
    MembershipFactory,
    OrganisationFactory,
    PartyFactory,
    PurposeFactory,
    SectionFactory,
    UserFactory,
)

SUBJECTS = (
    "anonymous", "practitioner", "spoc", "governance_manager", "lead_signatory", "auditor",
    "admin", "unrelated",
)

# subject -> (organisation field of Cast, role)
MEMBERSHIPS = {
    "practitioner": ("owner", Role.PRACTITIONER),
    "spoc": ("partner", Role.SPOC),
    "governance_manager": ("owner", Role.GOVERNANCE_MANAGER),
    "lead_signatory": ("partner", Role.LEAD_SIGNATORY),
    "auditor": ("partner", Role.AUDITOR),
    "admin": ("host", Role.ADMIN),
    "unrelated": ("unrelated", Role.GOVERNANCE_MANAGER),
}


@dataclass
class Cast:
    owner: Organisation
    partner: Organisation
    unrelated_organisation: Organisation
    host: Organisation

    agreement: Agreement
    owner_party: Party
    partner_party: Party
    draft: Agreement
    unrelated_agreement: Agreement

    practitioner: object = None
    spoc: object = None
    governance_manager: object = None
    lead_signatory: object = None
    auditor: object = None
    admin: object = None
    unrelated: object = None
    anonymous: None = None

    def subject(self, name: str):
        """The user playing ``name`` (one of ``SUBJECTS``); ``None`` for anonymous."""
        if name not in SUBJECTS:
            raise KeyError(f"{name!r} is not a subject of the cast; see tests.roles.SUBJECTS.")
        return getattr(self, name)

    def member(self, organisation: Organisation, role: str, **user_fields):
        """A further user, a member of ``organisation`` in ``role``."""
        user = UserFactory(**user_fields)
        MembershipFactory(user=user, organisation=organisation, role=role)
        return user

    def name_spocs(self) -> None:
        """Name a SPOC (a directory entry of the organisation) for every party of the cast's
        agreements, as a partnership in use would have: tests of "What's due" that are not about
        a party with no SPOC then see none (``isa_portal.due.agreements.spocs_to_name``)."""
        for party in Party.objects.filter(agreement__in=[self.agreement, self.unrelated_agreement]):
            contact = ContactFactory(organisation=party.organisation, name=f"SPOC of {party.organisation}")
            PartyContact.objects.create(party=party, contact=contact, role=ContactRole.SPOC)

    @cached_property
    def disclosure(self):
        """Sharing log entry: the partner's SPOC shared with the owner under ``agreement``."""
        return DisclosureFactory(
            agreement=self.agreement, disclosing_organisation=self.partner,
            recipient_organisation=self.owner, disclosed_by=self.spoc,
        )

    @cached_property
    def disclosure_to_partner(self):
        """Sharing log entry: the owner's practitioner shared with the partner under ``agreement``."""
        return DisclosureFactory(
            agreement=self.agreement, disclosing_organisation=self.owner,
            recipient_organisation=self.partner, disclosed_by=self.practitioner,
        )


def build_cast() -> Cast:
    today = timezone.localdate()
    owner = OrganisationFactory(name="Borsetshire County Council", sector=Sector.COUNTY_COUNCIL)
    partner = OrganisationFactory(name="Borsetshire Police", sector=Sector.POLICE)
    unrelated = OrganisationFactory(name="Felpersham Housing Association", sector=Sector.HOUSING)
    host = OrganisationFactory(name="Borsetshire Shared Services", sector=Sector.OTHER)

    agreement = AgreementFactory(
        title="Borsetshire Community Safety Information Sharing Agreement",
        reference="BCSP ISA", owner=owner, status=Status.IN_FORCE,
        effective_date=today - datetime.timedelta(days=365),
        # Its breach clocks are seed 002 §6's, set by the agreement (none is set by default).
        breach_notify_working_days=5, breach_report_working_days=10,
        breach_meeting_working_days=20, breach_minutes_working_days=5,
    )
    PurposeFactory(agreement=agreement, text="To reduce crime, disorder and anti-social behaviour")
    SectionFactory(agreement=agreement, number="1", heading="Purpose")
    owner_party = PartyFactory(agreement=agreement, organisation=owner, signed=True)
    partner_party = PartyFactory(agreement=agreement, organisation=partner, signed=True)

    draft = AgreementFactory(
        title="Borsetshire Domestic Abuse Protocol", reference="BDAP", owner=owner,
        status=Status.DRAFT,
    )
    PartyFactory(agreement=draft, organisation=owner, status=PartyStatus.INVITED)
    PartyFactory(agreement=draft, organisation=partner, status=PartyStatus.INVITED)

    unrelated_agreement = AgreementFactory(
        title="Felpersham Tenancy Sustainment Agreement", reference="FTSA", owner=unrelated,
        status=Status.IN_FORCE, effective_date=today - datetime.timedelta(days=200),
    )
    PartyFactory(agreement=unrelated_agreement, organisation=unrelated, signed=True)

    organisations = {"owner": owner, "partner": partner, "unrelated": unrelated, "host": host}
    cast = Cast(
        owner=owner, partner=partner, unrelated_organisation=unrelated, host=host,
        agreement=agreement, owner_party=owner_party, partner_party=partner_party,
        draft=draft, unrelated_agreement=unrelated_agreement,
    )
    for subject, (organisation, role) in MEMBERSHIPS.items():
        setattr(cast, subject, cast.member(organisations[organisation], role, username=subject))
    return cast
