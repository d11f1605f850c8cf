"""The permission matrix's rows: every named route, for every subject of the standard cast.

The tests are in tests/test_permission_matrix.py (GET and the rows' own methods) and
tests/test_isolation_matrix.py (a POST for every route with an identifier, a child of another
parent); both read the rows, outcomes and helpers here.

Each route has one or more rows (one per method or kind of object it is asked about) and each
row says, for every subject in ``tests.roles.SUBJECTS``, what they get: ``ALLOW`` (200),
``LOGIN`` (302 to the sign-in page, coming back to the page), ``DENY_404``, ``DENY_403``,
``NOT_ALLOWED`` (405) or ``Redirect("<url name or path>")``. Each cell is its own test, with an
id such as ``agreements:detail-draft-spoc``.

A named route with no row fails ``test_every_named_route_has_rows_in_the_matrix``, so a new view
cannot ship without saying who may reach it. A row that leaves a subject out fails at import.
The Django admin's routes (``admin:*``) are the admin's own business: one test below proves it
wants a verified staff user (tests/test_permission_matrix.py).

Adding a row::

    Row("agreements:sign", "partner_party",
        kwargs=lambda cast: {"pk": cast.partner_party.pk},
        expect=signed_in(DENY_404, lead_signatory=ALLOW)),

and for a form, ``method="post", data=lambda cast: {...}``.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.shortcuts import resolve_url
from django.urls import URLResolver, get_resolver, reverse
from django.utils import timezone

from partners.selectors import link_token_hash

from .roles import SUBJECTS, Cast


@dataclass(frozen=True)
class Outcome:
    name: str
    status: int

    def __repr__(self) -> str:
        return self.name


ALLOW = Outcome("ALLOW", 200)
LOGIN = Outcome("LOGIN", 302)
DENY_403 = Outcome("DENY_403", 403)
DENY_404 = Outcome("DENY_404", 404)
NOT_ALLOWED = Outcome("NOT_ALLOWED", 405)
UNAUTHORISED = Outcome("UNAUTHORISED", 401)  # the API, without a token (a portal session opens none of it)


@dataclass(frozen=True)
class Redirect:
    """A 302 to ``to``: a URL name (resolved without arguments) or a path — or a function of
    the cast returning one, for a page that depends on the cast's objects."""

    to: str | Callable[[Cast], str]
    status: int = 302

    def __repr__(self) -> str:
        return f"Redirect({self.to!r})"


def everyone(outcome, **exceptions) -> dict:
    """``outcome`` for every subject, anonymous included, except those named."""
    unknown = set(exceptions) - set(SUBJECTS)
    if unknown:
        raise ValueError(f"Not subjects of the cast: {sorted(unknown)}")
    return {subject: exceptions.get(subject, outcome) for subject in SUBJECTS}


def signed_in(outcome, **exceptions) -> dict:
    """``outcome`` for every signed-in subject; anonymous visitors are sent to sign in."""
    return everyone(outcome, **{"anonymous": LOGIN, **exceptions})


@dataclass(frozen=True)
class Row:
    route: str
    variant: str
    expect: dict
    kwargs: Callable[[Cast], dict] = field(default=lambda cast: {})
    method: str = "get"
    data: Callable[[Cast], dict] | None = None

    def __post_init__(self):
        if set(self.expect) != set(SUBJECTS):
            missing = sorted(set(SUBJECTS) - set(self.expect))
            raise ValueError(f"Row {self.route} [{self.variant}] says nothing for {missing}.")


def _partner_party_link(cast: Cast) -> int:
    """A person the partner names for its place in the agreement in force (parties rows)."""
    from agreements.models import ContactRole
    from agreements.services import party_contact_add

    from .factories import ContactFactory

    contact = ContactFactory(organisation=cast.partner, name="Sam Example")
    return party_contact_add(party=cast.partner_party, contact=contact, role=ContactRole.SPOC).pk


def _spocs_notification(cast: Cast) -> int:
    """A notification for the partner's SPOC (notification rows); it points nowhere else."""
    from partners.models import Notification

    from .factories import ContactFactory

    contact = ContactFactory(organisation=cast.partner, user=cast.spoc)
    return Notification.objects.create(recipient=contact, subject="Borsetshire Police", body="A test.").pk


def _consultation_comment(cast: Cast, agreement_field: str = "agreement") -> int:
    """A comment the partner's SPOC made on an agreement when it was out for consultation."""
    from django.utils import timezone

    from agreements.models import ConsultationComment

    return ConsultationComment.objects.create(
        agreement=getattr(cast, agreement_field), organisation=cast.partner, written_by=cast.spoc,
        written_at=timezone.now(), text="Section 4 should name the secure e-mail system.",
    ).pk


def _draft_of_kind(cast: Cast, kind: str) -> int:
    """The draft, made a ``kind`` (a joint controller arrangement…), for its kind's task (decision 0065)."""
    from agreements.models import Agreement

    Agreement.objects.filter(pk=cast.draft.pk).update(kind=kind)
    return cast.draft.pk


def _draft_sub_processor(cast: Cast) -> int:
    """A sub-processor of the draft, made a processing contract (decision 0065)."""
    from agreements.models import SubProcessor

    _draft_of_kind(cast, "processing_contract")
    return SubProcessor.objects.create(agreement=cast.draft, name="Example Hosting Ltd", activity="Hosting").pk


def _draft_data_item(cast: Cast) -> int:
    """A row of the draft's data to be shared (drafting rows)."""
    from agreements.models import DataItem

    return DataItem.objects.create(agreement=cast.draft, provider_label="Police", description="Names.").pk


def _draft_section(cast: Cast) -> int:
    """A numbered section of the draft (drafting rows)."""
    from .factories import SectionFactory

    return SectionFactory(agreement=cast.draft).pk


# Drafting pages are for the owner's governance managers: others who can see the draft get
# 403, those who cannot get 404.
_DRAFT_MANAGED = signed_in(DENY_404, practitioner=DENY_403, governance_manager=ALLOW, admin=DENY_403)
_IN_FORCE_MANAGED = signed_in(DENY_403, governance_manager=ALLOW, unrelated=DENY_404)


def _version(cast: Cast, number: int = 1):
    """Version ``number`` of the agreement in force (signing rows), made with any before it.

    The cast's parties count as signed before the portal kept versions; nobody has signed these.
    """
    from agreements.services import agreement_version_create

    version = cast.agreement.versions.filter(number=number).first()
    while version is None:
        made = agreement_version_create(agreement=cast.agreement, label=f"{cast.agreement.versions.count() + 1}.0")
        version = made if made.number == number else None
    return version


def _scanned_signature(cast: Cast, party_field: str) -> int:
    """A returned signature form, with its scan, of the owner's or the partner's party."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from agreements.services import signature_record_paper
    from tests.uploads import PDF  # issue 12: a scan must be a PDF that parses

    return signature_record_paper(
        party=getattr(cast, party_field), version=_version(cast), signatory_name="Sam Example",
        signatory_role="Chief Executive", scan=SimpleUploadedFile("form.pdf", PDF),
    ).pk


def _draft_partner_party(cast: Cast) -> int:
    return cast.draft.parties.get(organisation=cast.partner).pk


def _draft_party_with_nobody(cast: Cast) -> int:
    """A party to the draft whose organisation has nobody in the portal yet."""
    from .factories import OrganisationFactory, PartyFactory

    return PartyFactory(agreement=cast.draft, organisation=OrganisationFactory(name="Ambridge Parish Council")).pk


def _unrelated_entry(cast: Cast) -> int:
    """A sharing log entry of the unrelated organisation, to a partner of its own agreement."""
    from .factories import DisclosureFactory, OrganisationFactory, PartyFactory

    landlord = PartyFactory(
        agreement=cast.unrelated_agreement, signed=True, organisation=OrganisationFactory(name="Felpersham Homes"),
    )
    return DisclosureFactory(
        agreement=cast.unrelated_agreement, disclosing_organisation=cast.unrelated_organisation,
        recipient_organisation=landlord.organisation, disclosed_by=cast.unrelated,
    ).pk


def _spocs_contact(cast: Cast) -> int:
    """The partner's SPOC's own directory entry (directory rows)."""
    from partners.models import Contact

    from .factories import ContactFactory

    contact = Contact.objects.filter(user=cast.spoc).first()
    return (contact or ContactFactory(organisation=cast.partner, user=cast.spoc, name="Sam Example")).pk


def _owners_contact(cast: Cast) -> int:
    """Someone at the owner who does not use the portal (directory rows)."""
    from .factories import ContactFactory

    return ContactFactory(organisation=cast.owner, name="Robin Example").pk


def _organisation_with_nobody(cast: Cast) -> int:
    """A partner just added to the directory: nobody from it is in the portal yet."""
    from .factories import OrganisationFactory

    return OrganisationFactory(name="Ambridge Parish Council").pk


def _gateway_proposal(cast: Cast) -> int:
    """A legal gateway the owner's governance manager asked to add to the catalogue."""
    from agreements.services import gateway_propose

    return gateway_propose(
        by_user=cast.governance_manager, instrument="Local Government Act 1972", provision="s111",
        title="Subsidiary powers", summary="A council may do what facilitates its functions.", category="statute",
    ).pk


_GATEWAY_PROPOSERS = signed_in(DENY_403, governance_manager=ALLOW, unrelated=ALLOW)
_GATEWAY_DECIDER = signed_in(DENY_404, governance_manager=DENY_403, admin=ALLOW)

def _invitation(cast: Cast) -> int:
    """Someone the owner's governance manager has invited to join for the owner."""
    from partners.models import Invitation, Role

    return Invitation.objects.create(
        organisation=cast.owner, name="Ruth Archer", email="ruth.archer@council.example", role=Role.SPOC,
        invited_by=cast.governance_manager, token_hash=link_token_hash(_INVITATION_TOKEN),
        sent_at=timezone.now(), expires_at=timezone.now() + datetime.timedelta(days=7),
    ).pk


_INVITATION_TOKEN = "matrix-invitation-token"


def _invitation_token(cast: Cast) -> str:
    """The secret of the link an open invitation e-mailed (made with it)."""
    _invitation(cast)
    return _INVITATION_TOKEN
_PEOPLE_MANAGERS = signed_in(DENY_403, governance_manager=ALLOW, admin=ALLOW)

_ORGANISATION_ADDERS = signed_in(DENY_403, governance_manager=ALLOW, unrelated=ALLOW, admin=ALLOW)

MATRIX = [
    Row("home", "page", signed_in(ALLOW)),
    Row("login", "page", everyone(ALLOW)),
    # Signing out is a POST (a link could be followed by a prefetcher); GET is refused.
    Row("logout", "get", signed_in(NOT_ALLOWED)),
    Row("logout", "post", signed_in(Redirect("login")), method="post"),
    # The language switch (decision 0058): a POST for anyone, signed in or not, back to ``next``.
    Row("language", "get", everyone(NOT_ALLOWED)),
    Row("language", "post", everyone(Redirect("home")), method="post",
        data=lambda cast: {"language": "cy", "next": "/"}),
    Row("privacy", "page", everyone(ALLOW)),
    Row("accessibility", "page", everyone(ALLOW)),
    Row("help", "page", everyone(ALLOW)),
    Row("glossary", "page", everyone(ALLOW)),
    Row("agreements:list", "page", signed_in(ALLOW)),
    # Its exports (issue 16): the agreements the list shows each subject, no more.
    Row("agreements:export", "page", signed_in(ALLOW)),
    Row("agreements:export_xlsx", "page", signed_in(ALLOW)),
    Row(
        "agreements:detail", "in_force",
        kwargs=lambda cast: {"pk": cast.agreement.pk},
        expect=signed_in(ALLOW, unrelated=DENY_404),
    ),
    Row(
        # The partner is invited to the draft, so its members hold a grant: the draft rule
        # alone keeps it from them.
        "agreements:detail", "draft",
        kwargs=lambda cast: {"pk": cast.draft.pk},
        expect=signed_in(DENY_404, practitioner=ALLOW, governance_manager=ALLOW, admin=ALLOW),
    ),
    Row(
        "agreements:detail", "unrelated_agreement",
        kwargs=lambda cast: {"pk": cast.unrelated_agreement.pk},
        expect=signed_in(DENY_404, unrelated=ALLOW, admin=ALLOW),
    ),
    Row(
        "agreements:detail", "missing",
        kwargs=lambda cast: {"pk": cast.unrelated_agreement.pk + 1000},
        expect=signed_in(DENY_404),
    ),
    # Legal gateway proposals (agreements/views/gateways.py): governance managers propose and see
    # their own; portal administrators see every one and decide; the proposer may read but not
    # decide theirs (403); anyone else gets 404 for a proposal.
    Row(
        "agreements:gateway_proposals", "page",
        expect=signed_in(DENY_403, governance_manager=ALLOW, unrelated=ALLOW, admin=ALLOW),
    ),
    Row("agreements:gateway_propose", "page", expect=_GATEWAY_PROPOSERS),
    Row(
        "agreements:gateway_propose", "post_empty", method="post", data=lambda cast: {},
        expect=_GATEWAY_PROPOSERS,
    ),
    Row(
        "agreements:gateway_proposal_decide", "proposal",
        kwargs=lambda cast: {"pk": _gateway_proposal(cast)}, expect=_GATEWAY_DECIDER,
    ),
    Row(
        "agreements:gateway_proposal_decide", "post_empty", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": _gateway_proposal(cast)}, expect=_GATEWAY_DECIDER,
    ),
    Row(
        "agreements:gateway_proposal_decide", "missing",
        kwargs=lambda cast: {"pk": 999_999}, expect=signed_in(DENY_404),
    ),
    # People (partners/views.py): an organisation's governance managers and portal
    # administrators invite, resend and withdraw; the invitee's link opens to everyone holding
    # it; enrolling an authenticator is for someone who has none (everyone here has one).
    Row("partners:people", "owner", kwargs=lambda cast: {"pk": cast.owner.pk}, expect=_PEOPLE_MANAGERS),
    Row(
        "partners:people", "partner", kwargs=lambda cast: {"pk": cast.partner.pk},
        expect=signed_in(DENY_403, admin=ALLOW),
    ),
    Row("partners:invite", "owner", kwargs=lambda cast: {"pk": cast.owner.pk}, expect=_PEOPLE_MANAGERS),
    Row(
        "partners:invite", "owner_post_empty", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": cast.owner.pk}, expect=_PEOPLE_MANAGERS,
    ),
    Row(
        "partners:invitation_resend", "get", kwargs=lambda cast: {"pk": _invitation(cast)},
        expect=signed_in(NOT_ALLOWED),
    ),
    Row(
        "partners:invitation_resend", "post", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": _invitation(cast)},
        expect=signed_in(DENY_403, governance_manager=Redirect(lambda cast: f"/partners/{cast.owner.pk}/people/"),
                         admin=Redirect(lambda cast: f"/partners/{cast.owner.pk}/people/")),
    ),
    Row(
        "partners:invitation_withdraw", "post", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": _invitation(cast)},
        expect=signed_in(DENY_403, governance_manager=Redirect(lambda cast: f"/partners/{cast.owner.pk}/people/"),
                         admin=Redirect(lambda cast: f"/partners/{cast.owner.pk}/people/")),
    ),
    Row(
        "partners:person_roles", "practitioner",
        kwargs=lambda cast: {"pk": cast.owner.pk, "user_pk": cast.practitioner.pk}, expect=_PEOPLE_MANAGERS,
    ),
    Row(
        "partners:person_roles", "practitioner_post_unknown", method="post", data=lambda cast: {"roles": ["king"]},
        kwargs=lambda cast: {"pk": cast.owner.pk, "user_pk": cast.practitioner.pk}, expect=_PEOPLE_MANAGERS,
    ),
    Row(
        "partners:authenticator_reset", "practitioner",
        kwargs=lambda cast: {"pk": cast.owner.pk, "user_pk": cast.practitioner.pk}, expect=_PEOPLE_MANAGERS,
    ),
    Row(
        "partners:authenticator_reset", "not_a_member",
        kwargs=lambda cast: {"pk": cast.owner.pk, "user_pk": cast.spoc.pk},
        expect=signed_in(DENY_403, governance_manager=DENY_404, admin=DENY_404),
    ),
    Row(
        "authenticator_reset_link", "altered", kwargs=lambda cast: {"token": "not-a-token"},
        expect=everyone(DENY_404),
    ),
    Row(
        "join", "invited", kwargs=lambda cast: {"token": _invitation_token(cast)},
        expect=everyone(ALLOW),
    ),
    Row(
        "join", "post_empty", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"token": _invitation_token(cast)}, expect=everyone(ALLOW),
    ),
    Row("join", "altered", kwargs=lambda cast: {"token": "not-a-token"}, expect=everyone(DENY_404)),
    # Forgotten passwords: open to everyone (the new password still needs the second factor).
    Row("password_reset", "page", expect=everyone(ALLOW)),
    Row("password_reset", "post_empty", method="post", data=lambda cast: {}, expect=everyone(ALLOW)),
    Row("password_reset_sent", "page", expect=everyone(ALLOW)),
    Row(
        "password_reset_confirm", "bad_link", kwargs=lambda cast: {"uidb64": "MQ", "token": "not-a-token"},
        expect=everyone(ALLOW),
    ),
    Row("password_reset_done", "page", expect=everyone(ALLOW)),
    Row("authenticator", "page", expect=signed_in(Redirect("home"), anonymous=Redirect("login"))),
    Row("backup_codes", "page", expect=signed_in(Redirect("home"))),
    # Agreements that predate the portal (agreements/views/existing.py): managing the agreement.
    Row("agreements:record_existing", "draft", kwargs=lambda cast: {"pk": cast.draft.pk}, expect=_DRAFT_MANAGED),
    Row(
        "agreements:record_existing", "draft_post_empty", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": cast.draft.pk}, expect=_DRAFT_MANAGED,
    ),
    Row(
        "agreements:record_in_force", "in_force", kwargs=lambda cast: {"pk": cast.agreement.pk},
        expect=_IN_FORCE_MANAGED,
    ),
    # A party's first person: the agreement's managers, while nobody from the party is in the
    # portal (the draft's partner, Borsetshire Police, has people: refused).
    Row("agreements:party_import", "draft", kwargs=lambda cast: {"pk": cast.draft.pk}, expect=_DRAFT_MANAGED),
    Row(
        "agreements:party_import", "draft_post_empty", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": cast.draft.pk}, expect=_DRAFT_MANAGED,
    ),
    Row("agreements:party_import", "in_force", kwargs=lambda cast: {"pk": cast.agreement.pk}, expect=_IN_FORCE_MANAGED),
    Row(
        "agreements:party_first_person", "nobody_yet",
        kwargs=lambda cast: {"pk": cast.draft.pk, "party_pk": _draft_party_with_nobody(cast)},
        expect=signed_in(DENY_404, practitioner=DENY_403, governance_manager=ALLOW, admin=DENY_403),
    ),
    Row(
        "agreements:party_first_person", "has_people",
        kwargs=lambda cast: {"pk": cast.draft.pk, "party_pk": _draft_partner_party(cast)},
        expect=signed_in(DENY_404, practitioner=DENY_403, governance_manager=DENY_403, admin=DENY_403),
    ),
    Row("partners:organisation_list", "page", signed_in(ALLOW)),
    Row("partners:directory_export", "page", signed_in(ALLOW)),
    Row("partners:directory_export_xlsx", "page", signed_in(ALLOW)),
    # The directory is open to everyone signed in: partners need each other's SPOCs.
    Row(
        "partners:organisation_detail", "owner",
        kwargs=lambda cast: {"pk": cast.owner.pk}, expect=signed_in(ALLOW),
    ),
    Row(
        "partners:organisation_detail", "unrelated_organisation",
        kwargs=lambda cast: {"pk": cast.unrelated_organisation.pk}, expect=signed_in(ALLOW),
    ),
    Row(
        "partners:organisation_detail", "missing",
        kwargs=lambda cast: {"pk": cast.host.pk + 1000}, expect=signed_in(DENY_404),
    ),
    # Parties (agreements/views/parties.py): whoever sees the agreement sees its parties; the
    # owner's governance managers act on them; the party's own SPOCs (and governance managers)
    # keep its contacts. Empty POSTs come back to the allowed with their errors (200).
    Row(
        "agreements:parties", "in_force",
        kwargs=lambda cast: {"pk": cast.agreement.pk}, expect=signed_in(ALLOW, unrelated=DENY_404),
    ),
    Row(
        # Another organisation's governance manager cannot see a draft's parties.
        "agreements:parties", "draft",
        kwargs=lambda cast: {"pk": cast.draft.pk},
        expect=signed_in(DENY_404, practitioner=ALLOW, governance_manager=ALLOW, admin=ALLOW),
    ),
    Row(
        # A practitioner cannot invite.
        "agreements:party_invite", "in_force",
        kwargs=lambda cast: {"pk": cast.agreement.pk},
        expect=signed_in(DENY_403, governance_manager=ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:party_invite", "in_force_post", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": cast.agreement.pk},
        expect=signed_in(DENY_403, governance_manager=ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:party_invite", "draft",
        kwargs=lambda cast: {"pk": cast.draft.pk},
        expect=signed_in(DENY_404, practitioner=DENY_403, governance_manager=ALLOW, admin=DENY_403),
    ),
    Row(
        "agreements:party_status", "partner_party",
        kwargs=lambda cast: {"pk": cast.agreement.pk, "party_pk": cast.partner_party.pk},
        expect=signed_in(DENY_403, governance_manager=ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:party_status", "partner_party_post", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": cast.agreement.pk, "party_pk": cast.partner_party.pk},
        expect=signed_in(DENY_403, governance_manager=ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:party_status", "draft_party",
        kwargs=lambda cast: {"pk": cast.draft.pk, "party_pk": cast.draft.parties.get(organisation=cast.partner).pk},
        expect=signed_in(DENY_404, practitioner=DENY_403, governance_manager=ALLOW, admin=DENY_403),
    ),
    Row(
        # A party of another agreement is not found under this one.
        "agreements:party_status", "party_of_another_agreement",
        kwargs=lambda cast: {
            "pk": cast.agreement.pk, "party_pk": cast.unrelated_agreement.parties.get().pk,
        },
        expect=signed_in(DENY_404),
    ),
    Row(
        "agreements:party_contacts", "partner_party",
        kwargs=lambda cast: {"pk": cast.agreement.pk, "party_pk": cast.partner_party.pk},
        expect=signed_in(DENY_403, governance_manager=ALLOW, spoc=ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:party_contacts", "partner_party_post", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": cast.agreement.pk, "party_pk": cast.partner_party.pk},
        expect=signed_in(DENY_403, governance_manager=ALLOW, spoc=ALLOW, unrelated=DENY_404),
    ),
    Row(
        # The partner's SPOC keeps the partner's contacts, not the owner's.
        "agreements:party_contacts", "owner_party",
        kwargs=lambda cast: {"pk": cast.agreement.pk, "party_pk": cast.owner_party.pk},
        expect=signed_in(DENY_403, governance_manager=ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:party_contacts", "unrelated_agreement_party",
        kwargs=lambda cast: {
            "pk": cast.unrelated_agreement.pk, "party_pk": cast.unrelated_agreement.parties.get().pk,
        },
        expect=signed_in(DENY_404, unrelated=ALLOW, admin=DENY_403),
    ),
    Row(
        "agreements:party_contact_remove", "partner_party",
        kwargs=lambda cast: {
            "pk": cast.agreement.pk, "party_pk": cast.partner_party.pk,
            "link_pk": _partner_party_link(cast),
        },
        expect=signed_in(DENY_403, governance_manager=ALLOW, spoc=ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:party_data", "partner_party",
        kwargs=lambda cast: {"pk": cast.agreement.pk, "party_pk": cast.partner_party.pk},
        expect=signed_in(DENY_403, governance_manager=ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:party_withdraw", "partner_party",
        kwargs=lambda cast: {"pk": cast.agreement.pk, "party_pk": cast.partner_party.pk},
        expect=signed_in(DENY_403, governance_manager=ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:party_withdraw", "partner_party_post", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": cast.agreement.pk, "party_pk": cast.partner_party.pk},
        expect=signed_in(DENY_403, governance_manager=ALLOW, unrelated=DENY_404),
    ),
    # Acting for a party with nobody to administer it (decision 0063): the agreement's managers,
    # for a party other than the owner; the cast's partner has no governance manager or admin.
    Row(
        "agreements:party_act_for", "partner_party",
        kwargs=lambda cast: {"pk": cast.agreement.pk, "party_pk": cast.partner_party.pk},
        expect=signed_in(DENY_403, governance_manager=ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:party_act_for", "partner_party_post", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": cast.agreement.pk, "party_pk": cast.partner_party.pk},
        expect=signed_in(
            DENY_403, unrelated=DENY_404,
            governance_manager=Redirect(lambda cast: reverse("agreements:parties", args=[cast.agreement.pk])),
        ),
    ),
    Row(
        "agreements:party_act_for", "owner_party",
        kwargs=lambda cast: {"pk": cast.agreement.pk, "party_pk": cast.owner_party.pk},
        expect=signed_in(DENY_403, unrelated=DENY_404),
    ),
    # What a withdrawn partner did with what it holds: the partner's own SPOC (or governance
    # manager) answers; for a party still in the agreement the page says it is not asked yet.
    Row(
        "agreements:party_holdings", "partner_party",
        kwargs=lambda cast: {"pk": cast.agreement.pk, "party_pk": cast.partner_party.pk},
        expect=signed_in(DENY_403, spoc=ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:party_holdings", "partner_party_post", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": cast.agreement.pk, "party_pk": cast.partner_party.pk},
        expect=signed_in(DENY_403, spoc=ALLOW, unrelated=DENY_404),
    ),
    # The notifications inbox: each person's own; another's notification is a 404.
    Row("notifications", "page", signed_in(ALLOW)),
    Row(
        "notification_open", "spocs_notification",
        kwargs=lambda cast: {"pk": _spocs_notification(cast)},
        expect=signed_in(DENY_404, spoc=Redirect("notifications")),
    ),
    # Drafting (agreements/views/drafting.py). Only governance managers start agreements, for
    # their own organisation; empty POSTs come back to the allowed with their errors (200).
    Row("agreements:create", "page", signed_in(DENY_403, governance_manager=ALLOW, unrelated=ALLOW)),
    Row(
        "agreements:create", "post", method="post", data=lambda cast: {},
        expect=signed_in(DENY_403, governance_manager=ALLOW, unrelated=ALLOW),
    ),
    Row("agreements:tasks", "draft", kwargs=lambda cast: {"pk": cast.draft.pk}, expect=_DRAFT_MANAGED),
    Row("agreements:tasks", "in_force", kwargs=lambda cast: {"pk": cast.agreement.pk}, expect=_IN_FORCE_MANAGED),
    Row(
        "agreements:tasks", "unrelated_agreement", kwargs=lambda cast: {"pk": cast.unrelated_agreement.pk},
        expect=signed_in(DENY_404, unrelated=ALLOW, admin=DENY_403),
    ),
    *[
        Row(f"agreements:{task}", variant, method=method, data=data, expect=expect,
            kwargs=lambda cast, agreement=agreement: {"pk": getattr(cast, agreement).pk})
        for task in (
            "task_details", "task_purposes", "task_gateways", "task_transfer", "task_retention",
            "task_breaches", "task_review", "data_item_add", "section_add",
        )
        for variant, agreement, method, data, expect in (
            ("draft", "draft", "get", None, _DRAFT_MANAGED),
            ("draft_post", "draft", "post", lambda cast: {}, _DRAFT_MANAGED),
            ("in_force", "agreement", "get", None, _IN_FORCE_MANAGED),
        )
    ],
    Row("agreements:task_data", "draft", kwargs=lambda cast: {"pk": cast.draft.pk}, expect=_DRAFT_MANAGED),
    # The kind's own task (decision 0065): a page for the kinds with terms of their own, none for the others.
    *[
        Row("agreements:task_kind", f"{kind}_{method}", method=method, expect=_DRAFT_MANAGED,
            data=(lambda cast: {}) if method == "post" else None,
            kwargs=lambda cast, kind=kind: {"pk": _draft_of_kind(cast, kind)})
        for kind in ("joint_controller", "processing_contract", "data_disclosure")
        for method in ("get", "post")
    ],
    Row("agreements:sub_processor_add", "processing_contract",
        kwargs=lambda cast: {"pk": _draft_of_kind(cast, "processing_contract")}, expect=_DRAFT_MANAGED),
    Row("agreements:sub_processor_add", "information_sharing_agreement", kwargs=lambda cast: {"pk": cast.draft.pk},
        expect={**_DRAFT_MANAGED, "governance_manager": DENY_404}),
    Row("agreements:sub_processor_edit", "processing_contract",
        kwargs=lambda cast: {"pk": cast.draft.pk, "item_pk": _draft_sub_processor(cast)}, expect=_DRAFT_MANAGED),
    Row(
        # The draft's sub-processor asked for under another agreement's address: not found there.
        "agreements:sub_processor_edit", "item_of_another_agreement",
        kwargs=lambda cast: {"pk": cast.agreement.pk, "item_pk": _draft_sub_processor(cast)},
        expect=signed_in(DENY_403, governance_manager=DENY_404, unrelated=DENY_404),
    ),
    Row("agreements:task_kind", "information_sharing_agreement", kwargs=lambda cast: {"pk": cast.draft.pk},
        expect={**_DRAFT_MANAGED, "governance_manager": DENY_404}),
    Row("agreements:task_sections", "draft", kwargs=lambda cast: {"pk": cast.draft.pk}, expect=_DRAFT_MANAGED),
    Row(
        "agreements:data_item_edit", "draft",
        kwargs=lambda cast: {"pk": cast.draft.pk, "item_pk": _draft_data_item(cast)}, expect=_DRAFT_MANAGED,
    ),
    Row(
        # The draft's row asked for under another agreement's address: not found there.
        "agreements:data_item_edit", "item_of_another_agreement",
        kwargs=lambda cast: {"pk": cast.agreement.pk, "item_pk": _draft_data_item(cast)},
        expect=signed_in(DENY_403, governance_manager=DENY_404, unrelated=DENY_404),
    ),
    Row(
        "agreements:data_item_remove", "draft",
        kwargs=lambda cast: {"pk": cast.draft.pk, "item_pk": _draft_data_item(cast)}, expect=_DRAFT_MANAGED,
    ),
    Row(
        "agreements:section_edit", "draft",
        kwargs=lambda cast: {"pk": cast.draft.pk, "item_pk": _draft_section(cast)}, expect=_DRAFT_MANAGED,
    ),
    Row(
        "agreements:section_remove", "draft",
        kwargs=lambda cast: {"pk": cast.draft.pk, "item_pk": _draft_section(cast)}, expect=_DRAFT_MANAGED,
    ),
    Row("agreements:status", "draft", kwargs=lambda cast: {"pk": cast.draft.pk}, expect=_DRAFT_MANAGED),
    Row("agreements:status", "in_force", kwargs=lambda cast: {"pk": cast.agreement.pk}, expect=_IN_FORCE_MANAGED),
    Row(
        "agreements:status", "in_force_post", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": cast.agreement.pk}, expect=_IN_FORCE_MANAGED,
    ),
    # A draft's consultation (agreements/views/consultation.py): its managers and the parties'
    # governance managers and SPOCs read the comments; a comment only while it is out for
    # consultation (the agreement in force takes none); the managers answer.
    Row("agreements:consultation", "in_force", kwargs=lambda cast: {"pk": cast.agreement.pk},
        expect=signed_in(DENY_403, governance_manager=ALLOW, spoc=ALLOW, unrelated=DENY_404)),
    Row(
        "agreements:consultation", "in_force_post", method="post", data=lambda cast: {"text": "A comment."},
        kwargs=lambda cast: {"pk": cast.agreement.pk}, expect=signed_in(DENY_403, unrelated=DENY_404),
    ),
    Row("agreements:consultation", "draft", kwargs=lambda cast: {"pk": cast.draft.pk}, expect=_DRAFT_MANAGED),
    Row(
        "agreements:consultation_answer", "comment",
        kwargs=lambda cast: {"pk": cast.agreement.pk, "comment_pk": _consultation_comment(cast)},
        expect=_IN_FORCE_MANAGED,
    ),
    Row(
        "agreements:consultation_answer", "comment_post", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": cast.agreement.pk, "comment_pk": _consultation_comment(cast)},
        expect=_IN_FORCE_MANAGED,
    ),
    # Signing (agreements/views/signing.py). Only the party's lead signatory signs; the owner's
    # governance managers record returned forms; a scan goes to the owner's governance managers
    # and the signing party's members; status and versions to whoever sees the agreement.
    Row(
        "agreements:party_sign", "partner_party",
        kwargs=lambda cast: {"pk": _version(cast).agreement_id, "party_pk": cast.partner_party.pk},
        expect=signed_in(DENY_403, lead_signatory=ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:party_sign", "partner_party_post", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": _version(cast).agreement_id, "party_pk": cast.partner_party.pk},
        expect=signed_in(DENY_403, lead_signatory=ALLOW, unrelated=DENY_404),
    ),
    Row(
        # The partner's lead signatory cannot sign for the owner.
        "agreements:party_sign", "owner_party",
        kwargs=lambda cast: {"pk": _version(cast).agreement_id, "party_pk": cast.owner_party.pk},
        expect=signed_in(DENY_403, unrelated=DENY_404),
    ),
    Row(
        # The partner cannot see the owner's draft it is invited to, so its lead signatory gets 404.
        "agreements:party_sign", "draft_party",
        kwargs=lambda cast: {"pk": cast.draft.pk, "party_pk": _draft_partner_party(cast)},
        expect=signed_in(DENY_404, practitioner=DENY_403, governance_manager=DENY_403, admin=DENY_403),
    ),
    Row(
        "agreements:party_sign", "party_of_another_agreement",
        kwargs=lambda cast: {"pk": cast.agreement.pk, "party_pk": cast.unrelated_agreement.parties.get().pk},
        expect=signed_in(DENY_404),
    ),
    Row(
        # A practitioner cannot record a paper signature.
        "agreements:party_paper_signature", "partner_party",
        kwargs=lambda cast: {"pk": _version(cast).agreement_id, "party_pk": cast.partner_party.pk},
        expect=_IN_FORCE_MANAGED,
    ),
    Row(
        "agreements:party_paper_signature", "partner_party_post", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": _version(cast).agreement_id, "party_pk": cast.partner_party.pk},
        expect=_IN_FORCE_MANAGED,
    ),
    Row(
        "agreements:party_paper_signature", "draft_party",
        kwargs=lambda cast: {"pk": cast.draft.pk, "party_pk": _draft_partner_party(cast)},
        expect=_DRAFT_MANAGED,
    ),
    Row(
        "agreements:signature_scan", "partner_signature",
        kwargs=lambda cast: {"pk": cast.agreement.pk, "signature_pk": _scanned_signature(cast, "partner_party")},
        expect=signed_in(
            DENY_403, governance_manager=ALLOW, spoc=ALLOW, lead_signatory=ALLOW, auditor=ALLOW,
            unrelated=DENY_404,
        ),
    ),
    Row(
        "agreements:signature_scan", "owner_signature",
        kwargs=lambda cast: {"pk": cast.agreement.pk, "signature_pk": _scanned_signature(cast, "owner_party")},
        expect=signed_in(DENY_403, practitioner=ALLOW, governance_manager=ALLOW, unrelated=DENY_404),
    ),
    Row(
        # A signature is found only under its own agreement.
        "agreements:signature_scan", "under_another_agreement",
        kwargs=lambda cast: {
            "pk": cast.unrelated_agreement.pk, "signature_pk": _scanned_signature(cast, "partner_party"),
        },
        expect=signed_in(DENY_404),
    ),
    Row(
        "agreements:signatures", "in_force",
        kwargs=lambda cast: {"pk": _version(cast).agreement_id}, expect=signed_in(ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:signatures", "draft",
        kwargs=lambda cast: {"pk": cast.draft.pk},
        expect=signed_in(DENY_404, practitioner=ALLOW, governance_manager=ALLOW, admin=ALLOW),
    ),
    # The signatures as CSV: whoever sees the agreement (it carries what the page shows them).
    Row(
        "agreements:signatures_export", "in_force",
        kwargs=lambda cast: {"pk": _version(cast).agreement_id}, expect=signed_in(ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:signatures_export", "draft",
        kwargs=lambda cast: {"pk": cast.draft.pk},
        expect=signed_in(DENY_404, practitioner=ALLOW, governance_manager=ALLOW, admin=ALLOW),
    ),
    Row(
        "agreements:signatures_export_xlsx", "in_force",
        kwargs=lambda cast: {"pk": _version(cast).agreement_id}, expect=signed_in(ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:signatures_export_xlsx", "draft",
        kwargs=lambda cast: {"pk": cast.draft.pk},
        expect=signed_in(DENY_404, practitioner=ALLOW, governance_manager=ALLOW, admin=ALLOW),
    ),
    # A reminder to sign: a POST, by the agreement's managers alone, back to the signatures page.
    Row(
        "agreements:signature_remind", "get",
        kwargs=lambda cast: {"pk": _version(cast).agreement_id, "party_pk": cast.partner_party.pk},
        expect=signed_in(NOT_ALLOWED),
    ),
    Row(
        "agreements:signature_remind", "partner_party_post", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": _version(cast).agreement_id, "party_pk": cast.partner_party.pk},
        expect=signed_in(
            DENY_403, unrelated=DENY_404,
            governance_manager=Redirect(lambda cast: reverse("agreements:signatures", args=[cast.agreement.pk])),
        ),
    ),
    Row(
        # Another organisation's party is not found under this agreement.
        "agreements:signature_remind", "unrelated_party_post", method="post", data=lambda cast: {},
        kwargs=lambda cast: {
            "pk": _version(cast).agreement_id, "party_pk": cast.unrelated_agreement.parties.get().pk,
        },
        expect=signed_in(DENY_404),
    ),
    # A party's DPO review before signing (decision 0062): the party's named DPO, or with none
    # named its own governance managers; the cast's partner has none, so nobody reviews for it,
    # and the owner's governance manager reviews for the owner's own party. The switch is a POST
    # by the agreement's managers, back to the signatures page.
    Row(
        "agreements:party_dpo_review", "partner_party",
        kwargs=lambda cast: {"pk": _version(cast).agreement_id, "party_pk": cast.partner_party.pk},
        expect=signed_in(DENY_403, unrelated=DENY_404),
    ),
    Row(
        "agreements:party_dpo_review", "owner_party",
        kwargs=lambda cast: {"pk": _version(cast).agreement_id, "party_pk": cast.owner_party.pk},
        expect=signed_in(DENY_403, governance_manager=ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:party_dpo_review", "owner_party_post", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": _version(cast).agreement_id, "party_pk": cast.owner_party.pk},
        expect=signed_in(DENY_403, governance_manager=ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:party_dpo_review", "draft_party",
        kwargs=lambda cast: {"pk": cast.draft.pk, "party_pk": _draft_partner_party(cast)},
        expect=signed_in(DENY_404, practitioner=DENY_403, governance_manager=DENY_403, admin=DENY_403),
    ),
    Row(
        "agreements:party_dpo_review", "party_of_another_agreement",
        kwargs=lambda cast: {"pk": cast.agreement.pk, "party_pk": cast.unrelated_agreement.parties.get().pk},
        expect=signed_in(DENY_404),
    ),
    Row(
        "agreements:dpo_review_requirement", "get",
        kwargs=lambda cast: {"pk": cast.agreement.pk}, expect=signed_in(NOT_ALLOWED),
    ),
    Row(
        "agreements:dpo_review_requirement", "in_force_post", method="post", data=lambda cast: {"required": "yes"},
        kwargs=lambda cast: {"pk": cast.agreement.pk},
        expect=signed_in(
            DENY_403, unrelated=DENY_404,
            governance_manager=Redirect(lambda cast: reverse("agreements:signatures", args=[cast.agreement.pk])),
        ),
    ),
    Row(
        "agreements:dpo_review_requirement", "draft_post", method="post", data=lambda cast: {"required": "yes"},
        kwargs=lambda cast: {"pk": cast.draft.pk},
        expect=signed_in(
            DENY_404, practitioner=DENY_403, admin=DENY_403,
            governance_manager=Redirect(lambda cast: reverse("agreements:signatures", args=[cast.draft.pk])),
        ),
    ),
    # The QA review before coming into force (decision 0064): the agreement's managers ask for it
    # and see it; a named QA reviewer (none in the cast) records findings. Everyone else: 403.
    Row(
        "agreements:qa_review", "in_force",
        kwargs=lambda cast: {"pk": cast.agreement.pk},
        expect=signed_in(DENY_403, governance_manager=ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:qa_review", "in_force_post", method="post", data=lambda cast: {"action": "requirement"},
        kwargs=lambda cast: {"pk": cast.agreement.pk},
        expect=signed_in(DENY_403, governance_manager=ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:qa_review", "draft",
        kwargs=lambda cast: {"pk": cast.draft.pk},
        expect=signed_in(DENY_404, practitioner=DENY_403, admin=DENY_403, governance_manager=ALLOW),
    ),
    Row(
        "agreements:signature_overview", "page",
        expect=signed_in(DENY_403, governance_manager=ALLOW, unrelated=ALLOW),
    ),
    Row(
        "agreements:versions", "in_force",
        kwargs=lambda cast: {"pk": _version(cast).agreement_id}, expect=signed_in(ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:versions", "draft",
        kwargs=lambda cast: {"pk": cast.draft.pk},
        expect=signed_in(DENY_404, practitioner=ALLOW, governance_manager=ALLOW, admin=ALLOW),
    ),
    Row(
        "agreements:version_diff", "in_force",
        kwargs=lambda cast: {"pk": cast.agreement.pk, "number": _version(cast, 2).number},
        expect=signed_in(ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:version_diff", "missing",
        kwargs=lambda cast: {"pk": cast.agreement.pk, "number": 99},
        expect=signed_in(DENY_404),
    ),
    # Browsing (agreements/views/browse.py): the history is seen by whoever sees the agreement;
    # roles in agreements by everyone signed in, for the agreements each may see.
    Row(
        "agreements:history", "in_force",
        kwargs=lambda cast: {"pk": cast.agreement.pk}, expect=signed_in(ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:history", "draft",
        kwargs=lambda cast: {"pk": cast.draft.pk},
        expect=signed_in(DENY_404, practitioner=ALLOW, governance_manager=ALLOW, admin=ALLOW),
    ),
    Row(
        "agreements:organisation_roles", "partner",
        kwargs=lambda cast: {"pk": cast.partner.pk}, expect=signed_in(ALLOW),
    ),
    Row(
        "agreements:organisation_roles", "missing",
        kwargs=lambda cast: {"pk": cast.host.pk + 1000}, expect=signed_in(DENY_404),
    ),
    # An organisation's record of processing (agreements/views/records.py, UK GDPR Art 30): its
    # own governance managers and auditors, and portal administrators; anyone else signed in 403.
    *(
        row
        for route in ("record_of_processing", "record_of_processing_pdf")
        for row in (
            Row(
                f"agreements:{route}", "partner", kwargs=lambda cast: {"pk": cast.partner.pk},
                expect=signed_in(DENY_403, auditor=ALLOW, admin=ALLOW),
            ),
            Row(
                f"agreements:{route}", "owner", kwargs=lambda cast: {"pk": cast.owner.pk},
                expect=signed_in(DENY_403, governance_manager=ALLOW, admin=ALLOW),
            ),
            Row(
                f"agreements:{route}", "missing",
                kwargs=lambda cast: {"pk": cast.host.pk + 1000}, expect=signed_in(DENY_404),
            ),
        )
    ),
    # The directory (partners/views.py): an organisation's record is changed by its own
    # governance managers and administrators; a person's details by themselves or those; only
    # the person may confirm their details are current. Bad input comes back with errors (200).
    Row(
        "partners:organisation_edit", "owner",
        kwargs=lambda cast: {"pk": cast.owner.pk}, expect=signed_in(DENY_403, governance_manager=ALLOW),
    ),
    Row(
        "partners:organisation_edit", "owner_post_bad", method="post",
        data=lambda cast: {"ico_registration_number": "not a number"},
        kwargs=lambda cast: {"pk": cast.owner.pk}, expect=signed_in(DENY_403, governance_manager=ALLOW),
    ),
    Row(
        "partners:organisation_edit", "host",
        kwargs=lambda cast: {"pk": cast.host.pk}, expect=signed_in(DENY_403, admin=ALLOW),
    ),
    Row(
        "partners:organisation_edit", "missing",
        kwargs=lambda cast: {"pk": cast.host.pk + 1000}, expect=signed_in(DENY_404),
    ),
    # A partner with nobody in the portal yet is kept by any governance manager or administrator;
    # one with people in the portal (the partner: a SPOC, no governance manager) by its own only.
    Row(
        "partners:organisation_edit", "nobody_in_the_portal",
        kwargs=lambda cast: {"pk": _organisation_with_nobody(cast)},
        expect=_ORGANISATION_ADDERS,
    ),
    Row(
        "partners:organisation_edit", "partner",
        kwargs=lambda cast: {"pk": cast.partner.pk}, expect=signed_in(DENY_403),
    ),
    # Any governance manager or administrator adds an organisation; an empty form comes back
    # with its errors (200).
    Row("partners:organisation_create", "page", expect=_ORGANISATION_ADDERS),
    Row("partners:directory_import", "page", expect=_ORGANISATION_ADDERS),
    Row(
        "partners:directory_import", "post_empty", method="post", data=lambda cast: {},
        expect=_ORGANISATION_ADDERS,
    ),
    Row(
        "partners:organisation_create", "post_empty", method="post", data=lambda cast: {},
        expect=_ORGANISATION_ADDERS,
    ),
    Row(
        "partners:contact_edit", "spocs_contact",
        kwargs=lambda cast: {"pk": _spocs_contact(cast)}, expect=signed_in(DENY_403, spoc=ALLOW),
    ),
    Row(
        "partners:contact_edit", "spocs_contact_post_empty", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": _spocs_contact(cast)}, expect=signed_in(DENY_403, spoc=ALLOW),
    ),
    Row(
        "partners:contact_edit", "owners_contact",
        kwargs=lambda cast: {"pk": _owners_contact(cast)}, expect=signed_in(DENY_403, governance_manager=ALLOW),
    ),
    Row(
        "partners:contact_edit", "missing",
        kwargs=lambda cast: {"pk": 999_999}, expect=signed_in(DENY_404),
    ),
    Row(
        "partners:contact_confirm", "spocs_contact",
        kwargs=lambda cast: {"pk": _spocs_contact(cast)}, expect=signed_in(DENY_403, spoc=ALLOW),
    ),
    Row(
        "partners:contact_confirm", "spocs_contact_post", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": _spocs_contact(cast)},
        expect=signed_in(DENY_403, spoc=Redirect(lambda cast: cast.partner.get_absolute_url())),
    ),
    Row(
        # Not even the organisation's governance manager confirms for someone else.
        "partners:contact_confirm", "owners_contact_post", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": _owners_contact(cast)}, expect=signed_in(DENY_403),
    ),
    Row(
        "partners:contact_confirm", "missing",
        kwargs=lambda cast: {"pk": 999_999}, expect=signed_in(DENY_404),
    ),
]

# The agreement as a PDF (agreements/views/documents.py): a version sent for signature goes to
# whoever sees the agreement; the working draft (the draft, or an agreement with no version yet)
# only to the owner's governance managers — others who see it get 403, the rest 404.
MATRIX += [
    Row(
        "agreements:pdf", "in_force_version",
        kwargs=lambda cast: {"pk": _version(cast).agreement_id}, expect=signed_in(ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:pdf", "in_force_no_version",
        kwargs=lambda cast: {"pk": cast.agreement.pk},
        expect=signed_in(DENY_403, governance_manager=ALLOW, unrelated=DENY_404),
    ),
    Row("agreements:pdf", "draft", kwargs=lambda cast: {"pk": cast.draft.pk}, expect=_DRAFT_MANAGED),
]

# Signed copies (agreements/views/documents.py): the frozen PDF of a fully signed version
# goes to whoever sees the agreement; a version without one is a 404. /verify/ is public.


def _signed_copy(cast: Cast) -> int:
    """Version 1 of the agreement in force with a signed copy (stored directly, not rendered)."""
    from django.core.files.base import ContentFile

    from agreements.models import SignedCopy

    version = _version(cast)
    copy = SignedCopy(version=version, sha256="b" * 64, size=9)
    copy.file.save("matrix.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    return version.agreement_id


MATRIX += [
    Row(
        "agreements:signed_copy", "frozen",
        kwargs=lambda cast: {"pk": _signed_copy(cast), "number": 1}, expect=signed_in(ALLOW, unrelated=DENY_404),
    ),
    Row(
        "agreements:signed_copy", "not_frozen",
        kwargs=lambda cast: {"pk": _version(cast).agreement_id, "number": 1}, expect=signed_in(DENY_404),
    ),
    Row("verify", "page", expect=everyone(ALLOW)),
    Row("verify", "empty_post", method="post", data=lambda cast: {}, expect=everyone(ALLOW)),
]

# The public register (agreements/views/register.py): open to everyone, anonymous included, for
# an agreement in force; an agreement not in force (the draft) is a 404 for everyone. GET only.
MATRIX += [
    Row("register:list", "page", expect=everyone(ALLOW)),
    *(
        row
        for route in ("register:detail", "register:pdf")
        for row in (
            Row(route, "in_force", kwargs=lambda cast: {"pk": cast.agreement.pk}, expect=everyone(ALLOW)),
            Row(route, "draft", kwargs=lambda cast: {"pk": cast.draft.pk}, expect=everyone(DENY_404)),
        )
    ),
    Row("register:list", "post", method="post", data=lambda cast: {}, expect=everyone(NOT_ALLOWED)),
]

# The sharing log (sharing_log/views/). Readers (practitioners, SPOCs, governance managers)
# and auditors reach the lists; lead signatories and administrators get 403. An entry is seen
# by the organisations it joins and the auditors of its agreement, and 404 for everyone else;
# only its author or the disclosing organisation's SPOCs and governance managers correct or
# void it, and only the recipient's SPOC acknowledges it: others who can see it get 403.
# ``cast.disclosure``: the partner's SPOC shared with the owner; ``cast.disclosure_to_partner``:
# the owner's practitioner shared with the partner. Empty POSTs come back with errors (200).
_LOG_READERS = signed_in(ALLOW, lead_signatory=DENY_403, admin=DENY_403)
_LOG_LOGGERS = signed_in(ALLOW, lead_signatory=DENY_403, auditor=DENY_403, admin=DENY_403)
_ENTRY_SEEN = signed_in(DENY_404, practitioner=ALLOW, spoc=ALLOW, governance_manager=ALLOW, auditor=ALLOW)
_ENTRY_AMENDED = signed_in(
    DENY_404, spoc=ALLOW, practitioner=DENY_403, governance_manager=DENY_403, auditor=DENY_403,
)
MATRIX += [
    Row("sharing_log:list", "page", _LOG_READERS),
    Row("sharing_log:received", "page", _LOG_READERS),
    Row("sharing_log:export", "page", _LOG_READERS),
    Row("sharing_log:export_xlsx", "page", _LOG_READERS),
    Row("sharing_log:create", "page", _LOG_LOGGERS),
    Row("sharing_log:create", "post_empty", _LOG_LOGGERS, method="post", data=lambda cast: {}),
    Row("sharing_log:inbox", "page", signed_in(DENY_403, spoc=ALLOW)),
    Row("sharing_log:detail", "disclosure", _ENTRY_SEEN, kwargs=lambda cast: {"pk": cast.disclosure.pk}),
    Row(
        "sharing_log:detail", "unrelated_organisations_entry",
        kwargs=lambda cast: {"pk": _unrelated_entry(cast)}, expect=signed_in(DENY_404, unrelated=ALLOW),
    ),
    Row("sharing_log:detail", "missing", signed_in(DENY_404), kwargs=lambda cast: {"pk": 999_999}),
    Row("sharing_log:amend", "disclosure", _ENTRY_AMENDED, kwargs=lambda cast: {"pk": cast.disclosure.pk}),
    Row(
        "sharing_log:amend", "disclosure_post_empty", _ENTRY_AMENDED, method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": cast.disclosure.pk},
    ),
    Row("sharing_log:void", "disclosure", _ENTRY_AMENDED, kwargs=lambda cast: {"pk": cast.disclosure.pk}),
    Row(
        "sharing_log:void", "disclosure_post_empty", _ENTRY_AMENDED, method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": cast.disclosure.pk},
    ),
    # Acknowledging is a POST; the discloser's own SPOC may not acknowledge its own entry.
    Row(
        "sharing_log:acknowledge", "get", signed_in(NOT_ALLOWED),
        kwargs=lambda cast: {"pk": cast.disclosure_to_partner.pk},
    ),
    Row(
        "sharing_log:acknowledge", "disclosure_post", method="post", data=lambda cast: {"from": "inbox"},
        kwargs=lambda cast: {"pk": cast.disclosure.pk},
        expect=signed_in(DENY_404, practitioner=DENY_403, spoc=DENY_403, governance_manager=DENY_403,
                         auditor=DENY_403),
    ),
    Row(
        "sharing_log:acknowledge", "disclosure_to_partner_post", method="post", data=lambda cast: {"from": "inbox"},
        kwargs=lambda cast: {"pk": cast.disclosure_to_partner.pk},
        expect=signed_in(DENY_404, practitioner=DENY_403, spoc=Redirect("sharing_log:inbox"),
                         governance_manager=DENY_403, auditor=DENY_403),
    ),
]

# "Can I share?" (sharing_log/views/can_i_share.py): for whoever may log, as sharing_log:create.
# The answers live in the session, which each cell starts without: pages further on send the
# user back to the first question (or to "Check your answers"), and starting is a POST.
_FIRST_QUESTION = "/log/can-i-share/purpose/"
MATRIX += [
    Row("sharing_log:can_i_share", "page", _LOG_LOGGERS),
    Row(
        "sharing_log:can_i_share", "post", method="post", data=lambda cast: {},
        expect=signed_in(Redirect(_FIRST_QUESTION), lead_signatory=DENY_403, auditor=DENY_403, admin=DENY_403),
    ),
    Row("sharing_log:can_i_share_question", "purpose", _LOG_LOGGERS, kwargs=lambda cast: {"step": "purpose"}),
    Row(
        "sharing_log:can_i_share_question", "purpose_post_empty", _LOG_LOGGERS, method="post",
        data=lambda cast: {}, kwargs=lambda cast: {"step": "purpose"},
    ),
    Row(
        "sharing_log:can_i_share_question", "skipped_ahead", kwargs=lambda cast: {"step": "consent"},
        expect=signed_in(Redirect(_FIRST_QUESTION), lead_signatory=DENY_403, auditor=DENY_403, admin=DENY_403),
    ),
    Row(
        "sharing_log:can_i_share_question", "information_skipped_ahead", kwargs=lambda cast: {"step": "information"},
        expect=signed_in(Redirect(_FIRST_QUESTION), lead_signatory=DENY_403, auditor=DENY_403, admin=DENY_403),
    ),
    Row(
        "sharing_log:can_i_share_question", "missing", kwargs=lambda cast: {"step": "no-such-question"},
        expect=signed_in(DENY_404, lead_signatory=DENY_403, auditor=DENY_403, admin=DENY_403),
    ),
    Row(
        "sharing_log:can_i_share_check", "unanswered",
        expect=signed_in(Redirect(_FIRST_QUESTION), lead_signatory=DENY_403, auditor=DENY_403, admin=DENY_403),
    ),
    Row(
        "sharing_log:can_i_share_do_not_share", "unanswered",
        expect=signed_in(Redirect("sharing_log:can_i_share_check"), lead_signatory=DENY_403, auditor=DENY_403,
                         admin=DENY_403),
    ),
]

# Onward disclosure and data quality (sharing_log/views/onward.py, quality.py).
# ``cast.disclosure`` (the partner shared with the owner): its recipient's practitioner and
# governance manager may ask to pass it on, its originator (the partner's SPOC) may not; only the
# originator's SPOC decides a request, and the person who asked gets 403 on their own. Marking an
# entry inaccurate is for whoever may amend it. A copy to confirm: the partner's, asked for when the
# owner marked ``cast.disclosure_to_partner`` inaccurate; only the partner's SPOC confirms it, others
# who may see the entry (or work for the partner as auditor) get 403, everyone else 404. The lists
# are for SPOCs (and, for requests, governance managers). Empty POSTs come back with errors (200).
def _onward_request(cast: Cast) -> int:
    """The owner's practitioner asking to pass ``cast.disclosure`` on (onward rows)."""
    from sharing_log.services import onward_disclosure_request

    return onward_disclosure_request(
        disclosure=cast.disclosure, by_user=cast.practitioner, purpose="A joint visit.",
        third_party_name="Borsetshire Youth Offending Service",
    ).pk


def _copy_to_confirm(cast: Cast) -> int:
    """The partner's copy of ``cast.disclosure_to_partner``, marked inaccurate (copy rows)."""
    from sharing_log.services import disclosure_mark_inaccurate

    notice = disclosure_mark_inaccurate(
        disclosure=cast.disclosure_to_partner, by_user=cast.practitioner, what_is_wrong="The date was wrong.",
    )
    return notice.disclosure.recipient_confirmations.get().pk


_ONWARD_ASKERS = signed_in(DENY_404, practitioner=ALLOW, governance_manager=ALLOW, spoc=DENY_403, auditor=DENY_403)
_ONWARD_DECIDER = signed_in(DENY_404, spoc=ALLOW, practitioner=DENY_403, governance_manager=DENY_403,
                            auditor=DENY_403)
_COPY_CONFIRMER = signed_in(DENY_404, spoc=ALLOW, practitioner=DENY_403, governance_manager=DENY_403,
                            auditor=DENY_403)
MATRIX += [
    Row("sharing_log:onward_request", "disclosure", _ONWARD_ASKERS, kwargs=lambda cast: {"pk": cast.disclosure.pk}),
    Row(
        "sharing_log:onward_request", "disclosure_post_empty", _ONWARD_ASKERS, method="post",
        data=lambda cast: {}, kwargs=lambda cast: {"pk": cast.disclosure.pk},
    ),
    Row("sharing_log:onward_request", "missing", signed_in(DENY_404), kwargs=lambda cast: {"pk": 999_999}),
    Row("sharing_log:onward_list", "page", signed_in(DENY_403, spoc=ALLOW, governance_manager=ALLOW, unrelated=ALLOW)),
    Row("sharing_log:onward_export", "page",
        signed_in(DENY_403, spoc=ALLOW, governance_manager=ALLOW, unrelated=ALLOW)),
    Row("sharing_log:onward_export_xlsx", "page",
        signed_in(DENY_403, spoc=ALLOW, governance_manager=ALLOW, unrelated=ALLOW)),
    Row("sharing_log:onward_decide", "request", _ONWARD_DECIDER, kwargs=lambda cast: {"pk": _onward_request(cast)}),
    Row(
        "sharing_log:onward_decide", "request_post_empty", _ONWARD_DECIDER, method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": _onward_request(cast)},
    ),
    Row("sharing_log:onward_decide", "missing", signed_in(DENY_404), kwargs=lambda cast: {"pk": 999_999}),
    Row("sharing_log:inaccurate", "disclosure", _ENTRY_AMENDED, kwargs=lambda cast: {"pk": cast.disclosure.pk}),
    Row(
        "sharing_log:inaccurate", "disclosure_post_empty", _ENTRY_AMENDED, method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": cast.disclosure.pk},
    ),
    Row("sharing_log:copies", "page", signed_in(DENY_403, spoc=ALLOW)),
    Row("sharing_log:copy_confirm", "copy", _COPY_CONFIRMER, kwargs=lambda cast: {"pk": _copy_to_confirm(cast)}),
    Row(
        "sharing_log:copy_confirm", "copy_post_empty", _COPY_CONFIRMER, method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": _copy_to_confirm(cast)},
    ),
    Row("sharing_log:copy_confirm", "missing", signed_in(DENY_404), kwargs=lambda cast: {"pk": 999_999}),
]

def _override_to_confirm(cast: Cast) -> int:
    """An override on ``cast.disclosure`` (the partner's), naming the partner's SPOC as the
    partner's designated manager, who alone may confirm it (override rows)."""
    from agreements.models import ContactRole
    from agreements.services import party_contact_add
    from sharing_log.models import OverrideAuthorisation

    contact = _spocs_contact(cast)
    if not cast.partner_party.contacts.filter(contact_id=contact, role=ContactRole.DESIGNATED_MANAGER).exists():
        party_contact_add(party=cast.partner_party, contact=cast.partner.contacts.get(pk=contact),
                          role=ContactRole.DESIGNATED_MANAGER)
    authorisation = OverrideAuthorisation.objects.filter(disclosure=cast.disclosure).first()
    return (authorisation or OverrideAuthorisation.objects.create(
        disclosure=cast.disclosure, designated_manager_id=contact, requested_by=cast.spoc,
    )).pk


# Only the designated manager the entry names (here the partner's SPOC) reaches the page.
_OVERRIDE_CONFIRMER = signed_in(DENY_404, spoc=ALLOW)
MATRIX += [
    Row("sharing_log:override_confirm", "override", _OVERRIDE_CONFIRMER,
        kwargs=lambda cast: {"pk": _override_to_confirm(cast)}),
    Row(
        "sharing_log:override_confirm", "override_post_empty", _OVERRIDE_CONFIRMER, method="post",
        data=lambda cast: {}, kwargs=lambda cast: {"pk": _override_to_confirm(cast)},
    ),
    Row("sharing_log:override_confirm", "missing", signed_in(DENY_404), kwargs=lambda cast: {"pk": 999_999}),
]

# Escalation of a refusal and case closure (sharing_log/views/escalations.py, closures.py).
# The refusal: the partner refused what the owner asked for. The owner's practitioner and
# governance manager may escalate it (the owner is the party refused), the partner's SPOC (who
# refused) and auditor get 403 on the page. The escalation, raised by the owner's practitioner,
# is seen by both organisations' readers and the partner's auditor; only the lead (the owner,
# the agreement's owner organisation) resolves it, by its governance manager. The case closure:
# the owner closed the case of ``cast.disclosure_to_partner``; its members see it, only its
# SPOCs and governance managers change or re-open it; the partner's users get 404. Closing a
# case is for any SPOC or governance manager, the unrelated organisation's included, for its own.
def _refusal(cast: Cast) -> int:
    """The partner refused a request of the owner's (escalation rows)."""
    from sharing_log.models import Decision

    from .factories import DisclosureFactory

    return DisclosureFactory(
        agreement=cast.agreement, disclosing_organisation=cast.partner, recipient_organisation=cast.owner,
        disclosed_by=cast.spoc, decision=Decision.REQUEST_REFUSED, art6_basis=None,
        decision_reason="Would prejudice an investigation.",
    ).pk


def _escalation(cast: Cast) -> int:
    """The owner's practitioner escalated the partner's refusal to the owner, the lead (escalation rows)."""
    from sharing_log.models import Disclosure
    from sharing_log.services import escalation_raise

    return escalation_raise(
        disclosure=Disclosure.objects.get(pk=_refusal(cast)), by_user=cast.practitioner, organisation=cast.owner,
        concern="Needed to keep a child safe.",
    ).pk


def _closure(cast: Cast) -> int:
    """The owner closed the case of ``cast.disclosure_to_partner`` today (closure rows)."""
    from django.utils import timezone

    from sharing_log.services import case_close

    return case_close(
        by_user=cast.governance_manager, organisation=cast.owner,
        case_reference=cast.disclosure_to_partner.case_reference, closed_on=timezone.localdate(),
    ).pk


_ESCALATORS = signed_in(DENY_404, practitioner=ALLOW, governance_manager=ALLOW, spoc=DENY_403, auditor=DENY_403)
_ESCALATION_RESOLVER = signed_in(DENY_404, governance_manager=ALLOW, practitioner=DENY_403, spoc=DENY_403,
                                 auditor=DENY_403)
# Issue 12, item 4 (docs/decisions/0023): a signed statement of the log's chain, for a governance
# manager or auditor of any organisation.
MATRIX += [
    Row("sharing_log:chain_statement", "page",
        signed_in(DENY_403, governance_manager=ALLOW, auditor=ALLOW, unrelated=ALLOW)),
    Row("sharing_log:chain_statement", "post", signed_in(NOT_ALLOWED), method="post", data=lambda cast: {}),
]
# End of issue 12, item 4.

_CASE_CLOSERS = signed_in(DENY_403, spoc=ALLOW, governance_manager=ALLOW, unrelated=ALLOW)
_CASE_MANAGED = signed_in(DENY_404, governance_manager=ALLOW, practitioner=DENY_403)
MATRIX += [
    Row("sharing_log:escalate", "refusal", _ESCALATORS, kwargs=lambda cast: {"pk": _refusal(cast)}),
    Row(
        "sharing_log:escalate", "refusal_post_empty", _ESCALATORS, method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": _refusal(cast)},
    ),
    # A share cannot be escalated: its page says so to those who could escalate a refusal.
    Row("sharing_log:escalate", "disclosure", _ESCALATORS, kwargs=lambda cast: {"pk": cast.disclosure.pk}),
    Row("sharing_log:escalate", "missing", signed_in(DENY_404), kwargs=lambda cast: {"pk": 999_999}),
    Row("sharing_log:escalations", "page", _LOG_READERS),
    Row("sharing_log:escalation", "escalation", _ENTRY_SEEN, kwargs=lambda cast: {"pk": _escalation(cast)}),
    Row("sharing_log:escalation", "missing", signed_in(DENY_404), kwargs=lambda cast: {"pk": 999_999}),
    Row(
        "sharing_log:escalation_resolve", "escalation", _ESCALATION_RESOLVER,
        kwargs=lambda cast: {"pk": _escalation(cast)},
    ),
    Row(
        "sharing_log:escalation_resolve", "escalation_post_empty", _ESCALATION_RESOLVER, method="post",
        data=lambda cast: {}, kwargs=lambda cast: {"pk": _escalation(cast)},
    ),
    Row("sharing_log:escalation_resolve", "missing", signed_in(DENY_404), kwargs=lambda cast: {"pk": 999_999}),
    Row("sharing_log:cases", "page", _LOG_READERS),
    Row("sharing_log:case_close", "page", _CASE_CLOSERS),
    Row("sharing_log:case_close", "post_empty", _CASE_CLOSERS, method="post", data=lambda cast: {}),
    Row(
        "sharing_log:case", "closure", signed_in(DENY_404, practitioner=ALLOW, governance_manager=ALLOW),
        kwargs=lambda cast: {"pk": _closure(cast)},
    ),
    Row("sharing_log:case", "missing", signed_in(DENY_404), kwargs=lambda cast: {"pk": 999_999}),
    Row("sharing_log:case_change", "closure", _CASE_MANAGED, kwargs=lambda cast: {"pk": _closure(cast)}),
    Row(
        "sharing_log:case_change", "closure_post_empty", _CASE_MANAGED, method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": _closure(cast)},
    ),
    Row("sharing_log:case_change", "missing", signed_in(DENY_404), kwargs=lambda cast: {"pk": 999_999}),
    Row("sharing_log:case_reopen", "closure", _CASE_MANAGED, kwargs=lambda cast: {"pk": _closure(cast)}),
    Row(
        "sharing_log:case_reopen", "closure_post_empty", _CASE_MANAGED, method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": _closure(cast)},
    ),
    Row("sharing_log:case_reopen", "missing", signed_in(DENY_404), kwargs=lambda cast: {"pk": 999_999}),
]

# Reviews (agreements/views/reviews.py): whoever sees the agreement reads its reviews; only the
# owner's governance managers start, complete and act on them, others who see it get 403. A review
# (a chair's request on the agreement in force) is made in each cell; a review of another
# agreement, asked for under this one, is 404. Empty POSTs come back with errors (200).
def _review(cast: Cast):
    from agreements.services import review_start

    return review_start(agreement=cast.agreement, by_user=cast.governance_manager, why="chair_request",
                        reason="The board asked.")


def _review_kwargs(cast: Cast) -> dict:
    return {"pk": cast.agreement.pk, "review_pk": _review(cast).pk}


def _review_action_kwargs(cast: Cast) -> dict:
    from agreements.services import review_action_add

    from .factories import ContactFactory

    review = _review(cast)
    action = review_action_add(
        review=review, description="Update the SPOC list.", owner=ContactFactory(organisation=cast.partner),
        due_on=review.due_on,
    )
    return {"pk": cast.agreement.pk, "review_pk": review.pk, "action_pk": action.pk}


def _unrelated_review_kwargs(cast: Cast) -> dict:
    from agreements.services import review_start

    review = review_start(agreement=cast.unrelated_agreement, by_user=cast.unrelated, why="chair_request",
                          reason="The board asked.")
    return {"pk": cast.agreement.pk, "review_pk": review.pk}


_REVIEW_READERS = signed_in(ALLOW, unrelated=DENY_404)
MATRIX += [
    Row("agreements:reviews", "in_force", _REVIEW_READERS, kwargs=lambda cast: {"pk": cast.agreement.pk}),
    Row(
        "agreements:reviews", "draft", kwargs=lambda cast: {"pk": cast.draft.pk},
        expect=signed_in(DENY_404, practitioner=ALLOW, governance_manager=ALLOW, admin=ALLOW),
    ),
    Row("agreements:review_start", "in_force", _IN_FORCE_MANAGED, kwargs=lambda cast: {"pk": cast.agreement.pk}),
    Row(
        "agreements:review_start", "in_force_post_empty", _IN_FORCE_MANAGED, method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": cast.agreement.pk},
    ),
    Row("agreements:review_detail", "review", _REVIEW_READERS, kwargs=_review_kwargs),
    Row(
        "agreements:review_detail", "review_post_empty", _IN_FORCE_MANAGED, method="post", data=lambda cast: {},
        kwargs=_review_kwargs,
    ),
    Row("agreements:review_detail", "another_agreements_review", signed_in(DENY_404), kwargs=_unrelated_review_kwargs),
    Row(
        "agreements:review_detail", "missing", signed_in(DENY_404),
        kwargs=lambda cast: {"pk": cast.agreement.pk, "review_pk": 999_999},
    ),
    Row("agreements:review_action_add", "review", _IN_FORCE_MANAGED, kwargs=_review_kwargs),
    Row(
        "agreements:review_action_add", "review_post_empty", _IN_FORCE_MANAGED, method="post",
        data=lambda cast: {}, kwargs=_review_kwargs,
    ),
    Row("agreements:review_action_done", "action", _IN_FORCE_MANAGED, kwargs=_review_action_kwargs),
    Row(
        "agreements:review_action_done", "action_post_empty", _IN_FORCE_MANAGED, method="post",
        data=lambda cast: {}, kwargs=_review_action_kwargs,
    ),
    Row(
        "agreements:review_action_done", "missing",
        signed_in(DENY_403, governance_manager=DENY_404, unrelated=DENY_404),
        kwargs=lambda cast: {**_review_kwargs(cast), "action_pk": 999_999},
    ),
    Row("agreements:review_findings_reported", "review", _IN_FORCE_MANAGED, kwargs=_review_kwargs),
    Row(
        "agreements:review_findings_reported", "review_post_empty", _IN_FORCE_MANAGED, method="post",
        data=lambda cast: {}, kwargs=_review_kwargs,
    ),
]

# Breaches and near misses (agreements/views/breaches.py, at /breaches/). The list is for SPOCs,
# governance managers and auditors, recording one for SPOCs and governance managers; others get 403.
# ``_owners_breach``: a personal data breach the owner reported; ``_partners_breach``: one the partner
# reported. A breach is seen by the SPOCs, governance managers and auditors of the agreement's partners,
# and 404 for everyone else; the owner's governance managers and the reporting organisation's SPOCs and
# governance managers manage it, others who see it get 403. Only the partner's SPOC acknowledges the
# partner's notice of the owner's breach. Empty (or bad) POSTs come back with errors (200).
def _breach(cast: Cast, organisation, user):
    """A breach of the agreement in force reported by ``organisation``, made once per cell."""
    import datetime

    from django.utils import timezone

    from agreements.models import Breach
    from agreements.services import breach_record

    existing = Breach.objects.filter(reporting_organisation=organisation).first()
    if existing is not None:
        return existing
    # The partner's SPOC has a directory entry, so the partner is told (and can acknowledge):
    # a party with nobody to tell is not recorded as told (issue 13).
    _spocs_contact(cast)
    return breach_record(
        agreement=cast.agreement, reporting_organisation=organisation, kind="breach",
        discovered_at=timezone.now() - datetime.timedelta(days=2), description="An e-mail to the wrong team.",
        data_involved="Names of 2 adults.", personal_data_breach=True, by_user=user,
    )


def _owners_breach(cast: Cast) -> int:
    return _breach(cast, cast.owner, cast.governance_manager).pk


def _partners_breach(cast: Cast) -> int:
    return _breach(cast, cast.partner, cast.spoc).pk


def _partners_notice(cast: Cast) -> dict:
    """The partner's notice of the owner's breach (acknowledge rows)."""
    breach = _breach(cast, cast.owner, cast.governance_manager)
    return {"pk": breach.pk, "notification_pk": breach.notifications.get(party=cast.partner_party).pk}


_BAD_DATE = {"meeting_held_on-day": "31", "meeting_held_on-month": "2", "meeting_held_on-year": "2026"}
_BREACH_READERS = signed_in(DENY_403, spoc=ALLOW, governance_manager=ALLOW, auditor=ALLOW, unrelated=ALLOW)
_BREACH_RECORDERS = signed_in(DENY_403, spoc=ALLOW, governance_manager=ALLOW, unrelated=ALLOW)
_BREACH_SEEN = signed_in(DENY_404, spoc=ALLOW, governance_manager=ALLOW, auditor=ALLOW)
_OWNERS_BREACH_MANAGED = signed_in(DENY_404, governance_manager=ALLOW, spoc=DENY_403, auditor=DENY_403)
_PARTNERS_BREACH_MANAGED = signed_in(DENY_404, governance_manager=ALLOW, spoc=ALLOW, auditor=DENY_403)
MATRIX += [
    Row("breaches:list", "page", _BREACH_READERS),
    Row("breaches:export", "page", _BREACH_READERS),
    Row("breaches:export_xlsx", "page", _BREACH_READERS),
    Row("breaches:create", "page", _BREACH_RECORDERS),
    Row("breaches:create", "post_empty", _BREACH_RECORDERS, method="post", data=lambda cast: {}),
    Row("breaches:detail", "owners_breach", _BREACH_SEEN, kwargs=lambda cast: {"pk": _owners_breach(cast)}),
    Row("breaches:detail", "partners_breach", _BREACH_SEEN, kwargs=lambda cast: {"pk": _partners_breach(cast)}),
    Row("breaches:detail", "missing", signed_in(DENY_404), kwargs=lambda cast: {"pk": 999_999}),
    *(
        row
        for route, post in (("progress", _BAD_DATE), ("ico", {}), ("affected", {}), ("close", {}))
        for row in (
            Row(f"breaches:{route}", "owners_breach", _OWNERS_BREACH_MANAGED,
                kwargs=lambda cast: {"pk": _owners_breach(cast)}),
            Row(f"breaches:{route}", "owners_breach_post_bad", _OWNERS_BREACH_MANAGED, method="post",
                data=lambda cast, post=post: post, kwargs=lambda cast: {"pk": _owners_breach(cast)}),
            Row(f"breaches:{route}", "partners_breach", _PARTNERS_BREACH_MANAGED,
                kwargs=lambda cast: {"pk": _partners_breach(cast)}),
            Row(f"breaches:{route}", "missing", signed_in(DENY_404), kwargs=lambda cast: {"pk": 999_999}),
        )
    ),
    # Acknowledging is a POST; the owner's governance manager may not acknowledge for the partner.
    Row("breaches:acknowledge", "get", signed_in(NOT_ALLOWED), kwargs=_partners_notice),
    Row(
        "breaches:acknowledge", "partners_notice_post", method="post", data=lambda cast: {}, kwargs=_partners_notice,
        expect=signed_in(DENY_404, spoc=Redirect(lambda cast: f"/breaches/{_owners_breach(cast)}/"),
                         governance_manager=DENY_403, auditor=DENY_403),
    ),
]

# Subject access and FOI requests (agreements/views/requests.py, at /requests/): for SPOCs and
# governance managers; others get 403. ``_request``: the owner's governance manager recorded a
# request about the partner, so it is routed to the partner. It is seen by the partner's SPOC (routed)
# and the owner's governance manager (who recorded it, and manages the agreement), 404 for everyone
# else; only the routed organisation's SPOC records the response: the owner's manager gets 403.
def _request(cast: Cast) -> int:
    from agreements.models import InformationRequest
    from agreements.services import information_request_record

    existing = InformationRequest.objects.first()
    return (existing or information_request_record(
        agreement=cast.agreement, kind="subject_access", received_on=cast.agreement.effective_date,
        organisation=cast.partner, description="Records shared about the requester.", by_user=cast.governance_manager,
    )).pk


_REQUEST_READERS = signed_in(DENY_403, spoc=ALLOW, governance_manager=ALLOW, unrelated=ALLOW)
MATRIX += [
    Row("requests:list", "page", _REQUEST_READERS),
    Row("requests:export", "page", _REQUEST_READERS),
    Row("requests:export_xlsx", "page", _REQUEST_READERS),
    Row("requests:create", "page", _REQUEST_READERS),
    Row("requests:create", "post_empty", _REQUEST_READERS, method="post", data=lambda cast: {}),
    Row(
        "requests:detail", "request", signed_in(DENY_404, spoc=ALLOW, governance_manager=ALLOW),
        kwargs=lambda cast: {"pk": _request(cast)},
    ),
    Row(
        "requests:detail", "request_post_empty", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": _request(cast)},
        expect=signed_in(DENY_404, spoc=ALLOW, governance_manager=DENY_403),
    ),
    Row("requests:detail", "missing", signed_in(DENY_404), kwargs=lambda cast: {"pk": 999_999}),
    # Extending it (Art 12(3)) is answering it: the routed organisation's SPOC; the recorder gets 403.
    Row(
        "requests:extend", "request", signed_in(DENY_404, spoc=ALLOW, governance_manager=DENY_403),
        kwargs=lambda cast: {"pk": _request(cast)},
    ),
    Row(
        "requests:extend", "request_post_empty", method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": _request(cast)},
        expect=signed_in(DENY_404, spoc=ALLOW, governance_manager=DENY_403),
    ),
    Row("requests:extend", "missing", signed_in(DENY_404), kwargs=lambda cast: {"pk": 999_999}),
]

# "What's due" (isa_portal/views.py, at /due/): everyone signed in, each seeing what applies to them.
# A copy of an entry destroyed under the retention rule (sharing_log/views/retention.py, reached at
# ``sharing_log:copy_confirm`` too): ``cast.disclosure_to_partner`` destroyed, so the partner is
# asked to destroy its copy; the same people as for a copy marked inaccurate confirm it or get 403 or 404.
def _copy_to_destroy(cast: Cast) -> int:
    """The partner's copy of ``cast.disclosure_to_partner``, destroyed under the retention rule."""
    from django.utils import timezone

    from sharing_log.models import Disclosure
    from sharing_log.services import disclosure_destroy

    from .sharing_log.helpers.database import force_retention_due  # issue 12: the rules refuse a past date

    entry = Disclosure.objects.get(pk=cast.disclosure_to_partner.pk)
    force_retention_due(entry, timezone.localdate())
    return disclosure_destroy(disclosure_id=entry.pk, on=entry.retention_due_on).disclosure.recipient_confirmations.get(
        reason="retention",
    ).pk


MATRIX += [
    Row("due", "page", signed_in(ALLOW)),
    # The reports (issue 16; isa_portal/reports/permissions.py): whoever reads the log, signatures or
    # breaches; a lead signatory alone and the portal administrator have nothing there.
    Row("reports:dashboard", "page", signed_in(ALLOW, lead_signatory=DENY_403, admin=DENY_403)),
    # Search (issue 16 item 4; docs/decisions/0059): everyone signed in, each finding what they may see.
    Row("search:results", "page", signed_in(ALLOW)),
    Row("search:results", "query", signed_in(ALLOW, anonymous=Redirect("/sign-in/?next=/search/%3Fq%3DBorsetshire")),
        data=lambda cast: {"q": "Borsetshire"}),
    # The flow maps (issue 17, item 6; isa_portal/reports/permissions.py): an agreement's for whoever
    # sees the agreement (the log's flows only for its readers); an organisation's for everyone
    # signed in, across the agreements they see.
    Row("reports:agreement_flows", "in_force", kwargs=lambda cast: {"pk": cast.agreement.pk},
        expect=signed_in(ALLOW, unrelated=DENY_404)),
    Row("reports:agreement_flows", "draft", kwargs=lambda cast: {"pk": cast.draft.pk},
        expect=signed_in(DENY_404, practitioner=ALLOW, governance_manager=ALLOW, admin=ALLOW)),
    Row("reports:agreement_flows", "unrelated_agreement", kwargs=lambda cast: {"pk": cast.unrelated_agreement.pk},
        expect=signed_in(DENY_404, unrelated=ALLOW, admin=ALLOW)),
    # A period with errors: the page and its error summary (200), never a 500.
    Row("reports:agreement_flows", "bad_period", kwargs=lambda cast: {"pk": cast.agreement.pk},
        data=lambda cast: {"date_from": "31/3/2026", "date_to": "1/3/2026"},
        expect=signed_in(ALLOW, unrelated=DENY_404, anonymous=Redirect(lambda cast: login_redirect(
            reverse("reports:agreement_flows", args=[cast.agreement.pk])
            + "?" + urlencode({"date_from": "31/3/2026", "date_to": "1/3/2026"}))))),
    Row("reports:organisation_flows", "owner", kwargs=lambda cast: {"pk": cast.owner.pk}, expect=signed_in(ALLOW)),
    Row("reports:organisation_flows", "unrelated_organisation",
        kwargs=lambda cast: {"pk": cast.unrelated_organisation.pk}, expect=signed_in(ALLOW)),
    Row("reports:organisation_flows", "missing", kwargs=lambda cast: {"pk": cast.host.pk + 1000},
        expect=signed_in(DENY_404)),
    Row("sharing_log:copy_confirm", "destroyed_copy", _COPY_CONFIRMER,
        kwargs=lambda cast: {"pk": _copy_to_destroy(cast)}),
    Row("sharing_log:copy_confirm", "destroyed_copy_post_empty", _COPY_CONFIRMER, method="post",
        data=lambda cast: {}, kwargs=lambda cast: {"pk": _copy_to_destroy(cast)}),
    # A destroyed entry's page is seen by the same people as before, showing what remains of it.
    Row("sharing_log:detail", "destroyed", _ENTRY_SEEN,
        kwargs=lambda cast: {"pk": _copy_to_destroy(cast) and cast.disclosure_to_partner.pk}),
]

# The access log (issue 12, item 5; docs/decisions/0025): an organisation's auditors and governance
# managers read their own organisation's events; nobody else, portal administrators included.
_ACCESS_LOG_READERS = signed_in(DENY_403, governance_manager=ALLOW, auditor=ALLOW, unrelated=ALLOW)
MATRIX += [
    Row("partners:access_log", "page", _ACCESS_LOG_READERS),
]

# DPIAs (agreements/views/dpias.py): the owner's governance managers record an agreement's DPIA and
# download its document; others who see the agreement get 403, the rest 404. An empty POST comes
# back with its errors (200). The document exists only once uploaded: before, 404.
def _dpia_with_document(cast: Cast) -> dict:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from agreements.services import dpia_record

    from .uploads import PDF

    dpia_record(agreement=cast.agreement, by_user=None, screening=["vulnerable_people", "criminal_offence"],
                needed=True, document=SimpleUploadedFile("dpia.pdf", PDF))
    return {"pk": cast.agreement.pk}


MATRIX += [
    Row("agreements:dpia", "in_force", _IN_FORCE_MANAGED, kwargs=lambda cast: {"pk": cast.agreement.pk}),
    Row("agreements:dpia", "draft", _DRAFT_MANAGED, kwargs=lambda cast: {"pk": cast.draft.pk}),
    Row(
        "agreements:dpia", "in_force_post_empty", _IN_FORCE_MANAGED, method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": cast.agreement.pk},
    ),
    Row("agreements:dpia", "missing", signed_in(DENY_404), kwargs=lambda cast: {"pk": 999_999}),
    Row("agreements:dpia_document", "uploaded", _IN_FORCE_MANAGED, kwargs=_dpia_with_document),
    Row(
        "agreements:dpia_document", "none_uploaded",
        signed_in(DENY_403, governance_manager=DENY_404, unrelated=DENY_404),
        kwargs=lambda cast: {"pk": cast.agreement.pk},
    ),
]


# The API for case systems and its clients' pages (api/; docs/decisions/0051). An organisation's
# people managers issue, list and revoke its tokens. The API itself answers only a token: every
# subject here, signed in or not, gets 401 (JSON); its schema and docs are open to all. What a
# token reaches is in tests/api/.
def _api_token(cast: Cast) -> int:
    """A token of the owner's case system, issued by its governance manager."""
    from api.services import api_token_issue

    token, _secret = api_token_issue(organisation=cast.owner, name="Mosaic", by_user=cast.governance_manager,
                                     expires_on=timezone.localdate() + datetime.timedelta(days=30))
    return token.pk


_TO_API_CLIENTS = Redirect(lambda cast: f"/api-clients/{cast.owner.pk}/")
# The owner's own governance manager; not the portal administrator, who has no case-level sight.
_API_CLIENT_MANAGERS = signed_in(DENY_403, governance_manager=ALLOW)
_API_REFUSED = everyone(UNAUTHORISED)

MATRIX += [
    Row("api_clients:list", "owner", _API_CLIENT_MANAGERS, kwargs=lambda cast: {"pk": cast.owner.pk}),
    Row("api_clients:list", "partner", signed_in(DENY_403), kwargs=lambda cast: {"pk": cast.partner.pk}),
    Row("api_clients:list", "missing", signed_in(DENY_404), kwargs=lambda cast: {"pk": 999_999}),
    Row("api_clients:issue", "owner", _API_CLIENT_MANAGERS, kwargs=lambda cast: {"pk": cast.owner.pk}),
    Row("api_clients:issue", "owner_post_empty", _API_CLIENT_MANAGERS, method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": cast.owner.pk}),
    Row("api_clients:issue", "partner", signed_in(DENY_403), kwargs=lambda cast: {"pk": cast.partner.pk}),
    Row("api_clients:revoke", "get", signed_in(NOT_ALLOWED), kwargs=lambda cast: {"pk": _api_token(cast)}),
    Row("api_clients:revoke", "post", signed_in(DENY_403, governance_manager=_TO_API_CLIENTS),
        method="post", data=lambda cast: {}, kwargs=lambda cast: {"pk": _api_token(cast)}),
    Row("api_clients:revoke", "missing", signed_in(DENY_404), method="post", data=lambda cast: {},
        kwargs=lambda cast: {"pk": 999_999}),
    Row("api:openapi-json", "schema", everyone(ALLOW)),
    Row("api:openapi-view", "docs", everyone(ALLOW)),
    Row("api:api-root", "root", everyone(DENY_404)),
    Row("api:agreements", "list", _API_REFUSED),
    Row("api:agreement", "in_force", _API_REFUSED, kwargs=lambda cast: {"agreement_id": cast.agreement.pk}),
    Row("api:entries", "list", _API_REFUSED),
    Row("api:entries", "post_empty", _API_REFUSED, method="post", data=lambda cast: {}),
    Row("api:entry", "partners_entry", _API_REFUSED, kwargs=lambda cast: {"entry_id": cast.disclosure.pk}),
]


# Issue 17, item 1: signing in with an organisation's own account (sso/). The e-mail step is open
# to everyone; the callback without a sign-in under way is refused (400) to everyone; the
# security-code step is only for someone part-way through (everyone else: the sign-in page, or
# home once verified). The full journeys are in tests/sso/ and tests/browser/test_sso_journey.py.
BAD_REQUEST = Outcome("BAD_REQUEST", 400)

MATRIX += [
    Row("sso_sign_in", "page", everyone(ALLOW)),
    Row("sso_sign_in", "post_empty", everyone(ALLOW), method="post", data=lambda cast: {}),
    Row("sso_callback", "no_sign_in_under_way", everyone(BAD_REQUEST)),
    Row("sso_code", "page", signed_in(Redirect("home"), anonymous=Redirect("login"))),
    Row("sso_code", "post_empty", signed_in(Redirect("home"), anonymous=Redirect("login")),
        method="post", data=lambda cast: {}),
    # Where a provider that signs out too sends a person back (decision 0060, amendment of
    # 2026-12-07): a page for the signed-out; anyone still signed in goes home. GET only.
    Row("signed_out", "page", everyone(Redirect("home"), anonymous=ALLOW)),
    Row("signed_out", "post", everyone(NOT_ALLOWED), method="post", data=lambda cast: {}),
]


CELLS = [(row, subject) for row in MATRIX for subject in SUBJECTS]
CELL_IDS = [f"{row.route}-{row.variant}-{subject}" for row, subject in CELLS]


def named_routes(resolver=None, prefix: str = ""):
    """Every named route of the URLconf as ``namespace:name``."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from named_routes(pattern, namespace)
        elif pattern.name:
            yield f"{prefix}{pattern.name}"


def login_redirect(url: str) -> str:
    return f"{reverse('login')}?{urlencode({'next': url}, safe='/')}"


def assert_outcome(response, expected, *, subject: str, method: str, url: str, cast: Cast | None = None) -> None:
    got = f"{response.status_code} {response.get('Location', '')}".strip()
    message = f"{subject} {method.upper()} {url}: expected {expected!r}, got {got}"
    assert response.status_code == expected.status, message
    if expected is LOGIN:
        assert response["Location"] == login_redirect(url), message
    elif isinstance(expected, Redirect):
        to = expected.to(cast) if callable(expected.to) else expected.to
        assert response["Location"] == resolve_url(to), message


