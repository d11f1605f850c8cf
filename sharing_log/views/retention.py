"""Destruction under the retention rule (001 §5.15): what an entry's page shows once its personal
parts are destroyed, and a recipient's SPOC confirming its own copy destroyed.

The confirmation is reached at ``sharing_log:copy_confirm``, like a confirmation asked for by a
notice of inaccuracy, so a SPOC finds both in one list (``sharing_log:copies``); that view hands
a retention confirmation to ``destruction_confirm``.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from govuk_blocks.forms import submitted

from .. import selectors, services
from ..forms.retention import ConfirmDestroyedForm
from ..models.quality import ConfirmationOutcome, ConfirmationReason, RecipientDestructionConfirmation
from ..permissions import can_confirm


def entry_context(user, disclosure, *, destruction, confirmations) -> dict:
    """What the entry's page shows of its ``destruction``, and which of its recipients'
    ``confirmations`` (``selectors.entry_confirmations``) ``user`` may give."""
    if destruction is None:
        return {"destruction": None}
    confirmations = [item for item in confirmations
                     if item.disclosure_id == disclosure.pk and item.reason == ConfirmationReason.RETENTION]
    return {
        "destruction": destruction,
        "destruction_rows": selectors.destruction_rows(destruction),
        "retention_confirmations": confirmations,
        "destruction_confirmable": {
            confirmation.pk for confirmation in confirmations
            if confirmation.outcome == ConfirmationOutcome.PENDING
            and can_confirm(user, confirmation)
        },
    }


def destruction_confirm(request, confirmation: RecipientDestructionConfirmation):
    """A recipient's SPOC confirms its copy of a destroyed entry destroyed. The caller has
    checked that ``request.user`` may."""
    form = ConfirmDestroyedForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        try:
            confirmed = services.recipient_copy_confirm(
                confirmation=confirmation, by_user=request.user,
                outcome=ConfirmationOutcome.DESTROYED,
            )
        except ValidationError as error:
            form.add_service_errors(error)
            confirmation.refresh_from_db()
        else:
            messages.success(request, f"{confirmed.organisation}'s copy confirmed destroyed")
            return redirect("sharing_log:copies")
    disclosure = confirmation.disclosure
    return render(request, "sharing_log/destruction_confirm.html", {
        "form": form, "confirmation": confirmation, "disclosure": disclosure,
        "destruction": selectors.destruction_of(disclosure),
        "may_read_entry": selectors.disclosures_visible_to(request.user).filter(pk=disclosure.pk).exists(),
    })
