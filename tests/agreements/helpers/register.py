"""An agreement in force whose people have distinctive names, e-mails, phones and job titles, for
the register's tests (``test_register.py``, ``test_register_views.py``): none may reach it."""

import datetime
from zoneinfo import ZoneInfo

from agreements.models import ContactRole, DataItem, PartyContact, Signature, SignatureMethod, Status
from tests.factories import (
    AgreementFactory,
    AgreementVersionFactory,
    ContactFactory,
    LegalGatewayFactory,
    OrganisationFactory,
    PartyFactory,
    PurposeFactory,
)

# The register's tests run on this day (``pytest.mark.pinned_clock(PINNED)``): "ended yesterday"
# and "in force in 30 days" are read against it, not against a day that may turn mid-run.
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))
TODAY = PINNED.date()

# Every string here is personal data: none may appear on the register, its PDF or its notice.
PERSONAL = {
    "contact": ("Zebedee Quartermaine", "zebedee.q@borsetshire.example", "01632 960 417", "Chief Widget Warden"),
    "drawn_up_by": ("Philippa Xanthopoulos", "philippa.x@felpersham.example", "01632 960 582", "Senior Drafting Sage"),
    "spoc": ("Ottoline Brackenbury", "ottoline.brackenbury@police.example", "07700 900 613", "Partnership Lamplighter"),
    "signatory": ("Barnabas Featherstonehaugh", None, None, "Deputy Keeper of Seals"),
}


def personal_strings() -> list[str]:
    return [value for values in PERSONAL.values() for value in values if value]


def agreement_with_people():
    """An agreement in force (owner and partner signed) naming each kind of person the portal keeps."""
    owner = OrganisationFactory(name="Borsetshire County Council")
    partner = OrganisationFactory(name="Borsetshire Police")
    agreement = AgreementFactory(
        owner=owner, title="Borsetshire Troubled Families Agreement", reference="BTF ISA",
        in_force=True, next_review_due=TODAY + datetime.timedelta(days=90),
        retention_months_after_closure=24,
    )
    PurposeFactory(agreement=agreement, text="To support families with multiple problems")
    agreement.gateways.add(LegalGatewayFactory(instrument="Children Act 2004", provision="s10",
                                               title="Co-operation to improve well-being"))
    DataItem.objects.create(agreement=agreement, provider_label="Borsetshire Police",
                            description="Police call-outs to the family home")
    owner_party = PartyFactory(agreement=agreement, organisation=owner, signed=True)
    partner_party = PartyFactory(agreement=agreement, organisation=partner, signed=True)
    people = {}
    for key, organisation in (("contact", owner), ("drawn_up_by", owner), ("spoc", partner)):
        name, email, phone, job = PERSONAL[key]
        people[key] = ContactFactory(organisation=organisation, name=name, email=email, phone=phone, job_title=job)
    PartyContact.objects.create(party=owner_party, contact=people["contact"], role=ContactRole.LEAD_SIGNATORY)
    PartyContact.objects.create(party=owner_party, contact=people["contact"], role=ContactRole.DPO)
    PartyContact.objects.create(party=partner_party, contact=people["spoc"], role=ContactRole.SPOC)
    agreement.drawn_up_by.add(people["drawn_up_by"])
    version = AgreementVersionFactory(agreement=agreement)
    name, _, _, role = PERSONAL["signatory"]
    for party in (owner_party, partner_party):
        Signature.objects.create(party=party, version=version, method=SignatureMethod.PAPER, signatory_name=name,
                                 signatory_role=role, signed_on=TODAY, content_hash=version.content_hash)
    agreement.refresh_from_db()
    assert agreement.status == Status.IN_FORCE
    return agreement
