"""What each measured page is compared with, served by the same processes in the same run:

- ``keyset``: the same 50 rows ``/log/`` shows a reader, read by keyset straight from the table
  with the organisations' names, as a bare HTML table — no filters, no permission queries, no
  templates. What a list page cannot be faster than.
- ``insert``: one entry inserted from a POST with no validation, no history and no hash chain:
  a copy of an existing entry with a new time. What logging cannot be faster than.
- ``weasyprint``: the agreement's PDF HTML, rendered once when the process starts, handed to
  WeasyPrint on each request with the portal's own options (``agreements.pdf.html_pdf``: tagged
  as PDF/UA-1, decision 0046): the PDF without the portal's own reads. Until 7 December 2026 it
  was rendered untagged, a smaller, quicker PDF than the portal's (29 KB against 49 KB), so the
  ratio counted the tagging as the portal's overhead.

Signed-in only (any verified session): the portal's middleware guards these as it guards
everything, so both sides pay the same sign-in and session costs.
"""

import datetime
import html
from functools import cache

from django.db.models import Q
from django.http import HttpResponse, HttpResponseNotAllowed
from django.template.loader import render_to_string
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from agreements.models import Agreement
from agreements.pdf import document_context, html_pdf, pdf_version_served
from partners.permissions import user_organisation_ids
from sharing_log.models import Disclosure

PAGE = 50


def keyset(request):
    own = list(user_organisation_ids(request.user))
    rows = (
        Disclosure.objects.filter(Q(disclosing_organisation_id__in=own) | Q(recipient_organisation_id__in=own))
        .order_by("-occurred_at", "-id")
        .values_list("id", "occurred_at", "decision", "disclosing_organisation__name", "recipient_organisation__name")
    )
    after = request.GET.get("after")
    if after:
        at, pk = after.split("_")
        moment = datetime.datetime.fromtimestamp(float(at), tz=datetime.UTC)
        # Bounded by the time alone as well, as the portal's list is: a range the index starts from.
        rows = rows.filter(occurred_at__lte=moment).filter(
            Q(occurred_at__lt=moment) | Q(occurred_at=moment, id__lt=int(pk)),
        )
    cells = "".join(
        f"<tr><td>{pk}</td><td>{at:%d %B %Y %H:%M}</td><td>{decision}</td><td>{html.escape(source)}</td>"
        f"<td>{html.escape(target)}</td></tr>"
        for pk, at, decision, source, target in rows[:PAGE]
    )
    return HttpResponse(f"<!doctype html><title>Keyset</title><table>{cells}</table>")


@csrf_exempt
def insert(request):
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    template = Disclosure.objects.filter(disclosed_by=request.user).order_by("-id").first()
    template = template or Disclosure.objects.order_by("-id").first()
    template.pk = None
    template.occurred_at = timezone.now()
    template._state.adding = True
    Disclosure.objects.bulk_create([template])
    return HttpResponse(status=204)


@cache
def _agreement_html(pk: int) -> str:
    agreement = Agreement.objects.get(pk=pk)
    return render_to_string("agreements/pdf/agreement.html", document_context(agreement, pdf_version_served(agreement)))


def weasyprint(request, pk: int):
    pdf = html_pdf(_agreement_html(pk))
    return HttpResponse(pdf, content_type="application/pdf")
