"""The legal basis an agreement and the entries under it rest on (issue 13 item 1).

UK GDPR Article 9 conditions (b), (g), (h), (i) and (j) are met only with a condition in
Schedule 1 to the Data Protection Act 2018 (DPA 2018 s10(2)–(3)); criminal-offence data needs a
Schedule 1 condition too (s10(5)). ``SCHEDULE1_NEEDED`` says which. An agreement comes into
force only with a lawful basis, the conditions its data need, and no repealed law
(``legal_basis_problems``, called by the in-force gate in ``lifecycle``). The sharing log asks
``schedule1_missing`` of each entry.
"""

from collections.abc import Iterable

from ..models import Agreement, GatewayCategory, LegalGateway

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
    if any(item.special_category for item in items) and GatewayCategory.ART9 not in categories:
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
