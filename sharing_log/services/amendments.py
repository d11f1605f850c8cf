"""Amending an entry: correcting one of its details, or voiding it. Both are ``Amendment``s beside the
entry, which stays as logged (the log is append-only); the entry's page shows them with it.
"""

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from ..models.amendments import Amendment, AmendmentKind
from ..models.disclosures import Decision, Disclosure
from ..models.ledger import LogEventKind
from ..permissions import can_amend
from ..selectors.amendments import CORRECTABLE_CHOICES, CORRECTABLE_FIELDS, corrected_values
from .disclosures import Problems, _refuse_if_voided, case_reference_problem, summary_warning
from .ledger import log_event_append

# Corrections that may not leave the field empty.
REQUIRED_FIELDS = ("case_reference", "subject_type", "data_level", "fact_or_opinion", "protective_marking")


def _current(disclosure: Disclosure, field: str) -> str:
    corrected = corrected_values(disclosure)
    return corrected[field] if field in corrected else getattr(disclosure, field)


@transaction.atomic
def disclosure_amend(
    *, disclosure: Disclosure, by_user, field: str, value: str, reason: str, summary_checked: bool = False,
) -> Amendment:
    """Amend ``disclosure`` by correcting one of its details: the entry stays as logged and the
    correction is shown beside it. The privacy rules of logging apply to the new value."""
    if not can_amend(by_user, disclosure):
        raise PermissionDenied("Only the person who logged the entry, or a SPOC or governance manager of the "
                               "organisation that made it, may correct it.")
    Disclosure.objects.select_for_update().filter(pk=disclosure.pk).first()
    _refuse_if_voided(disclosure, "corrected")
    if Disclosure.objects.filter(pk=disclosure.pk, purged_at__isnull=False).exists():
        # A correction would put back personal details the retention rule took away.
        raise ValidationError({NON_FIELD_ERRORS: [
            "This entry's personal details were destroyed under the retention rule: it cannot be corrected."
        ]})
    problems = Problems()
    value = (value or "").strip()
    if field not in CORRECTABLE_FIELDS:
        problems.add("field", "Choose the detail to correct.")
    else:
        label = CORRECTABLE_FIELDS[field].lower()
        choices = CORRECTABLE_CHOICES.get(field)
        max_length = Disclosure._meta.get_field(field).max_length
        if not value and (field in REQUIRED_FIELDS or (
            field == "decision_reason" and disclosure.decision != Decision.SHARED
        )):
            problems.add("value", f"Enter the corrected {label}.")
        elif choices is not None and value and value not in dict(choices):
            problems.add("value", f"Choose the corrected {label} from the list.")
        elif (field == "transfer_method" and value and disclosure.agreement.transfer_methods
              and value not in disclosure.agreement.transfer_methods):
            problems.add("value", f"Choose a transfer method {disclosure.agreement} permits.")
        elif max_length and len(value) > max_length:
            problems.add("value", f"The corrected {label} must be {max_length} characters or fewer.")
        elif value == _current(disclosure, field):
            problems.add("value", f"This is the entry's {label} already: enter the new value.")
        elif field == "case_reference":
            problem = case_reference_problem(value)
            if problem:
                problems.add("value", problem)
        elif field == "summary" and not summary_checked and summary_warning(value):
            problems.add("summary_checked", summary_warning(value))
    if not reason.strip():
        problems.add("reason", "Give the reason for the correction.")
    problems.raise_if_any()
    amendment = Amendment(
        disclosure=disclosure, kind=AmendmentKind.CORRECTION, changes={field: value},
        reason=reason.strip(), made_by=by_user,
    )
    amendment.full_clean()
    amendment.save()
    log_event_append(kind=LogEventKind.AMENDED, record=amendment)
    return amendment


@transaction.atomic
def disclosure_void(*, disclosure: Disclosure, by_user, reason: str) -> Amendment:
    """Void ``disclosure`` with a reason, in place of deleting it. An entry is voided once."""
    if not can_amend(by_user, disclosure):
        raise PermissionDenied("Only the person who logged the entry, or a SPOC or governance manager of the "
                               "organisation that made it, may void it.")
    Disclosure.objects.select_for_update().filter(pk=disclosure.pk).first()
    _refuse_if_voided(disclosure, "voided again")
    if not reason.strip():
        raise ValidationError({"reason": ["Give the reason for voiding this entry."]})
    amendment = Amendment(disclosure=disclosure, kind=AmendmentKind.VOID, reason=reason.strip(), made_by=by_user)
    amendment.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            amendment.save()
    except IntegrityError:
        # Voided by someone else a moment ago.
        _refuse_if_voided(disclosure, "voided again")
        raise
    log_event_append(kind=LogEventKind.AMENDED, record=amendment)
    return amendment
