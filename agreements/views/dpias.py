"""An agreement's DPIA: the page where the owner's governance managers record the screening and
the DPIA (with its history), and the DPIA document as a download for them.

Whoever may see the agreement reads the DPIA on the agreement's page; changing it, reading its
history and downloading its document are managing the agreement (``agreements.permissions``):
anyone else who sees the agreement gets 403, and an agreement outside the selectors is a 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from govuk_blocks.forms import submitted

from .. import permissions
from ..forms.dpias import DpiaForm
from ..selectors.dpias import dpia_history, dpia_of, dpia_problems
from ..selectors.drafting import agreements_visible_to
from ..services.dpias import dpia_record
from ..services.signing import SCAN_CONTENT_TYPES


def _managed_agreement(request, pk: int):
    agreement = get_object_or_404(agreements_visible_to(request.user).select_related("owner"), pk=pk)
    if not permissions.can_manage(request.user, agreement):
        raise PermissionDenied
    return agreement


@require_http_methods(["GET", "POST"])
def dpia_edit(request, pk: int):
    agreement = _managed_agreement(request, pk)
    dpia = dpia_of(agreement)
    form = DpiaForm(submitted(request), request.FILES if request.method == "POST" else None, dpia=dpia)
    if form.is_valid():
        try:
            dpia_record(agreement=agreement, by_user=request.user, **form.service_kwargs())
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, "The DPIA has been recorded.")
            return redirect("agreements:dpia", pk=agreement.pk)
    return render(request, "agreements/dpias/dpia_form.html", {
        "agreement": agreement, "dpia": dpia, "form": form, "history": dpia_history(dpia),
        "problems": dpia_problems(agreement, dpia=dpia),
    })


def dpia_document(request, pk: int):
    """The uploaded DPIA, as a download that is never cached."""
    agreement = _managed_agreement(request, pk)
    dpia = dpia_of(agreement)
    if dpia is None or not dpia.document:
        raise Http404
    try:
        document = dpia.document.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    extension = dpia.document.name.rsplit(".", 1)[-1].lower()
    response = FileResponse(
        document, as_attachment=True, filename=f"dpia-agreement-{agreement.pk}.{extension}",
        content_type=SCAN_CONTENT_TYPES.get(extension, "application/octet-stream"),
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response
