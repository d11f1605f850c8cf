"""Reads of an agreement's versions: the substance a version freezes, its hash, and what changed."""

import hashlib
import json

from django.db.models import Count, QuerySet

from ..diff import VersionDiff, content_diff
from ..models import Agreement, AgreementVersion, DataLevel, DocumentLanguage, Kind, ProtectiveMarking, TransferMethod
from .gateways import gateway_labels
from .kinds import kind_content


def agreement_content(agreement: Agreement) -> dict:
    """The substance of an agreement: what a signatory signs and a new version freezes.

    Contact details of SPOCs are deliberately absent: updating them is not a substantive
    change (001 §6.5). So is the list of parties: a partner joining an agreement in force
    signs the version already in force (001 §3.4), and its joining makes no new version.
    What each party provides is part of the substance (001 §5.5), so each data item names
    its providers.
    """
    content = {
        "title": agreement.title,
        "reference": agreement.reference,
        "kind": agreement.kind,
        "parent": agreement.parent.title if agreement.parent_id else None,
        "owner": agreement.owner.name,
        "protective_marking": agreement.protective_marking,
        "purposes": [purpose.text for purpose in agreement.purposes.all()],
        "sections": [
            {"number": s.number, "heading": s.heading, "body": s.body} for s in agreement.sections.all()
        ],
        "data_items": [
            {
                "provider": item.provider_label, "level": item.level, "description": item.description,
                "providers": sorted(item.providers.values_list("organisation__name", flat=True)),
            }
            for item in agreement.data_items.all()
        ],
        "gateways": sorted(agreement.gateways.values_list("key", flat=True)),
        "transfer_methods": sorted(agreement.transfer_methods),
        "consent_position": agreement.consent_position,
        "retention_months_after_closure": agreement.retention_months_after_closure,
        "retention_rule": agreement.retention_rule,
        "review_first_after_months": agreement.review_first_after_months,
        "review_every_months": agreement.review_every_months,
    }
    # Added with the fixed-period rule (issue 13 item 7); absent while unset, so that the content
    # (and its hash) of every version made before stays what it was.
    if agreement.retention_months_from_disclosure is not None:
        content["retention_months_from_disclosure"] = agreement.retention_months_from_disclosure
    # The language of the text (issue 16 item 5, decision 0058): likewise absent for English, the
    # language of every version made before it.
    if agreement.language != DocumentLanguage.ENGLISH:
        content["language"] = agreement.language
    # What the agreement's kind records beyond its sections (issue 17 item 3, decision 0065): absent
    # for the kinds that record nothing more, so the hash of every earlier version is unchanged.
    terms = kind_content(agreement)
    if terms is not None:
        content["kind_terms"] = terms
    return content


def content_hash(content: dict) -> str:
    """SHA-256 of the canonical JSON form of ``content``."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def latest_version(agreement: Agreement) -> AgreementVersion | None:
    return agreement.versions.order_by("-number").first()


def next_version_label(agreement: Agreement) -> str:
    """1.0 for the first version sent for signature, then 2.0, 3.0…"""
    version = latest_version(agreement)
    if version is None:
        return "1.0"
    major = version.label.split(".", 1)[0]
    return f"{int(major) + 1}.0" if major.isdigit() else f"{version.number + 1}.0"


def agreement_versions(agreement: Agreement) -> QuerySet[AgreementVersion]:
    """``agreement``'s versions, newest first, each with ``signature_count``: the parties that
    signed that exact version."""
    return (
        agreement.versions.select_related("created_by", "signed_copy")
        .annotate(signature_count=Count("signatures", distinct=True))
        .order_by("-number")
    )


def previous_version(version: AgreementVersion) -> AgreementVersion | None:
    return version.agreement.versions.filter(number__lt=version.number).order_by("-number").first()


def version_changes(version: AgreementVersion, *, since: AgreementVersion) -> VersionDiff:
    """What changed from ``since`` to ``version`` (``agreements.diff``), legal gateways named."""
    keys = set(since.content.get("gateways") or []) | set(version.content.get("gateways") or [])
    return content_diff(since.content, version.content, gateway_labels=gateway_labels(keys))


def version_for_reading(version: AgreementVersion) -> dict:
    """``version.content`` with its codes turned into words, as the signatory reads it."""
    content = version.content
    kinds, markings = dict(Kind.choices), dict(ProtectiveMarking.choices)
    levels, methods = dict(DataLevel.choices), dict(TransferMethod.choices)
    labels = gateway_labels(content.get("gateways") or [])
    return {
        **content,
        "kind": kinds.get(content.get("kind"), content.get("kind")),
        "protective_marking": markings.get(content.get("protective_marking"), content.get("protective_marking")),
        "gateways": sorted(labels.get(key, key) for key in content.get("gateways") or []),
        "data_items": [
            {**item, "level": levels.get(item.get("level"), item.get("level"))}
            for item in content.get("data_items") or []
        ],
        "transfer_methods": [methods.get(method, method) for method in content.get("transfer_methods") or []],
    }
