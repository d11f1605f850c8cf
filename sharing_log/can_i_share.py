"""The "Can I share?" questions (seed 003 §3, seed 004 Appendix A; DOMAIN.md): which question
comes next, on which page, and what the answers mean.

Plain logic, with no request and no database: ``answers`` is a dict of step → answer value as
the question pages store it in the session, plus the follow-ups ``public-interest-reason`` and
``not-met``. The pages (``sharing_log.views.can_i_share``) ask this module which page to show,
where "Back" goes, whether the answers are complete, and what to pre-fill in the log form.

The eight questions are asked on at most five pages (``PAGES``): a question whose answer only
matters given another's is asked with it, on its page (whether the information is confidential
with whether it identifies anyone; why consent was not sought under "not sought"; special
category data under "sharing is necessary"). Every question is still asked where it applies, and
recorded on its own.

The order follows the HM Government flowchart of 004 Appendix A: a clear and legitimate purpose
first; information that identifies nobody may be shared; for information that does, consent or
a reason not to seek it (003 §3.1 a, Q7–Q8); a sufficient public interest where confidential
information would be shared without consent, or a refusal overridden (003 Q5, 002 §4.6–4.7);
then necessary, proportionate, relevant, accurate, timely and secure (003 §2, golden rule 6);
then special-category and criminal-offence data, which the log form asks conditions for.
"""

from dataclasses import dataclass

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements.models import DataLevel

from .models.disclosures import ConsentStatus, Decision

SESSION_KEY = "can_i_share"

PURPOSE = "purpose"
IDENTIFIES = "identifies"
CONFIDENTIAL = "confidential"
CONSENT = "consent"
CONSENT_NOT_SOUGHT = "consent-not-sought"
PUBLIC_INTEREST = "public-interest"
NECESSARY = "necessary"
SPECIAL = "special-category"

STEPS = (PURPOSE, IDENTIFIES, CONFIDENTIAL, CONSENT, CONSENT_NOT_SOUGHT, PUBLIC_INTEREST, NECESSARY, SPECIAL)

# The pages, in order, and the page each question is asked on. A page is named after its first
# question, but for the page on the information itself.
INFORMATION = "information"
PAGES = (PURPOSE, INFORMATION, CONSENT, PUBLIC_INTEREST, NECESSARY)
PAGE_OF = {
    PURPOSE: PURPOSE, IDENTIFIES: INFORMATION, CONFIDENTIAL: INFORMATION, CONSENT: CONSENT,
    CONSENT_NOT_SOUGHT: CONSENT, PUBLIC_INTEREST: PUBLIC_INTEREST, NECESSARY: NECESSARY, SPECIAL: NECESSARY,
}

# Follow-ups kept beside the answer they belong to.
PUBLIC_INTEREST_REASON = "public-interest-reason"
NOT_MET = "not-met"

YES, NO = "yes", "no"
NO_PURPOSE = "none"
YES_NO = ((YES, gettext_lazy("Yes")), (NO, gettext_lazy("No")))

EXPLICIT, IMPLIED, NOT_SOUGHT, REFUSED = (
    ConsentStatus.EXPLICIT, ConsentStatus.IMPLIED, ConsentStatus.NOT_SOUGHT, ConsentStatus.REFUSED,
)
CONSENT_CHOICES = (
    (EXPLICIT, gettext_lazy("Yes, explicit consent")),
    (IMPLIED, gettext_lazy("Yes, implied consent")),
    (NOT_SOUGHT, gettext_lazy("No, consent has not been sought")),
    (REFUSED, gettext_lazy("No, consent was refused")),
)

RISK_OF_HARM, INVESTIGATION, DELAY, LEGAL_DUTY, NO_REASON = (
    "risk_of_harm", "investigation", "delay", "legal_duty", "none",
)
NOT_SOUGHT_CHOICES = (
    (RISK_OF_HARM, gettext_lazy("Seeking consent would place someone at risk of harm")),
    (INVESTIGATION, gettext_lazy("Seeking consent would prejudice an investigation")),
    (DELAY, gettext_lazy("Seeking consent would lead to unjustifiable delay")),
    (LEGAL_DUTY, gettext_lazy("There is a legal duty or a court order to share")),
    (NO_REASON, gettext_lazy("None of these")),
)

# Golden rule 6 (003 §2): what the information shared must be.
TESTS = (
    ("necessary", gettext_lazy("necessary")),
    ("proportionate", gettext_lazy("proportionate")),
    ("relevant", gettext_lazy("relevant")),
    ("accurate", gettext_lazy("accurate")),
    ("timely", gettext_lazy("timely")),
    ("secure", gettext_lazy("secure")),
)

SPECIAL_CATEGORY, CRIMINAL_OFFENCE, NEITHER = "special_category", "criminal_offence", "neither"
SPECIAL_CHOICES = (
    (SPECIAL_CATEGORY, gettext_lazy("Special category data")),
    (CRIMINAL_OFFENCE, gettext_lazy("Criminal offence data")),
    (NEITHER, gettext_lazy("Neither")),
)

QUESTIONS = {
    PURPOSE: gettext_lazy("Is there a clear and legitimate purpose for sharing the information?"),
    IDENTIFIES: gettext_lazy("Does the information identify a living person?"),
    CONFIDENTIAL: gettext_lazy("Is the information confidential?"),
    CONSENT: gettext_lazy("Do you have consent to share?"),
    CONSENT_NOT_SOUGHT: gettext_lazy("Why has consent not been sought?"),
    PUBLIC_INTEREST: gettext_lazy("Is there a sufficient public interest to share without consent?"),
    NECESSARY: gettext_lazy("Is sharing necessary, proportionate, relevant, accurate, timely and secure?"),
    SPECIAL: gettext_lazy("Does the information include special category or criminal offence data?"),
}

# The information page answers whether it identifies a living person and whether it is confidential.
INFORMATION_QUESTION = gettext_lazy("Does the information identify a living person, and is it confidential?")
IDENTIFIES_CONFIDENTIAL, IDENTIFIES_NOT_CONFIDENTIAL, IDENTIFIES_NOBODY = "confidential", "not_confidential", "nobody"
INFORMATION_CHOICES = (
    (IDENTIFIES_CONFIDENTIAL, gettext_lazy("Yes, it identifies someone and it is confidential")),
    (IDENTIFIES_NOT_CONFIDENTIAL, gettext_lazy("Yes, it identifies someone but it is not confidential")),
    (IDENTIFIES_NOBODY, gettext_lazy("No, it does not identify a living person")),
)

MAY_SHARE = gettext_lazy("You may share")
DO_NOT_SHARE = gettext_lazy("Do not share")


def information_answers(choice: str) -> dict:
    """The answers an information page choice gives: whether it identifies anyone, and whether it
    is confidential when it does."""
    if choice == IDENTIFIES_NOBODY:
        return {IDENTIFIES: NO}
    return {IDENTIFIES: YES, CONFIDENTIAL: YES if choice == IDENTIFIES_CONFIDENTIAL else NO}


def information_answer(answers: dict) -> str | None:
    """The information page's choice the answers given stand for, if any."""
    if answers.get(IDENTIFIES) == NO:
        return IDENTIFIES_NOBODY
    if answers.get(IDENTIFIES) == YES and answers.get(CONFIDENTIAL) in (YES, NO):
        return IDENTIFIES_CONFIDENTIAL if answers[CONFIDENTIAL] == YES else IDENTIFIES_NOT_CONFIDENTIAL
    return None


def _listed(words: list[str]) -> str:
    """"a", "a or b", "a, b or c"."""
    words = [str(word) for word in words]
    if len(words) == 1:
        return words[0]
    return _("%(first)s or %(last)s") % {"first": ", ".join(words[:-1]), "last": words[-1]}


def _after(step: str, answers: dict) -> str | None:
    """The question that follows ``step`` given its answer; ``None`` when the answers end here."""
    answer = answers[step]
    if step == PURPOSE:
        return None if answer == NO_PURPOSE else IDENTIFIES
    if step == IDENTIFIES:
        # Information that identifies nobody is not personal data: nothing more to ask.
        return CONFIDENTIAL if answer == YES else None
    if step == CONFIDENTIAL:
        return CONSENT
    if step == CONSENT:
        return {NOT_SOUGHT: CONSENT_NOT_SOUGHT, REFUSED: PUBLIC_INTEREST}.get(answer, NECESSARY)
    if step == CONSENT_NOT_SOUGHT:
        if answer == NO_REASON:
            return None  # 003 Q7: with no reason not to, seek consent first.
        # Confidential information shared without consent needs the public interest to justify
        # it (003 Q5), unless the law itself requires it.
        if answers.get(CONFIDENTIAL) == YES and answer != LEGAL_DUTY:
            return PUBLIC_INTEREST
        return NECESSARY
    if step == PUBLIC_INTEREST:
        return NECESSARY if answer == YES else None
    if step == NECESSARY:
        return SPECIAL if answer == YES else None
    return None


def path(answers: dict) -> list[str]:
    """The questions asked so far, in order: up to the first unanswered one, or to the last
    question the answers lead to. Answers to questions off this path (left from an answer
    since changed) count for nothing."""
    steps = [PURPOSE]
    while steps[-1] in answers:
        following = _after(steps[-1], answers)
        if following is None:
            break
        steps.append(following)
    return steps


def next_step(answers: dict) -> str | None:
    """The first unanswered question, or ``None`` when the answers are complete."""
    last = path(answers)[-1]
    return None if last in answers else last


def pages(answers: dict) -> list[str]:
    """The pages of the questions asked so far (``path``), in order."""
    return list(dict.fromkeys(PAGE_OF[step] for step in path(answers)))


def next_page(answers: dict) -> str | None:
    """The page of the first unanswered question, or ``None`` when the answers are complete."""
    step = next_step(answers)
    return None if step is None else PAGE_OF[step]


def previous_page(answers: dict, page: str) -> str | None:
    """The page before ``page`` (one on the path) for its "Back" link; ``None`` for the first."""
    shown = pages(answers)
    index = shown.index(page)
    return shown[index - 1] if index else None


def page_reachable(answers: dict, page: str) -> bool:
    """Whether ``page`` may be shown now: the page of a question on the path so far."""
    return page in pages(answers)


def progress(page: str) -> str:
    """Where ``page`` stands among all the pages, as its caption says it. Each page keeps its
    number: one the answers do not lead to (the public interest, when there is consent) is
    passed over, so that a number never changes under the user."""
    return _("Question %(number)s of %(total)s") % {"number": PAGES.index(page) + 1, "total": len(PAGES)}


def on_path(answers: dict) -> dict:
    """Only the answers that count: those to questions on the path, with their follow-ups."""
    steps = path(answers)
    kept = {step: answers[step] for step in steps if step in answers}
    if kept.get(PUBLIC_INTEREST) == YES:
        kept[PUBLIC_INTEREST_REASON] = answers.get(PUBLIC_INTEREST_REASON, "")
    if kept.get(NECESSARY) == NO:
        kept[NOT_MET] = list(answers.get(NOT_MET, []))
    return kept


@dataclass(frozen=True)
class Outcome:
    may_share: bool
    reason: str

    @property
    def title(self) -> str:
        return str(MAY_SHARE if self.may_share else DO_NOT_SHARE)


def outcome(answers: dict) -> Outcome | None:
    """What the answers mean, with the reason drawn from them; ``None`` while incomplete."""
    if next_step(answers) is not None:
        return None
    kept = on_path(answers)
    if kept[PURPOSE] == NO_PURPOSE:
        return Outcome(False, _("There is no clear and legitimate purpose for sharing the information."))
    if kept[IDENTIFIES] == NO:
        return Outcome(True, _("The information does not identify a living person."))
    if kept.get(CONSENT_NOT_SOUGHT) == NO_REASON:
        return Outcome(False, _("Consent has not been sought and there is no reason not to seek it: "
                                "seek consent before sharing."))
    if kept.get(PUBLIC_INTEREST) == NO:
        if kept[CONSENT] == REFUSED:
            return Outcome(False, _("Consent was refused and there is not a sufficient public interest to "
                                    "override the refusal."))
        return Outcome(False, _("The information is confidential, consent has not been sought and there is "
                                "not a sufficient public interest to share it without consent."))
    if kept[NECESSARY] == NO:
        words = [label for value, label in TESTS if value in kept[NOT_MET]] or [_("necessary")]
        return Outcome(False, _("Sharing would not be %(words)s.") % {"words": _listed(words)})
    return Outcome(True, _("There is a clear and legitimate purpose, a lawful reason to share and sharing "
                           "is necessary, proportionate, relevant, accurate, timely and secure."))


def answer_text(step: str, answers: dict, *, purpose_label: str = "") -> str:
    """The answer to ``step`` as a person reads it, in the active language: a string, never a lazy
    one, since ``record`` stores it."""
    return str(_answer_text(step, answers, purpose_label=purpose_label))


def _answer_text(step: str, answers: dict, *, purpose_label: str = ""):
    answer = answers[step]
    if step == PURPOSE:
        return _("No clear and legitimate purpose") if answer == NO_PURPOSE else _("Yes: %(purpose)s") % {
            "purpose": purpose_label}
    if step == CONSENT:
        return dict(CONSENT_CHOICES)[answer]
    if step == CONSENT_NOT_SOUGHT:
        return dict(NOT_SOUGHT_CHOICES)[answer]
    if step == PUBLIC_INTEREST and answer == YES:
        return _("Yes: %(reason)s") % {"reason": answers.get(PUBLIC_INTEREST_REASON, "")}
    if step == NECESSARY and answer == NO:
        words = [label for value, label in TESTS if value in answers.get(NOT_MET, [])]
        return _("No: it would not be %(words)s") % {"words": _listed(words)} if words else _("No")
    if step == SPECIAL:
        return ", ".join(str(label) for value, label in SPECIAL_CHOICES if value in answer) or _("Neither")
    return dict(YES_NO)[answer]


def summary(answers: dict, *, purpose_label: str = "") -> list[dict]:
    """The questions asked and their answers, in order, as the "Check your answers" page and
    the entry's record show them."""
    kept = on_path(answers)
    return [
        {"step": step, "question": str(QUESTIONS[step]),
         "answer": answer_text(step, kept, purpose_label=purpose_label)}
        for step in path(answers) if step in kept
    ]


def record(answers: dict, *, purpose_label: str = "") -> dict:
    """The readable record kept with the logged entry (``Disclosure.can_i_share_answers``):
    question → answer, in the order asked, and the outcome. A list keeps the order on every
    database (PostgreSQL's jsonb does not keep the keys of an object in order)."""
    result = outcome(answers)
    return {
        "questions": [{"question": row["question"], "answer": row["answer"]}
                      for row in summary(answers, purpose_label=purpose_label)],
        "outcome": f"{result.title}: {result.reason}" if result else _("Not finished"),
    }


def prefill(answers: dict, *, agreement_id: int | None = None) -> dict:
    """What complete answers settle in the log form (``DisclosureForm`` field → initial value).

    The person logging still checks and completes the one log page; nothing here is saved.
    """
    result = outcome(answers)
    if result is None:
        return {}
    kept = on_path(answers)
    initial: dict = {}
    if kept[PURPOSE] != NO_PURPOSE:
        initial.update(agreement=agreement_id, purpose=int(kept[PURPOSE]))
    if not result.may_share:
        initial.update(decision=Decision.NOT_SHARED, not_shared_reason=result.reason)
    else:
        initial["decision"] = Decision.SHARED
    if kept.get(IDENTIFIES) == NO:
        initial.update(
            data_level=DataLevel.AGGREGATE, consent_status=ConsentStatus.NOT_SOUGHT,
            consent_not_sought_reason=_("Not needed: the information does not identify a living person."),
        )
        return initial
    consent = kept.get(CONSENT)
    public_interest = kept.get(PUBLIC_INTEREST_REASON, "").strip()
    if consent in (EXPLICIT, IMPLIED):
        initial["consent_status"] = ConsentStatus.EXPLICIT if consent == EXPLICIT else ConsentStatus.IMPLIED
    elif consent == NOT_SOUGHT:
        why = kept[CONSENT_NOT_SOUGHT]
        reason = (_("Not yet: consent is to be sought before anything is shared.") if why == NO_REASON
                  else f"{dict(NOT_SOUGHT_CHOICES)[why]}.")
        if public_interest:
            reason += " " + _("Public interest: %(reason)s") % {"reason": public_interest}
        initial.update(consent_status=ConsentStatus.NOT_SOUGHT, consent_not_sought_reason=reason)
    elif consent == REFUSED:
        if result.may_share:
            initial.update(consent_status=ConsentStatus.REFUSED_OVERRIDDEN, consent_override_reason=public_interest)
        else:
            initial["consent_status"] = ConsentStatus.REFUSED
    if result.may_share:
        initial["confidentiality_breached"] = kept.get(CONFIDENTIAL) == YES and consent in (NOT_SOUGHT, REFUSED)
        special = kept.get(SPECIAL, [])
        initial["has_special_categories"] = SPECIAL_CATEGORY in special
        initial["criminal_offence_data"] = CRIMINAL_OFFENCE in special
    return initial


def log_query(initial: dict) -> list[tuple[str, str]]:
    """``prefill`` as the log form's query string takes it: each answer under its field's name,
    the agreement first; ``true``/``false`` for a tick box, one pair per value of a list."""
    pairs = []
    for name in sorted(initial, key=lambda name: name != "agreement"):
        value = initial[name]
        if value is None:
            continue
        if isinstance(value, bool):
            pairs.append((name, "true" if value else "false"))
        elif isinstance(value, list | tuple):
            pairs.extend((name, str(item)) for item in value)
        else:
            pairs.append((name, str(value)))
    return pairs
