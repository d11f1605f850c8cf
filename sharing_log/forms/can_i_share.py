"""The "Can I share?" question pages: one form per question. They check an answer is well
formed; what the answers mean is ``sharing_log.can_i_share``'s.

Each form has one main field, ``answer`` (radios or checkboxes, the page's heading as its
legend), and may reveal follow-ups under an option (``REVEALS``, as in ``RevealMixin``).
``options`` gives the template each option with its hint, an "or" divider before it, whether it
is exclusive (GOV.UK "none of these" checkbox) and its revealed fields.
"""

from functools import cached_property

from django import forms
from django.core.exceptions import ValidationError

from govuk_blocks.forms import RevealMixin

from .. import can_i_share as questions
from .reveals import TEXTAREA, _required


class QuestionForm(RevealMixin, forms.Form):
    """One "Can I share?" question."""

    step: str = ""
    hint: str = ""
    # Values of options that come after an "or" divider, and checkbox options that clear the rest.
    DIVIDED: tuple[str, ...] = ()
    EXCLUSIVE: tuple[str, ...] = ()

    @property
    def question(self) -> str:
        return questions.QUESTIONS[self.step]

    def option_hint(self, value: str) -> str:
        return ""

    @cached_property
    def options(self) -> list[dict]:
        return [
            {**option, "hint": self.option_hint(option["value"]),
             "divider": option["value"] in self.DIVIDED, "exclusive": option["value"] in self.EXCLUSIVE}
            for option in self.choice_options["answer"]
        ]

    def answers(self) -> dict:
        """The cleaned answer as ``sharing_log.can_i_share`` keeps it, follow-ups included."""
        return {self.step: self.cleaned_data["answer"]}


def _radios(choices, message: str) -> forms.ChoiceField:
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, error_messages=_required(message))


class PurposeForm(QuestionForm):
    """A purpose of an agreement the user may log under today, or none."""

    step = questions.PURPOSE
    hint = "Sharing must serve a purpose of an agreement your organisation is party to. Choose that purpose."
    DIVIDED = (questions.NO_PURPOSE,)

    answer = _radios((), "Select the purpose sharing would serve, or that there is no clear and legitimate purpose")

    def __init__(self, *args, purposes: dict, **kwargs):
        """``purposes``: purpose id (as text) → (its text, the agreement it belongs to)."""
        super().__init__(*args, **kwargs)
        self.purposes = purposes
        self.fields["answer"].choices = [
            *((pk, text) for pk, (text, _agreement) in purposes.items()),
            (questions.NO_PURPOSE, "There is no clear and legitimate purpose"),
        ]

    def option_hint(self, value: str) -> str:
        return str(self.purposes[value][1]) if value in self.purposes else ""


class IdentifiesForm(QuestionForm):
    step = questions.IDENTIFIES
    hint = "On its own, or together with other information the recipient holds or could get."
    answer = _radios(questions.YES_NO, "Select yes if the information identifies a living person")


class ConfidentialForm(QuestionForm):
    step = questions.CONFIDENTIAL
    hint = ("Information is confidential when it was given in confidence, or the person would expect it to be "
            "kept private – health records, for example.")
    answer = _radios(questions.YES_NO, "Select yes if the information is confidential")


class ConsentForm(QuestionForm):
    step = questions.CONSENT
    hint = ("Consent of the person the information is about, or of someone with parental responsibility for a "
            "child who cannot give it.")
    answer = _radios(questions.CONSENT_CHOICES, "Select whether you have consent to share")


class ConsentNotSoughtForm(QuestionForm):
    step = questions.CONSENT_NOT_SOUGHT
    hint = "If none of these applies, seek consent before sharing."
    DIVIDED = (questions.NO_REASON,)
    answer = _radios(questions.NOT_SOUGHT_CHOICES, "Select why consent has not been sought")


class PublicInterestForm(QuestionForm):
    step = questions.PUBLIC_INTEREST
    hint = ("For example, to protect a child or adult from significant harm, or to prevent or detect a crime "
            "that harms others. Would not sharing cause more harm than sharing without consent?")
    REVEALS = {"answer": {questions.YES: ["reason"]}}

    answer = _radios(questions.YES_NO, "Select yes if there is a sufficient public interest to share without consent")
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs=TEXTAREA), max_length=2000,
        label="Why does the public interest justify sharing without consent?",
        help_text="No names: this is kept with the entry.",
        error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == questions.YES and not cleaned.get("reason", "").strip():
            self.add_error("reason", "Explain why the public interest justifies sharing without consent")
        return cleaned

    def answers(self) -> dict:
        return {self.step: self.cleaned_data["answer"],
                questions.PUBLIC_INTEREST_REASON: self.cleaned_data["reason"].strip()}


class NecessaryForm(QuestionForm):
    step = questions.NECESSARY
    hint = ("Share only what the purpose needs, with the people who need it, accurate and up to date, "
            "when it is needed and by a secure method.")
    REVEALS = {"answer": {questions.NO: ["not_met"]}}

    answer = _radios(
        questions.YES_NO, "Select yes if sharing would be necessary, proportionate, relevant, accurate, "
                          "timely and secure",
    )
    not_met = forms.MultipleChoiceField(
        required=False, choices=questions.TESTS, widget=forms.CheckboxSelectMultiple,
        label="What would sharing not be?", help_text="Select all that apply.",
        error_messages={"invalid_choice": "Select what sharing would not be from the list"},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == questions.NO and not cleaned.get("not_met") and "not_met" not in self.errors:
            self.add_error("not_met", "Select what sharing would not be")
        return cleaned

    def answers(self) -> dict:
        return {self.step: self.cleaned_data["answer"], questions.NOT_MET: list(self.cleaned_data["not_met"])}


class SpecialCategoryForm(QuestionForm):
    step = questions.SPECIAL
    hint = ("Special category data: health, racial or ethnic origin, religion, political opinions, trade union "
            "membership, genetic or biometric data, sex life or sexual orientation. Criminal offence data: "
            "allegations, offences, proceedings or convictions. Select all that apply.")
    DIVIDED = EXCLUSIVE = (questions.NEITHER,)

    answer = forms.MultipleChoiceField(
        choices=questions.SPECIAL_CHOICES, widget=forms.CheckboxSelectMultiple,
        error_messages={**_required("Select the kinds of data it includes, or ‘Neither’"),
                        "invalid_choice": "Select the kinds of data it includes, or ‘Neither’"},
    )

    def clean_answer(self):
        answer = self.cleaned_data["answer"]
        if questions.NEITHER in answer and len(answer) > 1:
            raise ValidationError("Select ‘Neither’ on its own, or the kinds of data it includes")
        return answer

    def answers(self) -> dict:
        return {self.step: list(self.cleaned_data["answer"])}


FORMS = {form.step: form for form in (
    PurposeForm, IdentifiesForm, ConfidentialForm, ConsentForm, ConsentNotSoughtForm, PublicInterestForm,
    NecessaryForm, SpecialCategoryForm,
)}


def question_form(step: str, data=None, *, answers: dict, purposes: dict) -> QuestionForm:
    """The form for ``step``, holding the answer already given (for "Back" and "Change")."""
    initial = {"answer": answers.get(step)}
    if step == questions.PUBLIC_INTEREST:
        initial["reason"] = answers.get(questions.PUBLIC_INTEREST_REASON, "")
    if step == questions.NECESSARY:
        initial["not_met"] = answers.get(questions.NOT_MET, [])
    kwargs = {"purposes": purposes} if step == questions.PURPOSE else {}
    return FORMS[step](data, initial=initial, **kwargs)
