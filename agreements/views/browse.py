"""Reading agreements: the filtered list, an agreement's page, its history, and who is who."""

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from govuk_blocks.exports import CSV, download
from govuk_blocks.pages import page_of
from partners.selectors import organisations_visible_to

from .. import exports, permissions
from ..forms.browse import AgreementFilterForm, HistoryFilterForm
from ..history import HistoryKind
from ..models import Status
from ..pdf import pdf_available_to
from ..permissions import can_start_agreement
from ..selectors import browse as selectors
from ..selectors.dpias import dpia_joined
from ..selectors.drafting import agreements_visible_to
from ..selectors.gateways import agreement_gateways
from ..selectors.kinds import kind_content
from ..selectors.signing import signature_matrix
from ..selectors.versions import latest_version

HISTORY_PER_PAGE = 25


def _agreements_filtered(request):
    """The filter form and the agreements it selects of those the user may see."""
    visible = agreements_visible_to(request.user)
    form = AgreementFilterForm(request.GET, owners=selectors.agreement_owners(visible))
    return form, selectors.agreements_listed(selectors.agreements_filtered(visible, **form.filters()))


def agreement_list(request):
    form, agreements = _agreements_filtered(request)
    page = page_of(request, agreements)
    today = timezone.localdate()
    rows = [(agreement, selectors.review_state(agreement, on=today)) for agreement in page.object_list]
    return render(request, "agreements/agreement_list.html", {
        "form": form, "page": page, "rows": rows, "count": page.paginator.count,
        "can_start": can_start_agreement(request.user),
    })


def agreement_export(request, fmt: str = CSV):
    """The agreements the list shows, with its filters, as a CSV or XLSX file."""
    _, agreements = _agreements_filtered(request)
    return download(columns=exports.AGREEMENT_COLUMNS, objects=exports.agreement_rows(agreements), fmt=fmt,
                    filename=f"agreements-{timezone.localdate():%Y-%m-%d}", title="Agreements")


def agreement_detail(request, pk: int):
    """The agreement in summary: where it stands, its parties counted by where they stand on
    signing, what needs doing, and its terms; the parties have their own page."""
    agreement = get_object_or_404(selectors.agreement_for_page(request.user, pk))
    gateways = list(agreement_gateways(agreement))
    matrix = signature_matrix(agreement)
    review = selectors.review_state(agreement)
    dpia = dpia_joined(agreement)
    manages = agreement.manages
    latest = latest_version(agreement)
    parent, children = selectors.agreement_relatives_visible_to(request.user, agreement)
    return render(request, "agreements/agreement_detail.html", {
        "agreement": agreement,
        "kind_terms": kind_content(agreement),
        "review_state": review,
        "drawn_up_by": agreement.drawn_up_by.select_related("organisation"),
        "matrix": matrix,
        "latest": latest,
        "to_do": selectors.agreement_to_do(agreement, matrix=matrix, review=review, dpia=dpia, manages=manages),
        "data_groups": selectors.agreement_data_items_by_provider(agreement),
        "gateways": gateways,
        "outdated_gateways": [gateway for gateway in gateways if not gateway.is_current],
        "parent": parent,
        "children": children,
        "pdf_available": pdf_available_to(request.user, agreement, latest=latest, manages=manages),
        "dpia": dpia,
        "manages": manages,
        "reviews_qa": permissions.can_review_qa(request.user, agreement),
        # Its consultation, once it has left draft (``permissions.can_read_consultation``).
        "reads_consultation": agreement.status != Status.DRAFT and permissions.can_read_consultation(
            request.user, agreement, manages=manages, parties=matrix.rows),
    })


def agreement_history(request, pk: int):
    """The audit trail, newest first, a page at a time, of one kind of change when asked.
    A page number that is not a number shows the first page; one past the end, the last."""
    agreement = get_object_or_404(agreements_visible_to(request.user), pk=pk)
    form = HistoryFilterForm(request.GET)
    kind = form.kind_wanted()
    entries = selectors.agreement_history(agreement, kind=kind)
    return render(request, "agreements/history.html", {
        "agreement": agreement, "form": form, "kind": kind, "kind_label": dict(HistoryKind.choices).get(kind, ""),
        "page": Paginator(entries, HISTORY_PER_PAGE).get_page(request.GET.get("page")),
    })


def organisation_roles(request, pk: int):
    """The directory lives in ``partners``, which knows nothing of agreements: what its people
    are in agreements (SPOC, lead signatory…) is shown here, for agreements the user may see."""
    organisation = get_object_or_404(organisations_visible_to(request.user), pk=pk)
    return render(request, "agreements/organisation_roles.html", {
        "organisation": organisation,
        "roles": selectors.organisation_roles_visible_to(request.user, organisation),
    })
