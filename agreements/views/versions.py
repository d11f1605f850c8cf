"""An agreement's versions, each with the parties that signed it, and what changed between two
of them.

An agreement outside the user's selector, or a version it does not have, is a 404.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404, render

from ..selectors import versions as selectors
from ..selectors.drafting import agreements_visible_to

TEMPLATES = "agreements/signing/"  # the versions pages came with signing, and their templates stay there


def _agreement(request, pk: int):
    return get_object_or_404(agreements_visible_to(request.user), pk=pk)


def versions(request, pk: int):
    agreement = _agreement(request, pk)
    return render(request, f"{TEMPLATES}versions.html", {
        "agreement": agreement, "versions": selectors.agreement_versions(agreement),
    })


def version_diff(request, pk: int, number: int):
    """What changed in version ``number``: from the version before it, or from ``?from=<number>``
    (the version a signatory signed)."""
    agreement = _agreement(request, pk)
    version = get_object_or_404(agreement.versions.select_related("created_by"), number=number)
    if "from" in request.GET:
        try:
            since_number = int(request.GET["from"])
        except ValueError:
            raise Http404 from None
        since = get_object_or_404(agreement.versions, number=since_number, number__lt=version.number)
    else:
        since = selectors.previous_version(version)
    return render(request, f"{TEMPLATES}version_diff.html", {
        "agreement": agreement, "version": version, "since": since,
        "changes": selectors.version_changes(version, since=since) if since else None,
    })
