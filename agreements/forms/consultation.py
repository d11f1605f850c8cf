"""A comment on a draft out for consultation, and the owner's answer to it."""

from django import forms

from govuk_blocks.forms import ServiceErrorsMixin

MOST = 3000


class ConsultationCommentForm(ServiceErrorsMixin, forms.Form):
    text = forms.CharField(
        max_length=MOST, widget=forms.Textarea(attrs={"rows": 6}),
        label="Your comment",
        help_text="Say which part of the draft it is about (a section, a purpose, the data). Do not name "
                  "anyone the information is about.",
        error_messages={"required": "Enter your comment",
                        "max_length": "Your comment must be 3,000 characters or fewer"},
    )


class ConsultationAnswerForm(ServiceErrorsMixin, forms.Form):
    answer = forms.CharField(
        max_length=MOST, widget=forms.Textarea(attrs={"rows": 5}),
        label="Your answer",
        help_text="For example, what was changed in the draft, or why it was not.",
        error_messages={"required": "Enter your answer",
                        "max_length": "Your answer must be 3,000 characters or fewer"},
    )
