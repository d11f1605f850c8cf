"""The agreement as a PDF (agreements/pdf.py, agreements/views/documents.py): read back from the
bytes the portal serves, for seed 001's agreement as the demo holds it."""

import itertools
import re
import shutil
import subprocess

import pytest

from agreements.models import Agreement, Section, Signature
from agreements.pdf import STATIC_BASE_URL, FetchRefused, StaticOnlyURLFetcher, agreement_html, agreement_pdf
from tests.agreements.helpers import pdf_pages
from tests.agreements.helpers.tagged import tagged
from tests.factories import AgreementFactory, PartyFactory, SectionFactory

PDFTOPPM = shutil.which("pdftoppm") or "/usr/bin/pdftoppm"  # poppler-utils, scripts/install_pdf_packages.sh


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()



@pytest.fixture(scope="module")
def csp_pdf(demo_loaded, django_db_blocker):
    """Seed 001's agreement, version 1, rendered once for the module: (agreement, version, pages)."""
    with django_db_blocker.unblock():
        agreement = Agreement.objects.get(reference="CSP ISA")
        version = agreement.versions.get(number=1)
        fetcher = StaticOnlyURLFetcher()
        pdf = agreement_pdf(agreement, version, url_fetcher=fetcher)
    return agreement, version, pdf, pdf_pages(pdf), fetcher


@pytest.fixture
def csp(csp_pdf, db):
    return csp_pdf


# Reading seed 001's agreement back ------------------------------------------------------------

def test_the_pdf_names_every_party_signatory_gateway_and_section_of_seed_001(csp):
    agreement, version, _pdf, pages, _fetcher = csp
    text = " ".join(pages)
    parties = list(agreement.parties.select_related("organisation"))
    signatures = list(Signature.objects.filter(version=version))
    sections = list(Section.objects.filter(agreement=agreement))
    gateways = list(agreement.gateways.all())
    assert len(parties) >= 40 and signatures and sections and gateways
    missing = (
        [p.organisation.name for p in parties if _flat(p.organisation.name) not in text]
        + [s.signatory_name for s in signatures if _flat(s.signatory_name) not in text]
        + [s.heading for s in sections if _flat(s.heading) not in text]
        + [g.title for g in gateways if _flat(g.title) not in text]
        + [str(g) for g in gateways if _flat(g.instrument) not in text]
    )
    assert missing == []


def test_every_page_carries_the_marking_its_number_and_the_version_with_its_hash(csp):
    _agreement, version, _pdf, pages, _fetcher = csp
    assert len(pages) > 5
    for number, page in enumerate(pages, start=1):
        assert page.count("Not protectively marked") >= 2, f"page {number} lacks the marking top and bottom"
        assert f"Page {number} of {len(pages)}" in page
        assert f"Version {version.label} · SHA-256 {version.content_hash}" in page


def test_parties_that_have_not_signed_the_version_are_shown_as_outstanding(csp):
    agreement, version, _pdf, pages, _fetcher = csp
    signed = set(Signature.objects.filter(version=version).values_list("party_id", flat=True))
    unsigned = [party for party in agreement.parties.select_related("organisation") if party.pk not in signed]
    signature_pages = " ".join(pages[pages.index(next(p for p in pages if "Each party's lead signatory" in p)):])
    assert unsigned
    for party in unsigned:
        assert f"{_flat(party.organisation.name)} Outstanding" in signature_pages


@pytest.mark.django_db
def test_the_appendix_says_a_lead_signatory_is_not_named_rather_than_the_partys_status():
    """The lead signatory column read "Invited" where the SPOC column beside it read "Not named"
    (found trying a MARAC protocol through the pages): a status is not a signatory."""
    agreement = AgreementFactory()
    PartyFactory(agreement=agreement, status="invited")
    PartyFactory(agreement=agreement, status="declined")

    appendix = _flat(agreement_html(agreement).split('id="parties"', 1)[1].split("</table>", 1)[0])

    assert appendix.count("<td>Not named</td>") >= 2  # the invited party's two columns
    assert "<td>Not named (declined)</td>" in appendix
    assert "<td>Invited</td>" not in appendix


def test_rendering_seed_001_asks_only_for_the_pdf_stylesheet(csp):
    *_rest, fetcher = csp
    assert fetcher.asked == [f"{STATIC_BASE_URL}css/agreement-pdf.css"]
    assert fetcher.refused == []


def test_page_1_renders_to_a_png_that_is_not_blank(csp, tmp_path):
    _agreement, _version, pdf, _pages, _fetcher = csp
    (tmp_path / "agreement.pdf").write_bytes(pdf)
    subprocess.run([PDFTOPPM, "-r", "40", "-png", "-f", "1", "-l", "1", "-singlefile",  # noqa: S603
                    str(tmp_path / "agreement.pdf"), str(tmp_path / "cover")], check=True)
    assert (tmp_path / "cover.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    gray = subprocess.run([PDFTOPPM, "-r", "40", "-gray", "-f", "1", "-l", "1", "-singlefile",  # noqa: S603
                           str(tmp_path / "agreement.pdf")], check=True, capture_output=True).stdout
    # A binary PGM: "P5", width, height, maxval, then one byte a pixel.
    magic, width, height, _maxval, pixels = gray.split(maxsplit=4)
    assert magic == b"P5" and len(pixels) == int(width) * int(height)
    dark = sum(1 for value in pixels if value < 128)
    assert 0.005 < dark / len(pixels) < 0.5


# Tagged for accessibility (PDF/UA-1, docs/decisions/0046) ---------------------------------------

def test_the_pdf_is_tagged_with_its_language_and_title_shown_as_the_window_title(csp):
    _agreement, version, pdf, _pages, _fetcher = csp
    document = tagged(pdf)
    title = f"{version.content['title']} – version {version.label}"
    assert document.tree is not None and document.tree.role == "Document"
    assert document.catalog["/MarkInfo"]["/Marked"].value is True
    assert document.catalog["/Lang"] == "en-GB"
    assert document.title == title
    assert document.catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert 'pdfuaid:part="1"' in document.xmp
    assert f'<rdf:li xml:lang="x-default">{title}</rdf:li>' in document.xmp


def test_headings_are_real_headings_one_h1_then_h2s_with_no_level_skipped(csp):
    _agreement, version, pdf, _pages, _fetcher = csp
    headings = tagged(pdf).headings()
    # Document control, Contents, Purposes, each section, Data, and the three appendices.
    assert headings.count("H1") == 1 and headings[0] == "H1"
    assert headings.count("H2") == 7 + len(version.content["sections"])
    assert "H3" in headings
    assert [(a, b) for a, b in itertools.pairwise(headings) if int(b[1]) > int(a[1]) + 1] == []


def test_every_table_has_header_cells_and_every_data_cell_names_its_headers(csp):
    _agreement, _version, pdf, _pages, _fetcher = csp
    tables = tagged(pdf).elements("Table")
    # The cover's facts, document control, version history, data (one a provider), the three appendices.
    assert len(tables) >= 7
    for table in tables:
        headers = {cell.identifier for cell in table.walk() if cell.role == "TH"}
        cells = [cell for cell in table.walk() if cell.role == "TD"]
        assert headers and None not in headers
        assert cells and all(set(cell.attributes["/Headers"]) <= headers for cell in cells)
        assert all(cell.attributes["/Headers"] for cell in cells)
    cover, version_history = tables[0], tables[2]
    assert [cell.role for row in cover.walk() if row.role == "TR" for cell in row.children][:4] == [
        "TH", "TD", "TH", "TD",
    ]
    # Each header cell says what it heads too, for readers that look for /Scope, not /Headers.
    scopes = {cell.attributes.get("/Scope") for table in tables for cell in table.walk() if cell.role == "TH"}
    assert scopes == {"/Row", "/Column"}
    assert {cell.attributes["/Scope"] for cell in cover.walk() if cell.role == "TH"} == {"/Row"}
    assert {cell.attributes["/Scope"] for cell in version_history.walk() if cell.role == "TH"} == {"/Column"}


def test_each_contents_entry_is_one_link_that_says_where_it_goes(csp):
    _agreement, version, pdf, _pages, _fetcher = csp
    links = tagged(pdf).elements("Link")
    # Purposes, each section, Data and the three appendices.
    assert len(links) == 5 + len(version.content["sections"])
    assert all(len(link.annotations) == 1 and "Link" not in link.roles()[1:] for link in links)
    # Each link annotation is described by the link's own text, not its target's id.
    first = version.content["sections"][0]
    assert [str(link.annotations[0]["/Contents"]) for link in links][:2] == [
        "Purposes", f"{first['number']}. {first['heading']}",
    ]
    assert [str(link.annotations[0]["/Contents"]) for link in links][-1] == "Signatures"


def test_its_fonts_are_embedded_with_a_map_to_unicode(csp):
    _agreement, _version, pdf, _pages, _fetcher = csp
    fonts = tagged(pdf).fonts()
    composite = [font for font in fonts if font["/Subtype"] == "/Type0"]
    assert composite and all("/ToUnicode" in font for font in composite)
    descriptors = [font["/FontDescriptor"].get_object() for font in fonts if "/FontDescriptor" in font]
    assert descriptors and all({"/FontFile", "/FontFile2", "/FontFile3"} & set(d) for d in descriptors)


@pytest.mark.django_db
def test_the_working_draft_is_tagged_too():
    agreement = AgreementFactory(title="Borsetshire Draft Agreement")
    PartyFactory(agreement=agreement, organisation=agreement.owner)
    document = tagged(agreement_pdf(agreement, url_fetcher=StaticOnlyURLFetcher()))
    assert document.title == "Borsetshire Draft Agreement – draft"
    assert document.catalog["/Lang"] == "en-GB"
    assert document.headings()[:2] == ["H1", "H2"]


# Agreement text cannot make the renderer fetch anything ---------------------------------------

PAYLOADS = (
    '<img src="file:///etc/passwd">\n'
    '<link rel="stylesheet" href="http://169.254.169.254/latest/meta-data/">\n'
    '<style>@import url(http://169.254.169.254/x.css);</style>\n'
    '<img src="../../../../etc/passwd">'
)


@pytest.mark.django_db
def test_markup_in_agreement_text_is_printed_as_text_and_fetches_nothing():
    agreement = AgreementFactory(title="<img src='file:///etc/hostname'> Payload agreement")
    PartyFactory(agreement=agreement, organisation=agreement.owner)
    SectionFactory(agreement=agreement, number="1", heading="<b>Injected</b>", body=PAYLOADS)
    fetcher = StaticOnlyURLFetcher()
    text = " ".join(pdf_pages(agreement_pdf(agreement, url_fetcher=fetcher)))
    assert fetcher.asked == [f"{STATIC_BASE_URL}css/agreement-pdf.css"]
    assert '<img src="file:///etc/passwd">' in text
    assert "@import url(http://169.254.169.254/x.css);" in text
    assert "<b>Injected</b>" in text
    assert "root:" not in text


@pytest.mark.parametrize("url", [
    "file:///etc/passwd",
    "http://169.254.169.254/latest/meta-data/",
    "https://example.org/style.css",
    "ftp://example.org/x",
    f"{STATIC_BASE_URL}../../../etc/passwd",
    f"{STATIC_BASE_URL}css/../../settings.py",
    f"{STATIC_BASE_URL}%2e%2e/%2e%2e/etc/passwd",
    f"{STATIC_BASE_URL}/etc/passwd",
    f"{STATIC_BASE_URL}css/no-such-file.css",
    "https://static.isa-portal.invalid/etc/passwd",
])
def test_the_fetcher_refuses_everything_but_the_portals_static_files(url):
    fetcher = StaticOnlyURLFetcher()
    with pytest.raises(FetchRefused):
        fetcher.fetch(url)
    assert fetcher.refused == [url]


def test_the_fetcher_serves_a_static_file_from_disk_and_data_urls():
    fetcher = StaticOnlyURLFetcher()
    css = fetcher.fetch(f"{STATIC_BASE_URL}css/agreement-pdf.css")
    assert b"@page" in css.read() and css.headers.get_content_type() == "text/css"
    assert fetcher.fetch("data:text/plain;base64,aGVsbG8=").read() == b"hello"
