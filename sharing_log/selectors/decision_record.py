"""People still to be told: entries whose person was "not yet" told when the share was logged,
with the date by which they will be (``Disclosure.subject_told_by``; issue 13, item 6). "What's
due" lists them and the daily scheduler reminds on the day (``isa_portal.due``,
``isa_portal.scheduler``).

An entry leaves the list once a correction of "Was the person told?" records that the person
was told (or why not), or once it is voided or its personal details destroyed. The log is
append-only: the correction is an ``Amendment`` beside the entry.
"""

from django.db.models import QuerySet

from partners.permissions import user_organisation_ids

from ..models.amendments import AmendmentKind
from ..models.disclosures import Disclosure, SubjectInformed
from ..permissions import AMENDERS, LOGGERS
from .amendments import corrected_values, with_corrections


def people_to_tell(entries: QuerySet[Disclosure] | None = None) -> list[Disclosure]:
    """Of ``entries`` (every entry by default), those whose person is still to be told, soonest
    date first."""
    entries = Disclosure.objects.all() if entries is None else entries
    candidates = with_corrections(
        entries.filter(subject_informed=SubjectInformed.NOT_YET, subject_told_by__isnull=False,
                       purged_at__isnull=True)
        .exclude(amendments__kind=AmendmentKind.VOID)
        .select_related("disclosed_by", "disclosing_organisation", "recipient_organisation")
        .order_by("subject_told_by", "pk").distinct()
    )
    return [entry for entry in candidates
            if corrected_values(entry).get("subject_informed", SubjectInformed.NOT_YET) == SubjectInformed.NOT_YET]


def people_to_tell_for(user) -> list[Disclosure]:
    """The people ``user`` is to see told: on the entries they logged where they still log, and
    on every entry of an organisation they are a SPOC or governance manager of (those who may
    record the correction, ``sharing_log.permissions.can_amend``)."""
    if not user.is_authenticated:
        return []
    amending = user_organisation_ids(user, roles=AMENDERS)
    logging = user_organisation_ids(user, roles=LOGGERS)
    entries = Disclosure.objects.filter(disclosing_organisation_id__in=amending) | Disclosure.objects.filter(
        disclosed_by=user, disclosing_organisation_id__in=logging,
    )
    return people_to_tell(entries)
