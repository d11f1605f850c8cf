"""Writes for agreements: every change to an agreement, its parties and signatures goes here.

One module per journey; import from ``agreements.services``.
"""

from .core import (
    agreement_create,
    agreement_purposes_set,
    agreement_substance_changed,
    agreement_version_create,
    data_item_create,
    gateway_save,
    party_add,
    party_contact_add,
    section_create,
    signature_record_paper,
)

__all__ = [
    "agreement_create",
    "agreement_purposes_set",
    "section_create",
    "data_item_create",
    "party_add",
    "party_contact_add",
    "agreement_version_create",
    "signature_record_paper",
    "gateway_save",
    "agreement_substance_changed",
]
