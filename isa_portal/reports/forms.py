"""The reports' filters: an agreement and a period, read from the query string."""

import datetime

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govuk_blocks.forms import FilterDateField, filter_dates_in_order

from .selectors import MAX_MONTHS, ReportFilters, default_period, report_agreements


class ReportFilterForm(forms.Form):
    agreement = forms.ModelChoiceField(
        queryset=None, required=False, empty_label=gettext_lazy("All agreements"),
        error_messages={"invalid_choice": gettext_lazy("Select an agreement from the list")},
    )
    date_from = FilterDateField(label=gettext_lazy("From"), example="1/1/2026")
    date_to = FilterDateField(label=gettext_lazy("To"), example="31/12/2026")

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = report_agreements(user)

    def clean(self):
        cleaned = super().clean()
        filter_dates_in_order(self)
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        if first and last and not self.has_error("date_to") and (
            (last.year - first.year) * 12 + last.month - first.month >= MAX_MONTHS
        ):
            self.add_error("date_to", _("The period must be %(months)s months or shorter") % {"months": MAX_MONTHS})
        return cleaned

    def filters(self) -> ReportFilters:
        """The period and agreement asked for. Left empty: "From" is the start of the twelve
        months that end with "To", "To" today (or the end of the twelve months from "From", if
        today is before it or too far after); both empty, the last twelve months. A form with
        errors shows the last twelve months of every agreement: nothing is counted from a period
        that is not one."""
        cleaned = {} if self.errors else getattr(self, "cleaned_data", {})
        first, last = cleaned.get("date_from"), cleaned.get("date_to")
        today_start, today = default_period()
        if first and not last:
            last = today if first <= today < _month_start(first, MAX_MONTHS) else (
                _month_start(first, 12) - datetime.timedelta(days=1))
        elif last and not first:
            first = _month_start(last, -11)
        elif not first:
            first, last = today_start, today
        return ReportFilters(agreement=cleaned.get("agreement"), date_from=first, date_to=last)


def _month_start(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month ``months`` after (or before) ``day``'s."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


class FlowFilterForm(ReportFilterForm):
    """The flow map's period: the reports' "From" and "To", read and defaulted the same way; the
    agreement (or organisation) is the page's own."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        del self.fields["agreement"]
