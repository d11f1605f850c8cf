from django.shortcuts import get_object_or_404, render

from . import selectors


def organisation_list(request):
    return render(request, "partners/organisation_list.html", {
        "organisations": selectors.organisations_visible_to(request.user),
    })


def organisation_detail(request, pk: int):
    organisation = get_object_or_404(selectors.organisations_visible_to(request.user), pk=pk)
    return render(request, "partners/organisation_detail.html", {
        "organisation": organisation,
        "contacts": selectors.contacts_of(organisation),
    })
