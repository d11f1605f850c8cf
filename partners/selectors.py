"""Reads for organisations, contacts and memberships."""

import datetime
import difflib
import hashlib
import re

from dateutil.relativedelta import relativedelta
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_totp.models import TOTPDevice

from govuk_blocks.dates import long_date

from .models import (
    DSPT_VALID_MONTHS,
    ICO_REGISTRATION_NUMBER,
    AccessEvent,
    AuthenticatorReset,
    Contact,
    Invitation,
    Membership,
    Notification,
    Organisation,
    Role,
    UndeliveredNotice,
)
from .permissions import access_log_organisation_ids, user_organisation_ids


def organisations_visible_to(user) -> QuerySet[Organisation]:
    """The directory is open to everyone signed in (see permissions)."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.annotate(party_count=Count("parties", distinct=True))


def contacts_of(organisation: Organisation) -> QuerySet[Contact]:
    return organisation.contacts.select_related("organisation")


def contacts_visible_to(user) -> QuerySet[Contact]:
    """The people in the directory: everyone at an organisation ``user`` may see."""
    return Contact.objects.filter(organisation__in=organisations_visible_to(user)).select_related("organisation")


# Near matches: is it in the directory already? -----------------------------------------------

# Words that say what kind of body it is rather than which: "South Cambridgeshire Council" and
# "South Cambridgeshire District Council" are one body.
KIND_WORDS = frozenset({
    "the", "of", "and", "council", "district", "borough", "county", "city", "metropolitan",
    "royal", "london", "unitary", "authority", "nhs", "trust", "foundation", "limited", "ltd",
    "plc", "cic", "service", "services",
})
NEAR_MATCH_RATIO = 0.8  # of one word to another: "Polcie" is 0.83 of "Police", "East" 0.44 of "South"


def name_core(name: str) -> str:
    """The words of ``name`` that tell one body from another: lower case, no punctuation,
    "&" as "and", the words of ``KIND_WORDS`` left out."""
    words = re.findall(r"[a-z0-9]+", name.lower().replace("&", " and ").replace("'", "").replace("’", ""))
    core = [word for word in words if word not in KIND_WORDS]
    return " ".join(core or words)


def organisations_like(name: str, *, excluding: Organisation | None = None) -> list[Organisation]:
    """Organisations whose names nearly match ``name``: the same words once case, punctuation
    and words like "Council" or "District" are set aside, allowing a typing slip in each."""
    wanted = name_core(name)
    if not wanted:
        return []
    organisations = Organisation.objects.only("pk", "name", "sector", "ceased_on").order_by("name")
    if excluding is not None:
        organisations = organisations.exclude(pk=excluding.pk)
    return [organisation for organisation in organisations if _alike(name_core(organisation.name), wanted)]


def _alike(core: str, wanted: str) -> bool:
    """The same words, each the same or near enough to be a typing slip ("Polcie")."""
    words, wanted_words = core.split(), wanted.split()
    return len(words) == len(wanted_words) and all(
        word == other or difflib.SequenceMatcher(None, word, other).ratio() >= NEAR_MATCH_RATIO
        for word, other in zip(words, wanted_words, strict=True)
    )


# The directory page: filters and ICO registration renewals ---------------------------------

RENEWAL_OVERDUE = "overdue"
RENEWAL_DUE_SOON = "due_soon"
RENEWAL_DUE_SOON_DAYS = 30


def organisations_filtered(
    organisations: QuerySet[Organisation], *, sector: str = "", search: str = "",
) -> QuerySet[Organisation]:
    """Narrow ``organisations`` (from ``organisations_visible_to``) by sector and by name."""
    if sector:
        organisations = organisations.filter(sector=sector)
    search = " ".join(search.split())
    if search:
        organisations = organisations.filter(
            Q(name__icontains=search) | Q(ico_registration_number__iexact=search)
        )
    return organisations


def ico_renewal_state(organisation: Organisation, *, on: datetime.date | None = None) -> str:
    """``RENEWAL_OVERDUE``, ``RENEWAL_DUE_SOON`` (within 30 days) or "" for the organisation's
    ICO registration (002 §4.1–4.2). A body that has ceased has nothing to renew."""
    on = on or timezone.localdate()
    due = organisation.ico_renewal_date
    if due is None or organisation.has_ceased:
        return ""
    if due < on:
        return RENEWAL_OVERDUE
    if due <= on + datetime.timedelta(days=RENEWAL_DUE_SOON_DAYS):
        return RENEWAL_DUE_SOON
    return ""


def ico_registration_warning(organisation: Organisation, *, on: datetime.date | None = None) -> str:
    """What the organisation's page warns of about its ICO registration: a number recorded
    before the format was checked that is not in the ICO's format, or a registration lapsed
    (002 §4.1–4.2: each partner keeps its registration current); "" when nothing is wrong."""
    on = on or timezone.localdate()
    number = organisation.ico_registration_number
    if number and not ICO_REGISTRATION_NUMBER.match(number):
        return _(
            "The ICO registration number on record for %(organisation)s, %(number)s, is not in the ICO's format "
            "(Z and 7 digits, or Z, a letter and 6 digits). Check it on the ICO's register and correct it."
        ) % {"organisation": organisation, "number": number}
    if ico_renewal_state(organisation, on=on) == RENEWAL_OVERDUE:
        return _(
            "The ICO registration of %(organisation)s lapsed on %(date)s. Check on the ICO's register that it has "
            "paid its data protection fee, and record the new renewal date."
        ) % {"organisation": organisation, "date": long_date(organisation.ico_renewal_date)}
    return ""


# Tags, in the reader's language when read (decision 0058).
ICO_LAPSED = gettext_lazy("ICO registration lapsed")
DSPT_LAPSED = gettext_lazy("DSPT lapsed")


def dspt_lapses_on(published_on: datetime.date) -> datetime.date:
    """The day a DSPT assessment published on ``published_on`` has lapsed: 12 months on
    (decision 0063)."""
    return published_on + relativedelta(months=DSPT_VALID_MONTHS)


def dspt_lapsed_before(on: datetime.date) -> datetime.date:
    """Assessments published before this day have lapsed by ``on``."""
    return on - relativedelta(months=DSPT_VALID_MONTHS)


def dspt_renewal_state(organisation: Organisation, *, on: datetime.date | None = None) -> str:
    """``RENEWAL_OVERDUE`` (lapsed, as ``assurance_lapses`` says), ``RENEWAL_DUE_SOON`` (lapsing
    within 30 days) or "" for the organisation's DSPT assessment. A body that has ceased, or
    with no publication date, has nothing to renew."""
    on = on or timezone.localdate()
    published = organisation.dspt_published_on
    if published is None or organisation.has_ceased:
        return ""
    if published < dspt_lapsed_before(on):
        return RENEWAL_OVERDUE
    if dspt_lapses_on(published) <= on + datetime.timedelta(days=RENEWAL_DUE_SOON_DAYS):
        return RENEWAL_DUE_SOON
    return ""


def assurance_lapses(organisation: Organisation, *, on: datetime.date | None = None) -> list[str]:
    """What of the organisation's assurance has lapsed on ``on``, as the tags that show it: its
    ICO registration past its renewal date, its DSPT assessment published more than 12 months
    ago. No queries: it reads the loaded organisation. A body that has ceased has none."""
    on = on or timezone.localdate()
    if organisation.has_ceased:
        return []
    lapses = []
    if ico_renewal_state(organisation, on=on) == RENEWAL_OVERDUE:
        lapses.append(str(ICO_LAPSED))
    if organisation.dspt_published_on is not None and organisation.dspt_published_on < dspt_lapsed_before(on):
        lapses.append(str(DSPT_LAPSED))
    return lapses


def assurance_lapsed_q(*, on: datetime.date, prefix: str = "") -> Q:
    """The same rule as ``assurance_lapses`` as a filter (``prefix`` such as "organisation__")."""
    return Q(**{f"{prefix}ceased_on__isnull": True}) & (
        Q(**{f"{prefix}ico_renewal_date__lt": on})
        | Q(**{f"{prefix}dspt_published_on__lt": dspt_lapsed_before(on)})
    )


ICO_COMING_UP = "ico"
DSPT_COMING_UP = "dspt"


def assurance_coming_up(
    organisation: Organisation, *, on: datetime.date | None = None,
) -> list[tuple[str, datetime.date]]:
    """What of the organisation's assurance lapses within 30 days of ``on`` and has not lapsed yet:
    (``ICO_COMING_UP``, its renewal date) and (``DSPT_COMING_UP``, the day its assessment lapses),
    by ``ico_renewal_state`` and ``dspt_renewal_state``, the reminders' rules. No queries."""
    on = on or timezone.localdate()
    coming = []
    if ico_renewal_state(organisation, on=on) == RENEWAL_DUE_SOON:
        coming.append((ICO_COMING_UP, organisation.ico_renewal_date))
    if dspt_renewal_state(organisation, on=on) == RENEWAL_DUE_SOON:
        coming.append((DSPT_COMING_UP, dspt_lapses_on(organisation.dspt_published_on)))
    return coming


def assurance_due_q(*, on: datetime.date) -> Q:
    """A filter keeping every organisation whose assurance has lapsed (``assurance_lapses``) or
    lapses within 30 days (``assurance_coming_up``), and a few whose DSPT assessment lapses a day
    or three later, which those rules then leave out: 12 months before a month's end is not one
    day, so the database is asked a little wide and the rules decide."""
    horizon = on + datetime.timedelta(days=RENEWAL_DUE_SOON_DAYS)
    return Q(ceased_on__isnull=True) & (
        Q(ico_renewal_date__lte=horizon)
        | Q(dspt_published_on__lte=dspt_lapsed_before(horizon) + datetime.timedelta(days=3))
    )


ADMINISTERING_ROLES = (Role.GOVERNANCE_MANAGER, Role.ADMIN)


def administrators_of(organisation_ref) -> QuerySet[Membership]:
    """The memberships that administer an organisation (``organisation_ref``: an organisation,
    its pk or an ``OuterRef``): a governance manager or an administrator who may sign in
    (decision 0063). A party with none may be acted for by the agreement's owner."""
    return Membership.objects.filter(
        organisation=organisation_ref, role__in=ADMINISTERING_ROLES, service_account=False, user__is_active=True,
    )


def memberships_of(user) -> QuerySet[Membership]:
    if not user.is_authenticated:
        return Membership.objects.none()
    return Membership.objects.filter(user=user).select_related("organisation")


def notifications_for(user) -> QuerySet[Notification]:
    """What the signed-in person has been told, newest first."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(recipient__user=user)


def contacts_reachable(contacts, organisation: Organisation) -> list[Contact]:
    """Those of ``contacts`` a notice reaches for ``organisation``: a person with an e-mail
    address, or one who signs in for ``organisation`` (an active login with a membership of it)."""
    ids = [contact.pk for contact in contacts]
    return list(Contact.objects.filter(pk__in=ids).filter(
        ~Q(email="") | Q(user__is_active=True, user__memberships__organisation=organisation),
    ).distinct())


def own_contacts_reachable(*, user_ids, organisation_ids) -> dict[tuple[int, int], list[Contact]]:
    """``contacts_reachable`` for many at once (the daily run, issue 15): the directory entries of
    ``user_ids`` at ``organisation_ids`` a notice reaches for their own organisation, by
    (user id, organisation id), in one query."""
    found: dict[tuple[int, int], list[Contact]] = {}
    contacts = Contact.objects.filter(user_id__in=user_ids, organisation_id__in=organisation_ids).filter(
        ~Q(email="") | Q(user__is_active=True, user__memberships__organisation=F("organisation")),
    ).distinct().order_by("pk")
    for contact in contacts:
        found.setdefault((contact.user_id, contact.organisation_id), []).append(contact)
    return found


def organisation_contacts_reachable(organisation_ids) -> dict[int, list[Contact]]:
    """The people who act for each of ``organisation_ids`` in the portal as its SPOC or governance
    manager (``agreements.selectors.organisation_contacts``) that a notice reaches
    (``contacts_reachable``: an e-mail address or an active login), by organisation id, in one
    query for them all (issue 15)."""
    found: dict[int, list[Contact]] = {}
    contacts = Contact.objects.filter(
        organisation_id__in=organisation_ids, user__memberships__organisation=F("organisation"),
        user__memberships__role__in=[Role.SPOC, Role.GOVERNANCE_MANAGER],
    ).filter(~Q(email="") | Q(user__is_active=True)).distinct().order_by("pk")
    for contact in contacts:
        found.setdefault(contact.organisation_id, []).append(contact)
    return found


def governance_contacts_reachable(organisation_ids) -> dict[int, list[Contact]]:
    """Who is told of an organisation's own assurance (its ICO registration, its DSPT): its
    governance managers or, where it has none, its SPOCs, among those a notice reaches
    (``organisation_contacts_reachable``), by organisation id, in one query for them all."""
    contacts = Contact.objects.filter(
        organisation_id__in=organisation_ids, user__memberships__organisation=F("organisation"),
        user__memberships__role__in=[Role.SPOC, Role.GOVERNANCE_MANAGER],
    ).filter(~Q(email="") | Q(user__is_active=True)).annotate(
        membership_role=F("user__memberships__role"),
    ).order_by("pk")
    by_role: dict[int, dict[str, dict[int, Contact]]] = {}
    for contact in contacts:
        roles = by_role.setdefault(contact.organisation_id, {})
        roles.setdefault(contact.membership_role, {}).setdefault(contact.pk, contact)
    return {
        organisation_id: list((roles.get(Role.GOVERNANCE_MANAGER) or roles[Role.SPOC]).values())
        for organisation_id, roles in by_role.items()
    }


def event_keys_handled(event_keys, *, batch_size: int = 1000) -> set[str]:
    """Of ``event_keys``, those someone was told of or whose notice was recorded as reaching
    nobody: the daily run's reminders already dealt with (issue 15)."""
    keys, handled = sorted(set(event_keys)), set()
    for start in range(0, len(keys), batch_size):
        chunk = keys[start:start + batch_size]
        handled.update(Notification.objects.filter(event_key__in=chunk).values_list("event_key", flat=True))
        handled.update(UndeliveredNotice.objects.filter(event_key__in=chunk).values_list("event_key", flat=True))
    return handled


def without_handled_event_keys(queryset: QuerySet, key) -> QuerySet:
    """``queryset`` without the rows whose event key (``key``, an expression over its rows) someone
    was told of or recorded as reaching nobody: found by the database, through the event key's
    indexes, rather than by reading every row (issue 15)."""
    return queryset.annotate(run_event_key=key).exclude(
        Exists(Notification.objects.filter(event_key=OuterRef("run_event_key"))),
    ).exclude(Exists(UndeliveredNotice.objects.filter(event_key=OuterRef("run_event_key"))))


# Who puts an undelivered notice right: the people who keep the directory and the partnership.
UNDELIVERED_READERS = (Role.SPOC, Role.GOVERNANCE_MANAGER, Role.ADMIN)


def undelivered_notices_for(user) -> QuerySet[UndeliveredNotice]:
    """Notices that reached nobody, still undelivered, that ``user`` can put right: those for an
    agreement their organisation leads, or to their own organisation."""
    if not user.is_authenticated:
        return UndeliveredNotice.objects.none()
    own = user_organisation_ids(user, roles=UNDELIVERED_READERS)
    return UndeliveredNotice.objects.open().filter(
        Q(responsible_organisation_id__in=own) | Q(organisation_id__in=own),
    ).select_related("organisation")


def undelivered_notices_of(event_key: str) -> QuerySet[UndeliveredNotice]:
    """The organisations a notice of the event ``event_key`` reached nobody at, still undelivered."""
    return UndeliveredNotice.objects.open().filter(event_key=event_key).select_related("organisation")


def undelivered_summary(notices) -> str:
    """``notices`` in one sentence for a page's banner: "not delivered: X has nobody to tell; …"."""
    return "; ".join(notice.message for notice in notices)


def undelivered_notices_at(url: str) -> QuerySet[UndeliveredNotice]:
    """Notices still undelivered that were triggered on the page at ``url``."""
    return UndeliveredNotice.objects.open().filter(url=url).select_related("organisation")


# People and invitations ------------------------------------------------------------------------


def people_of(organisation: Organisation) -> list[tuple]:
    """``(user, [role labels])`` for everyone with a membership of ``organisation``, by name; case
    systems' service accounts are left out (they are managed with their API tokens)."""
    people: dict = {}
    memberships = organisation.memberships.filter(service_account=False).select_related("user")
    for membership in memberships.order_by("user__last_name", "user__username"):
        people.setdefault(membership.user, []).append(membership.get_role_display())
    return list(people.items())


def invitations_open(organisation: Organisation) -> QuerySet[Invitation]:
    return organisation.invitations.filter(accepted_at__isnull=True, withdrawn_at__isnull=True)


def link_token_hash(token: str) -> str:
    """The hash kept of a single-use link's secret (invitations, authenticator resets)."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_by_token(token: str) -> Invitation | None:
    """The invitation whose link carries ``token`` (only its hash is kept), whatever its state."""
    return Invitation.objects.select_related("organisation").filter(token_hash=link_token_hash(token)).first()


def has_authenticator(user) -> bool:
    """Whether ``user`` has confirmed an authenticator app (a second factor to sign in with)."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def invitation_resumable(invitation: Invitation) -> bool:
    """An invitation accepted by someone who chose a password and stopped before setting up their
    authenticator app (the Safe and Well trial's P1): with no second factor they could not sign
    in, and the spent link sent them to the sign-in page. Until it expires, the link and the
    password they chose take them on to set it up. Not for a login made through an identity
    provider (no portal password), nor once an authenticator is confirmed."""
    user = invitation.user
    return (
        invitation.accepted_at is not None and invitation.withdrawn_at is None
        and invitation.expires_at > timezone.now()
        and user is not None and user.is_active and user.has_usable_password()
        and not has_authenticator(user)
    )


def authenticator_reset_by_token(token: str) -> AuthenticatorReset | None:
    return AuthenticatorReset.objects.select_related("user").filter(token_hash=link_token_hash(token)).first()


# The access log (docs/decisions/0025) -----------------------------------------------------------


def access_events_visible_to(user) -> QuerySet[AccessEvent]:
    """The events ``user`` may read: those of the people of the organisations whose access log
    they read, and those on those organisations' records (``can_read_access_log``)."""
    organisation_ids = access_log_organisation_ids(user)
    if not organisation_ids:
        return AccessEvent.objects.none()
    scope = Q()
    for pk in sorted(organisation_ids):
        scope |= Q(user_organisation_ids__contains=f",{pk},") | Q(object_organisation_ids__contains=f",{pk},")
    return AccessEvent.objects.filter(scope)


def access_events_filtered(
    events: QuerySet[AccessEvent], *, kind: str = "", date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> QuerySet[AccessEvent]:
    """``events`` of one kind and between two days (local time, both included), if given."""
    if kind:
        events = events.filter(kind=kind)
    zone = timezone.get_current_timezone()
    if date_from:
        events = events.filter(occurred_at__gte=datetime.datetime.combine(date_from, datetime.time.min, zone))
    if date_to:
        next_day = date_to + datetime.timedelta(days=1)
        events = events.filter(occurred_at__lt=datetime.datetime.combine(next_day, datetime.time.min, zone))
    return events


ACCESS_EVENTS_PER_PAGE = 50


def access_events_page(
    events: QuerySet[AccessEvent], *, after: int | None = None, before: int | None = None,
    size: int = ACCESS_EVENTS_PER_PAGE,
) -> tuple[list[AccessEvent], int | None, int | None]:
    """One page of ``events``, newest first, by their ids (a keyset: no ``COUNT(*)`` of a table
    that holds every access for over a year): those older than ``after``, or newer than
    ``before``, or the newest. Returns the page and the ids to go newer and older from."""
    events = events.order_by("-pk")
    if before is not None:
        page = list(events.filter(pk__gt=before).order_by("pk")[: size + 1])
        more_newer, page = len(page) > size, page[:size]
        page.reverse()
        more_older = bool(page) and events.filter(pk__lt=page[-1].pk).exists()
    else:
        if after is not None:
            events = events.filter(pk__lt=after)
        page = list(events[: size + 1])
        more_older, page = len(page) > size, page[:size]
        more_newer = after is not None
    newer = page[0].pk if page and more_newer else None
    older = page[-1].pk if page and more_older else None
    return page, newer, older


def organisation_names_of(organisation_ids) -> dict[int, str]:
    return dict(Organisation.objects.filter(pk__in=set(organisation_ids)).values_list("pk", "name"))


def access_event_rows(events: list[AccessEvent]) -> list[tuple[AccessEvent, str, str]]:
    """Each event with the names of its user's organisations and of its object's: one query."""
    names = organisation_names_of(
        pk for event in events for pk in (*event.user_organisations, *event.object_organisations)
    )

    def named(ids: list[int]) -> str:
        return ", ".join(names.get(pk, f"Organisation {pk}") for pk in ids)

    return [(event, named(event.user_organisations), named(event.object_organisations)) for event in events]
