"""An organisation's record of processing (UK GDPR Art 30) as a CSV or a PDF download, drawn from
the agreements in force it takes part in (``agreements.selectors.records``).

An organisation that does not exist is a 404; anyone but its governance managers, its auditors
and portal administrators gets 403 (rules in ``partners.permissions``).
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_GET

from govuk_blocks.csv_files import csv_download
from partners.access import access_event_record
from partners.models import AccessKind
from partners.selectors import organisations_visible_to

from .. import permissions
from ..pdf import processing_record_pdf
from ..selectors.records import RECORD_HEADER, processing_record


def _organisation(request, pk: int):
    organisation = get_object_or_404(organisations_visible_to(request.user), pk=pk)
    if not permissions.can_read_record_of_processing(request.user, organisation):
        raise PermissionDenied("An organisation's record of processing is for its governance managers and auditors.")
    access_event_record(request=request, kind=AccessKind.RECORD_OF_PROCESSING, object_type="partners.organisation",
                        object_id=organisation.pk, object_organisation_ids=(organisation.pk,))
    return organisation


def _filename(organisation, extension: str) -> str:
    return f"record-of-processing-{slugify(organisation.name)}-{timezone.localdate():%Y-%m-%d}.{extension}"


def _download(content, *, content_type: str, organisation, extension: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{_filename(organisation, extension)}"'
    response["Cache-Control"] = "no-store"
    return response


@require_GET
def record_of_processing(request, pk: int):
    organisation = _organisation(request, pk)
    # The exports' CSV writer (govuk_blocks.csv_files): its formula guard, byte order mark, no caching.
    return csv_download(header=RECORD_HEADER, rows=(row.cells for row in processing_record(organisation)),
                        filename=_filename(organisation, "csv"))


@require_GET
def record_of_processing_pdf(request, pk: int):
    organisation = _organisation(request, pk)
    on = timezone.localdate()
    pdf = processing_record_pdf(organisation, processing_record(organisation, on=on), on=on)
    response = _download(pdf, content_type="application/pdf", organisation=organisation, extension="pdf")
    response["X-Content-Type-Options"] = "nosniff"
    return response
