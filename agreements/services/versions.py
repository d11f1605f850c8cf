"""Writes for an agreement's versions: freezing its substance, and a change to that substance
once the agreement has gone for signature (DOMAIN.md rule 5)."""

from django.db import transaction

from ..models import Agreement, AgreementVersion, Status
from ..selectors.versions import agreement_content, content_hash, latest_version, next_version_label
from .dpo_reviews import dpo_reviews_ask
from .qa_reviews import qa_reviews_ask
from .signing import resigning_notify


@transaction.atomic
def agreement_version_create(
    *, agreement: Agreement, label: str, by_user=None, substantive: bool = True, change_summary: str = "",
    issued_on=None,
) -> AgreementVersion:
    """Freeze the agreement's current substance as a numbered version with its content hash."""
    content = agreement_content(agreement)
    number = (agreement.versions.order_by("-number").values_list("number", flat=True).first() or 0) + 1
    version = AgreementVersion(
        agreement=agreement, number=number, label=label, content=content,
        content_hash=content_hash(content), substantive=substantive,
        change_summary=change_summary, created_by=by_user, issued_on=issued_on,
    )
    version.full_clean()
    version.save()
    if agreement.version != label:
        agreement.version = label
        agreement.save(update_fields=["version", "updated_at"])
    return version


# Statuses in which the agreement has a signed or signable version that a change must not
# silently alter.
VERSIONED_STATUSES = (Status.AWAITING_SIGNATURES, Status.IN_FORCE, Status.UNDER_REVIEW)


@transaction.atomic
def agreement_substance_changed(*, agreement: Agreement, by_user, summary: str = "") -> AgreementVersion | None:
    """Every service that changes an agreement's substance calls this after its write.

    Before the agreement goes for signature nothing happens: drafts have no versions. After,
    a change whose content differs from the latest version is a substantive change (DOMAIN.md
    rule 5): if nobody has signed the latest version yet it is re-frozen with the new text;
    otherwise a new version is made, and every signature on an older version needs re-signing:
    the lead signatory of each party so signed is told (``signing.resigning_notify``).
    Changes to SPOC or contact details never reach here (001 §6.5).
    """
    if agreement.status not in VERSIONED_STATUSES:
        return None
    latest = latest_version(agreement)
    content = agreement_content(agreement)
    digest = content_hash(content)
    if latest is not None and latest.content_hash == digest:
        return None
    if latest is not None and not latest.signatures.exists():
        previous_hash = latest.content_hash
        latest.content, latest.content_hash = content, digest
        latest.change_summary = "\n".join(filter(None, [latest.change_summary, summary]))
        latest.full_clean()
        latest.save()
        version_reviews_ask(agreement, reviewed_hash=previous_hash)
        return latest
    version = agreement_version_create(
        agreement=agreement, label=next_version_label(agreement), by_user=by_user,
        substantive=True, change_summary=summary,
    )
    resigning_notify(version=version)
    version_reviews_ask(agreement)
    return version


def version_reviews_ask(agreement: Agreement, *, reviewed_hash: str = "") -> None:
    """A new version to sign asks again for the reviews it needs (decisions 0062 and 0064, amended):
    each party's DPO, when the DPO step is on, and the QA reviewers, when a QA review is required.
    A review of an earlier version never counts for it, so without this nobody would know to look.
    With ``reviewed_hash`` (the latest version re-frozen with other text: its hash before), only
    those whose review of that text counted, and no longer does."""
    dpo_reviews_ask(agreement, reviewed_hash=reviewed_hash)
    qa_reviews_ask(agreement, reviewed_hash=reviewed_hash)
