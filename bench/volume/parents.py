"""The parents of the log: organisations, people, agreements. Everyone and everything here is
fictional.

Organisations, agreements, their purposes, parties (signed) and DPIA screenings go through the
apps' own services, which give each organisation's groups their object permissions exactly as
the portal does. People are many (twenty thousand), so they are written in bulk: users with a
confirmed authenticator, memberships (with their history rows) and the group places and staff
flag ``partners.permissions.grants_expected`` derives from those memberships — what
``grants_sync`` would give them one by one, so ``manage.py check`` sees no drift.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.utils import bulk_create_with_history

from agreements import services as agreement_services
from agreements.models import GatewayCategory, GatewayStatus, LegalGateway, PartyStatus, Status
from partners import services as partner_services
from partners.models import Membership, Organisation, Role, Sector
from partners.permissions import grants_expected, organisation_groups, portal_admin_group

User = get_user_model()

# Every generated login has this password (and an authenticator; ``TOTPDevice.key`` is seeded).
PASSWORD = "volume-bench-passphrase"

PLACES = ("Borsetshire", "Felpersham", "Borchester", "Loxley", "Hollerton", "Penny Hassett", "Edgeley",
          "Darrington", "Heydon", "Waterley", "Lakey", "Churcham", "Netherbourne", "Westcombe", "Ambridge")
SECTOR_NAMES = {
    Sector.DISTRICT_COUNCIL: "District Council", Sector.COUNTY_COUNCIL: "County Council",
    Sector.UNITARY_COUNCIL: "Borough Council", Sector.POLICE: "Police", Sector.FIRE_RESCUE: "Fire and Rescue Service",
    Sector.NHS: "NHS Trust", Sector.PROBATION: "Probation Delivery Unit", Sector.HOUSING: "Housing Association",
    Sector.EDUCATION: "Academy", Sector.VOLUNTARY: "Family Support",
}
SECTOR_WEIGHTS = {Sector.DISTRICT_COUNCIL: 12, Sector.COUNTY_COUNCIL: 3, Sector.UNITARY_COUNCIL: 8, Sector.POLICE: 4,
                  Sector.FIRE_RESCUE: 3, Sector.NHS: 8, Sector.PROBATION: 2, Sector.HOUSING: 15,
                  Sector.EDUCATION: 25, Sector.VOLUNTARY: 20}
FIRST_NAMES = ("Alex", "Sam", "Jo", "Chris", "Pat", "Robin", "Jamie", "Morgan", "Charlie", "Frankie", "Hari", "Aisha",
               "Wei", "Olu", "Priya", "Tomasz", "Niamh", "Callum", "Ffion", "Rhys")
LAST_NAMES = ("Example", "Sample", "Placeholder", "Testwell", "Demo", "Fictional", "Mockford", "Notreal", "Madeup",
              "Pretend", "Imaginary", "Storybook")
PURPOSES = ("To reduce crime, disorder and anti-social behaviour", "To safeguard children and adults at risk",
            "To support families with multiple needs", "To prevent homelessness and sustain tenancies",
            "To reduce reoffending", "To manage risk from domestic abuse")

# Catalogue entries the generator cites; made (as the catalogue migration would) where missing,
# as in a test database built from the models.
GATEWAYS = {
    "art6": ("ukgdpr-art6-1-e", "UK GDPR", "Art 6(1)(e)", "Public task", GatewayCategory.ART6),
    "art6_legal": ("ukgdpr-art6-1-c", "UK GDPR", "Art 6(1)(c)", "Legal obligation", GatewayCategory.ART6),
    "art9_g": ("ukgdpr-art9-2-g", "UK GDPR", "Art 9(2)(g)", "Reasons of substantial public interest",
               GatewayCategory.ART9),
    "art9_h": ("ukgdpr-art9-2-h", "UK GDPR", "Art 9(2)(h)", "Health or social care", GatewayCategory.ART9),
    "sch1_safeguarding": ("dpa-2018-sch1-pt2-para18", "Data Protection Act 2018", "Sch 1 Pt 2 para 18",
                          "Safeguarding of children and of individuals at risk", GatewayCategory.DPA2018_SCH1),
    "sch1_crime": ("dpa-2018-sch1-pt2-para10", "Data Protection Act 2018", "Sch 1 Pt 2 para 10",
                   "Preventing or detecting unlawful acts", GatewayCategory.DPA2018_SCH1),
    "sch1_health": ("dpa-2018-sch1-pt1-para2", "Data Protection Act 2018", "Sch 1 Pt 1 para 2",
                    "Health or social care purposes", GatewayCategory.DPA2018_SCH1),
    "part3": ("dpa-2018-s35-2-b", "Data Protection Act 2018", "s35(2)(b)",
              "Law enforcement: necessary for a competent authority's task", GatewayCategory.DPA2018_PART3),
    "cda_s115": ("cda-1998-s115", "Crime and Disorder Act 1998", "s115",
                 "Power to disclose information to relevant authorities", GatewayCategory.STATUTE),
}


@dataclass
class AgreementPlan:
    pk: int
    owner_id: int
    party_ids: list[int]
    purpose_ids: list[int]
    statute_ids: list[int]
    retention_months: int
    weight: float


@dataclass
class Parents:
    organisations: list[Organisation] = field(default_factory=list)
    sectors: dict[int, str] = field(default_factory=dict)
    # organisation id → user ids, by role
    people: dict[int, dict[str, list[int]]] = field(default_factory=dict)
    agreements: list[AgreementPlan] = field(default_factory=list)
    gateways: dict[str, LegalGateway] = field(default_factory=dict)
    users: int = 0
    memberships: int = 0


def gateways_ensure() -> dict[str, LegalGateway]:
    found = {}
    for name, (key, instrument, provision, title, category) in GATEWAYS.items():
        found[name] = LegalGateway.objects.filter(key=key).first() or agreement_services.gateway_save(
            key=key, instrument=instrument, provision=provision, title=title, category=category,
            status=GatewayStatus.CURRENT)
    return found


def organisations_make(rng: random.Random, count: int) -> list[Organisation]:
    start = Organisation.objects.count()
    sectors, weights = list(SECTOR_WEIGHTS), list(SECTOR_WEIGHTS.values())
    made = []
    for number in range(start + 1, start + count + 1):
        sector = rng.choices(sectors, weights)[0]
        name = f"{rng.choice(PLACES)} {SECTOR_NAMES[sector]} {number:04d}"
        made.append(partner_services.organisation_create(name=name, sector=sector))
    return made


def _roles_for(count: int, rng: random.Random) -> list[str]:
    """The roles of an organisation's ``count`` people: a SPOC, a governance manager, a lead
    signatory and an auditor first, then practitioners with a SPOC now and then."""
    first = [Role.SPOC, Role.GOVERNANCE_MANAGER, Role.LEAD_SIGNATORY, Role.AUDITOR]
    return [first[i] if i < len(first) else (Role.SPOC if rng.random() < 0.1 else Role.PRACTITIONER)
            for i in range(count)]


def people_make(rng: random.Random, organisations: list[Organisation], count: int) -> tuple[dict, int]:
    """``count`` people spread over ``organisations`` (at least one each, while there are enough);
    the first organisation's first person is also a portal administrator."""
    password = make_password(PASSWORD)
    shares = [1] * min(count, len(organisations))
    for _ in range(count - len(shares)):
        shares[min(int(rng.paretovariate(1.2)) - 1, len(shares) - 1) if rng.random() < 0.3
               else rng.randrange(len(shares))] += 1
    base = User.objects.count()
    plans = []  # (user, organisation, role)
    for org_index, share in enumerate(shares):
        organisation = organisations[org_index]
        for role in _roles_for(share, rng):
            number = base + len(plans) + 1
            user = User(username=f"volume-{number:06d}", first_name=rng.choice(FIRST_NAMES),
                        last_name=rng.choice(LAST_NAMES), email=f"volume-{number:06d}@volume.example",
                        password=password, is_active=True)
            plans.append((user, organisation, role))
    if plans:
        plans[0] = (plans[0][0], plans[0][1], Role.ADMIN)
    groups = {group.name: group.pk for group in Group.objects.filter(name__startswith="org-")}
    for organisation in {organisation.pk: organisation for _, organisation, _ in plans}.values():
        if f"org-{organisation.pk}-{Role.SPOC}" not in groups:
            groups.update({group.name: group.pk for group in organisation_groups(organisation=organisation)})
    admin_group = portal_admin_group()
    groups[admin_group.name] = admin_group.pk
    for user, _, role in plans:
        user.is_staff = role == Role.ADMIN
    users = User.objects.bulk_create([user for user, _, _ in plans], batch_size=2000)
    memberships = [Membership(user=user, organisation=organisation, role=role)
                   for user, (_, organisation, role) in zip(users, plans, strict=True)]
    bulk_create_with_history(memberships, Membership, batch_size=2000)
    through = User.groups.through
    places = []
    for membership in memberships:
        names, _admin = grants_expected([membership])
        places.extend(through(user_id=membership.user_id, group_id=groups[name]) for name in sorted(names))
    through.objects.bulk_create(places, batch_size=5000)
    devices = [TOTPDevice(user=user, name="Authenticator app", confirmed=True, key=rng.randbytes(20).hex())
               for user in users]
    TOTPDevice.objects.bulk_create(devices, batch_size=2000)
    people: dict[int, dict[str, list[int]]] = {}
    for membership in memberships:
        people.setdefault(membership.organisation_id, {}).setdefault(membership.role, []).append(membership.user_id)
    return people, len(users)


def agreements_make(rng: random.Random, organisations: list[Organisation], count: int, *, today: datetime.date,
                    gateways: dict[str, LegalGateway], statutes: list[LegalGateway]) -> list[AgreementPlan]:
    """``count`` agreements in force for at least three years, each with its owner and between
    one and forty other organisations as signed parties, one to three purposes, a DPIA screening
    and the legal gateways it cites. One in four keeps its records 12 months after a case
    closes (so that some are due for destruction); the rest 24, 36 or 72 months."""
    plans = []
    for number in range(1, count + 1):
        owner = organisations[rng.randrange(len(organisations))]
        others = min(len(organisations) - 1, max(1, int(rng.lognormvariate(1.4, 0.7))), 40)
        members = [owner]
        for organisation in rng.sample(organisations, min(len(organisations), others + 1)):
            if organisation.pk != owner.pk and len(members) <= others:
                members.append(organisation)
        effective = today - datetime.timedelta(days=3 * 365 + 30 + rng.randrange(365))
        months = 12 if number % 4 == 1 else rng.choice((24, 36, 72))
        cited = rng.sample(statutes, min(len(statutes), rng.randint(1, 3)))
        cited += [gateways[name] for name in ("art6", "art9_g", "art9_h", "sch1_safeguarding", "sch1_crime",
                                              "sch1_health")]
        if any(member.sector in (Sector.POLICE, Sector.PROBATION) for member in members):
            cited.append(gateways["part3"])
        last_review = today - datetime.timedelta(days=rng.randrange(200))
        agreement = agreement_services.agreement_create(
            title=f"{owner.name.rsplit(' ', 1)[0]} Information Sharing Agreement {number:04d}",
            reference=f"VOL ISA {number:04d}", owner=owner, status=Status.IN_FORCE, effective_date=effective,
            retention_months_after_closure=months, last_review_on=last_review,
            next_review_due=last_review + datetime.timedelta(days=365), gateways=cited,
            transfer_methods=["secure_email", "secure_portal", "meeting", "telephone"],
        )
        agreement_services.agreement_purposes_set(agreement=agreement,
                                                  purposes=rng.sample(PURPOSES, rng.randint(1, 3)))
        agreement_services.dpia_record(agreement=agreement, by_user=None, screening=[], needed=False,
                                       not_needed_reason="No screening criterion applies.", on=effective)
        for member in members:
            agreement_services.party_add(agreement=agreement, organisation=member, status=PartyStatus.SIGNED,
                                         invited_on=effective - datetime.timedelta(days=30), joined_on=effective)
        plans.append(AgreementPlan(
            pk=agreement.pk, owner_id=owner.pk, party_ids=[member.pk for member in members],
            purpose_ids=list(agreement.purposes.values_list("pk", flat=True)),
            statute_ids=[gateway.pk for gateway in cited if gateway.category == GatewayCategory.STATUTE],
            retention_months=months, weight=rng.paretovariate(1.5)))
    return plans


def parents_make(rng: random.Random, *, organisations: int, people: int, agreements: int,
                 today: datetime.date, log=print) -> Parents:
    parents = Parents(gateways=gateways_ensure())
    statutes = list(LegalGateway.objects.filter(category=GatewayCategory.STATUTE, status=GatewayStatus.CURRENT)
                    .exclude(provision="").order_by("key")[:12]) or [parents.gateways["cda_s115"]]
    parents.organisations = organisations_make(rng, organisations)
    parents.sectors = {organisation.pk: organisation.sector for organisation in parents.organisations}
    log(f"  {len(parents.organisations)} organisations")
    parents.people, parents.users = people_make(rng, parents.organisations, people)
    log(f"  {parents.users} people with memberships, group places and authenticators")
    parents.agreements = agreements_make(rng, parents.organisations, agreements, today=today,
                                         gateways=parents.gateways, statutes=statutes)
    log(f"  {len(parents.agreements)} agreements in force with their signed parties")
    return parents
