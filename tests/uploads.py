"""Real files to upload, made small: a one-page PDF, a PNG and a JPEG that parse and decode
(agreements.uploads reads every upload in full), and PDFs carrying active content."""

import io

from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject


def _name(value: str) -> NameObject:
    return NameObject(value)


def _action(kind: str, **entries) -> DictionaryObject:
    return DictionaryObject({_name("/S"): _name(kind), **{_name(f"/{k}"): v for k, v in entries.items()}})


def pdf(*, catalogue: dict | None = None, annotation: DictionaryObject | None = None, attachment=None) -> bytes:
    """A one-page blank PDF; ``catalogue`` entries are added to its catalogue, ``annotation`` to
    its page, ``attachment`` (name, bytes) as an embedded file."""
    writer = PdfWriter()
    page = writer.add_blank_page(width=595, height=842)
    for name, value in (catalogue or {}).items():
        writer._root_object[_name(f"/{name}")] = value
    if annotation is not None:
        page[_name("/Annots")] = ArrayObject([writer._add_object(annotation)])
    if attachment is not None:
        writer.add_attachment(*attachment)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_javascript() -> bytes:
    """JavaScript run when the document opens."""
    return pdf(catalogue={"OpenAction": _action("/JavaScript", JS=TextStringObject("app.alert(1)"))})


def pdf_with_attachment() -> bytes:
    return pdf(attachment=("payload.html", b"<script>alert(1)</script>"))


def pdf_with_launch_action() -> bytes:
    return pdf(catalogue={"OpenAction": _action("/Launch", F=TextStringObject("cmd.exe"))})


def pdf_with_javascript_in_a_link() -> bytes:
    """JavaScript in a link on the page, reached only through the page's annotations."""
    return pdf(annotation=DictionaryObject({
        _name("/Type"): _name("/Annot"), _name("/Subtype"): _name("/Link"),
        _name("/A"): _action("/JavaScript", JS=TextStringObject("app.alert(1)")),
    }))


def pdf_with_a_web_link() -> bytes:
    """A plain link to a web page: not active content."""
    return pdf(annotation=DictionaryObject({
        _name("/Type"): _name("/Annot"), _name("/Subtype"): _name("/Link"),
        _name("/A"): _action("/URI", URI=TextStringObject("https://www.gov.uk/")),
    }))


def image(kind: str = "PNG", size=(40, 30)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, format=kind)
    return out.getvalue()


PDF = pdf()
PNG = image("PNG")
JPEG = image("JPEG")
# Starts as a PDF does, and is a web page with script: what the first bytes let through.
PDF_THEN_HTML = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n"
