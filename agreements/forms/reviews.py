"""Forms of the reviews journey: start a review, complete it, its actions, its findings report;
and the review schedule, a task of drafting the agreement (``ReviewForm``).

The services (``agreements.services.reviews``) hold the rules; these forms turn the page's
input into their arguments, with GOV.UK error messages worded as the services word them.
"""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govuk_blocks.dates import long_date
from govuk_blocks.forms import (
    TOO_LONG,
    DateField,
    ModelMultipleChoiceField,
    ServiceErrorsMixin,
    days_field,
    months_field,
)

from ..models import Agreement, ReviewOutcome
from ..selectors.reviews import review_people
from ..services.reviews import CHAIR_REQUEST, SCHEDULED

FINDINGS_LIMIT = 5000
ACTION_LIMIT = 1000
REASON_LIMIT = 2000


class ReviewStartForm(ServiceErrorsMixin, forms.Form):
    why = forms.ChoiceField(
        label="Why is the agreement being reviewed?", widget=forms.RadioSelect,
        error_messages={
            "required": "Choose why the agreement is being reviewed",
            "invalid_choice": "That reason has already been answered by a review. Choose another",
        },
    )
    reason = forms.CharField(
        label="Reason", required=False, max_length=REASON_LIMIT, widget=forms.Textarea(attrs={"rows": 4}),
        help_text="For a chair's request, what the chair asked the partners to review and why. "
                  "Otherwise, anything the reviewers should know. Do not name anyone whose "
                  "information is shared.",
        error_messages={"max_length": TOO_LONG.format(label="Reason", limit=REASON_LIMIT)},
    )

    def __init__(self, *args, waiting, scheduled_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [(event.key, f"{event.label}: {event.reason}") for event in waiting]
        if scheduled_on is not None:
            choices.append((SCHEDULED, f"The scheduled review, due {long_date(scheduled_on)}"))
        choices.append((CHAIR_REQUEST, "The chair of the partnership asked for a review"))
        self.fields["why"].choices = choices

    def clean(self):
        cleaned = super().clean()
        chair_without_reason = cleaned.get("why") == CHAIR_REQUEST and not cleaned.get("reason", "").strip()
        if chair_without_reason and "reason" not in self.errors:
            self.add_error("reason", "Enter what the chair asked the partners to review, and why")
        return cleaned


class PeopleChoiceField(ModelMultipleChoiceField):
    def label_from_instance(self, contact):
        return f"{contact}, {contact.organisation}"


class ReviewCompleteForm(ServiceErrorsMixin, forms.Form):
    completed_on = DateField(
        noun=_("the date the review was held"), label="Date the review was held",
        help_text="For example, 27 3 2026.",
    )
    reviewers = PeopleChoiceField(
        queryset=None, label="Who reviewed the agreement?", widget=forms.CheckboxSelectMultiple,
        help_text="Select everyone who took part. People are listed from the directory entries of "
                  "the parties.",
        error_messages={
            "required": "Choose who reviewed the agreement",
            "invalid_choice": "Choose reviewers from the parties to the agreement",
            "invalid_pk_value": "Choose reviewers from the parties to the agreement",
        },
    )
    findings = forms.CharField(
        label="What did the review find?", max_length=FINDINGS_LIMIT, widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What works, what does not, and what must change. Do not name anyone whose "
                  "information is shared.",
        error_messages={
            "required": "Enter what the review found",
            "max_length": TOO_LONG.format(label="What the review found", limit=FINDINGS_LIMIT),
        },
    )
    outcome = forms.ChoiceField(
        label="Outcome", widget=forms.RadioSelect, choices=ReviewOutcome.choices,
        help_text="A substantive change makes a new version that every party signs again. Make "
                  "the change in the drafting tasks before you record it here.",
        error_messages={
            "required": "Choose the outcome of the review",
            "invalid_choice": "Choose the outcome of the review",
        },
    )

    def __init__(self, *args, review, **kwargs):
        kwargs.setdefault("initial", {"completed_on": timezone.localdate()})
        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = review_people(review.agreement)


class PersonChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, contact):
        return f"{contact}, {contact.organisation}"


class ReviewActionForm(ServiceErrorsMixin, forms.Form):
    description = forms.CharField(
        label="What needs to be done?", max_length=ACTION_LIMIT, widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": "Enter what needs to be done",
            "max_length": TOO_LONG.format(label="What needs to be done", limit=ACTION_LIMIT),
        },
    )
    owner = PersonChoiceField(
        queryset=None, label="Who will do it?", empty_label="Choose a person",
        help_text="From the directory entries of the parties.",
        error_messages={
            "required": "Choose who will do it",
            "invalid_choice": "Choose someone from the parties to the agreement",
        },
    )
    due_on = DateField(noun=_("the date it is due"), label="Date it is due", help_text="For example, 30 6 2026.")

    def __init__(self, *args, review, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = review_people(review.agreement)


class ReviewActionDoneForm(ServiceErrorsMixin, forms.Form):
    done_on = DateField(noun=_("the date it was done"), label="Date it was done", help_text="For example, 27 3 2026.")

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"done_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class FindingsReportedForm(ServiceErrorsMixin, forms.Form):
    reported_on = DateField(
        noun=_("the date the findings were reported"), label="Date the findings were reported",
        help_text="For example, 27 3 2026.",
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("initial", {"reported_on": timezone.localdate()})
        super().__init__(*args, **kwargs)


class ReviewForm(ServiceErrorsMixin, forms.Form):
    review_first_after_months = months_field(
        "First review after", maximum=120,
        help_text="Months after the agreement comes into force. For example, 6.",
        required="Enter how many months after it comes into force the first review is due.",
        invalid="Enter the months to the first review as a whole number, like 6.",
    )
    review_every_months = months_field(
        "Then a review every", maximum=120,
        help_text="Months between reviews. For example, 12 for annually or 24 for every two years.",
        required="Enter how many months apart reviews are.",
        invalid="Enter the months between reviews as a whole number, like 12.",
    )
    review_after_breach = forms.TypedChoiceField(
        label="Is the agreement reviewed after any breach?",
        choices=[("yes", "Yes"), ("no", "No")], coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Select yes if the agreement is reviewed after any breach.",
            "invalid_choice": "Select yes if the agreement is reviewed after any breach.",
        },
    )

    review_overdue_grace_days = days_field(
        "Days sharing may go on while a review is overdue",
        help_text="After these days, nothing more may be shared under the agreement until its review is "
                  "completed (decisions not to share may still be logged). For example, 90. Leave it blank "
                  "to keep the current number.",
    )
    resigning_grace_days = days_field(
        "Days a party has to sign a changed version",
        help_text="After a substantive change, a party that has not signed the new version within these days "
                  "receives nothing new under the agreement until it does. For example, 60. Leave it blank to "
                  "keep the current number.",
    )

    def __init__(self, *args, agreement: Agreement, user=None, **kwargs):
        initial = {
            "review_first_after_months": agreement.review_first_after_months,
            "review_every_months": agreement.review_every_months,
            "review_after_breach": "yes" if agreement.review_after_breach else "no",
            "review_overdue_grace_days": agreement.review_overdue_grace_days,
            "resigning_grace_days": agreement.resigning_grace_days,
        }
        super().__init__(*args, initial=initial, **kwargs)

    def service_kwargs(self) -> dict:
        return dict(self.cleaned_data)
