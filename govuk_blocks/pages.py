"""A list a page at a time, for GOV.UK's numbered pagination (``{% page_links page as links %}``
and ``govuk_blocks/includes/pagination.html``)."""

from django.core.paginator import Page, Paginator

# Rows a page of a list shows unless the list says otherwise.
PER_PAGE = 50


def page_of(request, rows, per_page: int | None = None) -> Page:
    """The page of ``rows`` (a QuerySet, read only for that page, or a list) the request's
    ``page`` parameter asks for: one that is not a number shows the first page; one past the
    end, the last."""
    return Paginator(rows, per_page or PER_PAGE).get_page(request.GET.get("page"))
