from django.core.exceptions import PermissionDenied
from django.shortcuts import render

from .dashboard import dashboard_for
from .forms import ReportFilterForm
from .permissions import can_read_reports, report_sections


def dashboard(request):
    """The reports: the log's counts, signatures, reviews overdue and breach deadlines, each for
    those who may see it, narrowed by agreement and period (GET: a board can bookmark it)."""
    if not can_read_reports(request.user):
        raise PermissionDenied("The reports are for those who may read the sharing log, signatures or breaches.")
    form = ReportFilterForm(request.GET or None, user=request.user)
    if form.is_bound:
        form.is_valid()
    sections = report_sections(request.user)
    return render(request, "isa_portal/reports/dashboard.html", {
        "form": form, "sections": sections,
        "board": dashboard_for(request.user, form.filters(), sections),
    })
