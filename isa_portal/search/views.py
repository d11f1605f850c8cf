from django.shortcuts import render

from govuk_blocks.pages import page_of

from .forms import SearchForm
from .selectors import ENTRIES, search_groups, search_kinds

# Results shown of each kind before "See all"; a kind on its own is read a page at a time.
FIRST = 5
PER_PAGE = 20


def search(request):
    """Search across what the signed-in person may see (docs/decisions/0059): every kind, its
    count and first few results; or, with ``kind``, that kind a page at a time."""
    kinds = search_kinds(request.user)
    form = SearchForm(request.GET or None, log_too=ENTRIES in kinds)
    q = form.query()
    kind = request.GET.get("kind", "")
    kind = kind if kind in kinds else ""
    groups, page = (search_groups(request.user, q) if q else []), None
    for group in groups:
        if group.kind == kind:
            page = page_of(request, group.records, PER_PAGE)
            group.count, group.shown = page.paginator.count, list(page.object_list)
        else:
            group.count = group.records.count()
            group.shown = list(group.records[:FIRST]) if not kind and group.count else []
    return render(request, "isa_portal/search/results.html", {
        "form": form, "q": q, "kind": kind, "groups": groups, "page": page,
        "chosen": next((group for group in groups if group.kind == kind), None),
        "total": sum(group.count for group in groups), "may_read_log": ENTRIES in kinds,
    })
