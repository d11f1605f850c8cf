"""Demo data: the seeds' real agreements and organisations, fictional people, one login per role.

Reads the JSON under ``fixtures/demo/`` (see its README for where each file comes from) and
builds everything through the apps' services, so the demo holds exactly what the portal would
hold had a governance manager typed it in: grants, versions and signatures included.
Loading twice changes nothing.
"""

import datetime
import json
import secrets
from dataclasses import dataclass
from pathlib import Path

from dateutil.relativedelta import relativedelta
from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from simple_history.utils import get_history_model_for_model

from agreements import services as agreement_services
from agreements.history import DEMO_CHANGE_REASON
from agreements.models import Agreement, ContactRole, PartyStatus
from partners import services as partner_services
from partners.models import Contact, Membership, Organisation, Role

DEMO_DIR = Path(settings.BASE_DIR) / "fixtures" / "demo"
User = get_user_model()


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    organisation: str
    name: str  # fictional
    job_title: str
    password: str


# One login per role, each a fictional person at a real organisation party to seed 001's
# CSP ISA, chosen so each role has something to do: the Constabulary has not signed yet,
# so its lead signatory has an agreement waiting. One more at Haringey: see below.
SCDC = "South Cambridgeshire District Council"
DEMO_LOGINS = [
    DemoLogin("practitioner", Role.PRACTITIONER, SCDC, "Tamsin Okafor",
              "Anti-social Behaviour Officer", "demo-practitioner-pass"),
    DemoLogin("spoc", Role.SPOC, "Cambridgeshire County Council", "Rhys Pemberton",
              "Strengthening Communities Service Manager", "demo-spoc-pass-2026"),
    DemoLogin("governance", Role.GOVERNANCE_MANAGER, SCDC, "Meera Ashworth",
              "Information Governance Manager", "demo-governance-pass"),
    DemoLogin("signatory", Role.LEAD_SIGNATORY, "Cambridgeshire Constabulary", "Declan Whitmore",
              "Chief Superintendent", "demo-signatory-pass"),
    DemoLogin("auditor", Role.AUDITOR, "Cambridgeshire Fire & Rescue Service", "Nadia Kowalczyk",
              "Internal Audit Manager", "demo-auditor-pass-2026"),
    DemoLogin("admin", Role.ADMIN, SCDC, "Oliver Strand", "Systems Administrator",
              "demo-admin-pass-2026"),
    # Seed 002's owner, so someone sees a protocol that still cites the Data Protection Act 1998.
    DemoLogin("haringey", Role.GOVERNANCE_MANAGER, "Haringey Council", "Lowenna Brightwater",
              "Information Governance Lead", "demo-haringey-pass"),
]


# How 001 Appendix 1 words a party's standing, shown beside the status. Nothing for a signed
# party: its "2018 Signature form returned" column is blank in every row, and no other seed
# says a form came back. A fixture row's own ``status_note`` wins.
SEED_STATUS_WORDS = {
    PartyStatus.AWAITING_DETAILS: "Awaiting details",
    PartyStatus.AWAIT_CASE: "AWAIT APPROPRIATE CASE BEFORE SIGNING",
}

# fixtures' breach_clocks keys → Agreement fields (002 §6)
BREACH_CLOCK_FIELDS = {
    "notify_partners_working_days": "breach_notify_working_days",
    "report_working_days": "breach_report_working_days",
    "meeting_working_days": "breach_meeting_working_days",
    "minutes_working_days": "breach_minutes_working_days",
}


def _read(name: str):
    return json.loads((DEMO_DIR / name).read_text(encoding="utf-8"))


def _date(value):
    return datetime.date.fromisoformat(value) if value else None


def _assurance(row: dict) -> dict:
    """A row's organisation assurance (decision 0063): demo values, since no seed states any (its
    note says so), with dates counted from the day of loading, so the demo always shows the
    same things lapsed (Cambridgeshire Constabulary's ICO registration; the NHS Foundation Trust's
    DSPT) and lapsing (the County Council's DSPT, within 30 days)."""
    given = row.get("assurance") or {}
    today = timezone.localdate()
    fields = {name: given[name] for name in ("ods_code", "ico_registration_number", "dspt_status") if name in given}
    if "ico_renewal_in_days" in given:
        fields["ico_renewal_date"] = today + datetime.timedelta(days=given["ico_renewal_in_days"])
    if "dspt_published_days_ago" in given:
        fields["dspt_published_on"] = today - datetime.timedelta(days=given["dspt_published_days_ago"])
    return fields


class DemoLoader:
    def __init__(self, stdout=None):
        self.stdout = stdout
        self.organisations: dict[str, Organisation] = {}
        self.people: dict[str, Contact] = {}
        self.gateways = {}
        self._agreement_pks: dict[str, int] = {}

    def say(self, message: str) -> None:
        if self.stdout is not None:
            self.stdout.write(message)

    @transaction.atomic
    def load(self) -> None:
        started = timezone.now()
        self.load_gateways()
        self.load_organisations()
        self.load_people()
        pending = [json.loads(path.read_text(encoding="utf-8"))
                   for path in sorted((DEMO_DIR / "agreements").glob("*.json"))]
        while pending:  # parents (frameworks, general protocols) before the agreements under them
            ready = [data for data in pending
                     if not data["parent_key"] or data["parent_key"] in self._agreement_pks]
            if not ready:
                raise ValueError(f"Unknown parent agreements: {[d['parent_key'] for d in pending]}")
            for data in ready:
                self.load_agreement(data)
                pending.remove(data)
        label_history_as_demo(since=started)

    def load_gateways(self) -> None:
        rows = _read("gateways.json")
        for row in rows:  # first pass without replacements, which may point forward
            self.gateways[row["key"]] = agreement_services.gateway_save(
                key=row["key"], instrument=row["instrument"], provision=row["provision"],
                title=row["title"], summary=row["summary"], category=row["category"],
                status=row["status"], note=row["note"], replaced_by=None, repealed_on=row.get("repealed_on"),
            )
        for row in rows:
            if row["replaced_by"]:
                gateway = self.gateways[row["key"]]
                gateway.replaced_by = self.gateways[row["replaced_by"]]
                gateway.save(update_fields=["replaced_by"])
        self.say(f"Legal gateways: {len(rows)}")

    def load_organisations(self) -> None:
        rows = _read("organisations.json")
        for row in rows:
            organisation = Organisation.objects.filter(name=row["name"]).first()
            if organisation is None:
                organisation = partner_services.organisation_create(
                    name=row["name"], sector=row["sector"], address=row["address"], phone=row["phone"],
                    ceased_on=_date(row.get("ceased_on")), note=row["note"],
                    **{"ico_registration_number": row["ico_registration_number"],
                       "ico_renewal_date": _date(row["ico_renewal_date"]), **_assurance(row)},
                )
            self.organisations[row["key"]] = organisation
        for row in rows:
            if row["successor_key"]:
                organisation = self.organisations[row["key"]]
                organisation.successor = self.organisations[row["successor_key"]]
                organisation.save(update_fields=["successor"])
        self.say(f"Organisations: {len(rows)}")

    def load_people(self) -> None:
        rows = _read("people.json")
        for row in rows:
            organisation = self.organisations[row["organisation_key"]]
            contact = Contact.objects.filter(organisation=organisation, name=row["name"]).first()
            if contact is None:
                contact = partner_services.contact_create(
                    organisation=organisation, name=row["name"], job_title=row["job_title"],
                    email=row["email"], phone=row["phone"],
                )
            self.people[row["key"]] = contact
        self.say(f"People (fictional): {len(rows)}")

    def load_agreement(self, data: dict) -> None:
        owner = self.organisations[data["owner_key"]]
        existing = Agreement.objects.filter(title=data["title"], owner=owner).first()
        if existing is not None:
            self._agreement_pks[data["key"]] = existing.pk
            return
        parent = None
        if data["parent_key"]:
            parent = Agreement.objects.get(pk=self._agreement_pks[data["parent_key"]])
        # Only what the seed sets: no breach clocks, no review policy where it is silent.
        clocks = data.get("breach_clocks") or {}
        effective = _date(data["effective_date"])
        first_review, every = data["review_first_after_months"], data["review_every_months"]
        next_review = _date(data["next_review_due"])
        if next_review is None and effective is not None and first_review is not None:
            next_review = effective + relativedelta(months=first_review)
        agreement = agreement_services.agreement_create(
            title=data["title"], owner=owner, reference=data["reference"], kind=data["kind"],
            parent=parent, protective_marking=data["protective_marking"], version=data["version"],
            status=data["status"], effective_date=effective,
            last_review_on=_date(data["last_review"]), next_review_due=next_review,
            review_first_after_months=first_review, review_every_months=every,
            review_after_breach=data["review_after_breach"],
            # Only where the seed states a retention rule (001 §5.15); silent seeds leave it unset.
            retention_months_after_closure=data["retention_months_after_closure"],
            retention_months_from_disclosure=data["retention_months_from_disclosure"],
            retention_rule=data["retention_rule"], consent_position=data["consent_position"],
            transfer_methods=data["transfer_methods"],
            gateways=[self.gateways[key] for key in data["gateway_keys"]],
            drawn_up_by=[self.people[key] for key in data["drawn_up_by"]],
            breach_notify_without_undue_delay=data.get("breach_notify_without_undue_delay", False),
            **{BREACH_CLOCK_FIELDS[name]: days for name, days in clocks.items()},
        )
        self._agreement_pks[data["key"]] = agreement.pk
        agreement_services.agreement_purposes_set(agreement=agreement, purposes=data["purposes"])
        for section in data["sections"]:
            agreement_services.section_create(
                agreement=agreement, number=section["number"], heading=section["heading"],
                body=section["body"],
            )
        parties = {}
        for row in data["parties"]:
            organisation = self.organisations[row["organisation_key"]]
            parties[row["organisation_key"]] = party = agreement_services.party_add(
                agreement=agreement, organisation=organisation,
                status=PartyStatus.INVITED if row["status"] == PartyStatus.SIGNED else row["status"],
                invited_on=_date(data["effective_date"]), board_member=row["board_member"],
                status_note=row.get("status_note") or SEED_STATUS_WORDS.get(row["status"], ""),
                ecins_user=row.get("ecins_user"),
            )
            signatory = self.people.get(row["lead_signatory_key"] or "")
            # One person may sign for several bodies (000: one acting chief executive for three
            # PCTs); they are the lead signatory only of their own organisation's party.
            if signatory and signatory.organisation_id == organisation.pk:
                agreement_services.party_contact_add(
                    party=party, contact=self.people[row["lead_signatory_key"]],
                    role=ContactRole.LEAD_SIGNATORY,
                )
            for key in row["spoc_keys"]:
                agreement_services.party_contact_add(
                    party=party, contact=self.people[key], role=ContactRole.SPOC,
                )
        for row in data["parties"]:  # 004 §3.4: members bound through their partnerships
            if row.get("member_of"):
                agreement_services.party_partnerships_set(
                    party=parties[row["organisation_key"]],
                    partnerships=[parties[key] for key in row["member_of"]],
                )
        for item in data["data_items"]:
            agreement_services.data_item_create(
                agreement=agreement, provider_label=item["provider_label"], level=item["level"],
                description=item["description"], special_category=item.get("special_category", False),
                providers=[parties[key] for key in item["provider_keys"] if key in parties],
            )
        if data.get("kind_terms"):  # the essence of a joint controller arrangement (decision 0065)
            agreement_services.joint_controller_essence_update(agreement=agreement, by_user=None, **data["kind_terms"])
        version = agreement_services.agreement_version_create(
            agreement=agreement, label=data["version"], change_summary="As published.",
        )
        for row in data["parties"]:
            if row["status"] != PartyStatus.SIGNED:
                continue
            signatory = self.people.get(row["lead_signatory_key"] or "")
            party = parties[row["organisation_key"]]
            role = ""
            if signatory:
                role = signatory.job_title
                if signatory.organisation_id != party.organisation_id:
                    role = f"{role}, {signatory.organisation}"
            signature = row["signature"] or {}
            agreement_services.signature_record_paper(
                party=party, version=version,
                signatory_name=signatory.name if signatory else "Name not recorded",
                signatory_role=role,
                signed_on=_date(signature.get("signed_on")), note=signature.get("note", ""),
            )
        self.say(f"Agreement: {agreement} – {len(data['parties'])} parties")


def label_history_as_demo(*, since) -> None:
    """Mark the audit trail the loader wrote as demo data, so history pages say "Demo data"
    rather than "System" for what nobody signed in did (``agreements.history``)."""
    for label in ("partners", "agreements"):
        for model in apps.get_app_config(label).get_models():
            if not hasattr(model._meta, "simple_history_manager_attribute"):
                continue
            get_history_model_for_model(model).objects.filter(
                history_date__gte=since, history_user__isnull=True, history_change_reason__isnull=True,
            ).update(history_change_reason=DEMO_CHANGE_REASON)


def load_demo(stdout=None) -> None:
    DemoLoader(stdout).load()


@transaction.atomic
def demo_users_create() -> list[tuple[DemoLogin, bool]]:
    """Create the demo logins (enrolled in TOTP) if missing. Returns (login, created) pairs."""
    results = []
    for login in DEMO_LOGINS:
        organisation = Organisation.objects.get(name=login.organisation)
        user = User.objects.filter(username=login.username).first()
        created = user is None
        if created:
            contact = _demo_contact(organisation, login)
            first, _, last = contact.name.partition(" ")
            user = User(username=login.username, first_name=first, last_name=last,
                        email=contact.email)
            user.set_password(login.password)
            user.save()
            contact.user = user
            contact.save(update_fields=["user", "updated_at"])
            TOTPDevice.objects.create(
                user=user, name="Demo authenticator", confirmed=True, key=secrets.token_hex(20),
            )
        if not Membership.objects.filter(user=user, organisation=organisation, role=login.role).exists():
            partner_services.membership_create(user=user, organisation=organisation, role=login.role)
        results.append((login, created))
    return results


def _demo_contact(organisation: Organisation, login: DemoLogin) -> Contact:
    contact = organisation.contacts.filter(name=login.name).first()
    if contact is None:
        local = login.name.lower().replace(" ", ".")
        contact = partner_services.contact_create(
            organisation=organisation, name=login.name, job_title=login.job_title,
            email=f"{local}@{organisation.pk}.demo.example",
        )
    return contact
