"""What an uploaded scan is, judged by reading all of it (issue 12, bad input; decision 0024).

The first bytes of a file say only what it claims to be: ``%PDF-`` followed by HTML and script
starts as a PDF does. So a PDF is parsed (pypdf) down to every object its pages, names and
actions reach, and refused if it does not parse, has no page, or carries JavaScript, embedded
or attached files, or actions that launch programs, play media or submit forms; an image is
decoded in full (Pillow) and refused if it does not decode, or is so large that decoding it
would exhaust the server. The kind found — never the file's name or the browser's content
type — gives the stored name's extension and the content type it is served with.
"""

import io
import warnings
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from PIL import Image
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

WRONG_TYPE = "The selected file must be a PDF, PNG or JPEG"
PDF_UNREADABLE = "The selected file could not be opened as a PDF – scan the form again and upload the new file"
PDF_ACTIVE = (
    "The selected PDF must not contain JavaScript, attached files or actions – "
    "scan the printed form again, or save it with ‘Print to PDF’, and upload the new file"
)
IMAGE_UNREADABLE = "The selected file could not be opened as a picture – scan or photograph the form again"

# A scan of a few pages has a few hundred objects; a file with far more is refused unread
# rather than walked at length.
MAX_PDF_OBJECTS = 20_000
# Pillow's own guard against decompression bombs is a warning up to twice this; a photo of a
# form from a phone is about 12 megapixels.
MAX_IMAGE_PIXELS = 40_000_000

# Names that mark active content anywhere in a PDF: script, files inside it, and actions that
# reach outside the document (/Launch runs a program). A plain link (/URI) is allowed.
_ACTIVE_KEYS = {"/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/EF", "/RichMedia", "/XFA"}
_ACTIVE_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/SubmitForm", "/RichMediaExecute", "/Rendition",
                   "/GoToE", "/Sound", "/Movie"}
_ACTIVE_TYPES = {"/EmbeddedFile", "/FileAttachment", "/RichMedia", "/Sound", "/Movie", "/Screen"}


@dataclass(frozen=True)
class Kind:
    extension: str
    content_type: str


PDF = Kind("pdf", "application/pdf")
PNG = Kind("png", "image/png")
JPEG = Kind("jpg", "image/jpeg")
KINDS = (PDF, PNG, JPEG)
_IMAGE_FORMATS = {"PNG": PNG, "JPEG": JPEG}


def scan_inspected(data: bytes, *, field: str = "scan") -> Kind:
    """The kind of file ``data`` is, read in full; ``ValidationError`` on ``field`` otherwise."""
    if data.startswith(b"%PDF-"):
        _pdf_checked(data, field)
        return PDF
    if data.startswith((b"\x89PNG\r\n\x1a\n", b"\xff\xd8\xff")):
        return _image_checked(data, field)
    raise ValidationError({field: WRONG_TYPE})


def _pdf_checked(data: bytes, field: str) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            reader = PdfReader(io.BytesIO(data))
            if reader.is_encrypted or len(reader.pages) == 0:
                raise ValidationError({field: PDF_UNREADABLE})
            active = _has_active_content(reader.trailer)
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 — pypdf raises many kinds on a damaged file; each means "unreadable"
        raise ValidationError({field: PDF_UNREADABLE}) from None
    if active:
        raise ValidationError({field: PDF_ACTIVE})


def _has_active_content(trailer) -> bool:
    """Whether anything reachable from the trailer (the catalogue, its pages, names, outlines,
    annotations and actions) is active content. Walks iteratively, each object once."""
    seen: set[tuple[int, int]] = set()
    stack = [trailer]
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        if visited > MAX_PDF_OBJECTS:
            raise ValueError("too many objects")
        if isinstance(node, DictionaryObject):
            if _ACTIVE_KEYS & set(node.keys()):
                return True
            if node.get("/S") in _ACTIVE_ACTIONS or node.get("/Subtype") in _ACTIVE_TYPES:
                return True
            if node.get("/Type") in _ACTIVE_TYPES:
                return True
            stack.extend(value for name, value in node.items() if name != "/Parent")
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return False


def _image_checked(data: bytes, field: str) -> Kind:
    try:
        with Image.open(io.BytesIO(data)) as image:
            kind = _IMAGE_FORMATS.get(image.format)
            width, height = image.size
            if kind is None or width * height > MAX_IMAGE_PIXELS:
                raise ValidationError({field: IMAGE_UNREADABLE})
            image.verify()  # the file's structure and checksums
        with Image.open(io.BytesIO(data)) as image:
            image.load()  # decodes every pixel: a truncated or corrupt file fails here
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 — Pillow raises many kinds on a damaged file; each means "unreadable"
        raise ValidationError({field: IMAGE_UNREADABLE}) from None
    return kind

