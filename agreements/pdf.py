"""The agreement as a PDF document, rendered by WeasyPrint from ``agreements/pdf/agreement.html``.

What is rendered is a version's frozen content (``AgreementVersion.content``) — the text a
signatory signed — or, for an agreement with no version yet or back in drafting, the working
draft. The parties, their signatories and SPOCs are not part of a version's content (001 §3.4,
§6.5), so the appendices and the signature page show them as they stand now.

Safety: agreement text is escaped by the template, and even if markup got through, the renderer
fetches nothing but the project's own static files and ``data:`` URLs (``StaticOnlyURLFetcher``):
no ``file://``, no network, no cloud metadata address.
"""

import mimetypes
import posixpath
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import unquote

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

from . import permissions
from .models import Agreement, AgreementVersion, DocumentLanguage, LegalGateway, Signature, Status
from .selectors import versions
from .selectors.browse import agreement_party_rows
from .selectors.qa_reviews import qa_review_counting

# A host under the reserved .invalid top-level domain can never resolve, so a relative URL in
# the document resolves to something only this fetcher understands.
STATIC_BASE_URL = "https://static.isa-portal.invalid/static/"


def _header_cell_scopes(pdf) -> None:
    """WeasyPrint ties each data cell to its header cells by ``/Headers`` naming their ``/ID``;
    this also gives each header cell the ``/Scope`` some readers and checkers look for instead:
    ``/Row`` when the data cells naming it are in its own row, ``/Column`` otherwise."""
    elements = [
        item for item in pdf.objects
        if isinstance(item, dict) and item.get("Type") == "/StructElem"  # pydyf.Dictionary
    ]
    rows_naming: dict[str, set] = defaultdict(set)  # a header's ID: the rows of the cells naming it
    for cell in elements:
        if cell["S"] == "/TD":
            for header in cell.get("A", {}).get("Headers", ()):
                rows_naming[header.string].add(cell["P"])
    for cell in elements:
        if cell["S"] == "/TH" and "ID" in cell and rows_naming.get(cell["ID"].string):
            cell["A"]["Scope"] = "/Row" if rows_naming[cell["ID"].string] == {cell["P"]} else "/Column"


def _link_descriptions(document) -> None:
    """WeasyPrint describes a link's annotation (``/Contents``, what a reader says for it) by its
    target, a heading's id ("section-1"); this describes it by the link's own text."""
    for page in document.pages:
        for _kind, _target, _rectangle, box in page.links:
            annotation = getattr(box, "link_annotation", None)
            text = " ".join("".join(box.element.itertext()).split()) if box.element is not None else ""
            if annotation is not None and text and "Contents" in annotation:
                annotation["Contents"].string = text  # a pydyf.String


def _finished(document, pdf) -> None:
    """What the portal adds to WeasyPrint's tags, on the finished object tree before it is
    written (WeasyPrint's ``finisher``): attributes only, no bytes rewritten afterwards."""
    _header_cell_scopes(pdf)
    _link_descriptions(document)


# Every PDF the portal makes is tagged for accessibility as PDF/UA-1 (docs/decisions/0046):
# a structure tree from the HTML (headings, lists, tables with their header cells, figures with
# their alt text), /MarkInfo, /Lang from <html lang>, /Title from <title> shown as the window
# title, and the PDF/UA identifier in the XMP metadata. The templates must keep what that needs:
# lang on <html>, a <title>, headings in order, <th> for header cells, alt on every image.
PDF_OPTIONS = {"pdf_variant": "pdf/ua-1", "finisher": _finished}

# Statuses in which the agreement's own text is still being written, so the PDF shows the
# working draft rather than its latest version.
DRAFTING = (Status.DRAFT, Status.CONSULTATION)


class FetchRefused(ValueError):
    pass


class StaticOnlyURLFetcher(URLFetcher):
    """Serves the project's static files (``STATIC_BASE_URL`` + a path the staticfiles finders
    know) and ``data:`` URLs; refuses everything else. ``asked`` and ``refused`` list the URLs
    seen, for tests and for a warning if the template ever asks for something it cannot have."""

    def __init__(self, **kwargs):
        super().__init__(allowed_protocols=("data",), allow_redirects=False, timeout=1, **kwargs)
        self.asked: list[str] = []
        self.refused: list[str] = []

    def fetch(self, url, headers=None):
        self.asked.append(url)
        if url.lower().startswith("data:"):
            return super().fetch(url, headers)
        path = self._static_path(url)
        if path is None:
            self.refused.append(url)
            raise FetchRefused(f"The PDF renderer fetches only the portal's static files, not {url[:80]}")
        with open(path, "rb") as file:
            body = file.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    @staticmethod
    def _static_path(url: str) -> str | None:
        if not url.startswith(STATIC_BASE_URL):
            return None
        relative = unquote(url[len(STATIC_BASE_URL):].split("?", 1)[0].split("#", 1)[0])
        if not relative or "\\" in relative or "\x00" in relative or relative.startswith("/"):
            return None
        if ".." in relative.split("/") or posixpath.normpath(relative) != relative:
            return None
        found = finders.find(relative)
        return found if isinstance(found, str) else None


@dataclass
class SignatureRow:
    party: object
    signature: Signature | None


def _gateways(keys) -> list[LegalGateway]:
    return list(LegalGateway.objects.filter(key__in=keys).order_by("instrument", "provision"))


def document_context(agreement: Agreement, version: AgreementVersion | None) -> dict:
    """What the template needs: ``version`` is ``None`` for the working draft."""
    if version is None:
        frozen = AgreementVersion(agreement=agreement, content=versions.agreement_content(agreement))
        content_hash = versions.content_hash(frozen.content)
    else:
        frozen, content_hash = version, version.content_hash
    content = versions.version_for_reading(frozen)
    parties = agreement_party_rows(agreement)
    signatures = []
    for party in parties:
        signed = next((s for s in party.signed_versions if version and s.version_id == version.pk), None)
        signatures.append(SignatureRow(party=party, signature=signed))
    latest = versions.latest_version(agreement)
    data_groups: dict[str, list[dict]] = {}
    for item in content.get("data_items") or []:
        data_groups.setdefault(item.get("provider") or "", []).append(item)
    # The language of the text, frozen with the content (absent: English): the PDF's /Lang and the
    # language of its headings and dates (decision 0058).
    lang = content.get("language") or DocumentLanguage.ENGLISH
    return {
        "lang": lang,
        "django_lang": DocumentLanguage(lang).django_code,
        "agreement": agreement,
        "version": version,
        "is_latest": version is not None and latest is not None and latest.pk == version.pk,
        "content": content,
        "content_hash": content_hash,
        "gateways": _gateways(version.content.get("gateways") or [] if version else
                              agreement.gateways.values_list("key", flat=True)),
        "data_groups": list(data_groups.items()),
        "parties": parties,
        "signatures": signatures,
        "versions": list(versions.agreement_versions(agreement).order_by("number")),
        "drawn_up_by": agreement.drawn_up_by.select_related("organisation"),
        "generated_at": timezone.now(),
        # The QA review that counts for this version (decision 0064): part of the document control.
        "qa_required": agreement.qa_required,
        "qa_review": qa_review_counting(agreement, version) if version is not None else None,
    }


def agreement_html(agreement: Agreement, version: AgreementVersion | None = None) -> str:
    """The HTML ``agreement_pdf`` lays out: quick to make, unlike the layout itself."""
    return render_to_string("agreements/pdf/agreement.html", document_context(agreement, version))


def html_pdf(html: str, *, url_fetcher=None) -> bytes:
    """``html`` as a tagged A4 PDF, fetching through ``url_fetcher`` (the static-only one if ``None``).
    WeasyPrint's layout is the slow part, growing with the document."""
    fetcher = url_fetcher or StaticOnlyURLFetcher()
    return HTML(string=html, base_url=STATIC_BASE_URL, url_fetcher=fetcher).write_pdf(**PDF_OPTIONS)


def agreement_pdf(agreement: Agreement, version: AgreementVersion | None = None, *, url_fetcher=None) -> bytes:
    """``agreement`` as an A4 PDF: ``version``, or the working draft when it is ``None``."""
    return html_pdf(agreement_html(agreement, version), url_fetcher=url_fetcher)


def pdf_rendered_in_request(html: str) -> bool:
    """Whether a document is small enough to lay out while its reader waits: up to
    ``PDF_IN_REQUEST_MAX_CHARS`` characters of HTML (docs/decisions/0050). A larger one is
    prepared by a background task (``agreements.tasks.prepare_pdf``)."""
    return len(html) <= settings.PDF_IN_REQUEST_MAX_CHARS


_READ = object()


def pdf_version_served(agreement: Agreement, *, latest=_READ) -> AgreementVersion | None:
    """The version ``/pdf/`` serves without ``?version``: the latest, unless the agreement is
    being drafted (or has no version), when it serves the working draft (``None``). ``latest``:
    the latest version (or ``None``) when the caller has read it already."""
    if latest is _READ:
        latest = versions.latest_version(agreement)
    return None if latest is None or agreement.status in DRAFTING else latest


def pdf_available_to(user, agreement: Agreement, *, latest=_READ, manages: bool | None = None) -> bool:
    """Whether the agreement page offers ``user`` the PDF (rules in ``agreements.permissions``).
    ``latest`` and ``manages`` (``can_manage``, which ``can_read_working_draft`` asks) when the
    page knows them already."""
    if pdf_version_served(agreement, latest=latest) is not None:
        return True
    return manages if manages is not None else permissions.can_read_working_draft(user, agreement)


def pdf_filename(agreement: Agreement, version: AgreementVersion | None) -> str:
    """Made by the server from the reference (or title) and version, never from user input."""
    name = slugify(agreement.reference or agreement.title)[:60] or "agreement"
    label = f"v{version.label}" if version else "draft"
    return f"{name}-{label}.pdf".replace("..", ".")


def register_pdf(entry, *, url_fetcher=None) -> bytes:
    """The public register entry (``selectors.register.RegisterEntry``) as an A4 PDF. The entry
    holds no personal data, and the template is given nothing else."""
    html = render_to_string("agreements/register/pdf.html", {"entry": entry, "generated_at": timezone.now()})
    return html_pdf(html, url_fetcher=url_fetcher)


def register_pdf_filename(entry) -> str:
    name = slugify(entry.reference or entry.title)[:60] or "agreement"
    return f"{name}-register-entry.pdf"


def processing_record_pdf(organisation, rows, *, on, url_fetcher=None) -> bytes:
    """An organisation's record of processing (``selectors.records.processing_record``) as an A4 PDF."""
    html = render_to_string("agreements/records/pdf.html", {"organisation": organisation, "rows": rows, "on": on})
    return html_pdf(html, url_fetcher=url_fetcher)
