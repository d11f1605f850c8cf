"""The "Can I share?" guided start: at most five question pages, each captioned with its number,
"Check your answers", and either the log form pre-filled or a plain "Do not share" page that
offers to log the decision not to share.

The answers live in the session between pages (``can_i_share.SESSION_KEY``); nothing is written
to the database until the entry is logged on the one log page, which keeps them with the entry.
The link to the log page carries every answer as the log form's own fields in its query string
(``/log/new/?agreement=3&purpose=7&decision=shared&…&from=can-i-share``); ``from`` tells the log
page to keep the answers in the session with the entry.
Who may answer: whoever may log (``sharing_log.permissions.can_log``).
"""

from dataclasses import dataclass
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from govuk_blocks.forms import submitted

from .. import can_i_share as questions
from .. import selectors
from ..forms.can_i_share import question_form
from ..models.disclosures import CanIShareOutcome
from ..permissions import can_log

# The query string that tells the log page to use the answers in the session.
FROM_CAN_I_SHARE = "from=can-i-share"


def _require_logger(user) -> None:
    if not can_log(user):
        raise PermissionDenied("Only practitioners, SPOCs and governance managers log disclosures.")


def _purposes(user) -> dict:
    """Purpose id (as text) → the purpose, for the agreements the user may log under today."""
    agreements = selectors.agreements_to_log_under(user, on=timezone.localdate())
    return {str(purpose.pk): purpose for agreement in agreements for purpose in agreement.purposes.all()}


def _agreement_label(agreement) -> str:
    return f"{agreement.title} ({agreement.reference})" if agreement.reference else agreement.title


def _purpose_label(purpose) -> str:
    return f"{purpose.text} – {_agreement_label(purpose.agreement)}" if purpose else ""


def _answers(request, purposes: dict) -> dict:
    """The answers so far. A purpose the user may no longer log under (its agreement ended, or
    the user moved) is dropped, so the questions start again from it."""
    answers = dict(request.session.get(questions.SESSION_KEY, {}))
    if answers.get(questions.PURPOSE) not in (None, questions.NO_PURPOSE, *purposes):
        answers.pop(questions.PURPOSE)
    return answers


def _step_url(page: str | None) -> str:
    if page is None:
        return reverse("sharing_log:can_i_share_check")
    return reverse("sharing_log:can_i_share_question", args=[page])


def _log_url(answers: dict, purposes: dict) -> str:
    """The log page, with every answer carried into its fields through the query string."""
    purpose = purposes.get(answers[questions.PURPOSE])
    initial = questions.prefill(answers, agreement_id=purpose.agreement_id if purpose else None)
    return f"{reverse('sharing_log:create')}?{urlencode(questions.log_query(initial))}&{FROM_CAN_I_SHARE}"


@require_http_methods(["GET", "POST"])
def start(request):
    """What the questions are for; starting clears any answers left from before."""
    _require_logger(request.user)
    if request.method == "POST":
        request.session.pop(questions.SESSION_KEY, None)
        return redirect(_step_url(questions.PURPOSE))
    return render(request, "sharing_log/can_i_share/start.html", {
        "has_answers": bool(request.session.get(questions.SESSION_KEY)),
    })


@require_http_methods(["GET", "POST"])
def question(request, step: str):
    """One page of questions. A page the answers so far do not lead to sends the user to the one
    they do."""
    _require_logger(request.user)
    if step not in questions.PAGES:
        raise Http404("No such question.")
    purposes = _purposes(request.user)
    answers = _answers(request, purposes)
    if not questions.page_reachable(answers, step):
        return redirect(_step_url(questions.next_page(answers)))
    labels = {pk: (purpose.text, _agreement_label(purpose.agreement)) for pk, purpose in purposes.items()}
    form = question_form(step, submitted(request), answers=answers, purposes=labels)
    if request.method == "POST" and form.is_valid():
        answers.update(form.answers())
        request.session[questions.SESSION_KEY] = answers
        return redirect(_step_url(questions.next_page(answers)))
    previous = questions.previous_page(answers, step)
    return render(request, "sharing_log/can_i_share/question.html", {
        "form": form, "no_purposes": step == questions.PURPOSE and not purposes,
        "progress": questions.progress(step),
        "back_url": _step_url(previous) if previous else reverse("sharing_log:can_i_share"),
    })


def check(request):
    """Check your answers, each with a link to change it, then continue to what they mean."""
    _require_logger(request.user)
    purposes = _purposes(request.user)
    answers = _answers(request, purposes)
    unanswered = questions.next_page(answers)
    if unanswered is not None:
        return redirect(_step_url(unanswered))
    result = questions.outcome(answers)
    rows = questions.summary(answers, purpose_label=_purpose_label(purposes.get(answers[questions.PURPOSE])))
    for row in rows:
        row["change_url"] = _step_url(questions.PAGE_OF[row["step"]])
    return render(request, "sharing_log/can_i_share/check.html", {
        "rows": rows, "outcome": result, "back_url": _step_url(questions.pages(answers)[-1]),
        "continue_url": (_log_url(answers, purposes) if result.may_share
                         else reverse("sharing_log:can_i_share_do_not_share")),
    })


def do_not_share(request):
    """Answers that mean "do not share", said plainly, with the offer to log that decision."""
    _require_logger(request.user)
    purposes = _purposes(request.user)
    answers = _answers(request, purposes)
    result = questions.outcome(answers)
    if result is None or result.may_share:
        return redirect("sharing_log:can_i_share_check")
    return render(request, "sharing_log/can_i_share/do_not_share.html", {
        "outcome": result, "log_url": _log_url(answers, purposes),
    })


@dataclass(frozen=True)
class Guided:
    """Complete answers brought to the log page: the outcome and the record kept with the entry
    (what they pre-fill comes in the query string)."""

    outcome: questions.Outcome
    record: dict


def guided_start(request) -> Guided | None:
    """The answers the log page uses when the user came from "Can I share?" with them complete."""
    if request.GET.get("from") != "can-i-share":
        return None
    purposes = _purposes(request.user)
    answers = _answers(request, purposes)
    result = questions.outcome(answers)
    if result is None:
        return None
    purpose = purposes.get(answers[questions.PURPOSE])
    return Guided(
        outcome=result,
        record=questions.record(answers, purpose_label=_purpose_label(purpose)),
    )


def guided_outcome(guided: Guided | None) -> str:
    """The outcome kept with the entry (``Disclosure.can_i_share_outcome``): blank without answers."""
    if guided is None:
        return ""
    return CanIShareOutcome.MAY_SHARE if guided.outcome.may_share else CanIShareOutcome.DO_NOT_SHARE


def guided_finish(request) -> None:
    """The entry is logged with the answers: they leave the session, so the next entry starts clean."""
    request.session.pop(questions.SESSION_KEY, None)
