"""Reading a directory spreadsheet (CSV or XLSX) into rows to preview and import.

Two shapes are understood, told apart by their header row:
- seed 001's Appendix 1: Organisation, CSP Board Member?, Lead Signatory Name & Role, Signature
  form returned, Specific Point of Contact (SPOC), ECINS users;
- a plain contact list: Organisation, Sector (optional), Name, Job title, E-mail, Phone.

The file is refused whole, with a message saying why, when it is too large, not a CSV or an
XLSX, holds macros, or has a formula in any cell; nothing is read from it then. openpyxl reads
XLSX (docs/decisions/0020).
"""

import csv
import io
import re
import zipfile

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from .models import Organisation, Sector
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
        "organisation": "organisation", "sector": "sector", "name": "name", "job title": "job_title",
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
        problems, people = [], []
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


def people_refused(organisation: Organisation) -> str:
    return f"{organisation.name} has people in the portal: only its own governance managers add its contacts"


def preview(plans: list[dict], upload) -> dict:
    """What the dry-run page shows: each row's plan, and how many can and cannot be imported."""
    broken = sum(1 for row in plans if row["problems"])
    return {"plans": plans, "file_name": upload.name, "good": len(plans) - broken, "broken": broken}
