"""Reading a directory spreadsheet (CSV or XLSX) into rows to preview and import.

Two shapes are understood, told apart by their header row:
- seed 001's Appendix 1: Organisation, CSP Board Member?, Lead Signatory Name & Role, Signature
  form returned, Specific Point of Contact (SPOC), ECINS users;
- a plain contact list: Organisation, Sector (optional), Name, Job title, E-mail, Phone, and,
  optionally, each organisation's assurance (decision 0063): ODS code, ICO registration number,
  ICO registration renewal, DSPT status, DSPT publication date: the directory's own export
  (``partners.exports``) reads back in.

The file is refused whole, with a message saying why, when it is too large, not a CSV or an
XLSX, holds macros, or has a formula in any cell; nothing is read from it then. openpyxl reads
XLSX (docs/decisions/0020).
"""

import csv
import datetime
import io
import re
import zipfile

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from govuk_blocks.dates import long_date

from .forms import OrganisationForm
from .models import DsptStatus, Organisation, Sector
from .permissions import can_change_organisation
from .selectors import organisations_like

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 2000
FORMULA_START = ("=", "+", "-", "@", "＝", "＋", "－", "＠")
SPACES = " \t\u00a0\u3000"

APPENDIX_1 = "appendix_1"
CONTACT_LIST = "contact_list"

# Header words → the field they hold, for each shape (found anywhere in a heading, any case).
HEADERS = {
    APPENDIX_1: {
        "organisation": "organisation", "csp board member": "board_member",
        "lead signatory": "lead_signatory", "signature form": "signature_form",
        "specific point of contact": "spoc", "cambridgeshire ecins": "ecins", "ecins": "ecins",
    },
    CONTACT_LIST: {
        # Before "phone": the export's "Main phone" is the organisation's, not a person's.
        "main phone": "main_phone",
        "organisation": "organisation", "sector": "sector", "ods code": "ods_code",
        "ico registration number": "ico_registration_number", "ico registration renewal": "ico_renewal_date",
        "dspt status": "dspt_status", "dspt publication date": "dspt_published_on",
        "dspt published": "dspt_published_on", "name": "name", "job title": "job_title",
        "e-mail": "email", "email": "email", "phone": "phone",
    },
}


def _cells_of_csv(data: bytes) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValidationError("The CSV file must be saved as UTF-8 text.") from error
    return [row for row in csv.reader(io.StringIO(text))]


def _cells_of_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = archive.namelist()
    except zipfile.BadZipFile as error:
        raise ValidationError("The file is not a readable XLSX spreadsheet.") from error
    if any(name.lower().endswith("vbaproject.bin") for name in names):
        raise ValidationError("The spreadsheet contains macros. Save it as a plain .xlsx workbook without macros.")
    try:
        sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=False).worksheets[0]
        rows = []
        for row in sheet.iter_rows(values_only=True):
            rows.append(["" if value is None else str(value) for value in row])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise ValidationError("The file is not a readable XLSX spreadsheet.") from error


def read_cells(name: str, data: bytes) -> list[list[str]]:
    """The cells of the file's first sheet, as text; ``ValidationError`` saying why not."""
    if len(data) > MAX_BYTES:
        raise ValidationError(f"The file must be smaller than {MAX_BYTES // (1024 * 1024)} MB.")
    lower = name.lower()
    if lower.endswith((".xlsm", ".xls", ".xlsb")):
        raise ValidationError("The file must be a CSV or an .xlsx workbook (without macros).")
    if lower.endswith(".xlsx"):
        cells = _cells_of_xlsx(data)
    elif lower.endswith(".csv"):
        cells = _cells_of_csv(data)
    else:
        raise ValidationError("The file must be a CSV or an .xlsx workbook.")
    if len(cells) > MAX_ROWS + 1:
        raise ValidationError(f"The file must have no more than {MAX_ROWS} rows.")
    for number, row in enumerate(cells, start=1):
        for value in row:
            if value.lstrip(SPACES).startswith(FORMULA_START) and not _is_a_dash_before_text(value):
                raise ValidationError(
                    f"Row {number} has a formula in a cell ({value.strip()[:30]}). Remove formulas and import again.",
                )
    return cells


def _is_a_dash_before_text(value: str) -> bool:
    """"- Head of Service" (a name left out) is text, not a formula: a dash, a space, a letter."""
    return bool(re.match(r"^[\s\u00a0]*[-–]\s+[A-Za-z]", value))


def read_upload(upload) -> tuple[str, list[dict]]:
    """An uploaded file's shape and rows (``read_cells``, then ``rows_of``); ``ValidationError``
    saying why when it is refused. Reads no more than one byte past the limit."""
    return rows_of(read_cells(upload.name, upload.read(MAX_BYTES + 1)))


def rows_of(cells: list[list[str]]) -> tuple[str, list[dict]]:
    """The shape of the sheet and its rows as dicts of the shape's fields (blank rows left out)."""
    for index, header in enumerate(cells[:10]):
        for shape, words in HEADERS.items():
            columns = {}
            for column, title in enumerate(header):
                title = " ".join(title.lower().split())
                field = next((words[word] for word in words if word in title), None)
                if field and field not in columns.values():
                    columns[column] = field
            needed = {"organisation", "spoc"} if shape == APPENDIX_1 else {"organisation", "name"}
            if needed <= set(columns.values()):
                rows = []
                for number, row in enumerate(cells[index + 1:], start=index + 2):
                    values = {field: " ".join(row[column].split()) if column < len(row) else ""
                              for column, field in columns.items()}
                    if any(values.values()):
                        rows.append({"row": number, **values})
                return shape, rows
    raise ValidationError(
        "The first rows do not have the headings of a directory: Organisation and SPOC (as in an agreement's "
        "Appendix 1), or Organisation and Name (a contact list).",
    )


def name_and_title(text: str) -> tuple[str, str]:
    """"Adrian Chapman-Service Director" → ("Adrian Chapman", "Service Director");
    "– Area Commander" → ("", "Area Commander")."""
    if text.strip().startswith(("-", "–")):
        return "", text.strip(" –-")
    name, *title = re.split(r"\s*[–-]\s*(?=[A-Z])", text.strip(" –-"), maxsplit=1)
    return name.strip(), "".join(title).strip()


# Planning: what each row would do, and what is wrong with it ------------------------------------

SIGNATURE_FORM_STATUSES = {"", "yes", "no", "returned", "not returned", "awaiting details", "awaiting"}
SECTOR_WORDS = (
    ("rsl", "housing"), ("housing", "housing"), ("homes", "housing"), ("constabulary", "police"),
    ("police", "police"), ("fire", "fire_rescue"), ("county council", "county_council"),
    ("district council", "district_council"), ("clinical commissioning", "nhs"), ("nhs", "nhs"),
    ("integrated care", "nhs"), ("rehabilitation company", "probation"), ("probation", "probation"),
    ("voluntary", "voluntary"), ("school", "education"), ("academy", "education"), ("college", "education"),
)


def _sector_from_name(name: str) -> str:
    lower = name.lower()
    return next((sector for word, sector in SECTOR_WORDS if word in lower), "other")


def _sector_given(text: str) -> str | None:
    wanted = " ".join(text.lower().split())
    for value, label in Sector.choices:
        if wanted in (value, value.replace("_", " "), label.lower()):
            return value
    return None


def plan(shape: str, rows: list[dict], *, by_user=None) -> list[dict]:
    """Each row as it would be imported: its organisation (new or already there), its people, and
    its problems. A row with problems is left out of the import. With ``by_user`` (the directory
    import), people for an organisation already there that ``by_user`` may not change are a problem."""
    plans = []
    for row in rows:
        problems, people, assurance = [], [], {}
        name = re.sub(r"^RSL:\s*", "", row.get("organisation", ""), flags=re.I)
        existing = Organisation.objects.filter(name__iexact=name).first() if name else None
        sector = existing.sector if existing else _sector_from_name(row.get("organisation", ""))
        if not name:
            problems.append("No organisation name")
        elif existing is None:
            alike = organisations_like(name)
            if alike:
                problems.append(f"“{name}” nearly matches {', '.join(o.name for o in alike)}: use the exact name "
                                "if it is the same body, or add it on the Partners page first")
        if shape == CONTACT_LIST:
            if row.get("sector"):
                given = _sector_given(row["sector"])
                if given is None:
                    problems.append(f"Unknown sector “{row['sector']}”")
                elif existing is None:
                    sector = given
            email = row.get("email", "")
            if email:
                try:
                    validate_email(email)
                except ValidationError:
                    problems.append(f"“{email}” is not an e-mail address")
            if row.get("name"):
                people.append({"name": row["name"], "job_title": row.get("job_title", ""), "email": email.lower(),
                               "phone": row.get("phone", "")})
            assurance, wrong = assurance_of(row, existing, name=name, sector=sector)
            problems.extend(wrong)
            if assurance and existing is not None and by_user is not None \
                    and not can_change_organisation(by_user, existing):
                problems.append(assurance_refused(existing))
        else:
            status = row.get("signature_form", "").lower()
            if status not in SIGNATURE_FORM_STATUSES:
                problems.append(f"Unknown signature form status “{row['signature_form']}”")
            for field in ("lead_signatory", "spoc"):
                person, title = name_and_title(row.get(field, ""))
                if person and person.lower() not in ("awaiting details", "tbc", "vacant"):
                    people.append({"name": person, "job_title": title, "email": "", "phone": "", "role": field})
        if people and existing is not None and by_user is not None and not can_change_organisation(by_user, existing):
            problems.append(people_refused(existing))
        plans.append({
            "row": row["row"], "organisation": name, "existing": existing is not None, "sector": sector,
            "people": people, "problems": problems,
            # The assurance fields the row sets or changes, dates as ISO text (the plan waits in the session).
            "assurance": assurance, "assurance_shown": assurance_shown(assurance),
            # What Appendix 1 says of the organisation's place in its agreement (used when the rows
            # are imported into one: agreements.services.parties.agreement_parties_import).
            "awaiting_details": "awaiting" in row.get("lead_signatory", "").lower()
                                or row.get("signature_form", "").lower().startswith("awaiting"),
            "board_member": row.get("board_member", "").lower() in ("yes", "y"),
            # Yes, no, or None where the cell is blank: the register says nothing.
            "ecins": _yes_no_or_blank(row.get("ecins", "")),
            "signature_form": row.get("signature_form", "").strip(),
        })
    return plans


def _yes_no_or_blank(value: str) -> bool | None:
    value = value.strip().lower()
    if value in ("yes", "y"):
        return True
    if value in ("no", "n"):
        return False
    return None


# Organisation assurance (decision 0063): checked as the organisation's edit page checks it ---------

ASSURANCE_FIELDS = ("ods_code", "ico_registration_number", "ico_renewal_date", "dspt_status", "dspt_published_on")
ASSURANCE_DATES = ("ico_renewal_date", "dspt_published_on")
_ISO_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")  # an XLSX date cell adds 00:00:00
_UK_DATE = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")


def _date_parts(text: str) -> list[str] | None:
    """A cell's date as the form's [day, month, year] (2027-03-31, 31/03/2027 or 31 March 2027);
    ``None`` when it is not written as a date at all. Whether it is a real date is the form's to say."""
    if match := _ISO_DATE.match(text):
        year, month, day = match.groups()
        return [day, month, year]
    if match := _UK_DATE.match(text):
        return list(match.groups())
    try:
        written = datetime.datetime.strptime(text, "%d %B %Y").date()
    except ValueError:
        return None
    return [str(written.day), str(written.month), str(written.year)]


def _dspt_status_given(text: str) -> str | None:
    """The status as the toolkit or the portal writes it, any case ("Standards Met")."""
    wanted = " ".join(text.lower().split())
    return next((value for value, label in DsptStatus.choices if wanted in (value.replace("_", " "), label.lower())),
                None)


def assurance_of(row: dict, existing: Organisation | None, *, name: str, sector: str) -> tuple[dict, list[str]]:
    """The assurance fields ``row`` sets (a blank cell leaves the directory's value as it is) and
    what is wrong with them, checked by ``OrganisationForm`` with the organisation's other values,
    so a row is held to exactly what its edit page would accept. Only what changes is returned."""
    given = {field: row[field] for field in ASSURANCE_FIELDS if row.get(field)}
    if not given:
        return {}, []
    current = OrganisationForm.initial_for(existing) if existing is not None else {}
    data, problems, reported = {"name": name or "-", "sector": existing.sector if existing else sector}, [], set()
    for field in ASSURANCE_FIELDS:
        value = given.get(field)
        if field in ASSURANCE_DATES:
            parts = _date_parts(value) if value is not None else None
            if value is not None and parts is None:
                problems.append(_("%(column)s “%(value)s” is not a date: write it like 2027-03-31 or 31/03/2027") % {
                    "column": _("ICO registration renewal") if field == "ico_renewal_date"
                    else _("DSPT publication date"), "value": value})
                reported.add(field)
            if parts is None:
                known = current.get(field)
                parts = [str(known.day), str(known.month), str(known.year)] if known else ["", "", ""]
            data.update({f"{field}-{part}": text for part, text in zip(("day", "month", "year"), parts, strict=True)})
        elif field == "dspt_status" and value is not None:
            status = _dspt_status_given(value)
            if status is None:
                problems.append(_("Unknown DSPT status “%(value)s”: use %(statuses)s") % {
                    "value": value, "statuses": _("%(first)s or %(last)s") % {
                        "first": ", ".join(str(label) for label in DsptStatus.labels[:-1]),
                        "last": DsptStatus.labels[-1]}})
                reported.add(field)
            data[field] = status if status is not None else current.get(field, "")
        else:
            data[field] = value if value is not None else current.get(field, "")
    form = OrganisationForm(data=data, organisation=existing)
    form.is_valid()
    for field in ASSURANCE_FIELDS:
        if field not in reported:
            problems.extend(form.errors.get(field, []))
    if problems:
        return {}, problems
    changes = {}
    for field in given:
        value = form.cleaned_data[field]
        if existing is None or getattr(existing, field) != value:
            changes[field] = value.isoformat() if isinstance(value, datetime.date) else value
    return changes, []


def assurance_shown(assurance: dict) -> str:
    """What the preview says a row sets of the organisation's assurance: "ODS code: RGT; DSPT
    status: Standards met; DSPT publication date: 27 June 2026"."""
    fields = OrganisationForm.base_fields
    statuses = dict(DsptStatus.choices)
    shown = []
    for field in ASSURANCE_FIELDS:
        if field in assurance:
            value = assurance[field]
            if field in ASSURANCE_DATES:
                value = long_date(datetime.date.fromisoformat(value))
            elif field == "dspt_status":
                value = statuses.get(value, value)
            label = _("DSPT status") if field == "dspt_status" else fields[field].label
            shown.append(f"{label}: {value}")
    return "; ".join(shown)


def assurance_refused(organisation: Organisation) -> str:
    return _("%(organisation)s has people in the portal: only its own governance managers change its ODS code, "
             "ICO registration and DSPT") % {"organisation": organisation.name}


def people_refused(organisation: Organisation) -> str:
    return f"{organisation.name} has people in the portal: only its own governance managers add its contacts"


def preview(plans: list[dict], upload) -> dict:
    """What the dry-run page shows: each row's plan, and how many can and cannot be imported."""
    broken = sum(1 for row in plans if row["problems"])
    return {"plans": plans, "file_name": upload.name, "good": len(plans) - broken, "broken": broken}
