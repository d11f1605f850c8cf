"""Reads for the sharing log, one module per feature. Views reach entries only through these.
Other apps import them from ``sharing_log.selectors``; modules of this app, from the feature module.

``common`` holds what every feature's selectors build on: which entries a user may read
(``disclosures_visible_to``) and the rows and events the pages show. ``amendments``, ``lists``,
``onward``, ``quality``, ``escalations``, ``closures`` and ``retention`` build on it, and
``disclosures`` (an entry's page and audit trail) on them.
"""

from .amendments import (
    CORRECTABLE_CHOICES,
    CORRECTABLE_FIELDS,
    amendments_of,
    corrected_values,
    current_case_reference,
    display_value,
    void_of,
)
from .closures import (
    case_closing_organisations,
    case_entries,
    closure_by_reference,
    closure_for_page,
    closure_of,
    closure_timeline,
    closures_visible_to,
    retention_display,
)
from .common import (
    AUDITING_PARTY_STATUSES,
    EntryRow,
    TimelineEvent,
    category_choices,
    disclosures_visible_to,
)
from .disclosures import (
    acknowledgement_of,
    agreements_to_log_under,
    disclosure_for_page,
    disclosure_timeline,
    disclosures_awaiting_acknowledgement,
    disclosures_made,
    disclosures_received,
    entry_rows,
    logging_organisations,
    recipient_parties,
)
from .escalations import (
    REFUSALS,
    escalation_entry_rows,
    escalation_for_page,
    escalation_timeline,
    escalations_of,
    escalations_visible_to,
    open_escalation_of,
)
from .lists import (
    PAGE_SIZE,
    LogFilters,
    LogPage,
    disclosure_page,
    disclosures_filtered,
    filter_options,
)
from .onward import (
    onward_recipients,
    onward_request_for_page,
    onward_requests_of,
    onward_requests_to_decide,
    third_party_choices,
)
from .overrides import (
    designated_managers_of,
    override_authorisation_for,
    override_authorisation_of,
    overrides_to_confirm,
)
from .quality import (
    confirmation_for_page,
    confirmations_awaiting,
    entries_of_the_same_case,
    inaccuracy_of,
    marked_with,
    onward_consent_to,
    recipient_confirmations_of,
)
from .retention import (
    destruction_of,
    destruction_rows,
    is_destroyed,
    retention_confirmations_of,
)

__all__ = [
    "designated_managers_of",
    "override_authorisation_for",
    "override_authorisation_of",
    "overrides_to_confirm",
    "AUDITING_PARTY_STATUSES",
    "CORRECTABLE_CHOICES",
    "CORRECTABLE_FIELDS",
    "EntryRow",
    "LogFilters",
    "LogPage",
    "PAGE_SIZE",
    "REFUSALS",
    "TimelineEvent",
    "acknowledgement_of",
    "agreements_to_log_under",
    "amendments_of",
    "case_closing_organisations",
    "case_entries",
    "category_choices",
    "closure_by_reference",
    "closure_for_page",
    "closure_of",
    "closure_timeline",
    "closures_visible_to",
    "confirmation_for_page",
    "confirmations_awaiting",
    "corrected_values",
    "current_case_reference",
    "destruction_of",
    "destruction_rows",
    "disclosure_for_page",
    "disclosure_page",
    "disclosure_timeline",
    "disclosures_awaiting_acknowledgement",
    "disclosures_filtered",
    "disclosures_made",
    "disclosures_received",
    "disclosures_visible_to",
    "display_value",
    "entries_of_the_same_case",
    "entry_rows",
    "escalation_entry_rows",
    "escalation_for_page",
    "escalation_timeline",
    "escalations_of",
    "escalations_visible_to",
    "filter_options",
    "inaccuracy_of",
    "is_destroyed",
    "logging_organisations",
    "marked_with",
    "onward_consent_to",
    "onward_recipients",
    "onward_request_for_page",
    "onward_requests_of",
    "onward_requests_to_decide",
    "open_escalation_of",
    "recipient_confirmations_of",
    "recipient_parties",
    "retention_confirmations_of",
    "retention_display",
    "third_party_choices",
    "void_of",
]
