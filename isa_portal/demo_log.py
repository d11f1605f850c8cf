"""Demo sharing log: a few dozen fictional entries under seed 001's CSP ISA, so the demo logins
find a lived-in log — shares and decisions not to share, acknowledgements, a refused request
escalated and decided, another waiting for the lead, and closed cases with retention due dates.

Reads ``fixtures/demo/sharing_log.json`` and writes everything through the sharing log's
services, as a practitioner would, after the demo logins exist (``demo_users_create``). Entries
from partners no demo login works for are logged by fictional colleagues who cannot sign in.
Dates count back from the day of loading. Loading twice changes nothing.
"""

import datetime

from django.contrib.auth import get_user_model
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from agreements import services as agreement_services
from agreements.models import Agreement, ContactRole, LegalGateway
from agreements.services import reviews as review_services
from partners import services as partner_services
from partners.models import Contact, Membership, Organisation
from sharing_log import services as log_services
from sharing_log.models import Disclosure
from sharing_log.services.decision_record import is_late

from .demo import _read, label_history_as_demo

User = get_user_model()


class DemoLog:
    def __init__(self, data: dict):
        self.data = data
        self.agreement = Agreement.objects.get(reference=data["agreement_reference"])
        names = {row["key"]: row["name"] for row in _read("organisations.json")}
        self.organisations = {key: Organisation.objects.get(name=name) for key, name in names.items()
                              if key in self._organisation_keys()}
        self.people = {row["key"]: row for row in _read("people.json")}
        self.today = timezone.localdate()

    def _organisation_keys(self) -> set[str]:
        keys = {entry[side] for entry in self.data["entries"] for side in ("from", "to")}
        keys |= {row["organisation"] for row in self.data["escalations"] + self.data["closures"]}
        return keys

    def already_loaded(self) -> bool:
        references = {entry["case_reference"] for entry in self.data["entries"]}
        return Disclosure.objects.filter(agreement=self.agreement, case_reference__in=references).exists()

    def user(self, username: str):
        return User.objects.get(username=username)

    def colleague(self, row: dict):
        """A fictional colleague at a partner, who logs in the demo but cannot sign in."""
        person = self.people[row["person_key"]]
        names = {r["key"]: r["name"] for r in _read("organisations.json")}
        organisation = Organisation.objects.get(name=names[person["organisation_key"]])
        user = User.objects.filter(username=row["username"]).first()
        if user is None:
            contact = Contact.objects.get(organisation=organisation, name=person["name"])
            first, _, last = contact.name.partition(" ")
            user = User(username=row["username"], first_name=first, last_name=last, email=contact.email)
            user.set_unusable_password()
            user.save()
            if contact.user_id is None:
                contact.user = user
                contact.save(update_fields=["user", "updated_at"])
        if not Membership.objects.filter(user=user, organisation=organisation, role=row["role"]).exists():
            partner_services.membership_create(user=user, organisation=organisation, role=row["role"])
        return user

    def at(self, days_ago: int, time: str) -> datetime.datetime:
        day = self.today - datetime.timedelta(days=days_ago)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time.fromisoformat(time)))

    def designated_manager(self, row: dict) -> Contact | None:
        """The fictional person a row names as having authorised its override ("Name, job title"),
        named for the disclosing party as its designated manager if it is not yet; they confirm
        the override in the portal like anyone else."""
        if not row["authorised_by"]:
            return None
        organisation = self.organisations[row["from"]]
        name = row["authorised_by"].split(",")[0].strip()
        contact = Contact.objects.get(organisation=organisation, name=name, user__isnull=False)
        party = self.agreement.parties.get(organisation=organisation)
        if not party.contacts.filter(contact=contact, role=ContactRole.DESIGNATED_MANAGER).exists():
            agreement_services.party_contact_add(party=party, contact=contact, role=ContactRole.DESIGNATED_MANAGER)
        return contact

    def log(self, row: dict) -> Disclosure:
        row = {**self.data["defaults"], **row}
        gateway = {g.key: g for g in LegalGateway.objects.filter(
            key__in=[*row["gateways"], *row["art9"], *row["art9_schedule1"], row["art6"], row["schedule1"]])}.get
        entry = log_services.disclosure_log(
            by_user=self.user(row["by"]), organisation=self.organisations[row["from"]], agreement=self.agreement,
            recipient_organisation=self.organisations[row["to"]], occurred_at=self.at(row["days_ago"], row["time"]),
            decision=row["decision"], decision_reason=row["decision_reason"], case_reference=row["case_reference"],
            subject_type=row["subject_type"], data_level=row["data_level"], data_categories=row["data_categories"],
            special_categories=row["special_categories"], criminal_offence_data=row["criminal_offence_data"],
            purpose=self.agreement.purposes.get(text=row["purpose"]), art6_basis=gateway(row["art6"]),
            art6_departure_reason=row["art6_departure_reason"] if row["art6"] else "",
            art9_conditions=[gateway(key) for key in [*row["art9"], *row["art9_schedule1"]]],
            criminal_offence_condition=gateway(row["schedule1"]),
            gateways=[gateway(key) for key in row["gateways"]], consent_status=row["consent_status"],
            consent_reason=row["consent_reason"], confidentiality_breached=row["confidentiality_breached"],
            designated_manager=self.designated_manager(row), subject_informed=row["subject_informed"],
            subject_not_informed_reason=row["subject_not_informed_reason"], fact_or_opinion=row["fact_or_opinion"],
            transfer_method=row["transfer_method"], protective_marking=row["protective_marking"],
            recipient_name=row["recipient_name"], recipient_job_title=row["recipient_job_title"],
            summary=row["summary"], **self.decision_record(row),
        )
        if row["acknowledged_by"]:
            log_services.disclosure_acknowledge(disclosure=entry, by_user=self.user(row["acknowledged_by"]))
        return entry

    def decision_record(self, row: dict) -> dict:
        """The record of the decision (issue 13, item 6), from the row's days counted from today.
        Every entry is logged on the day of loading, so one dated more than ``LATE_LOGGING_DAYS``
        ago gives the defaults' reason for logging late."""
        occurred_at = self.at(row["days_ago"], row["time"])
        request = row["request_days_ago"]
        tell_in = row["tell_in_days"]
        return {
            "necessity_reason": row["necessity_reason"],
            "request_received_on": self.today - datetime.timedelta(days=request) if request is not None else None,
            "subject_told_by": self.today + datetime.timedelta(days=tell_in) if tell_in is not None else None,
            "can_i_share_outcome": row["can_i_share_outcome"],
            "late_logging_reason": row["late_logging_reason"] if is_late(occurred_at, timezone.now()) else "",
        }

    def review(self, row: dict) -> None:
        """The fictional review the log stands on (issue 13, items 8 and 11): the agreement's
        scheduled review, held by a demo login ``days_before_first_entry`` days before the log's
        earliest entry, through the portal's own services, which set the agreement's last review
        and move its next one on. No grace period is invented: the agreement keeps the default."""
        user = self.user(row["by"])
        held_on = self.today - datetime.timedelta(
            days=max(entry["days_ago"] for entry in self.data["entries"]) + row["days_before_first_entry"])
        review = review_services.review_start(
            agreement=self.agreement, by_user=user, why=review_services.SCHEDULED, on=held_on,
        )
        review_services.review_complete(
            review=review, by_user=user, completed_on=held_on, reviewers=[user.contact],
            findings=row["findings"], outcome=row["outcome"],
        )
        review_services.review_findings_reported(
            review=review, reported_on=held_on + datetime.timedelta(days=row["findings_reported_after_days"]),
        )
        self.agreement.refresh_from_db()

    @transaction.atomic
    def load(self) -> int:
        if self.already_loaded():
            return 0
        started = timezone.now()
        self.review(self.data["review"])
        for row in self.data["colleagues"]:
            self.colleague(row)
        entries = {row["key"]: self.log(row) for row in sorted(self.data["entries"], key=lambda r: -r["days_ago"])}
        for row in self.data["escalations"]:
            escalation = log_services.escalation_raise(
                disclosure=entries[row["entry"]], by_user=self.user(row["by"]),
                organisation=self.organisations[row["organisation"]], concern=row["concern"],
            )
            if row["resolution"]:
                log_services.escalation_resolve(
                    escalation=escalation, by_user=self.user(row["resolution"]["by"]),
                    outcome=row["resolution"]["outcome"], resolution_note=row["resolution"]["note"],
                )
        for row in self.data["closures"]:
            log_services.case_close(
                by_user=self.user(row["by"]), organisation=self.organisations[row["organisation"]],
                case_reference=row["case_reference"],
                closed_on=self.today - datetime.timedelta(days=row["closed_days_ago"]),
            )
        label_history_as_demo(since=started)
        return len(entries)


def demo_log_create() -> int:
    """Load the demo sharing log if it is not there yet; returns how many entries it logged.

    The people are fictional and their addresses end in ``.example``: the notifications the
    services send stay in the portal, and no e-mail leaves.
    """
    with override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend"):
        return DemoLog(_read("sharing_log.json")).load()
