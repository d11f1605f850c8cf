"""The portal's form renderer (``FORM_RENDERER``): Django's own, writing its commonest widget
templates (text inputs and the like, text areas, selects and their options) in Python.

Each writer gives what its template gives, byte for byte: ``{{ x }}`` is
``render_value_in_context``, ``{{ x|stringformat:'s' }}`` is that filter, kept safe when ``x``
is. A select of 50 options is otherwise 101 template renders (its options and their attributes);
the log form shows several (issue 15). Any other template, a request given, or a value the
template would call (the template engine calls callables) goes to Django's renderer as before.
``tests/govuk_blocks/test_renderers.py`` holds the writers to Django's templates.
"""

from django.forms.renderers import DjangoTemplates
from django.template import Context
from django.template.base import render_value_in_context
from django.template.defaultfilters import stringformat
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData

WIDGETS = "django/forms/widgets/"
# The widget templates that are only ``{% include "django/forms/widgets/input.html" %}`` (and a
# newline, which the renderer strips).
INPUT_TEMPLATES = frozenset(f"{WIDGETS}{name}.html" for name in (
    "text", "hidden", "email", "number", "password", "url", "tel", "search", "checkbox", "date", "datetime",
    "time", "color", "file",
))
OPTION_TEMPLATE = f"{WIDGETS}select_option.html"

_CONTEXT = Context(autoescape=True)


class _Unwritten(Exception):
    """A value the writers do not render as the template would: Django's renderer renders it."""


def _value(value):
    if callable(value):
        raise _Unwritten
    return value


def _text(value) -> str:
    """``{{ value }}``."""
    if type(value) is str:
        return conditional_escape(value)
    return render_value_in_context(_value(value), _CONTEXT)


def _as_string(value) -> str:
    """``{{ value|stringformat:'s' }}`` (a filter that keeps a safe value safe)."""
    written = stringformat(_value(value), "s")
    return written if isinstance(value, SafeData) else conditional_escape(written)


def _attrs(attrs: dict) -> str:
    """``django/forms/widgets/attrs.html``."""
    written = []
    for name, value in attrs.items():
        value = _value(value)
        if value is not False:
            written.append(f" {_text(name)}")
            if value is not True:
                written.append(f'="{_as_string(value)}"')
    return "".join(written)


def _input(widget: dict) -> str:
    """``django/forms/widgets/input.html``."""
    value = _value(widget["value"])
    shown = f' value="{_as_string(value)}"' if value != None else ""  # noqa: E711 (the template's "!=")
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}{_attrs(widget["attrs"])}>\n'


def _textarea(widget: dict) -> str:
    """``django/forms/widgets/textarea.html``."""
    value = _value(widget["value"])
    return (f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n'
            f'{_text(value) if value else ""}</textarea>\n')


def _option(option: dict) -> str:
    """``django/forms/widgets/select_option.html``."""
    if option["template_name"] != OPTION_TEMPLATE:
        raise _Unwritten
    return f'<option value="{_as_string(option["value"])}"{_attrs(option["attrs"])}>{_text(option["label"])}</option>\n'


def _select(widget: dict) -> str:
    """``django/forms/widgets/select.html``."""
    written = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        group_name = _value(group_name)
        if group_name:
            written.append(f'\n  <optgroup label="{_text(group_name)}">')
        written.extend(f"\n  {_option(option)}" for option in group_choices)
        if group_name:
            written.append("\n  </optgroup>")
    written.append("\n</select>\n")
    return "".join(written)


WRITERS = {
    **dict.fromkeys(INPUT_TEMPLATES, _input),
    f"{WIDGETS}input.html": _input,
    f"{WIDGETS}textarea.html": _textarea,
    f"{WIDGETS}select.html": _select,
}


class FormRenderer(DjangoTemplates):
    """Django's ``DjangoTemplates`` renderer, with ``WRITERS`` for the templates they write."""

    def render(self, template_name, context, request=None):
        write = WRITERS.get(template_name)
        if write is not None and request is None and set(context) == {"widget"}:
            try:
                # As Django's renderer does (BaseRenderer.render).
                return write(context["widget"]).strip()
            except _Unwritten:
                pass
        return super().render(template_name, context, request=request)
