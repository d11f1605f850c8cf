"""The signed copy of a version (download) and the public verification page.

Who: the signed copy goes to whoever may see the agreement (its selector; 404 otherwise) — it is
the version everyone there has signed. ``/verify/`` needs no sign-in: an auditor of a partner
outside the portal may need to check a copy. It tells only whether the uploaded file's SHA-256
is that of a signed copy and, if so, the agreement's title, the version and when it was frozen —
nothing the holder of the file cannot already read in it (docs/decisions/0015).
"""

from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, render

from .. import selectors
from ..forms.verify import VerifyForm
from ..models import SignedCopy
from ..pdf import pdf_filename
from ..services.signed_copies import signed_copy_matching


def signed_copy_download(request, pk: int, number: int):
    agreement = get_object_or_404(selectors.agreements_visible_to(request.user), pk=pk)
    version = get_object_or_404(agreement.versions, number=number)
    copy = get_object_or_404(SignedCopy, version=version)
    try:
        file = copy.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
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
