"""The QA review forms (decision 0064): the owner asking for a QA review, and a reviewer's
findings per checklist point. The rules are ``services.qa_reviews``'."""

from django import forms
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

from govuk_blocks.forms import ServiceErrorsMixin

from ..models import QaOutcome, QaResult
from ..selectors.qa_reviews import qa_checkpoints
from ..services.qa_reviews import COMMENTS_MAX

CHOOSE_REQUIRED = _("Select whether the agreement needs a QA review before it comes into force")


class QaRequirementForm(ServiceErrorsMixin, forms.Form):
    required = forms.ChoiceField(
        choices=[("yes", _("Yes")), ("no", _("No"))], widget=forms.RadioSelect,
        label=_("Does a QA review have to pass the agreement before it comes into force?"),
        error_messages={"required": CHOOSE_REQUIRED, "invalid_choice": CHOOSE_REQUIRED},
    )
    group_name = forms.CharField(
        required=False, max_length=200, label=_("QA group (optional)"),
        help_text=_("For example, a WASPI regional quality assurance group."),
        error_messages={"max_length": _("The QA group's name must be 200 characters or fewer")},
    )
    reviewer_emails = forms.CharField(
        required=False, max_length=2000, label=_("Reviewers' email addresses"),
        help_text=_("One a line. Each reviewer must have an ISA Portal account."),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Enter 2,000 characters or fewer")},
    )

    def clean_reviewer_emails(self) -> list[str]:
        emails = [line.strip().lower() for line in self.cleaned_data["reviewer_emails"].splitlines() if line.strip()]
        for email in emails:
            try:
                validate_email(email)
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("Enter each email address on its own line, like name@example.gov.uk"),
                ) from None
        return emails

    def clean(self):
        data = super().clean()
        if data.get("required") == "yes" and not data.get("reviewer_emails") and "reviewer_emails" not in self.errors:
            self.add_error("reviewer_emails", _("Enter the email address of at least one QA reviewer"))
        return data


class QaReviewForm(ServiceErrorsMixin, forms.Form):
    """One met / not met / not applicable choice and a comment per active checklist point, then the
    outcome. ``version`` carries the id of the version shown."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": _("Read the agreement again and review it."),
                        "invalid": _("Read the agreement again and review it.")},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.points = list(qa_checkpoints())
        for point in self.points:
            message = _("Select met, not met or not applicable for “%(point)s”") % {"point": point.text}
            self.fields[f"point_{point.pk}"] = forms.ChoiceField(
                choices=QaResult.choices, widget=forms.RadioSelect(attrs={"class": "govuk-radios--small"}),
                label=point.text, help_text=point.guidance,
                error_messages={"required": message, "invalid_choice": message},
            )
            self.fields[f"point_{point.pk}_comment"] = forms.CharField(
                required=False, max_length=COMMENTS_MAX,
                label=_("Comment on “%(point)s” (needed when not met)") % {"point": point.text},
                error_messages={"max_length": _("Comments must be 5,000 characters or fewer")},
            )
        outcome_message = _("Select whether the version passed or needs changes")
        self.fields["outcome"] = forms.ChoiceField(
            choices=QaOutcome.choices, widget=forms.RadioSelect, label=_("Outcome"),
            error_messages={"required": outcome_message, "invalid_choice": outcome_message},
        )
        self.fields["comments"] = forms.CharField(
            required=False, max_length=COMMENTS_MAX, label=_("Comments to the drafter"),
            help_text=_("Required when changes are needed: say what must change."),
            widget=forms.Textarea(attrs={"rows": 5}),
            error_messages={"max_length": _("Comments must be 5,000 characters or fewer")},
        )

    def point_fields(self):
        return [(self[f"point_{p.pk}"], self[f"point_{p.pk}_comment"]) for p in self.points]

    def findings(self) -> dict:
        return {
            p.pk: (self.cleaned_data.get(f"point_{p.pk}", ""), self.cleaned_data.get(f"point_{p.pk}_comment", ""))
            for p in self.points
        }
