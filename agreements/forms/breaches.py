"""Forms of breaches and near misses: record one, its progress, the ICO decision, the Article 34
decision on telling the people affected, closing.

They check that input is well formed; the rules (dates in order, who may report for whom, what
must be recorded before closing) are the services'. Dates are GOV.UK date inputs
(``agreements.forms.parties.DateField``); a time of day is typed on the 24-hour clock.
"""

import datetime
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govuk_blocks.forms import DateField, ServiceErrorsMixin

from ..models import AffectedPeopleDecision, Breach, BreachKind
from ..selectors import breaches as selectors

TEXTAREA = {"rows": 4}
YES_NO = [("yes", "Yes"), ("no", "No")]


def _required(message: str) -> dict:
    return {"required": message, "invalid_choice": message}


def _too_long(label: str, limit: int) -> dict:
    return {"max_length": f"{label} must be {limit} characters or fewer"}


class TimeOfDayField(forms.CharField):
    """A time typed as 14:30 (or 14.30) on the 24-hour clock."""

    PATTERN = re.compile(r"^(\d{1,2})[:.](\d{2})$")

    def __init__(self, *, noun: str, **kwargs):
        self.noun = noun
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}))
        kwargs.setdefault("error_messages", {"required": f"Enter {noun}"})
        super().__init__(**kwargs)

    def clean(self, value):
        value = super().clean(value)
        if not value:
            return None
        match = self.PATTERN.match(value)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise ValidationError(f"Enter {self.noun} using the 24-hour clock, for example 14:30")
        return datetime.time(int(match[1]), int(match[2]))


def _moment(day: datetime.date | None, time: datetime.time | None) -> datetime.datetime | None:
    if day is None or time is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, time))


class AgreementField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class BreachForm(ServiceErrorsMixin, forms.Form):
    agreement = AgreementField(
        queryset=None, label="Agreement", empty_label="Choose an agreement",
        error_messages=_required("Choose the agreement that was breached"),
    )
    reporting_organisation = forms.ModelChoiceField(
        queryset=None, label="Organisation reporting it", empty_label="Choose an organisation",
        help_text="Usually the partner in breach: it reports its own breach and writes the report on it.",
        error_messages=_required("Choose the organisation reporting it"),
    )
    kind = forms.ChoiceField(
        label="Is it a breach or a near miss?", choices=BreachKind.choices, widget=forms.RadioSelect,
        help_text="A near miss could have breached the agreement but did not, for example an e-mail to the "
                  "wrong address stopped before it was sent.",
        error_messages=_required("Select whether it is a breach or a near miss"),
    )
    discovered_at = DateField(
        noun=_("the date it was discovered"), label="Date it was discovered", help_text="For example, 22 5 2026",
    )
    discovered_time = TimeOfDayField(
        noun="the time it was discovered", label="Time it was discovered",
        help_text="On the 24-hour clock, for example 14:30. The 72 hours for telling the ICO run from this time.",
    )
    description = forms.CharField(
        label="What happened?", max_length=2000, widget=forms.Textarea(attrs=TEXTAREA),
        help_text="What went wrong, and what has been done to contain it. Do not name anyone.",
        error_messages={"required": "Describe what happened", **_too_long("What happened", 2000)},
    )
    data_involved = forms.CharField(
        label="What data was involved?", max_length=1000, widget=forms.Textarea(attrs={"rows": 2}),
        help_text="By kind and number of people, for example “names and addresses of 3 adults”. Do not name anyone.",
        error_messages={"required": "Describe what data was involved", **_too_long("What data was involved", 1000)},
    )
    personal_data_breach = forms.TypedChoiceField(
        label="Is it a personal data breach?", choices=YES_NO, coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text="Personal data lost, destroyed, changed, disclosed or seen without authority (UK GDPR "
                  "Article 4(12)). It may have to be reported to the ICO within 72 hours of its discovery.",
        error_messages=_required("Select yes if it is a personal data breach"),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agreement"].queryset = selectors.agreements_for_breach_reports(user)
        organisations = selectors.organisations_reporting_for(user)
        self.fields["reporting_organisation"].queryset = organisations
        if len(organisations) == 1:
            self.initial.setdefault("reporting_organisation", organisations[0].pk)

    def clean(self):
        cleaned = super().clean()
        moment = _moment(cleaned.get("discovered_at"), cleaned.get("discovered_time"))
        if moment is not None:
            cleaned["discovered_at"] = moment
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {name: data[name] for name in (
            "agreement", "reporting_organisation", "kind", "discovered_at", "description", "data_involved",
            "personal_data_breach",
        )}


class BreachProgressForm(ServiceErrorsMixin, forms.Form):
    report_received_on = DateField(
        noun=_("the date the report was received"), label="Date the report was received", required=False,
        help_text="The report of the partner in breach, with the details of the breach and the actions it "
                  "has taken. For example, 4 6 2026",
    )
    report_summary = forms.CharField(
        label="What the report found", required=False, max_length=2000, widget=forms.Textarea(attrs=TEXTAREA),
        help_text="Do not name anyone.", error_messages=_too_long("What the report found", 2000),
    )
    meeting_held_on = DateField(
        noun=_("the date of the meeting"), label="Date of the partners' meeting", required=False,
        help_text="The partners meet to consider the report and agree any actions and sanctions.",
    )
    minutes_circulated_on = DateField(
        noun=_("the date the minutes were circulated"), label="Date the minutes were circulated", required=False,
    )
    actions = forms.CharField(
        label="Actions agreed", required=False, max_length=2000, widget=forms.Textarea(attrs=TEXTAREA),
        error_messages=_too_long("Actions agreed", 2000),
    )
    sanctions = forms.CharField(
        label="Sanctions imposed on the partner in breach", required=False, max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
        error_messages=_too_long("Sanctions imposed on the partner in breach", 2000),
    )

    def __init__(self, *args, breach: Breach, **kwargs):
        kwargs.setdefault("initial", {
            "report_received_on": breach.report_received_on, "report_summary": breach.report_summary,
            "meeting_held_on": breach.meeting_held_on, "minutes_circulated_on": breach.minutes_circulated_on,
            "actions": breach.actions, "sanctions": breach.sanctions,
        })
        super().__init__(*args, **kwargs)


class BreachIcoForm(ServiceErrorsMixin, forms.Form):
    reported = forms.TypedChoiceField(
        label="Has it been reported to the ICO?", widget=forms.RadioSelect, coerce=lambda value: value == "yes",
        choices=[("yes", "Yes, it has been reported"), ("no", "No, it is not being reported")],
        error_messages=_required("Select whether it has been reported to the ICO"),
    )
    reported_at = DateField(
        noun=_("the date it was reported"), label="Date it was reported", required=False,
        help_text="If it was reported. For example, 23 5 2026",
    )
    reported_time = TimeOfDayField(
        noun="the time it was reported", label="Time it was reported", required=False,
        help_text="If it was reported. On the 24-hour clock, for example 09:15.",
    )
    not_reported_reason = forms.CharField(
        label="Why is it not being reported?", required=False, max_length=2000,
        widget=forms.Textarea(attrs=TEXTAREA),
        help_text="If it is not. For example, why it is unlikely to put anyone's rights and freedoms at risk.",
        error_messages=_too_long("Why it is not being reported", 2000),
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("reported"):
            if "reported_at" not in self.errors and cleaned.get("reported_at") is None:
                self.add_error("reported_at", "Enter the date it was reported to the ICO")
            if "reported_time" not in self.errors and cleaned.get("reported_time") is None:
                self.add_error("reported_time", "Enter the time it was reported to the ICO")
        cleaned["reported_at"] = _moment(cleaned.get("reported_at"), cleaned.get("reported_time"))
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "reported": data["reported"], "reported_at": data["reported_at"],
            "not_reported_reason": data["not_reported_reason"],
        }


# "Still to decide" is a choice of its own: a high risk may be assessed before the telling is done.
NOT_YET = "not_yet"


class BreachAffectedForm(ServiceErrorsMixin, forms.Form):
    high_risk = forms.TypedChoiceField(
        label="Is it likely to result in a high risk to the rights and freedoms of the people affected?",
        widget=forms.RadioSelect, coerce=lambda value: value == "yes",
        choices=[("yes", "Yes, it is likely to result in a high risk"), ("no", "No, a high risk is unlikely")],
        error_messages=_required("Select whether it is likely to result in a high risk to the people affected"),
    )
    decision = forms.ChoiceField(
        label="If it is high risk, were the people affected told?", required=False, widget=forms.RadioSelect,
        choices=[*AffectedPeopleDecision.choices, (NOT_YET, "Not yet decided")],
        help_text="They must be told without undue delay unless one of the grounds of Article 34(3) applies.",
        error_messages=_required("Select whether the people affected were told, or why not"),
    )
    told_on = DateField(
        noun=_("the date they were told"), label="Date they were told, or the public communication made",
        required=False, help_text="If they were told, or a public communication made. For example, 29 5 2026",
    )
    note = forms.CharField(
        label="Reasons and how", required=False, max_length=2000, widget=forms.Textarea(attrs=TEXTAREA),
        help_text="Why a high risk is unlikely; how they were told; how the data were protected or what was done "
                  "since; where the public communication was made. Do not name anyone.",
        error_messages=_too_long("Reasons and how", 2000),
    )

    def __init__(self, *args, breach: Breach, **kwargs):
        high_risk = {True: "yes", False: "no"}.get(breach.affected_high_risk)
        kwargs.setdefault("initial", {
            "high_risk": high_risk,
            "decision": breach.affected_decision or (NOT_YET if breach.affected_high_risk else None),
            "told_on": breach.affected_told_on, "note": breach.affected_note,
        })
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("high_risk") and not cleaned.get("decision") and "decision" not in self.errors:
            self.add_error("decision", "Select whether the people affected were told, or why not")
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        decision = data["decision"]
        return {
            "high_risk": data["high_risk"], "decision": "" if decision == NOT_YET else decision,
            "told_on": data["told_on"], "note": data["note"],
        }


class BreachCloseForm(ServiceErrorsMixin, forms.Form):
    closed_on = DateField(
        noun=_("the date it was closed"), label="Date it was closed", help_text="For example, 30 6 2026",
    )


# The agreement's own breach clocks (drafting task "Breaches") --------------------------------

NOTICE_DAYS, NOTICE_UNDUE_DELAY, NOTICE_NOT_SET = "working_days", "undue_delay", "not_set"
MAX_WORKING_DAYS = 60


def _working_days(label: str, *, required: str = "") -> forms.IntegerField:
    return forms.IntegerField(
        label=label, required=False, min_value=1, max_value=MAX_WORKING_DAYS,
        widget=forms.TextInput(attrs={"class": "govuk-input--width-3", "inputmode": "numeric"}),
        help_text="In working days. Leave blank if the agreement does not say.",
        error_messages={
            "invalid": f"{label} must be a whole number of working days, like 5.",
            "min_value": f"{label} must be at least 1 working day.",
            "max_value": f"{label} must be {MAX_WORKING_DAYS} working days or fewer.",
        },
    )


class BreachClocksForm(ServiceErrorsMixin, forms.Form):
    """What the agreement itself says about the time after a breach (002 §6 sets 5, 10, 20 and
    5 working days; 004 App. B 1.3 says "without undue delay"). Blank is "not set"."""

    breach_notice = forms.ChoiceField(
        label="How soon does the agreement say the other partners are told of a breach?",
        choices=[
            (NOTICE_DAYS, "Within a number of working days"),
            (NOTICE_UNDUE_DELAY, "Without undue delay"),
            (NOTICE_NOT_SET, "The agreement does not say"),
        ],
        widget=forms.RadioSelect,
        error_messages=_required("Select how soon the agreement says the other partners are told of a breach."),
    )
    breach_notify_working_days = _working_days("Other partners told within")
    breach_report_working_days = _working_days("Report from the partner in breach within")
    breach_meeting_working_days = _working_days("Partners' meeting within")
    breach_minutes_working_days = _working_days("Minutes circulated, after the meeting, within")

    def __init__(self, *args, agreement, user=None, **kwargs):
        if agreement.breach_notify_without_undue_delay:
            notice = NOTICE_UNDUE_DELAY
        elif agreement.breach_notify_working_days is not None:
            notice = NOTICE_DAYS
        else:
            notice = NOTICE_NOT_SET
        initial = {
            "breach_notice": notice,
            "breach_notify_working_days": agreement.breach_notify_working_days,
            "breach_report_working_days": agreement.breach_report_working_days,
            "breach_meeting_working_days": agreement.breach_meeting_working_days,
            "breach_minutes_working_days": agreement.breach_minutes_working_days,
        }
        super().__init__(*args, initial=initial, **kwargs)

    def clean(self):
        cleaned = super().clean()
        notice, days = cleaned.get("breach_notice"), cleaned.get("breach_notify_working_days")
        if "breach_notify_working_days" in self.errors:
            return cleaned
        if notice == NOTICE_DAYS and days is None:
            self.add_error("breach_notify_working_days",
                           "Enter within how many working days the other partners are told.")
        elif notice in (NOTICE_UNDUE_DELAY, NOTICE_NOT_SET) and days is not None:
            self.add_error("breach_notify_working_days",
                           "Leave the working days blank, or select “Within a number of working days”.")
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "notify_working_days": data["breach_notify_working_days"],
            "notify_without_undue_delay": data["breach_notice"] == NOTICE_UNDUE_DELAY,
            "report_working_days": data["breach_report_working_days"],
            "meeting_working_days": data["breach_meeting_working_days"],
            "minutes_working_days": data["breach_minutes_working_days"],
        }
