"""What is due of the directory: ICO registration renewals, DSPT assessments lapsing or lapsed,
each party's assurance lapsing or lapsed (for the agreements' owners), SPOCs' details to confirm
(theirs and, for a governance manager, those of the parties to the agreements they manage), and
notices that reached nobody."""


from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import Party
from govuk_blocks.dates import long_date
from partners.models import Contact, Organisation, Role
from partners.permissions import user_organisation_ids
from partners.selectors import (
    DSPT_COMING_UP,
    DSPT_LAPSED,
    ICO_COMING_UP,
    ICO_LAPSED,
    RENEWAL_OVERDUE,
    assurance_coming_up,
    assurance_due_q,
    assurance_lapses,
    dspt_lapses_on,
    undelivered_notices_for,
)

from .items import COMING_UP_DAYS, Counted, DueItem
from .readings import NOT_TAKING_PART, dspt_renewals, ico_renewals, managed_agreements, spocs_unconfirmed


def ico(user, *, on, now):
    managed_for = Organisation.objects.filter(pk__in=user_organisation_ids(user, roles=[Role.GOVERNANCE_MANAGER]))
    for organisation, state in ico_renewals(on=on, organisations=managed_for):
        lapsed = state == RENEWAL_OVERDUE
        yield DueItem(
            key=f"ico-{organisation.pk}", kind=_("ICO registration"),
            what=(_("Renew %(organisation)s's ICO registration (lapsed)") if lapsed
                  else _("Renew %(organisation)s's ICO registration")) % {"organisation": organisation},
            about=_("Registration %(number)s") % {
                "number": organisation.ico_registration_number or _("number not recorded")},
            due=organisation.ico_renewal_date, overdue=lapsed,
            url=organisation.get_absolute_url(),
        )


def dspt(user, *, on, now):
    """A governance manager's own organisation whose DSPT assessment has lapsed, or lapses within
    30 days, as the reminder warns (decision 0063, amended)."""
    managed_for = Organisation.objects.filter(pk__in=user_organisation_ids(user, roles=[Role.GOVERNANCE_MANAGER]))
    for organisation, state in dspt_renewals(on=on, organisations=managed_for):
        lapsed = state == RENEWAL_OVERDUE
        yield DueItem(
            key=f"dspt-{organisation.pk}", kind=_("DSPT"),
            what=(_("Publish %(organisation)s's Data Security and Protection Toolkit assessment (lapsed)") if lapsed
                  else _("Publish %(organisation)s's Data Security and Protection Toolkit assessment before it "
                         "lapses")) % {"organisation": organisation},
            about=_("Last published %(date)s") % {"date": long_date(organisation.dspt_published_on)},
            due=dspt_lapses_on(organisation.dspt_published_on), overdue=lapsed,
            url=organisation.get_absolute_url(),
        )


def party_assurance(user, *, on, now):
    """For the managers of agreements (their owners), each party organisation whose assurance
    has lapsed (ICO registration, DSPT), once however many of their agreements it is party to,
    and, apart, what of it lapses within 30 days; their own organisations are left to ``ico`` and
    ``dspt``. Two queries."""
    managed = managed_agreements(user)
    own = user_organisation_ids(user, roles=[Role.GOVERNANCE_MANAGER])
    organisations = Organisation.objects.filter(
        assurance_due_q(on=on),
        pk__in=Party.objects.filter(agreement__in=managed).exclude(status__in=NOT_TAKING_PART)
        .values("organisation_id"),
    ).exclude(pk__in=own)
    for organisation in organisations:
        lapses = assurance_lapses(organisation, on=on)
        if lapses:
            dates = [date for lapse, date in (
                (ICO_LAPSED, organisation.ico_renewal_date),
                (DSPT_LAPSED, organisation.dspt_published_on and dspt_lapses_on(organisation.dspt_published_on)),
            ) if lapse in lapses]
            yield DueItem(
                key=f"party-assurance-{organisation.pk}", kind=_("Partner assurance"),
                what=_("%(organisation)s, a party to your agreements: %(lapses)s") % {
                    "organisation": organisation, "lapses": ", ".join(lapses)},
                about=_("Ask them to renew it, or record the renewal on their page"),
                due=min(dates), overdue=True, url=organisation.get_absolute_url(),
            )
        coming = assurance_coming_up(organisation, on=on)
        if coming:
            words = {ICO_COMING_UP: _("ICO registration due for renewal on %(date)s"),
                     DSPT_COMING_UP: _("DSPT assessment lapses on %(date)s")}
            yield DueItem(
                key=f"party-assurance-{organisation.pk}-coming-up", kind=_("Partner assurance"),
                what=_("%(organisation)s, a party to your agreements: %(lapses)s") % {
                    "organisation": organisation,
                    "lapses": ", ".join(words[kind] % {"date": long_date(date)} for kind, date in coming)},
                about=_("Ask them to renew it before it lapses"),
                due=min(date for _kind, date in coming), overdue=False, url=organisation.get_absolute_url(),
            )


def spoc_details(user, *, on, now):
    # Nobody who manages no agreement is asked anything here (an empty list of agreements asks
    # the database nothing: ``managed_read_once``).
    managed = managed_agreements(user)
    organisations = Party.objects.filter(agreement__in=managed).exclude(
        status__in=NOT_TAKING_PART,
    ).values("organisation_id")
    contacts = Contact.objects.filter(organisation_id__in=organisations).exclude(user=user)
    for contact, since, due in spocs_unconfirmed(on=on, within_days=COMING_UP_DAYS, contacts=contacts):
        yield DueItem(
            key=f"spoc-details-{contact.pk}", kind=_("SPOC details"),
            what=_("%(name)s's details (SPOC, %(organisation)s) to be confirmed") % {
                "name": contact.name, "organisation": contact.organisation},
            about=_("Last confirmed %(date)s") % {"date": long_date(since)} if contact.details_confirmed_on
            else _("Not confirmed since entered on %(date)s") % {"date": long_date(since)},
            due=due, overdue=due < on, url=contact.organisation.get_absolute_url(),
        )


def own_details(user, *, on, now):
    contacts = Contact.objects.filter(user=user) if user.is_authenticated else Contact.objects.none()
    for contact, since, due in spocs_unconfirmed(on=on, within_days=COMING_UP_DAYS, contacts=contacts):
        yield DueItem(
            key=f"spoc-details-{contact.pk}", kind=_("SPOC details"),
            what=_("Confirm your contact details are current"),
            about=_("%(organisation)s: last confirmed %(date)s") % {
                "organisation": contact.organisation, "date": long_date(since)} if contact.details_confirmed_on
            else _("%(organisation)s: not confirmed since entered on %(date)s") % {
                "organisation": contact.organisation, "date": long_date(since)},
            due=due, overdue=due < on, url=reverse("partners:contact_confirm", args=[contact.pk]),
        )


def undelivered(user, *, on, now) -> Counted:
    # A notice that reached nobody is already late: the rules wanted it told at once.
    def item(notice):
        return DueItem(
            key=f"undelivered-{notice.pk}", kind=_("Notice"), what=notice.message, about=notice.subject,
            due=timezone.localdate(notice.created_at), overdue=True, url=notice.url,
            rank=(notice.created_at, notice.pk),
        )
    def place(row):
        return DueItem.place(due=timezone.localdate(row["created_at"]), urgent=False, kind=_("Notice"),
                             rank=(row["created_at"], row["pk"]), key=f"undelivered-{row['pk']}")
    return Counted(undelivered_notices_for(user).order_by("created_at", "pk"), overdue=True, item=item,
                   fields=("created_at",), place=place)
