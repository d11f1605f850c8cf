"""Form pieces every app's forms share: a service's refusal shown on the form, the GOV.UK date
input, and GOV.UK-style error messages."""

import datetime

from django import forms
from django.core.exceptions import ValidationError


class ServiceErrorsMixin:
    """Show a service's ``ValidationError`` on the form: on the field it names, when the form
    shows that field (``field_map`` renames), or else above the form, where the error summary
    lists it (a hidden field has nowhere to show its error)."""

    field_map: dict[str, str] = {}

    def add_service_errors(self, error: ValidationError) -> None:
        if not hasattr(error, "error_dict"):
            for message in error.messages:
                self.add_error(None, message)
            return
        for name, errors in error.message_dict.items():
            name = self.field_map.get(name, name)
            for message in errors:
                shown = name in self.fields and not self[name].is_hidden
                self.add_error(name if shown else None, message)


def submitted(request):
    """A form's data: the POST's, even an empty one (which must show its errors), else ``None``
    so that a GET shows a blank form."""
    return request.POST if request.method == "POST" else None


# Error messages in the GOV.UK style: what went wrong and how to fix it.
TOO_LONG = "{label} must be {limit} characters or fewer"


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


class DateField(forms.Field):
    """A date typed as day, month and year, with GOV.UK's error messages for a date input.

    ``noun`` names the date in those messages: "the date notice was given" gives
    "Enter the date notice was given", "The date notice was given must include a month" and
    "The date notice was given must be a real date"; a year of other than four digits gives
    "Year must include 4 numbers".
    ``value`` is always ``[day, month, year]`` so the template can fill the three inputs.
    """

    widget = DateWidget

    def __init__(self, *, noun: str, **kwargs):
        self.noun = noun
        super().__init__(**kwargs)

    def prepare_value(self, value):
        if isinstance(value, datetime.date):
            return [str(value.day), str(value.month), str(value.year)]
        return value or ["", "", ""]

    def clean(self, value):
        day, month, year = (str(part or "").strip() for part in (value or ["", "", ""]))
        noun = self.noun[0].upper() + self.noun[1:]
        if not (day or month or year):
            if self.required:
                raise ValidationError(f"Enter {self.noun}", code="required")
            return None
        missing = [part for part, given in zip(DateWidget.PARTS, (day, month, year), strict=True) if not given]
        if missing:
            raise ValidationError(f"{noun} must include a {' and a '.join(missing)}", code="incomplete")
        if not all(part.isdigit() for part in (day, month, year)):
            raise ValidationError(f"{noun} must be a real date", code="invalid")
        if len(year) != 4:
            raise ValidationError("Year must include 4 numbers", code="invalid_year")
        try:
            return datetime.date(int(year), int(month), int(day))
        except (ValueError, OverflowError):
            raise ValidationError(f"{noun} must be a real date", code="invalid") from None
