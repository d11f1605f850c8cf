"""The legal basis an agreement and the entries under it rest on (issue 13 item 1).

UK GDPR Article 9 conditions (b), (g), (h), (i) and (j) are met only with a condition in
Schedule 1 to the Data Protection Act 2018 (DPA 2018 s10(2)–(3)); criminal-offence data needs a
Schedule 1 condition too (s10(5)). ``SCHEDULE1_NEEDED`` says which. An agreement comes into
force only with a lawful basis, the conditions its data need, and no repealed law
(``legal_basis_problems``, called by the in-force gate in ``lifecycle``). The sharing log asks
``schedule1_missing`` of each entry.

Processing under Part 3 of the DPA 2018 (law enforcement by a competent authority) is not UK GDPR
processing: Articles 9 and 10 and Schedule 1 do not apply to it. Its sensitive processing rests
on s35(3)–(5): consent (s35(4)) or strict necessity with a Schedule 8 condition (s35(5)). Where
the catalogue holds such entries (``part3_sensitive_conditions``), a Part 3 entry or a Part-3-only
agreement with special category data needs one of them instead of an Article 9 condition; its
criminal-offence data need no Schedule 1 condition.
"""

from collections.abc import Iterable

from ..models import Agreement, GatewayCategory, GatewayStatus, LegalGateway

# The catalogue key of UK GDPR Art 6(1)(f), legitimate interests: not for public authorities'
# tasks (the last paragraph of Art 6(1)).
LEGITIMATE_INTERESTS = "ukgdpr-art6-1-f"

# Article 9 condition (catalogue key) → (the catalogue keys, or key prefix, of the Schedule 1
# conditions that meet it, what to call them in a message).
SCHEDULE1_NEEDED: dict[str, tuple[str, str]] = {
    "ukgdpr-art9-2-b": ("dpa-2018-sch1-pt1-para1",
                        "Schedule 1 Part 1 paragraph 1 (employment, social security and social protection)"),
    "ukgdpr-art9-2-g": ("dpa-2018-sch1-pt2-", "a condition in Schedule 1 Part 2 (substantial public interest)"),
    "ukgdpr-art9-2-h": ("dpa-2018-sch1-pt1-para2", "Schedule 1 Part 1 paragraph 2 (health or social care purposes)"),
    "ukgdpr-art9-2-i": ("dpa-2018-sch1-pt1-para3", "Schedule 1 Part 1 paragraph 3 (public health)"),
    "ukgdpr-art9-2-j": ("dpa-2018-sch1-pt1-para4",
                        "Schedule 1 Part 1 paragraph 4 (research, archiving and statistics)"),
}


# Catalogue keys (prefixes) of the Part 3 conditions for sensitive processing: s35(4), s35(5)
# and the Schedule 8 conditions.
PART3_SENSITIVE_PREFIXES = ("dpa-2018-s35-4", "dpa-2018-s35-5", "dpa-2018-sch8")


def is_part3_sensitive(gateway: LegalGateway) -> bool:
    return gateway.category == GatewayCategory.DPA2018_PART3 and gateway.key.startswith(PART3_SENSITIVE_PREFIXES)


def part3_sensitive_conditions() -> list[LegalGateway]:
    """The catalogue's current Part 3 conditions for sensitive processing (s35(4)/(5), Schedule 8)."""
    return [gateway for gateway in LegalGateway.objects.filter(
        category=GatewayCategory.DPA2018_PART3, status=GatewayStatus.CURRENT,
    ).order_by("key") if is_part3_sensitive(gateway)]


def part3_sensitive_names(conditions: Iterable[LegalGateway]) -> str:
    """``conditions`` named for a message: "X (title) or Y (title)"."""
    return " or ".join(f"{condition} ({condition.title})" for condition in conditions)


def _meets(schedule1_key: str, needed: str) -> bool:
    return schedule1_key.startswith(needed) if needed.endswith("-") else schedule1_key == needed


def schedule1_missing(conditions: Iterable[LegalGateway]) -> list[str]:
    """For each Article 9 condition among ``conditions`` that needs a DPA 2018 Schedule 1
    condition not among them, the message saying which (ending without a full stop)."""
    conditions = list(conditions)
    schedule1 = [c.key for c in conditions if c.category == GatewayCategory.DPA2018_SCH1]
    problems = []
    for condition in conditions:
        needed = SCHEDULE1_NEEDED.get(condition.key)
        if needed and not any(_meets(key, needed[0]) for key in schedule1):
            problems.append(
                f"{condition} ({condition.title}) needs {needed[1]} of the Data Protection Act 2018 (section 10)"
            )
    return problems


def repealed_problems(gateways: Iterable[LegalGateway]) -> list[str]:
    """One message per repealed or superseded instrument among ``gateways``, naming what
    replaced it: every replacement the catalogue records for that instrument."""
    problems = []
    by_instrument: dict[str, list[LegalGateway]] = {}
    for gateway in gateways:
        if not gateway.is_current:
            by_instrument.setdefault(gateway.instrument, []).append(gateway)
    for instrument, cited in sorted(by_instrument.items()):
        replaced = LegalGateway.objects.filter(instrument=instrument).exclude(replaced_by=None).select_related(
            "replaced_by",
        )
        replacements = sorted({gateway.replaced_by.instrument for gateway in replaced})
        dates = [gateway.repealed_on for gateway in cited if gateway.repealed_on]
        when = f" on {min(dates).day} {min(dates):%B %Y}" if dates else ""
        status = cited[0].get_status_display().lower()
        instead = f"the {' and '.join(replacements)}" if replacements else "the law in force"
        problems.append(f"the {instrument} was {status}{when}: cite {instead} instead")
    return problems


def legal_basis_problems(agreement: Agreement) -> list[str]:
    """Why ``agreement`` may not come into force on the legal basis it cites (each worded to
    follow "Cannot come into force: ", without a full stop); empty when it may."""
    gateways = list(agreement.gateways.all())
    categories = {gateway.category for gateway in gateways}
    problems = []
    if not categories & {GatewayCategory.ART6, GatewayCategory.DPA2018_PART3}:
        problems.append("cite a UK GDPR Article 6 lawful basis among its legal gateways")
    items = agreement.data_items.all()
    special = any(item.special_category for item in items)
    part3_only = GatewayCategory.DPA2018_PART3 in categories and GatewayCategory.ART6 not in categories
    if part3_only:
        # Law enforcement only: no UK GDPR Article 9, 10 or Schedule 1 (module docstring).
        sensitive = part3_sensitive_conditions()
        if special and sensitive and not any(is_part3_sensitive(gateway) for gateway in gateways):
            problems.append(
                "its data include special category data and its only basis is Part 3 of the DPA 2018, so they are "
                f"sensitive processing under section 35: cite {part3_sensitive_names(sensitive)} among its legal "
                "gateways"
            )
        return problems + repealed_problems(gateways)
    if special and GatewayCategory.ART9 not in categories:
        problems.append(
            "its data include special category data: cite a UK GDPR Article 9 condition among its legal gateways"
        )
    problems += [f"{problem}: cite it among its legal gateways" for problem in schedule1_missing(gateways)]
    if any(item.criminal_offence for item in items) and GatewayCategory.DPA2018_SCH1 not in categories:
        problems.append(
            "its data include criminal offence data: cite a DPA 2018 Schedule 1 condition among its legal "
            "gateways (UK GDPR Article 10)"
        )
    problems += repealed_problems(gateways)
    return problems
