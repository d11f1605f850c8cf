from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from agreements.selectors import agreements_visible_to
from partners.selectors import organisations_visible_to

from .dashboard import dashboard_for, flow_diagrams, period_label
from .flows import flow_map
from .forms import FlowFilterForm, ReportFilterForm
from .permissions import can_read_flow_counts, can_read_reports, report_sections


@require_GET
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


def _flow_page(request, *, agreements, organisation=None, agreement=None):
    form = FlowFilterForm(request.GET or None, user=request.user)
    if form.is_bound:
        form.is_valid()
    filters = form.filters()
    flows = flow_map(request.user, agreements, filters, log_shown=can_read_flow_counts(request.user),
                     organisation=organisation)
    return render(request, "isa_portal/reports/flows.html", {
        "form": form, "flows": flows, "agreement": agreement, "organisation": organisation,
        "period": period_label(filters),
        "diagrams": flow_diagrams(flows, period_label(filters)),
    })


@require_GET
def agreement_flows(request, pk: int):
    """An agreement's flow map: the flows it declares beside those its log shows (GET period)."""
    agreement = get_object_or_404(agreements_visible_to(request.user), pk=pk)
    return _flow_page(request, agreements=agreements_visible_to(request.user).filter(pk=agreement.pk),
                      agreement=agreement)


@require_GET
def organisation_flows(request, pk: int):
    """An organisation's flow map across the agreements the viewer may see to which it is a party."""
    organisation = get_object_or_404(organisations_visible_to(request.user), pk=pk)
    return _flow_page(request, agreements=agreements_visible_to(request.user).filter(
        parties__organisation=organisation).distinct(), organisation=organisation)
