"""The agreement as a PDF document (``agreements.pdf``).

Who (rules in ``agreements.permissions``): a version sent for signature goes to whoever may see
the agreement; the working draft (no ``?version``, while the agreement is being drafted or
before any version exists) to those who manage it — anyone else who sees it gets 403. An
agreement outside the user's selector, or a version it does not have, is a 404.
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404

from .. import permissions, selectors
from ..pdf import agreement_pdf, pdf_filename, pdf_version_served


def agreement_document(request, pk: int):
    agreement = get_object_or_404(selectors.agreements_visible_to(request.user).select_related("owner"), pk=pk)
    if "version" in request.GET:
        try:
            number = int(request.GET["version"])
        except ValueError:
            raise Http404 from None
        version = get_object_or_404(agreement.versions, number=number)
    else:
        version = pdf_version_served(agreement)
    if version is None and not permissions.can_read_working_draft(request.user, agreement):
        raise PermissionDenied
    response = HttpResponse(agreement_pdf(agreement, version), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{pdf_filename(agreement, version)}"'
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
