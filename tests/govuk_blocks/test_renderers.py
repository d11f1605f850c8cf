"""The portal's form renderer writes the widgets it writes exactly as Django's templates do."""

import datetime

import pytest
from django import forms
from django.conf import settings
from django.forms.renderers import DjangoTemplates, get_default_renderer
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy, override

from govuk_blocks.renderers import INPUT_TEMPLATES, WRITERS, FormRenderer

DJANGO = DjangoTemplates()
OURS = FormRenderer()

LAZY = gettext_lazy("Choose a partner")


class Everything(forms.Form):
    text = forms.CharField(widget=forms.TextInput(attrs={"class": "govuk-input", "spellcheck": "false",
                                                         "aria-describedby": 'a "quoted" <id>'}))
    number = forms.IntegerField()
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput)
    hidden = forms.CharField(widget=forms.HiddenInput)
    checkbox = forms.BooleanField(required=False)
    area = forms.CharField(widget=forms.Textarea(attrs={"rows": 3}))
    day = forms.DateField(widget=forms.DateInput)
    choice = forms.ChoiceField(choices=[("", LAZY), (1, "One & only"), ("b", mark_safe("<b>Bold</b>")),
                                        ("Group <1>", [("g1", "In a group"), ("g2", 2)])])
    several = forms.MultipleChoiceField(choices=[("a", "A"), ("b", "B"), ("c", "C")])
    maybe = forms.NullBooleanField()
    disabled = forms.CharField(disabled=True, required=False)


DATA = [
    {},
    {"text": '<script>"x"</script> & more', "number": "12", "email": "a@b.example", "password": "secret",
     "hidden": "7", "checkbox": "on", "area": "  line one\nline <two>  ", "day": "2026-03-27", "choice": "g2",
     "several": ["a", "c"], "maybe": "true", "disabled": "x"},
    {"choice": "1", "area": "", "number": "not a number", "several": ["zzz"]},
]


@pytest.mark.parametrize("data", [None, *DATA])
@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_every_widget_is_written_as_django_renders_it(data, language):
    with override(language):
        form = Everything(data, initial={"text": mark_safe("<i>safe</i>"), "day": datetime.date(2026, 3, 27),
                                         "choice": 1, "number": 1234567, "area": "Initial text"})
        for bound in form:
            for attrs in (None, {"class": "govuk-select govuk-select--error", "aria-describedby": "x-hint x-error"}):
                widget = bound.field.widget
                value, name = bound.value(), bound.html_name
                full = bound.build_widget_attrs(dict(attrs or {}), widget) | {"id": bound.auto_id}
                assert (widget.render(name, value, full, renderer=OURS)
                        == widget.render(name, value, full, renderer=DJANGO)), bound.name


def test_the_inputs_written_are_the_templates_that_only_include_the_input():
    for name in INPUT_TEMPLATES:
        source = DJANGO.get_template(name).template.source
        assert source == '{% include "django/forms/widgets/input.html" %}\n', name


def test_a_template_not_written_and_a_value_the_template_would_call_go_to_django():
    assert "django/forms/widgets/radio.html" not in WRITERS
    widget = forms.RadioSelect(choices=[("a", "A")])
    assert widget.render("r", "a", renderer=OURS) == widget.render("r", "a", renderer=DJANGO)

    context = {"widget": {"name": "n", "value": lambda: "called", "attrs": {}, "type": "text"}}
    assert OURS.render("django/forms/widgets/text.html", context) == DJANGO.render(
        "django/forms/widgets/text.html", context)


def test_the_portal_renders_its_forms_with_it():
    assert settings.FORM_RENDERER == "govuk_blocks.renderers.FormRenderer"
    assert isinstance(get_default_renderer(), FormRenderer)
