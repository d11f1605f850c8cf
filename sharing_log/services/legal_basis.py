"""The legal basis of an entry in the sharing log (DOMAIN.md rule 2; issue 13 item 1;
decision 0032): the UK GDPR Article 6 basis, or the DPA 2018 Part 3 basis of a competent
authority; the Article 9 and Schedule 1 conditions its data need; and a departure from the
basis its agreement cites, with its reason, which the agreement's governance managers are told of.

Plain rules that need little from the database, so the log form asks them too and shows their
problems with its own; ``disclosures.disclosure_log`` asks them of every entry.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, GatewayCategory, LegalGateway
from agreements.selectors import governance_manager_contacts
from agreements.services.legal_basis import (
    LEGITIMATE_INTERESTS,
    is_part3_sensitive,
    part3_sensitive_conditions,
    part3_sensitive_names,
    schedule1_missing,
)
from govuk_blocks.dates import long_date
from partners.models import Organisation, UndeliveredNotice
from partners.services import notice_send

from ..models.disclosures import ConsentStatus, Decision, Disclosure

if TYPE_CHECKING:
    from .disclosures import Problems

ART9_CATEGORIES = (GatewayCategory.ART9, GatewayCategory.DPA2018_SCH1)


def lawful_basis_problems(problems: Problems, *, decision: str, organisation: Organisation | None, special_categories,
                           criminal_offence_data: bool, art6_basis, art9_conditions, criminal_offence_condition,
                           consent_status: str, law_enforcement_basis=None) -> None:
    """DOMAIN.md rule 2, for what was actually shared: the lawful basis and its conditions.

    Needs little from the database (the catalogue's Part 3 conditions for sensitive processing,
    only for special category data shared under Part 3), so a form may ask it too, to show these
    problems together with its own. ``organisation`` is the one sharing (``None`` when not yet known): a public
    authority may not rely on legitimate interests for its tasks, and only a competent authority
    may rest its sharing on DPA 2018 Part 3 instead of UK GDPR Article 6.
    """
    if decision != Decision.SHARED:
        return
    competent = organisation is not None and organisation.is_competent_authority
    if law_enforcement_basis is not None:
        if law_enforcement_basis.category != GatewayCategory.DPA2018_PART3:
            problems.add("law_enforcement_basis",
                         f"Choose a DPA 2018 Part 3 basis: {law_enforcement_basis} is not one.")
        elif organisation is not None and not competent:
            problems.add(
                "law_enforcement_basis",
                f"{organisation} is not a competent authority (DPA 2018 Schedule 7): only the police, probation "
                "and other competent authorities may rest sharing on Part 3 of the DPA 2018. Choose a UK GDPR "
                "Article 6 lawful basis instead.",
            )
        if art6_basis is not None:
            problems.add(
                "law_enforcement_basis",
                "Choose a UK GDPR Article 6 lawful basis or a DPA 2018 Part 3 basis, not both: an entry rests on "
                "one or the other.",
            )
    elif art6_basis is None:
        problems.add("art6_basis", (
            "Choose the UK GDPR Article 6 lawful basis, or the DPA 2018 Part 3 basis for sharing for a "
            "law-enforcement purpose: you have said information was shared." if competent else
            "Choose the UK GDPR Article 6 lawful basis: you have said information was shared."
        ))
    if art6_basis is not None and art6_basis.category != GatewayCategory.ART6:
        problems.add("art6_basis", f"Choose a UK GDPR Article 6 lawful basis: {art6_basis} is not one.")
    elif art6_basis is not None and art6_basis.key == LEGITIMATE_INTERESTS and organisation is not None \
            and organisation.is_public_authority:
        problems.add(
            "art6_basis",
            f"{organisation} is a public authority: it cannot rely on legitimate interests (UK GDPR Article "
            "6(1)(f)) for its public tasks (Article 6(1), last paragraph). Choose the basis for the task, such "
            "as public task, Article 6(1)(e), or legal obligation, Article 6(1)(c).",
        )
    if part3_entry(law_enforcement_basis, art6_basis):
        _part3_sensitive_problems(problems, special_categories=special_categories,
                                  law_enforcement_basis=law_enforcement_basis)
    else:
        _uk_gdpr_condition_problems(
            problems, special_categories=special_categories, art9_conditions=art9_conditions,
            criminal_offence_data=criminal_offence_data, criminal_offence_condition=criminal_offence_condition,
        )
    if consent_status == ConsentStatus.REFUSED:
        problems.add(
            "consent_status",
            "You have said consent was refused and the information was shared: choose "
            "“Consent refused but overridden” and record who authorised it.",
        )


def part3_entry(law_enforcement_basis, art6_basis) -> bool:
    """Whether an entry rests on DPA 2018 Part 3 alone: its conditions are then s35's, not UK
    GDPR Articles 9 and 10 and Schedule 1 (``agreements.services.legal_basis``)."""
    return (law_enforcement_basis is not None and art6_basis is None
            and law_enforcement_basis.category == GatewayCategory.DPA2018_PART3)


def _part3_sensitive_problems(problems: Problems, *, special_categories, law_enforcement_basis) -> None:
    """Special category data shared under Part 3 are sensitive processing (DPA 2018 s35(8)): where
    the catalogue holds the s35(4)/(5) and Schedule 8 conditions, the Part 3 basis must be one."""
    if not special_categories or is_part3_sensitive(law_enforcement_basis):
        return
    sensitive = part3_sensitive_conditions()
    if sensitive:
        problems.add(
            "law_enforcement_basis",
            "You have said special category data was shared under Part 3 of the DPA 2018: that is sensitive "
            "processing, which rests on section 35 and Schedule 8, not on a UK GDPR Article 9 condition. Choose "
            f"{part3_sensitive_names(sensitive)} as the Part 3 basis.",
        )


def _uk_gdpr_condition_problems(problems: Problems, *, special_categories, art9_conditions,
                                criminal_offence_data: bool, criminal_offence_condition) -> None:
    """The UK GDPR Article 9 conditions, with the Schedule 1 conditions they need, for special
    category data, and a Schedule 1 condition for criminal-offence data (Article 10)."""
    art9_conditions = list(art9_conditions or ())
    if special_categories:
        strays = [condition for condition in art9_conditions if condition.category not in ART9_CATEGORIES]
        for stray in strays:
            problems.add("art9_conditions", f"Choose an Article 9 condition: {stray} is not one.")
        if not strays and not any(condition.category == GatewayCategory.ART9 for condition in art9_conditions):
            problems.add(
                "art9_conditions", "Choose an Article 9 condition: you have said special category data was shared.",
            )
        for missing in schedule1_missing(art9_conditions):
            problems.add("schedule1_conditions", f"{missing}: choose one.")
    if criminal_offence_data and criminal_offence_condition is None:
        problems.add(
            "criminal_offence_condition",
            "Choose a DPA 2018 Schedule 1 condition: you have said criminal-offence data was shared.",
        )
    elif criminal_offence_data and criminal_offence_condition.category != GatewayCategory.DPA2018_SCH1:
        problems.add(
            "criminal_offence_condition",
            f"Choose a DPA 2018 Schedule 1 condition: {criminal_offence_condition} is not one.",
        )


def cited_art6_bases(agreement: Agreement) -> list[LegalGateway]:
    """The Article 6 bases ``agreement`` cites, from its gateways as read with it (the log form
    reads them once, with its agreements) or read now."""
    return [gateway for gateway in agreement.gateways.all() if gateway.category == GatewayCategory.ART6]


def art6_departure_problems(problems: Problems, *, decision: str, agreement: Agreement, art6_basis,
                            art6_departure_reason: str) -> bool:
    """An entry's Article 6 basis is one its agreement cites, or a departure from it with its
    reason (ICO data sharing code: the lawful basis is set in the agreement). Returns whether
    the entry departs from the agreement's basis."""
    if decision != Decision.SHARED or art6_basis is None or art6_basis.category != GatewayCategory.ART6:
        return False
    cited = cited_art6_bases(agreement)
    if art6_basis in cited:
        return False
    if not art6_departure_reason.strip():
        if cited:
            names = ", ".join(f"{gateway} ({gateway.title})" for gateway in cited)
            message = (f"{agreement} does not cite {art6_basis} ({art6_basis.title}): choose the basis it cites, "
                       f"{names}, or give the reason for relying on another.")
        else:
            message = (f"{agreement} cites no UK GDPR Article 6 lawful basis: give the reason for relying on "
                       f"{art6_basis} ({art6_basis.title}).")
        problems.add("art6_departure_reason", message)
    return True


def departure_event_key(disclosure: Disclosure) -> str:
    return f"disclosure-{disclosure.pk}-art6-departure"


def departure_notice_send(disclosure: Disclosure) -> list[UndeliveredNotice]:
    """The agreement's governance managers (its owner's) hear of an entry that relies on an
    Article 6 basis the agreement does not cite, with the reason given, so they can judge
    whether the agreement or the entry needs correcting. No case detail.

    A notice the rules require (decision 0033): with no governance manager to tell, it is not
    skipped in silence but recorded as undelivered, shown on the entry's page and on "What's
    due", and returned so the log page can say so."""
    agreement = disclosure.agreement
    day = long_date(timezone.localdate(disclosure.occurred_at))
    return notice_send(
        recipients=[(agreement.owner, list(governance_manager_contacts(agreement.owner)))],
        responsible_organisation=agreement.owner, in_digest=True,  # to judge at leisure (decision 0045)
        subject=f"An entry under {agreement} relies on a basis the agreement does not cite",
        body=(
            f"{disclosure.disclosing_organisation} has logged information it shared with "
            f"{disclosure.recipient_organisation} on {day} under {agreement}, relying on "
            f"{disclosure.art6_basis} ({disclosure.art6_basis.title}), which the agreement does not cite.\n\n"
            f"Their reason: “{disclosure.art6_departure_reason}”\n\n"
            "Please check whether the agreement should cite this basis, or whether the entry needs correcting."
        ),
        url=reverse("sharing_log:detail", args=[disclosure.pk]),
        event_key=departure_event_key(disclosure),
    )
