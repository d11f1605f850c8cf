"""Spotting identifiers in the log's free text, so it does not become a second case file.

A case reference must be pseudonymous and a summary minimal (DOMAIN.md, "Disclosure"). These
detectors find the *clear* identifiers of a person — an NHS number, a date of birth, a
postcode, an e-mail address, a phone number — and nothing cleverer: they do not look for
names, which no pattern finds without refusing half of all case references.

They are tuned to keep false positives low, because a case reference that matches is refused:

- an NHS number is ten digits (as ``943 476 5919``, ``943-476-5919`` or ``9434765919``) whose
  Modulus 11 check digit is right, so most ten-digit case numbers pass;
- a date of birth is a full date (``12/03/2014``, ``2014-03-12``, ``12 March 2014``) labelled as
  a date of birth (``DOB``, ``born``), or more than a year before today: a disclosure is logged
  on the day, so a date that old in a reference or summary is most likely someone's birthday,
  while "visit on 3 March" this year is not;
- a postcode is a full UK postcode (outward and inward code), not an outward code alone;
- a phone number is a UK number: ten or eleven digits starting ``01``, ``02``, ``03``, ``05``,
  ``07``, ``08`` or ``09``, or ``+44``; zero-padded case numbers (``0000123456``) are not.

Nothing here logs or stores what it found.
"""

import datetime
import re

from django.utils import timezone

NHS_NUMBER = "nhs_number"
DATE_OF_BIRTH = "date_of_birth"
POSTCODE = "postcode"
EMAIL = "email"
PHONE = "phone"

# In the order findings are reported.
KINDS = (NHS_NUMBER, DATE_OF_BIRTH, POSTCODE, EMAIL, PHONE)
DESCRIPTIONS = {
    NHS_NUMBER: "an NHS number",
    DATE_OF_BIRTH: "a date of birth",
    POSTCODE: "a postcode",
    EMAIL: "an e-mail address",
    PHONE: "a phone number",
}

_NHS_NUMBER = re.compile(r"(?<!\d)(\d{3})[ -]?(\d{3})[ -]?(\d{4})(?!\d)")
_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}")
_POSTCODE = re.compile(
    r"\b(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s*\d[ABD-HJLNP-UW-Z]{2}\b", re.IGNORECASE,
)
# "+44 7700 900123", "+44 (0)1632 960000", "01632 960000", "(01632) 960 000", "07700-900-123".
_PHONE = re.compile(
    r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)[1-35789](?:\)?[\s-]?\d){8,9}(?!\d)"
)

_MONTHS = {
    name: number
    for number, names in enumerate(
        [("jan", "january"), ("feb", "february"), ("mar", "march"), ("apr", "april"),
         ("may",), ("jun", "june"), ("jul", "july"), ("aug", "august"),
         ("sep", "sept", "september"), ("oct", "october"), ("nov", "november"),
         ("dec", "december")],
        start=1,
    )
    for name in names
}
_MONTH_NAMES = "|".join(sorted(_MONTHS, key=len, reverse=True))
_DOB_LABEL = r"(?:\bd\.?\s?o\.?\s?b\b\.?|\bdate\s+of\s+birth\b|\bborn\b(?:\s+on\b)?)\s*[:\-]?\s*"
_DATES = (
    # day/month/year, UK order: 12/03/2014, 12-3-14, 12.03.2014
    re.compile(r"(?<![\d/.-])(?P<day>\d{1,2})[/.-](?P<month>\d{1,2})[/.-](?P<year>\d{4}|\d{2})(?![\d/.-])"),
    # ISO: 2014-03-12
    re.compile(r"(?<![\d/.-])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})(?![\d/.-])"),
    # 12 March 2014, 12th Mar 2014, 12 March, 2014
    re.compile(
        rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<month>{_MONTH_NAMES})\.?,?\s+(?P<year>\d{{4}})\b",
        re.IGNORECASE,
    ),
)


def nhs_number_is_valid(digits: str) -> bool:
    """The NHS number Modulus 11 check: the tenth digit checks the first nine."""
    if len(digits) != 10 or not digits.isdigit():
        return False
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        check = 0
    return check != 10 and check == int(digits[9])


def _has_nhs_number(text: str) -> bool:
    return any(nhs_number_is_valid("".join(match.groups())) for match in _NHS_NUMBER.finditer(text))


def _date_of(match) -> datetime.date | None:
    day, year = int(match["day"]), int(match["year"])
    month_text = match["month"]
    month = int(month_text) if month_text.isdigit() else _MONTHS[month_text.lower()]
    if year < 100:
        year += 2000 if year <= timezone.localdate().year % 100 else 1900
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def _has_date_of_birth(text: str, today: datetime.date) -> bool:
    a_year_ago = today - datetime.timedelta(days=365)
    for pattern in _DATES:
        for match in pattern.finditer(text):
            date = _date_of(match)
            if date is None:
                continue
            labelled = re.search(_DOB_LABEL + r"$", text[: match.start()], re.IGNORECASE)
            if labelled or date < a_year_ago:
                return True
    return False


def identifier_kinds(text: str, *, today: datetime.date | None = None) -> list[str]:
    """The kinds of identifier (``KINDS``) that ``text`` appears to hold, in ``KINDS`` order."""
    if not text:
        return []
    today = today or timezone.localdate()
    found = {
        NHS_NUMBER: _has_nhs_number(text),
        DATE_OF_BIRTH: _has_date_of_birth(text, today),
        POSTCODE: bool(_POSTCODE.search(text)),
        EMAIL: bool(_EMAIL.search(text)),
        PHONE: bool(_PHONE.search(text)),
    }
    return [kind for kind in KINDS if found[kind]]


def describe(kinds: list[str]) -> str:
    """"a postcode", "a postcode and a phone number", "an NHS number, a postcode and …"."""
    words = [DESCRIPTIONS[kind] for kind in kinds]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
