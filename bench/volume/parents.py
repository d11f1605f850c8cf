"""The parents of the log: organisations, people, agreements. Everyone and everything here is
fictional.

There are thousands of each, and the services would take an hour over them (a party's grants
alone are some twenty queries), so they are written in bulk, with their history rows, and given
exactly the grants the services give: each organisation's role groups
(``partners.permissions.organisation_group``), the agreement's owner and parties
(``agreements.permissions.grant_owner``, ``grant_party``), and each person's group places and
staff flag as ``partners.permissions.grants_expected`` derives them from their memberships, so
``manage.py check`` sees no drift (tests/bench/test_volume.py checks the grants against the
services'). Every person has a confirmed authenticator (seeded key) and the password
``PASSWORD``. The legal gateways cited come from the catalogue, made through the service where a
database built from the models lacks them.
"""

import datetime
import random
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.utils import bulk_create_with_history

from agreements import services as agreement_services
from agreements.models import (
    Agreement,
    AgreementGroupObjectPermission,
    Dpia,
    GatewayCategory,
    GatewayStatus,
    LegalGateway,
    Party,
    PartyGroupObjectPermission,
    PartyStatus,
    Purpose,
    Status,
)
from agreements.permissions import MANAGERS
from partners.models import Membership, Organisation, OrganisationGroupObjectPermission, Role, Sector
from partners.permissions import ORGANISATION_EDITORS, grants_expected, organisation_groups, portal_admin_group

User = get_user_model()

BATCH = 2000
COMPETENT = (Sector.POLICE, Sector.PROBATION)
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
    """``count`` organisations (with their history rows), and the group of each of their roles
    with the grants ``partners.permissions.organisation_group`` gives it."""
    start = Organisation.objects.count()
    sectors, weights = list(SECTOR_WEIGHTS), list(SECTOR_WEIGHTS.values())
    made = []
    for number in range(start + 1, start + count + 1):
        sector = rng.choices(sectors, weights)[0]
        made.append(Organisation(name=f"{rng.choice(PLACES)} {SECTOR_NAMES[sector]} {number:04d}", sector=sector))
    made = bulk_create_with_history(made, Organisation, batch_size=BATCH)
    groups = Group.objects.bulk_create(
        [Group(name=f"org-{organisation.pk}-{role}") for organisation in made for role in Role.values],
        batch_size=BATCH)
    change = _permission(Organisation, "change_organisation")
    editors = {f"org-{organisation.pk}-{role}": organisation for organisation in made for role in ORGANISATION_EDITORS}
    OrganisationGroupObjectPermission.objects.bulk_create(
        [OrganisationGroupObjectPermission(group=group, permission=change, content_object=editors[group.name])
         for group in groups if group.name in editors], batch_size=BATCH)
    return made


def _permission(model, codename: str) -> Permission:
    return Permission.objects.get(content_type=ContentType.objects.get_for_model(model), codename=codename)


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
    that found none needed, the legal gateways it cites, their history rows, and the object
    permissions ``agreements.permissions.grant_owner`` and ``grant_party`` give. One in four
    keeps its records 12 months after a case closes (so that some are due for destruction); the
    rest 24, 36 or 72 months."""
    drafts = []  # (agreement, members, cited, purposes, months, effective)
    for number in range(1, count + 1):
        owner = organisations[rng.randrange(len(organisations))]
        others = min(len(organisations) - 1, max(1, int(rng.lognormvariate(1.4, 0.7))), 40)
        members = [owner] + [organisation for organisation in rng.sample(organisations, others + 1)
                             if organisation.pk != owner.pk][:others]
        effective = today - datetime.timedelta(days=3 * 365 + 30 + rng.randrange(365))
        months = 12 if number % 4 == 1 else rng.choice((24, 36, 72))
        cited = rng.sample(statutes, min(len(statutes), rng.randint(1, 3)))
        cited += [gateways[name] for name in ("art6", "art9_g", "art9_h", "sch1_safeguarding", "sch1_crime",
                                              "sch1_health")]
        if any(member.sector in COMPETENT for member in members):
            cited.append(gateways["part3"])
        last_review = today - datetime.timedelta(days=rng.randrange(200))
        agreement = Agreement(
            title=f"{owner.name.rsplit(' ', 1)[0]} Information Sharing Agreement {number:04d}",
            reference=f"VOL ISA {number:04d}", owner=owner, status=Status.IN_FORCE, effective_date=effective,
            retention_months_after_closure=months, last_review_on=last_review, version="1.0",
            next_review_due=last_review + datetime.timedelta(days=365),
            transfer_methods=["secure_email", "secure_portal", "meeting", "telephone"])
        drafts.append((agreement, members, cited, rng.sample(PURPOSES, rng.randint(1, 3)), months, effective))
    agreements = bulk_create_with_history([draft[0] for draft in drafts], Agreement, batch_size=BATCH)
    through = Agreement.gateways.through
    rows = [through(agreement_id=agreement.pk, legalgateway_id=gateway.pk)
            for agreement, _, cited, *_ in drafts for gateway in cited]
    through.objects.bulk_create(rows, batch_size=BATCH)
    _m2m_history(Agreement, "_gateways", rows, "agreement_id")
    purposes = bulk_create_with_history(
        [Purpose(agreement=agreement, position=position, text=text)
         for agreement, _, _, texts, *_ in drafts for position, text in enumerate(texts, start=1)],
        Purpose, batch_size=BATCH)
    bulk_create_with_history(
        [Dpia(agreement=agreement, screening=[], needed=False, not_needed_reason="No screening criterion applies.")
         for agreement, *_ in drafts], Dpia, batch_size=BATCH)
    parties = bulk_create_with_history(
        [Party(agreement=agreement, organisation=member, status=PartyStatus.SIGNED, joined_on=effective,
               invited_on=effective - datetime.timedelta(days=30))
         for agreement, members, _, _, _, effective in drafts for member in members], Party, batch_size=BATCH)
    _grants(agreements, parties)
    purpose_ids: dict[int, list[int]] = {}
    for purpose in purposes:
        purpose_ids.setdefault(purpose.agreement_id, []).append(purpose.pk)
    return [AgreementPlan(pk=agreement.pk, owner_id=agreement.owner_id, party_ids=[member.pk for member in members],
                          purpose_ids=purpose_ids[agreement.pk],
                          statute_ids=[gateway.pk for gateway in cited if gateway.category == GatewayCategory.STATUTE],
                          retention_months=months, weight=rng.paretovariate(1.5))
            for agreement, members, cited, _, months, _ in drafts]


def _m2m_history(model, suffix: str, rows, owner_column: str) -> None:
    """The history rows of ``rows`` (many-to-many rows of ``model``), under each owner's history row."""
    history = model.history.model
    relation = next(relation.related_model for relation in history._meta.related_objects
                    if relation.related_model._meta.db_table.endswith(suffix))
    latest = dict(history.objects.filter(id__in={getattr(row, owner_column) for row in rows})
                  .order_by("id", "history_id").values_list("id", "history_id"))
    saved = {(getattr(row, owner_column), row.legalgateway_id): row.pk for row in
             model.gateways.through.objects.filter(**{f"{owner_column}__in": latest})}
    relation.objects.bulk_create(
        [relation(history_id=latest[getattr(row, owner_column)], id=saved[(getattr(row, owner_column),
                                                                            row.legalgateway_id)],
                  legalgateway_id=row.legalgateway_id, **{owner_column: getattr(row, owner_column)})
         for row in rows], batch_size=BATCH)


def _grants(agreements: list[Agreement], parties: list[Party]) -> None:
    """What ``grant_owner`` and ``grant_party`` give, in bulk: every role's group of the owner and
    of each party may view the agreement, the owner's managers manage it, each party's lead
    signatories sign its place."""
    groups = dict(Group.objects.filter(name__startswith="org-").values_list("name", "pk"))
    view, manage = _permission(Agreement, "view_agreement"), _permission(Agreement, "manage_agreement")
    sign = _permission(Party, "sign_party")
    wanted = set()
    for agreement in agreements:
        wanted.update((groups[f"org-{agreement.owner_id}-{role}"], view.pk, agreement.pk) for role in Role.values)
        wanted.update((groups[f"org-{agreement.owner_id}-{role}"], manage.pk, agreement.pk) for role in MANAGERS)
    for party in parties:
        wanted.update((groups[f"org-{party.organisation_id}-{role}"], view.pk, party.agreement_id)
                      for role in Role.values)
    AgreementGroupObjectPermission.objects.bulk_create(
        [AgreementGroupObjectPermission(group_id=group, permission_id=permission, content_object_id=agreement)
         for group, permission, agreement in sorted(wanted)], batch_size=BATCH)
    PartyGroupObjectPermission.objects.bulk_create(
        [PartyGroupObjectPermission(group_id=groups[f"org-{party.organisation_id}-{Role.LEAD_SIGNATORY}"],
                                    permission=sign, content_object=party) for party in parties], batch_size=BATCH)


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
