"""Template filters that render Django form fields as GOV.UK Frontend components.

They back ``govuk_blocks/includes/field.html`` and ``govuk_blocks/includes/error_summary.html``;
page templates normally use those includes rather than the filters directly::

    {% load govuk %}
    {{ field|widget_type }}    "input", "password", "textarea", "select", "file",
                               "radios", "checkboxes", "checkbox", "hidden" or "other"
    {{ field|hint_id }}        "id_email-hint"   (id of the hint element)
    {{ field|error_id }}       "id_email-error"  (id of the error message element)
    {{ field|describedby }}    the hint and/or error ids this field has, space separated
    {{ field|error_anchor }}   id an error summary link points at (the first radio or
                               checkbox for choice widgets, otherwise the control itself)
    {{ field|govuk_widget }}   the control rendered by Django with the GOV.UK class
                               (plus its ``--error`` modifier) and aria-describedby set
    {{ subwidget|choice_value }}  a radio/checkbox option's value as a string
    {{ day|long_date }}        "22 December 2026"
    {{ moment|date_time }}     "22 December 2026 at 9:41am" (``govuk_blocks.dates``)
    {% query_url page=2 as next_url %}   this page's address with ``page`` changed
    {% download_links "breaches:export" "breaches:export_xlsx" what="these breaches" %}
                               "Download … as CSV" and "… as Excel (XLSX)", with the page's filters

Classes already on the widget (``attrs={"class": "govuk-input--width-10"}``) are kept,
so width and other modifier classes belong in the form's widget definition.
"""

from django import template
from django.forms import widgets
from django.urls import reverse

from .. import dates, glossary
from ..forms import DateWidget

register = template.Library()

register.filter("long_date", dates.long_date)
register.filter("date_time", dates.date_time)
# {% glossary_link "dpia" %}: "What is this?", to the term on /help/glossary/, in a new tab.
register.simple_tag(glossary.glossary_link, name="glossary_link")


# Component class for each widget kind rendered through ``govuk_widget``.
_BASE_CLASSES = {
    "input": "govuk-input",
    "password": "govuk-input govuk-password-input__input govuk-js-password-input-input",
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "file": "govuk-file-upload",
    "checkbox": "govuk-checkboxes__input",
}
# Error modifier for each kind; the others show errors on the form group only.
_ERROR_CLASSES = {
    "input": "govuk-input--error",
    "password": "govuk-input--error",
    "textarea": "govuk-textarea--error",
    "select": "govuk-select--error",
}


@register.filter
def widget_type(bound_field) -> str:
    """Which GOV.UK component a bound field's widget maps to."""
    widget = bound_field.field.widget
    # Order matters: CheckboxSelectMultiple subclasses RadioSelect, and
    # CheckboxInput, PasswordInput, FileInput and HiddenInput all subclass Input.
    if bound_field.is_hidden:
        return "hidden"
    if isinstance(widget, DateWidget):
        return "date"
    if isinstance(widget, widgets.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, widgets.RadioSelect):
        return "radios"
    if isinstance(widget, widgets.CheckboxInput):
        return "checkbox"
    if isinstance(widget, widgets.PasswordInput):
        return "password"
    if isinstance(widget, widgets.FileInput):
        return "file"
    if isinstance(widget, widgets.Input):
        return "input"
    if isinstance(widget, widgets.Textarea):
        return "textarea"
    if isinstance(widget, widgets.Select):
        return "select"
    return "other"


def _base_id(bound_field) -> str:
    return bound_field.auto_id or bound_field.html_name


@register.filter
def hint_id(bound_field) -> str:
    return f"{_base_id(bound_field)}-hint"


@register.filter
def error_id(bound_field) -> str:
    return f"{_base_id(bound_field)}-error"


@register.filter
def describedby(bound_field) -> str:
    """Ids of the hint and error message shown for this field (GOV.UK order: hint, error)."""
    ids = []
    if bound_field.help_text:
        ids.append(hint_id(bound_field))
    if bound_field.errors:
        ids.append(error_id(bound_field))
    return " ".join(ids)


@register.filter
def error_anchor(bound_field) -> str:
    """The id an error summary link should point at."""
    if widget_type(bound_field) in ("radios", "checkboxes"):
        for subwidget in bound_field.subwidgets:
            if subwidget.id_for_label and choice_value(subwidget) != "":
                return subwidget.id_for_label
    return bound_field.id_for_label or _base_id(bound_field)


@register.filter
def choice_value(subwidget) -> str:
    """The value of one radio/checkbox option (a BoundWidget) as a string."""
    value = subwidget.data["value"]
    return "" if value is None else str(value)


@register.filter
def govuk_widget(bound_field):
    """Render the field's control with GOV.UK classes and aria-describedby.

    For radios and checkboxes the include renders each option itself; this filter
    handles the single-control widgets (and renders anything else unchanged apart
    from aria-describedby).
    """
    kind = widget_type(bound_field)
    widget_attrs = bound_field.field.widget.attrs
    attrs = {}
    classes = _BASE_CLASSES.get(kind, "").split()
    if bound_field.errors and kind in _ERROR_CLASSES:
        classes.append(_ERROR_CLASSES[kind])
    classes += [c for c in widget_attrs.get("class", "").split() if c not in classes]
    if classes:
        attrs["class"] = " ".join(classes)
    # Ours replace Django 5.2's automatic "<id>_helptext <id>_error" ids, which
    # point at elements these templates do not render.
    ids = " ".join(filter(None, [widget_attrs.get("aria-describedby", ""), describedby(bound_field)]))
    if ids:
        attrs["aria-describedby"] = ids
    if kind == "password":
        for name, value in (("spellcheck", "false"), ("autocapitalize", "none")):
            if name not in widget_attrs:
                attrs[name] = value
    return bound_field.as_widget(attrs=attrs)


@register.simple_tag(takes_context=True)
def query_url(context, **changes) -> str:
    """This page's address with some query parameters changed (``None`` removes one), for use
    with ``as``: ``{% query_url page=page.next_page_number as older_url %}``. Django's
    ``{% querystring %}`` does the same but cannot be stored in a variable."""
    query = context["request"].GET.copy()
    for key, value in changes.items():
        query.pop(key, None)
        if value is not None:
            query[key] = value
    return f"?{query.urlencode()}"


@register.simple_tag(takes_context=True)
def page_links(context, page) -> dict:
    """The links of GOV.UK's numbered pagination for ``page`` (a Django ``Page``), for
    ``{% page_links page as links %}`` and ``pagination.html``'s ``links``: "Previous" and
    "Next", the first and last pages, the current page and those either side of it, and an
    ellipsis for each gap. The page's other query parameters (its filters) are kept."""
    number, last = page.number, page.paginator.num_pages
    if last <= 1:
        return {}
    shown = sorted({1, last, number - 1, number, number + 1} & set(range(1, last + 1)))
    items, previous = [], 0
    for shown_number in shown:
        if shown_number > previous + 1:
            items.append({"ellipsis": True})
        items.append({
            "number": shown_number, "current": shown_number == number,
            "url": query_url(context, page=shown_number),
        })
        previous = shown_number
    return {
        "previous": query_url(context, page=number - 1) if page.has_previous() else "",
        "next": query_url(context, page=number + 1) if page.has_next() else "",
        "items": items,
    }


# The query parameters that choose a page of a list, not what is in it: an export has no pages.
PAGE_PARAMETERS = ("page", "after", "before")


@register.inclusion_tag("govuk_blocks/includes/downloads.html", takes_context=True)
def download_links(context, csv_view: str, xlsx_view: str, *args, what: str = "this list", query=None) -> dict:
    """Links to download a list as CSV and as Excel (``govuk_blocks.exports``), each to the URL
    named ``csv_view`` or ``xlsx_view`` (with ``args``) and carrying the page's filters: ``query``
    when given, else this page's query string without the page number."""
    if query is None:
        params = context["request"].GET.copy()
        for name in PAGE_PARAMETERS:
            params.pop(name, None)
        query = params.urlencode()
    suffix = f"?{query}" if query else ""
    return {
        "csv_url": reverse(csv_view, args=args) + suffix,
        "xlsx_url": reverse(xlsx_view, args=args) + suffix,
        "what": what,
    }
