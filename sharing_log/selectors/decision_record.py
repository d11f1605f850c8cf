"""People still to be told: entries whose person was "not yet" told when the share was logged,
with the date by which they will be (``Disclosure.subject_told_by``; issue 13, item 6). "What's
due" lists them and the daily scheduler reminds on the day (``isa_portal.due``,
``isa_portal.scheduler``).

An entry leaves the list once a correction of "Was the person told?" records that the person
was told (or why not), or once it is voided or its personal details destroyed. The log is
append-only: the correction is an ``Amendment`` beside the entry.
"""

from django.db.models import Exists, OuterRef, QuerySet, Subquery, TextField, Value
from django.db.models.fields.json import KT
from django.db.models.functions import Coalesce

from partners.permissions import user_organisation_ids

from ..models.amendments import Amendment, AmendmentKind
from ..models.disclosures import Disclosure, SubjectInformed
from ..permissions import AMENDERS, LOGGERS


def people_to_tell(entries: QuerySet[Disclosure] | None = None) -> QuerySet[Disclosure]:
    """Of ``entries`` (every entry by default), those whose person is still to be told, soonest
    date first. Read in the database, so it can be counted and read a page at a time: the
    latest correction of "Was the person told?", if any, must still say "not yet"."""
    entries = Disclosure.objects.all() if entries is None else entries
    told = (
        Amendment.objects.filter(disclosure=OuterRef("pk"), kind=AmendmentKind.CORRECTION,
                                 changes__has_key="subject_informed")
        .order_by("-made_at", "-pk").values(told=KT("changes__subject_informed"))[:1]
    )
    return (
        entries.filter(subject_informed=SubjectInformed.NOT_YET, subject_told_by__isnull=False,
                       purged_at__isnull=True)
        .exclude(Exists(Amendment.objects.filter(disclosure=OuterRef("pk"), kind=AmendmentKind.VOID)))
        # No correction (or one without a value) leaves it "not yet": one comparison, so the
        # correction is looked up once an entry, not once for each side of an ``OR``.
        .annotate(told_since=Coalesce(Subquery(told), Value(SubjectInformed.NOT_YET), output_field=TextField()))
        .filter(told_since=SubjectInformed.NOT_YET)
        .select_related("disclosed_by", "disclosing_organisation", "recipient_organisation")
        .order_by("subject_told_by", "pk")
    )


def people_to_tell_for(user) -> QuerySet[Disclosure]:
    """The people ``user`` is to see told: on the entries they logged where they still log, and
    on every entry of an organisation they are a SPOC or governance manager of (those who may
    record the correction, ``sharing_log.permissions.can_amend``)."""
    if not user.is_authenticated:
        return Disclosure.objects.none()
    amending = user_organisation_ids(user, roles=AMENDERS)
    # Their own entries in an organisation they amend for are among its entries already: asked
    # only where they add something, so that a SPOC's question is one organisation's, which the
    # index of people to tell (``disclosure_to_tell``) answers in order.
    logging = user_organisation_ids(user, roles=LOGGERS) - amending
    entries = Disclosure.objects.filter(disclosing_organisation_id__in=amending)
    if logging:
        entries |= Disclosure.objects.filter(disclosed_by=user, disclosing_organisation_id__in=logging)
    return people_to_tell(entries)
