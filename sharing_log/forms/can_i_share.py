"""The "Can I share?" question pages: one form per page. They check an answer is well
formed; what the answers mean is ``sharing_log.can_i_share``'s.

One form a page (``can_i_share.PAGES``). Each has one main field, ``answer`` (radios or
checkboxes, the page's heading as its legend), and may reveal follow-ups under an option
(``REVEALS``, as in ``RevealMixin``): a question asked with it on the same page.
``options`` gives the template each option with its hint, an "or" divider before it, whether it
is exclusive (GOV.UK "none of these" checkbox) and its revealed fields.
"""

from functools import cached_property

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

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
        """The main question's options; each revealed question comes with its own options
        (``None`` for one that is not radios or checkboxes)."""
        return [
            {**option, "revealed": [
                {"field": field, "options": self._options(field.name) if field.name in self.choice_options else None}
                for field in option["revealed"]
            ]}
            for option in self._options("answer")
        ]

    def _options(self, name: str) -> list[dict]:
        return [
            {**option, "hint": self.option_hint(option["value"]) if name == "answer" else "",
             "divider": option["value"] in self.DIVIDED, "exclusive": option["value"] in self.EXCLUSIVE}
            for option in self.choice_options[name]
        ]

    def answers(self) -> dict:
        """The cleaned answer as ``sharing_log.can_i_share`` keeps it, follow-ups included."""
        return {self.step: self.cleaned_data["answer"]}


def _radios(choices, message: str) -> forms.ChoiceField:
    return forms.ChoiceField(choices=choices, widget=forms.RadioSelect, error_messages=_required(message))


class PurposeForm(QuestionForm):
    """A purpose of an agreement the user may log under today, or none."""

    step = questions.PURPOSE
    hint = gettext_lazy("Sharing must serve a purpose of an agreement your organisation is party to. Choose that "
                        "purpose.")
    DIVIDED = (questions.NO_PURPOSE,)

    answer = _radios((), gettext_lazy("Select the purpose sharing would serve, or that there is no clear and "
                                      "legitimate purpose"))

    def __init__(self, *args, purposes: dict, **kwargs):
        """``purposes``: purpose id (as text) → (its text, the agreement it belongs to)."""
        super().__init__(*args, **kwargs)
        self.purposes = purposes
        self.fields["answer"].choices = [
            *((pk, text) for pk, (text, _agreement) in purposes.items()),
            (questions.NO_PURPOSE, _("There is no clear and legitimate purpose")),
        ]

    def option_hint(self, value: str) -> str:
        return str(self.purposes[value][1]) if value in self.purposes else ""


class InformationForm(QuestionForm):
    """Whether it identifies a living person and, if it does, whether it is confidential: the
    second matters only given the first, so one choice of three answers both."""

    step = questions.INFORMATION
    hint = gettext_lazy(
        "It identifies someone on its own, or together with other information the recipient holds or could "
        "get. Information is confidential when it was given in confidence, or the person would expect it to "
        "be kept private – health records, for example.")
    DIVIDED = (questions.IDENTIFIES_NOBODY,)

    answer = _radios(questions.INFORMATION_CHOICES, gettext_lazy(
        "Select whether the information identifies a living person and whether it is confidential"))

    @property
    def question(self) -> str:
        return questions.INFORMATION_QUESTION

    def answers(self) -> dict:
        return questions.information_answers(self.cleaned_data["answer"])


class ConsentForm(QuestionForm):
    """Consent, and why it was not sought under "not sought"."""

    step = questions.CONSENT
    hint = gettext_lazy("Consent of the person the information is about, or of someone with parental "
                        "responsibility for a child who cannot give it.")
    REVEALS = {"answer": {questions.NOT_SOUGHT: ["not_sought_reason"]}}
    DIVIDED = (questions.NO_REASON,)

    answer = _radios(questions.CONSENT_CHOICES, gettext_lazy("Select whether you have consent to share"))
    not_sought_reason = forms.ChoiceField(
        required=False, choices=questions.NOT_SOUGHT_CHOICES, widget=forms.RadioSelect,
        label=questions.QUESTIONS[questions.CONSENT_NOT_SOUGHT],
        help_text=gettext_lazy("If none of these applies, seek consent before sharing."),
        error_messages=_required(gettext_lazy("Select why consent has not been sought")),
    )

    def clean(self):
        cleaned = super().clean()
        if (cleaned.get("answer") == questions.NOT_SOUGHT and not cleaned.get("not_sought_reason")
                and "not_sought_reason" not in self.errors):
            self.add_error("not_sought_reason", _("Select why consent has not been sought"))
        return cleaned

    def answers(self) -> dict:
        answer = self.cleaned_data["answer"]
        if answer == questions.NOT_SOUGHT:
            return {self.step: answer, questions.CONSENT_NOT_SOUGHT: self.cleaned_data["not_sought_reason"]}
        return {self.step: answer}


class PublicInterestForm(QuestionForm):
    step = questions.PUBLIC_INTEREST
    hint = gettext_lazy(
        "For example, to protect a child or adult from significant harm, or to prevent or detect a crime "
        "that harms others. Would not sharing cause more harm than sharing without consent?")
    REVEALS = {"answer": {questions.YES: ["reason"]}}

    answer = _radios(questions.YES_NO, gettext_lazy(
        "Select yes if there is a sufficient public interest to share without consent"))
    reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs=TEXTAREA), max_length=2000,
        label=gettext_lazy("Why does the public interest justify sharing without consent?"),
        help_text=gettext_lazy("No names: this is kept with the entry."),
        error_messages={"max_length": gettext_lazy("The reason must be 2,000 characters or fewer")},
    )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("answer") == questions.YES and not cleaned.get("reason", "").strip():
            self.add_error("reason", _("Explain why the public interest justifies sharing without consent"))
        return cleaned

    def answers(self) -> dict:
        return {self.step: self.cleaned_data["answer"],
                questions.PUBLIC_INTEREST_REASON: self.cleaned_data["reason"].strip()}


SPECIAL_REQUIRED = gettext_lazy("Select the kinds of data it includes, or ‘Neither’")


class NecessaryForm(QuestionForm):
    """Necessary, proportionate, relevant, accurate, timely and secure; under "Yes", whether it
    includes special category or criminal offence data (asked only of sharing that may go ahead),
    under "No", what sharing would not be."""

    step = questions.NECESSARY
    hint = gettext_lazy("Share only what the purpose needs, with the people who need it, accurate and up to date, "
                        "when it is needed and by a secure method.")
    REVEALS = {"answer": {questions.YES: ["special"], questions.NO: ["not_met"]}}
    DIVIDED = EXCLUSIVE = (questions.NEITHER,)

    answer = _radios(
        questions.YES_NO, gettext_lazy("Select yes if sharing would be necessary, proportionate, relevant, accurate, "
                                       "timely and secure"),
    )
    special = forms.MultipleChoiceField(
        required=False, choices=questions.SPECIAL_CHOICES, widget=forms.CheckboxSelectMultiple,
        label=questions.QUESTIONS[questions.SPECIAL],
        help_text=gettext_lazy(
            "Special category data: health, racial or ethnic origin, religion, political opinions, trade "
            "union membership, genetic or biometric data, sex life or sexual orientation. Criminal offence "
            "data: allegations, offences, proceedings or convictions. Select all that apply."),
        error_messages={"invalid_choice": SPECIAL_REQUIRED},
    )
    not_met = forms.MultipleChoiceField(
        required=False, choices=questions.TESTS, widget=forms.CheckboxSelectMultiple,
        label=gettext_lazy("What would sharing not be?"), help_text=gettext_lazy("Select all that apply."),
        error_messages={"invalid_choice": gettext_lazy("Select what sharing would not be from the list")},
    )

    def clean(self):
        cleaned = super().clean()
        answer = cleaned.get("answer")
        if answer == questions.YES and "special" not in self.errors:
            special = cleaned.get("special") or []
            if not special:
                self.add_error("special", SPECIAL_REQUIRED)
            elif questions.NEITHER in special and len(special) > 1:
                self.add_error("special", _("Select ‘Neither’ on its own, or the kinds of data it includes"))
        if answer == questions.NO and not cleaned.get("not_met") and "not_met" not in self.errors:
            self.add_error("not_met", _("Select what sharing would not be"))
        return cleaned

    def answers(self) -> dict:
        if self.cleaned_data["answer"] == questions.YES:
            return {self.step: questions.YES, questions.NOT_MET: [],
                    questions.SPECIAL: list(self.cleaned_data["special"])}
        return {self.step: questions.NO, questions.NOT_MET: list(self.cleaned_data["not_met"])}


FORMS = {form.step: form for form in (PurposeForm, InformationForm, ConsentForm, PublicInterestForm, NecessaryForm)}


def question_form(page: str, data=None, *, answers: dict, purposes: dict) -> QuestionForm:
    """The form for ``page``, holding the answers already given (for "Back" and "Change")."""
    initial = {"answer": answers.get(page)}
    if page == questions.INFORMATION:
        initial["answer"] = questions.information_answer(answers)
    if page == questions.CONSENT:
        initial["not_sought_reason"] = answers.get(questions.CONSENT_NOT_SOUGHT)
    if page == questions.PUBLIC_INTEREST:
        initial["reason"] = answers.get(questions.PUBLIC_INTEREST_REASON, "")
    if page == questions.NECESSARY:
        initial["not_met"] = answers.get(questions.NOT_MET, [])
        initial["special"] = answers.get(questions.SPECIAL, [])
    kwargs = {"purposes": purposes} if page == questions.PURPOSE else {}
    return FORMS[page](data, initial=initial, **kwargs)
