"""Fixtures several agreements test modules share.

``cast`` serves breaches and information requests (and the jurisdiction tests), ``scene`` the
signed copies (``test_documents.py``, ``test_documents_views.py``; ``test_signing.py`` has a
``scene`` of its own), ``agreement`` the signature and version reads (``test_signing.py``,
``test_versions.py``), ``manager`` the drafting and lifecycle services, ``chased`` the reminders to sign
(``test_signature_reminders.py``, ``test_signature_reminders_views.py``).
"""

import datetime

import pytest

from agreements.models import Agreement, ContactRole, Party, PartyStatus, Status
from agreements.services import agreement_version_create, party_contact_add, signature_record_paper
from partners.models import Role
from tests.factories import (
    AgreementFactory,
    ContactFactory,
    LegalGatewayFactory,
    MembershipFactory,
    OrganisationFactory,
    PartyFactory,
    PurposeFactory,
    SectionFactory,
    UserFactory,
)

from .helpers.documents import TITLE, Scene


@pytest.fixture
def cast(roles):
    """The standard cast, its agreement in force since 2020, with the people notices reach."""
    Agreement.objects.filter(pk=roles.agreement.pk).update(effective_date=datetime.date(2020, 1, 1))
    roles.agreement.refresh_from_db()
    roles.spoc_contact = ContactFactory(organisation=roles.partner, user=roles.spoc, name="Sam Example")
    roles.manager_contact = ContactFactory(
        organisation=roles.owner, user=roles.governance_manager, name="Robin Example",
    )
    return roles


@pytest.fixture
def ready_draft(roles):
    """The cast's draft with what it needs to go for signature, and the lawful basis it needs to
    come into force: a purpose, a section, a gateway and a UK GDPR Article 6 basis."""
    draft = roles.draft
    PurposeFactory(agreement=draft)
    SectionFactory(agreement=draft, number="1", heading="Purpose")
    draft.gateways.add(LegalGatewayFactory(), LegalGatewayFactory(art6=True))
    return draft


@pytest.fixture
def manager(roles):
    return roles.governance_manager


@pytest.fixture
def scene() -> Scene:
    """Borsetshire's agreement out for signature, version 1.0; owner and police both invited."""
    owner = OrganisationFactory(name="Borsetshire County Council")
    partner = OrganisationFactory(name="Borsetshire Police")
    agreement = AgreementFactory(title=TITLE, reference="BCSP ISA", owner=owner, status=Status.AWAITING_SIGNATURES)
    SectionFactory(agreement=agreement, number="1", heading="Purpose", body="To reduce crime.")
    owner_party = PartyFactory(agreement=agreement, organisation=owner)
    party = PartyFactory(agreement=agreement, organisation=partner)
    version = agreement_version_create(agreement=agreement, label="1.0")
    signatory = UserFactory(first_name="Jo", last_name="Example")
    MembershipFactory(user=signatory, organisation=partner, role=Role.LEAD_SIGNATORY)
    # A party cannot sign without a SPOC (issue 13): Borsetshire Police has one.
    MembershipFactory(user=UserFactory(first_name="Sam", last_name="Spoc"), organisation=partner, role=Role.SPOC)
    reader = UserFactory()
    MembershipFactory(user=reader, organisation=partner, role=Role.PRACTITIONER)
    return Scene(agreement, owner_party, party, version, signatory, reader)


@pytest.fixture
def chased(roles):
    """The cast's agreement out for signature, version 1.0: the owner has signed it; the partner
    has not, and has a lead signatory who signs in and a named SPOC."""
    Agreement.objects.filter(pk=roles.agreement.pk).update(status=Status.AWAITING_SIGNATURES)
    Party.objects.filter(pk=roles.partner_party.pk).update(status=PartyStatus.INVITED, joined_on=None)
    roles.agreement.refresh_from_db()
    roles.partner_party.refresh_from_db()
    roles.version = agreement_version_create(agreement=roles.agreement, label="1.0")
    signature_record_paper(party=roles.owner_party, version=roles.version, signatory_name="Kit Manager",
                           signed_on=datetime.date(2026, 6, 1))
    roles.signatory_contact = ContactFactory(
        organisation=roles.partner, user=roles.lead_signatory, name="Jo Example", email="jo@police.example",
    )
    roles.spoc_contact = ContactFactory(organisation=roles.partner, name="Riley Example", email="riley@police.example")
    party_contact_add(party=roles.partner_party, contact=roles.spoc_contact, role=ContactRole.SPOC)
    roles.governance_manager.first_name, roles.governance_manager.last_name = "Kit", "Manager"
    roles.governance_manager.save()
    return roles


@pytest.fixture
def client_gm(client, roles, sign_in):
    """A test client signed in as the cast's governance manager (at the owner)."""
    return sign_in(client, roles.governance_manager)
