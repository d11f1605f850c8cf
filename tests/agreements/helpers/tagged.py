"""Reading a tagged PDF back (test_pdf.py, test_seal.py, test_register.py, test_records.py): its
catalog, its metadata and its structure tree, with pypdf, as a screen reader's PDF library would."""

import io
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject


@dataclass
class Element:
    """One structure element: its role (``H1``, ``Table``, ``TH`` …), its attributes and its
    children, as ``/S``, ``/A`` and ``/K`` hold them."""

    role: str
    attributes: dict
    identifier: str | None
    alt: str | None
    children: list["Element"]
    annotations: list[DictionaryObject]

    def walk(self):
        yield self
        for child in self.children:
            yield from child.walk()

    def roles(self) -> list[str]:
        return [element.role for element in self.walk()]


def _kids(value) -> list:
    value = value.get_object() if isinstance(value, IndirectObject) else value
    return list(value) if isinstance(value, ArrayObject) else [value]


def _element(dictionary: DictionaryObject) -> Element:
    children, annotations = [], []
    for kid in _kids(dictionary.get("/K", ArrayObject())):
        kid = kid.get_object() if isinstance(kid, IndirectObject) else kid
        if not isinstance(kid, DictionaryObject):
            continue  # a marked-content id: text on a page
        if kid.get("/Type") == "/OBJR":
            annotations.append(kid["/Obj"].get_object())
        elif "/S" in kid:
            children.append(_element(kid))
    attributes = dictionary.get("/A", DictionaryObject()).get_object()
    identifier, alt = dictionary.get("/ID"), dictionary.get("/Alt")
    return Element(
        role=str(dictionary["/S"])[1:],
        attributes=dict(attributes) if isinstance(attributes, DictionaryObject) else {},
        identifier=str(identifier) if identifier is not None else None,
        alt=str(alt) if alt is not None else None,
        children=children,
        annotations=annotations,
    )


@dataclass
class TaggedPdf:
    reader: PdfReader
    catalog: DictionaryObject
    tree: Element | None  # the /Document element under /StructTreeRoot, None if untagged

    @property
    def title(self) -> str | None:
        return self.reader.metadata.title if self.reader.metadata else None

    @property
    def xmp(self) -> str:
        stream = self.catalog.get("/Metadata")
        return stream.get_object().get_data().decode() if stream is not None else ""

    def elements(self, role: str) -> list[Element]:
        return [element for element in self.tree.walk() if element.role == role] if self.tree else []

    def headings(self) -> list[str]:
        """The heading roles in reading order: ``["H1", "H2", "H3", "H2", …]``."""
        return [role for role in self.tree.roles() if role in ("H1", "H2", "H3", "H4", "H5", "H6")]

    def fonts(self) -> list[DictionaryObject]:
        """Every font the pages use, descendant fonts for composite (Type0) ones."""
        found = {}
        for page in self.reader.pages:
            for font in (page["/Resources"].get_object().get("/Font") or {}).values():
                font = font.get_object()
                for each in [font, *(d.get_object() for d in font.get("/DescendantFonts", []))]:
                    found[id(each)] = each
        return list(found.values())


def tagged(pdf: bytes) -> TaggedPdf:
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"].get_object()
    root = catalog.get("/StructTreeRoot")
    tree = None
    if root is not None:
        documents = [_element(kid.get_object()) for kid in _kids(root.get_object()["/K"])]
        tree = documents[0] if len(documents) == 1 else Element("StructTreeRoot", {}, None, None, documents, [])
    return TaggedPdf(reader=reader, catalog=catalog, tree=tree)
