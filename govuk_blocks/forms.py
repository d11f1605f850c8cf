"""Form pieces every app's forms share: a service's refusal shown on the form, the GOV.UK date
input, options that reveal further questions, and GOV.UK-style error messages."""

import datetime
from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy

from .dates import long_date


class ServiceErrorsMixin:
    """Show a service's ``ValidationError`` on the form: on the field it names, when the form
    shows that field (``field_map`` renames), or else above the form, where the error summary
    lists it (a hidden field has nowhere to show its error)."""

    field_map: dict[str, str] = {}
    # File fields, each with what to say when the page comes back with a chosen file gone: a
    # browser never keeps a file in a page shown again, so when something else needs correcting,
    # GOV.UK's file upload pattern says to select it again, on the field itself. Without it the
    # field was silently empty and the next submit said only "Select the file" (the Safe and Well
    # trial, P21).
    files_again: dict[str, str] = {}

    def full_clean(self):
        super().full_clean()
        self._ask_for_files_again()

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add_error(None, message)
        else:
            for name, errors in error.message_dict.items():
                name = self.field_map.get(name, name)
                for message in errors:
                    shown = name in self.fields and not self[name].is_hidden
                    self.add_error(name if shown else None, message)
        self._ask_for_files_again()

    def _ask_for_files_again(self) -> None:
        if not (self.is_bound and self._errors):
            return
        for name, message in self.files_again.items():
            if name not in self._errors and self.files.get(self.add_prefix(name)):
                self._errors[name] = self.error_class([message])
                self.cleaned_data.pop(name, None)


def submitted(request):
    """A form's data: the POST's, even an empty one (which must show its errors), else ``None``
    so that a GET shows a blank form."""
    return request.POST if request.method == "POST" else None


# Error messages in the GOV.UK style: what went wrong and how to fix it.
TOO_LONG = "{label} must be {limit} characters or fewer"

# The dates a person may type anywhere in the portal. Outside them a date is a typing slip, and
# arithmetic on it (a review a year on, the day after a filter's last day) would leave the range
# Python's dates can hold: OverflowError, a 500 (issue 12).
EARLIEST_DATE = datetime.date(1900, 1, 1)
LATEST_DATE = datetime.date(2099, 12, 31)


def _sentence(text: str) -> str:
    """``text`` with a capital first letter. A date's noun ("the date it happened") begins an
    English message but sits inside the Welsh one ("Rhowch y dyddiad y digwyddodd …"), so the
    message is capitalised once translated, not the noun before it."""
    return text[:1].upper() + text[1:]


def date_out_of_range(value: datetime.date, *, noun: str, earliest=EARLIEST_DATE, latest=LATEST_DATE) -> str | None:
    """GOV.UK's message for a date outside ``earliest``–``latest`` ("The date it happened must be
    between 1 January 1900 and 31 December 2099"), or ``None`` for one inside. ``noun`` is read in
    the language of the page when it is given lazily."""
    if earliest <= value <= latest:
        return None
    return _sentence(gettext("%(noun)s must be between %(earliest)s and %(latest)s") % {
        "noun": noun, "earliest": long_date(earliest), "latest": long_date(latest)})


FILTER_DATE_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d", "%d %m %Y"]


def _for_example_text(example: str) -> str:
    return gettext("For example, %(example)s") % {"example": example}


def _real_date_message_text(label, example: str) -> str:
    return gettext("Enter the date %(label)s as a real date, for example %(example)s") % {
        "label": str(label).lower(), "example": example}


# Read when shown, in the language of the page: the labels are given lazily (decision 0058).
_for_example = lazy(_for_example_text, str)
_real_date_message = lazy(_real_date_message_text, str)


class FilterDateField(forms.DateField):
    """A date typed into one box of a list's filters (read from the query string): "From" and
    "To". Optional; refused, with GOV.UK's message, when it is not a date or falls outside
    ``EARLIEST_DATE``–``LATEST_DATE`` (31/12/9999 is a date, but the day after it, a filter's
    end, is not one Python can hold)."""

    def __init__(self, *, label: str, example: str, **kwargs):
        super().__init__(
            required=False, label=label, help_text=_for_example(example), input_formats=FILTER_DATE_FORMATS,
            error_messages={"invalid": _real_date_message(label, example)},
            widget=forms.TextInput(attrs={"class": "govuk-input--width-10"}), **kwargs,
        )

    def clean(self, value):
        day = super().clean(value)
        noun = gettext("the date %(label)s") % {"label": str(self.label).lower()}
        message = day and date_out_of_range(day, noun=noun)
        if message:
            raise ValidationError(message, code="out_of_range")
        return day


def filter_dates_in_order(form, start: str = "date_from", end: str = "date_to") -> None:
    """A filter's "To" on or after its "From"; otherwise GOV.UK's message on "To"."""
    first, last = form.cleaned_data.get(start), form.cleaned_data.get(end)
    if first and last and first > last:
        form.add_error(end, gettext("The date to must be the same as or after the date from"))


def months_field(label: str, *, help_text: str = "", required: str, invalid: str, maximum: int):
    """A whole number of months, from 1 to ``maximum``, in a narrow numeric GOV.UK input."""
    return forms.IntegerField(
        label=label, help_text=help_text, min_value=1, max_value=maximum,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        error_messages={
            "required": required, "invalid": invalid,
            "min_value": f"{label} must be at least 1 month.",
            "max_value": f"{label} must be {maximum} months or fewer.",
        },
    )


def days_field(label: str, *, help_text: str, maximum: int = 3650):
    """An optional whole number of days, from 0 to ``maximum``, in a narrow numeric GOV.UK input."""
    return forms.IntegerField(
        label=label, help_text=help_text, required=False, min_value=0, max_value=maximum,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-4", "inputmode": "numeric"}),
        error_messages={
            "invalid": f"{label} must be a whole number, like 90.",
            "min_value": f"{label} must be 0 or more.",
            "max_value": f"{label} must be {maximum} or fewer.",
        },
    )


class ChoicesIterator(ModelChoiceIterator):
    """Django's, reading the choices with the queryset itself rather than ``QuerySet.iterator()``,
    which on PostgreSQL opens a server-side cursor (three round trips: DECLARE, FETCH, CLOSE) to
    spare memory on lists of choices far longer than any the portal shows (issue 15). Read so, they
    are kept by the queryset, which is the form's own (Django copies a field's queryset for each
    form), so a page that has asked whether there are any (``{% if form.fields.x.queryset %}``)
    does not read them again to show them."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    """Django's, with its choices read by ``ChoicesIterator``."""

    iterator = ChoicesIterator


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's (its choices read by ``ChoicesIterator``), refusing an ID no database key can be
    (more than 19 digits, or beyond a 64-bit integer) as "not one of the choices" before it reaches
    the ``IN`` query, where SQLite raises ``OverflowError`` (a 500) instead of finding nothing
    (issue 12)."""

    iterator = ChoicesIterator

    def _check_values(self, value):
        for pk in value if isinstance(value, (list, tuple)) else ():
            text = str(pk).strip()
            digits = text.lstrip("+-")
            if digits.isascii() and digits.isdigit() and (len(text) > 20 or not -(2 ** 63) <= int(text) < 2 ** 63):
                raise ValidationError(
                    self.error_messages["invalid_choice"], code="invalid_choice", params={"value": text[:20]},
                )
        return super()._check_values(value)


class ReadChoicesMixin:
    """For a ``ModelChoiceField`` whose choices the form has already read: once given them
    (``field.read = [...]``) the field cleans a value by finding it among them, rather than asking
    the database again (``queryset.get``); an answer not among them is not one of the choices.
    Without them it is Django's field. The choices shown are still the field's own."""

    read = None

    def to_python(self, value):
        if self.read is None or value in self.empty_values:
            return super().to_python(value)
        key = self.to_field_name or "pk"
        if isinstance(value, self.queryset.model):
            value = getattr(value, key)
        for obj in self.read:
            if str(getattr(obj, key)) == str(value):
                return obj
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class ReadModelChoiceField(ReadChoicesMixin, ModelChoiceField):
    pass


class DateWidget(forms.Widget):
    """Three inputs named ``<name>-day``, ``<name>-month`` and ``<name>-year``, rendered by
    ``govuk_blocks/includes/date_input.html``."""

    PARTS = ("day", "month", "year")

    def value_from_datadict(self, data, files, name):
        return [data.get(f"{name}-{part}", "") for part in self.PARTS]

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}-{part}" in data for part in self.PARTS)

    def id_for_label(self, id_):
        # The error summary links to the day input, as GOV.UK's date input does.
        return f"{id_}-day" if id_ else id_


# What a date lacks, as whole sentences (Welsh puts the noun at the end). Never all three parts:
# a date with none is "Enter …".
_INCOMPLETE = {
    ("day",): gettext_lazy("%(noun)s must include a day"),
    ("month",): gettext_lazy("%(noun)s must include a month"),
    ("year",): gettext_lazy("%(noun)s must include a year"),
    ("day", "month"): gettext_lazy("%(noun)s must include a day and a month"),
    ("day", "year"): gettext_lazy("%(noun)s must include a day and a year"),
    ("month", "year"): gettext_lazy("%(noun)s must include a month and a year"),
}


class DateField(forms.Field):
    """A date typed as day, month and year, with GOV.UK's error messages for a date input.

    ``noun`` names the date in those messages: "the date notice was given" gives
    "Enter the date notice was given", "The date notice was given must include a month" and
    "The date notice was given must be a real date"; a year of other than four digits gives
    "Year must include 4 numbers"; a date outside ``earliest``–``latest`` (by default 1900 to
    2099) gives "The date notice was given must be between 1 January 1900 and 31 December 2099".
    ``value`` is always ``[day, month, year]`` so the template can fill the three inputs.
    """

    widget = DateWidget

    def __init__(self, *, noun: str, earliest=EARLIEST_DATE, latest=LATEST_DATE, **kwargs):
        self.noun, self.earliest, self.latest = noun, earliest, latest
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return value or ["", "", ""]

    def clean(self, value):
        day, month, year = (str(part or "").strip() for part in (value or ["", "", ""]))
        noun = {"noun": str(self.noun)}
        not_real = ValidationError(_sentence(gettext("%(noun)s must be a real date") % noun), code="invalid")
        if not (day or month or year):
            if self.required:
                raise ValidationError(_sentence(gettext("Enter %(noun)s") % noun), code="required")
            return None
        missing = tuple(part for part, given in zip(DateWidget.PARTS, (day, month, year), strict=True) if not given)
        if missing:
            raise ValidationError(_sentence(str(_INCOMPLETE[missing]) % noun), code="incomplete")
        # ASCII digits only: str.isdigit() also passes "²" and other scripts' digits.
        if not all(part.isascii() and part.isdigit() for part in (day, month, year)):
            raise not_real
        if len(year) != 4:
            raise ValidationError(gettext("Year must include 4 numbers"), code="invalid_year")
        if len(day) > 2 or len(month) > 2:
            raise not_real
        try:
            value = datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise not_real from None
        message = date_out_of_range(value, noun=self.noun, earliest=self.earliest, latest=self.latest)
        if message:
            raise ValidationError(message, code="out_of_range")
        return value


class RevealMixin:
    """Radios and checkboxes whose options reveal further questions.

    ``REVEALS`` maps a field name to {option value: [names of the fields it reveals]};
    ``choice_options[name]`` gives the template each option with its revealed bound fields.
    """

    REVEALS: dict[str, dict[str, list[str]]] = {}

    @cached_property
    def choice_options(self) -> dict[str, list[dict]]:
        options = {}
        for name, field in self.fields.items():
            if not isinstance(field.widget, forms.RadioSelect):  # checkboxes subclass it
                continue
            reveals = self.REVEALS.get(name, {})
            options[name] = [
                {
                    "id": option.id_for_label,
                    "value": str(option.data["value"]),
                    "label": option.choice_label,
                    "type": option.data["type"],
                    "checked": option.data["selected"],
                    "conditional_id": f"conditional-{option.id_for_label}",
                    "revealed": [self[revealed] for revealed in reveals.get(str(option.data["value"]), [])],
                }
                for option in self[name].subwidgets
                if str(option.data["value"]) != ""
            ]
        return options
