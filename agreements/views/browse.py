from django.shortcuts import get_object_or_404, render

from .. import selectors
from ..models import ContactRole


def agreement_list(request):
    return render(request, "agreements/agreement_list.html", {
        "agreements": selectors.agreements_visible_to(request.user).select_related("owner"),
    })


def agreement_detail(request, pk: int):
    agreement = get_object_or_404(selectors.agreements_visible_to(request.user), pk=pk)
    return render(request, "agreements/agreement_detail.html", {
        "agreement": agreement,
        "parties": selectors.agreement_parties(agreement),
        "gateways": agreement.gateways.select_related("replaced_by"),
        "roles": ContactRole,
    })
