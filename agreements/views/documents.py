"""The agreement as a document: its PDF (``agreements.pdf``), the signed copy of a version, and the
public verification page.

Who (rules in ``agreements.permissions``): a version's PDF goes to whoever may see the
agreement; the working draft (no ``?version``, while the agreement is being drafted or
before any version exists) to those who manage it — anyone else who sees it gets 403. An
agreement outside the user's selector, or a version it does not have, is a 404.

The signed copy goes to whoever may see the agreement (its selector; 404 otherwise) — it is
the version everyone there has signed. ``/verify/`` needs no sign-in: an auditor of a partner
outside the portal may need to check a copy. It tells only whether the uploaded file's SHA-256
is that of a signed copy and, if so, the agreement's title, the version and when it was frozen —
nothing the holder of the file cannot already read in it (docs/decisions/0015).

A large agreement's PDF (``agreements.pdf.pdf_rendered_in_request``) is laid out by a background
task: until it is ready the reader gets a page saying so (202), and refreshes it (decision 0050).
The access event is recorded when the PDF itself is served.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, render

from partners.access import access_event_record
from partners.models import AccessKind

from .. import permissions
from ..forms.documents import VerifyForm
from ..models import SignedCopy
from ..pdf import agreement_html, html_pdf, pdf_filename, pdf_rendered_in_request, pdf_version_served
from ..selectors.documents import signed_copy_matching
from ..selectors.drafting import agreements_visible_to
from ..tasks import pdf_prepare_enqueue


def agreement_document(request, pk: int):
    agreement = get_object_or_404(agreements_visible_to(request.user).select_related("owner"), pk=pk)
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
    html = agreement_html(agreement, version)
    if pdf_rendered_in_request(html):
        response = HttpResponse(html_pdf(html), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{pdf_filename(agreement, version)}"'
    else:  # a large one: laid out by a worker, served from its file once ready (docs/decisions/0050)
        prepared = pdf_prepare_enqueue(agreement=agreement, version=version, html=html)
        if not prepared.is_ready:
            response = render(request, "agreements/pdf_preparing.html", {"agreement": agreement, "version": version},
                              status=202)
            response["Cache-Control"] = "no-store"
            return response
        try:
            file = prepared.file.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(file, as_attachment=True, filename=pdf_filename(agreement, version),
                                content_type="application/pdf")
    access_event_record(request=request, kind=AccessKind.AGREEMENT_PDF, object_type="agreements.agreement",
                        object_id=agreement.pk, object_organisation_ids=(agreement.owner_id,))
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def signed_copy_download(request, pk: int, number: int):
    agreement = get_object_or_404(agreements_visible_to(request.user), pk=pk)
    version = get_object_or_404(agreement.versions, number=number)
    copy = get_object_or_404(SignedCopy, version=version)
    try:
        file = copy.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    access_event_record(request=request, kind=AccessKind.SIGNED_COPY, object_type="agreements.signedcopy",
                        object_id=copy.pk, object_organisation_ids=(agreement.owner_id,))
    name = pdf_filename(agreement, version).removesuffix(".pdf") + "-signed.pdf"
    response = FileResponse(file, as_attachment=True, filename=name, content_type="application/pdf")
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_not_required
def verify(request):
    posted = request.method == "POST"
    form = VerifyForm(request.POST if posted else None, request.FILES if posted else None)
    checked, match = False, None
    if posted and form.is_valid():
        try:
            match = signed_copy_matching(form.cleaned_data["file"])
        except ValidationError as error:
            for problem in error.message_dict["file"]:
                form.add_error("file", problem)
        else:
            checked = True
    response = render(request, "agreements/verify.html", {"form": form, "checked": checked, "match": match})
    response["Cache-Control"] = "no-store"
    return response
