"""Writes for an agreement's numbered sections: adding, changing, removing and reordering them,
each a change to the agreement's substance (``agreement_substance_changed``), while the agreement
may still be changed (``drafting._check_editable``)."""

from django.core.exceptions import ValidationError
from django.db import transaction

from ..models import Agreement, Section
from .drafting import _check_editable, _save
from .versions import agreement_substance_changed


@transaction.atomic
def section_create(*, agreement: Agreement, number: str, heading: str, body: str = "") -> Section:
    position = agreement.sections.count() + 1
    section = Section(agreement=agreement, position=position, number=number, heading=heading, body=body)
    section.full_clean()
    section.save()
    return section


@transaction.atomic
def section_save(
    *, agreement: Agreement, by_user, number: str, heading: str, body: str,
    section: Section | None = None,
) -> Section:
    """Add a numbered section at the end of the agreement, or change ``section``."""
    _check_editable(agreement)
    if section is not None and section.agreement_id != agreement.pk:
        raise ValidationError("That section belongs to another agreement.")
    if section is None:
        last = agreement.sections.order_by("-position").values_list("position", flat=True).first()
        section = Section(agreement=agreement, position=(last or 0) + 1)
    section.number, section.heading, section.body = number.strip(), heading.strip(), body.strip()
    _save(section)
    agreement_substance_changed(agreement=agreement, by_user=by_user, summary=f"Section {section} saved.")
    return section


@transaction.atomic
def section_remove(*, section: Section, by_user) -> None:
    agreement = section.agreement
    _check_editable(agreement)
    summary = f"Section {section} removed."
    section.delete()
    agreement_substance_changed(agreement=agreement, by_user=by_user, summary=summary)


@transaction.atomic
def section_move(*, section: Section, by_user, up: bool) -> Section:
    """Swap ``section`` with the one before it (``up``) or after it; the ends stay put."""
    agreement = section.agreement
    _check_editable(agreement)
    sections = list(agreement.sections.all())
    index = next(i for i, s in enumerate(sections) if s.pk == section.pk)
    other = index - 1 if up else index + 1
    if not 0 <= other < len(sections):
        return section
    sections[index], sections[other] = sections[other], sections[index]
    for position, each in enumerate(sections, start=1):
        if each.position != position:
            each.position = position
            _save(each)
    agreement_substance_changed(agreement=agreement, by_user=by_user, summary="Sections reordered.")
    section.refresh_from_db()
    return section
