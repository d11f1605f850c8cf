"""The public register (issue 13 item 9): the agreements in force, a page for each with a
privacy-notice paragraph partners may publish, and each entry as a PDF.

Who: anyone, signed in or not (``@login_not_required``): the agreements are published in the
public interest (001 §4.5). An agreement not in force is a 404 for everyone. The pages are built
from ``selectors.register`` entries, which hold no personal data. GET only.
"""

from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from govuk_blocks.pages import page_of

from ..pdf import register_pdf, register_pdf_filename
from ..selectors import register as selectors


@login_not_required
@require_GET
def register_list(request):
    # A national register holds hundreds of agreements: a page at a time, each built for its page.
    page = page_of(request, selectors.register_agreements())
    entries = [selectors.register_entry(agreement) for agreement in page.object_list]
    return render(request, "agreements/register/list.html", {
        "page": page, "entries": entries, "count": page.paginator.count,
    })


def _entry(pk: int):
    entry = selectors.register_entry_for(pk)
    if entry is None:
        raise Http404
    return entry


@login_not_required
@require_GET
def register_detail(request, pk: int):
    return render(request, "agreements/register/detail.html", {"entry": _entry(pk)})


@login_not_required
@require_GET
def register_document(request, pk: int):
    entry = _entry(pk)
    response = HttpResponse(register_pdf(entry), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{register_pdf_filename(entry)}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
