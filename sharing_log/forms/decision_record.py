"""The log form's questions for the record of a decision to share (the ICO's data sharing code;
issue 13, item 6): the date the request was received, why sharing was necessary and
proportionate, why information was shared against a "Can I share?" "Do not share", why an entry
is logged late, and the date by which a person not yet told will be. ``DisclosureForm`` inherits
them; the rules are ``sharing_log.services.decision_record``'s.
"""

import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govuk_blocks.forms import DateField

from ..models.disclosures import CanIShareOutcome, Decision, SubjectInformed
from ..services.decision_record import LATE_LOGGING_DAYS, decision_record_problems
from ..services.disclosures import Problems

TEXTAREA = {"rows": 3}
RECORD_FIELDS = ("request_received_on", "necessity_reason", "against_advice_reason", "late_logging_reason",
                 "subject_told_by")


class DecisionRecordForm(forms.Form):
    """The decision-record fields of the log form, and the answers they give ``disclosure_log``."""

    necessity_reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
        label=_("Why was sharing necessary and proportionate?"),
        help_text=_("Why this, and no more."),
        error_messages={"max_length": _("The reason sharing was necessary must be 2,000 characters or fewer")},
    )
    against_advice_reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs=TEXTAREA), max_length=2000,
        label=_("Why did you share though “Can I share?” said not to?"),
        error_messages={"max_length": _("The reason you shared must be 2,000 characters or fewer")},
    )
    request_received_on = DateField(
        noun=_("the date the request was received"), required=False, label=_("Date the request was received"),
        help_text=_("Leave it blank if you shared without being asked. For example, 27 3 2026"),
    )
    late_logging_reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs=TEXTAREA), max_length=2000,
        label=f"If it happened more than {LATE_LOGGING_DAYS} days ago, why is it being logged only now?",
        help_text=_("Needed only when logging late."),
        error_messages={"max_length": _("The reason for logging late must be 2,000 characters or fewer")},
    )
    subject_told_by = DateField(
        noun=_("the date by which the person will be told"), required=False,
        label=_("Date by which they will be told"),
        help_text=_("You will be reminded on the day. For example, 27 3 2026"),
    )

    # Where each question sits on the log page (after the field named), so that the error
    # summary lists problems in the page's order.
    PLACES = (("decision", ("necessity_reason", "against_advice_reason")), ("refused_reason", ("request_received_on",)),
              ("occurred_time", ("late_logging_reason",)), ("subject_informed", ("subject_told_by",)))

    def _record_init(self, *, now: datetime.datetime | None, can_i_share_outcome: str) -> None:
        order = [name for name in self.fields if name not in RECORD_FIELDS]
        for anchor, names in self.PLACES:
            if anchor in order:
                index = order.index(anchor) + 1
                order[index:index] = names
        self.order_fields(order)
        self.now = now
        # Sharing against a "Can I share?" "Do not share" asks why, revealed under "Shared".
        self.can_i_share_outcome = can_i_share_outcome
        if can_i_share_outcome == CanIShareOutcome.DO_NOT_SHARE:
            self.REVEALS = {**self.REVEALS, "decision": {
                **self.REVEALS["decision"], Decision.SHARED: ["necessity_reason", "against_advice_reason"],
            }}

    def record_answers(self, cleaned: dict) -> dict:
        """The decision-record answers as ``disclosure_log`` takes them, from the reveals that apply."""
        shared = cleaned.get("decision") == Decision.SHARED
        not_yet = cleaned.get("subject_informed") == SubjectInformed.NOT_YET
        return {
            "request_received_on": cleaned.get("request_received_on"),
            "necessity_reason": cleaned.get("necessity_reason", "") if shared else "",
            "against_advice_reason": cleaned.get("against_advice_reason", "") if shared else "",
            "late_logging_reason": cleaned.get("late_logging_reason", ""),
            "can_i_share_outcome": self.can_i_share_outcome,
            "subject_told_by": cleaned.get("subject_told_by") if not_yet else None,
        }

    def _add_record_problems(self, answers: dict) -> None:
        """The record of the decision (``decision_record``), asked with the form's own checks so
        that every problem shows in one round."""
        problems = Problems()
        decision_record_problems(problems, now=self.now or timezone.now(), **{key: answers[key] for key in (
            "decision", "occurred_at", "request_received_on", "necessity_reason", "summary", "data_categories",
            "can_i_share_outcome", "against_advice_reason", "late_logging_reason", "subject_informed",
            "subject_told_by",
        )})
        self._add_problems(problems)
