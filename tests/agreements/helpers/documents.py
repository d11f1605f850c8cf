"""What the signed copy's tests share (test_documents.py, test_documents_views_no_cast.py,
test_seal.py): the ``Scene`` the ``scene`` fixture (conftest.py) makes, and signing, reading and
altering its copy."""

import datetime
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from agreements.models import Agreement, AgreementVersion, Party, SignedCopy
from agreements.services import (
    signature_record_paper,
)

TITLE = "Borsetshire Community Safety Information Sharing Agreement"


@dataclass
class Scene:
    agreement: Agreement
    owner_party: Party
    party: Party
    version: AgreementVersion
    signatory: object  # the partner's lead signatory
    reader: object  # a practitioner at the partner


def paper(scene, party) -> None:
    signature_record_paper(
        party=party, version=scene.version, signatory_name="Pat Signer", signatory_role="Chief Executive",
        signed_on=datetime.date(2026, 3, 1),
    )


def stored(copy: SignedCopy) -> bytes:
    with copy.file.open("rb") as file:
        return file.read()


def signed(scene) -> SignedCopy:
    paper(scene, scene.owner_party)
    paper(scene, scene.party)
    return SignedCopy.objects.get(version=scene.version)


def upload(content: bytes, name="copy.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def altered(content: bytes) -> bytes:
    middle = len(content) // 2
    return content[:middle] + bytes([content[middle] ^ 0x01]) + content[middle + 1:]

