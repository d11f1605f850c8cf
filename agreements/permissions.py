"""Who may see and do what with agreements, parties and signatures.

Rules
-----
- **See an agreement** (``agreements.view_agreement``): every member, in any role, of the owner
  organisation; and, once the agreement has left draft, every member of each party
  organisation — whatever the party's status, because a withdrawn partner stays bound for what
  it received (001 §3.5). Portal administrators see every agreement. A draft is seen by its
  owner's members alone: another organisation's governance manager gets 404.
- **Manage an agreement** (``agreements.manage_agreement``): the owner's governance managers —
  draft, invite partners, record paper signatures and withdrawals, move it through its life.
- **Sign for a party** (``agreements.sign_party`` on the ``Party``): the lead signatories of that
  party's organisation, and nobody else (not the owner's governance manager, not an admin).
- **Parties** (``agreements:parties`` and the pages under it): whoever may see the agreement
  sees its parties. Inviting an organisation, recording a party's standing (awaiting details,
  await appropriate case, declined) and choosing the data items a party provides are managing
  the agreement: the owner's governance managers alone (``can_manage``).
- **A party's contacts** (SPOCs, lead signatory, Caldicott Guardian, DPO, designated manager):
  the owner's governance managers for every party, and a party organisation's own governance
  managers and SPOCs for their own party — a partner keeps its own contacts current (001 §6.5)
  without asking the owner (``can_edit_party_contacts``).
- **Consultation** (``agreements:consultation``, ``agreements:consultation_answer``): the
  agreement's managers and each party organisation's governance managers and SPOCs read the
  comments on the draft (``can_read_consultation``) and, while it is out for consultation, comment
  for their organisation (``can_comment``); the managers answer each comment (``can_manage``).
  Anyone else who sees the agreement gets 403.
- **A party's withdrawal** (001 §3.5): the owner's governance managers, or the withdrawing
  party's own governance managers, who give the notice (``can_record_withdrawal``).
- **What a withdrawn partner did with what it holds** (001 §3.5): its own SPOCs and governance
  managers confirm it, once its withdrawal has taken effect (``can_confirm_holdings``); the
  owner's governance managers see the answer, or that it is awaited, on the parties page.
- **Signing in the portal** (``agreements:party_sign``): the party organisation's lead
  signatories alone (``can_sign``); anyone else who may see the agreement gets 403.
- **Recording a returned signature form** (``agreements:party_paper_signature``): managing the
  agreement (``can_manage``).
- **Acting for a party** (``agreements:party_act_for``): managing the agreement, for a party
  other than the owner (``can_act_for``); the service refuses a party with its own governance
  manager or administrator (decision 0063).
- **A signature form's scan** (``agreements:signature_scan``): the owner's governance managers
  and the members of the signing party's organisation (``can_download_scan``). Nobody else —
  not another partner, not a portal administrator: a form carries a person's signature.
- **Signature status, versions and what changed** (``agreements:signatures``,
  ``agreements:versions``, ``agreements:version_diff``): whoever may see the agreement. The
  chase list on the signatures page is for those who manage it.
- **The agreement as a PDF** (``agreements:pdf``): a version sent for signature (``?version=N``,
  or the latest once the agreement has left drafting) to whoever may see the agreement; the
  working draft to those who manage it (``can_read_working_draft``) — another member of the
  owner who sees the draft gets 403, since its text is not settled.
- **Signatures across agreements** (``agreements:signature_overview``): governance managers
  (``can_oversee_signatures``), each seeing the agreements they manage; anyone else gets 403.
- **The DPIA** (``agreements:dpia``, ``agreements:dpia_document``): whoever may see the
  agreement reads its DPIA on the agreement's page; recording or changing it, its history and
  downloading the DPIA document are managing the agreement (``can_manage``): anyone else who sees
  the agreement gets 403.
- **Breaches and near misses** (``breaches:*``, 002 §6). The list is for SPOCs, governance
  managers and auditors (``can_read_breaches``); others get 403. A breach is seen by the SPOCs,
  governance managers and auditors of its agreement's owner, of each organisation that is or
  was a signed party to it, and of the reporting organisation
  (``agreements.selectors.breaches_visible_to``); everyone else gets 404. A SPOC or governance
  manager records a breach (``can_record_breach``) for an agreement that has come into force,
  reported by their own organisation when it is a party, or by any party when they manage the
  agreement (``can_record_breach_for``). The owner's governance managers and the reporting
  organisation's SPOCs and governance managers manage it — the report, the meeting, the
  minutes, actions and sanctions, the ICO decision, closing (``can_manage_breach``). Each
  party told of it acknowledges through its own SPOCs (``can_acknowledge_breach``); others
  who can see the breach get 403.
- **Subject access and freedom of information requests** (``requests:*``, 001 §6.2). The list
  is for SPOCs and governance managers (``can_read_requests``); others get 403. A request is
  seen by the SPOCs and governance managers of the organisation it is routed to, by the person
  who recorded it, and by the agreement's managers
  (``agreements.selectors.information_requests_visible_to``); everyone else gets 404. A SPOC or
  governance manager records one for an agreement that has come into force, to which their
  organisation is a party or which they manage (``can_record_request_for``). Only the SPOCs and
  governance managers of the organisation it is routed to record the response
  (``can_respond_to_request``).
- **Reviews** (``agreements:reviews`` and the pages under it): whoever may see the agreement
  reads its reviews — the owner's and every party organisation's members, the parties'
  auditors among them (002 §5.7), and portal administrators. Starting a review (a chair's
  request, the scheduled review, a trigger waiting for one), completing it, adding and closing
  its actions and recording that its findings were reported are managing the agreement: the
  owner's governance managers alone (``can_manage``); anyone else who may see it gets 403.
- **A party's first person** (``agreements:party_first_person``): the agreement's managers invite
  the first person of a party organisation that has nobody in the portal yet
  (``can_invite_first_person``); once someone belongs to it, its own governance managers invite
  the rest (``partners.permissions.can_manage_people``). Anyone else gets 403.
- **Legal gateways** (``agreements:gateway_*``). Any governance manager proposes a provision the
  catalogue lacks (``can_propose_gateway``) and sees their own proposals; a portal
  administrator sees every proposal and approves or rejects it (``can_decide_gateway_proposal``).
  Nobody can cite a proposal: approval adds it to the catalogue. Anyone else gets 403; a
  proposal someone may not see, 404.
- **An organisation's record of processing** (``agreements:record_of_processing``, UK GDPR
  Art 30, drawn from the agreements in force it takes part in): its own governance managers and
  auditors, and portal administrators (``partners.permissions.can_read_record_of_processing``);
  anyone else signed in gets 403.
- **Extending a rights request** (``requests:extend``, Art 12(3)) is answering it: the SPOCs and
  governance managers of the organisation it is routed to (``can_respond_to_request``).
- **The Article 34 decision on a breach** (``breaches:affected``) is managing the breach
  (``can_manage_breach``).
- **A party's DPO review** (``agreements:party_dpo_review``, issue 17, decision 0062): the
  people the party names as its data protection officer (a ``PartyContact`` in the DPO role
  whose directory entry has a login); when it names none with a login, its organisation's
  governance managers, acting as DPO (``can_review_as_dpo``). Anyone else who may see the
  agreement gets 403. Turning the step on or off (``agreements:dpo_review_requirement``) is
  managing the agreement (``can_manage``).
- **Auditors** read what their organisation may read, and change nothing.
- **Practitioners and SPOCs** read; they change nothing here.
- **Anonymous visitors**: nothing yet (a public register of agreements is planned, 001 §4.5).

Mechanism
---------
django-guardian group object permissions on the per-organisation role groups of
``partners.permissions``, granted by ``agreements.services`` when an agreement is created (the
owner's groups) and when a party is added (the party organisation's groups). Draft visibility
is applied in ``agreements.selectors.agreements_visible_to``; views reach agreements only
through the selectors, so a user without the permission gets 404, not 403.
Breaches and requests carry no guardian grants: who sees and acts on them rests on roles in the
organisations involved, read from memberships when asked, as are the party rules.
The party rules above that rest on a role *in the party's organisation* are read from the
user's memberships (``partners.permissions.user_has_role``) when asked, so they follow a
membership as it is added or removed; they are only ever asked of a party the user can
already see through the selectors.
"""

from collections.abc import Iterable

from guardian.shortcuts import assign_perm, remove_perm

from partners import permissions as partner_permissions
from partners.models import Role
from partners.permissions import (
    has_object_perm,
    is_portal_admin,
    organisation_group,
    organisation_groups,
    user_has_role,
    user_organisation_ids,
)

from .models import (
    NOT_TAKING_PART,
    Agreement,
    Breach,
    BreachNotification,
    ContactRole,
    InformationRequest,
    Party,
    PartyStatus,
    Status,
)

MANAGERS = (Role.GOVERNANCE_MANAGER,)


def grant_owner(*, agreement: Agreement) -> None:
    for group in organisation_groups(organisation=agreement.owner):
        assign_perm("agreements.view_agreement", group, agreement)
    for role in MANAGERS:
        group = organisation_group(organisation=agreement.owner, role=role)
        assign_perm("agreements.manage_agreement", group, agreement)


def grant_party(*, party: Party) -> None:
    for group in organisation_groups(organisation=party.organisation):
        assign_perm("agreements.view_agreement", group, party.agreement)
    signatories = organisation_group(organisation=party.organisation, role=Role.LEAD_SIGNATORY)
    assign_perm("agreements.sign_party", signatories, party)


def revoke_party(*, party: Party) -> None:
    """Undo ``grant_party``, keeping the owner's own grants."""
    if party.organisation_id != party.agreement.owner_id:
        for group in organisation_groups(organisation=party.organisation):
            remove_perm("agreements.view_agreement", group, party.agreement)
    remove_perm(
        "agreements.sign_party",
        organisation_group(organisation=party.organisation, role=Role.LEAD_SIGNATORY), party,
    )


def can_manage(user, agreement: Agreement) -> bool:
    return has_object_perm(user, "agreements.manage_agreement", agreement)


def can_sign(user, party: Party) -> bool:
    return has_object_perm(user, "agreements.sign_party", party)


def can_edit_party_contacts(user, party: Party) -> bool:
    """The owner's governance managers, or the party organisation's own governance managers
    and SPOCs (for their own party only)."""
    if can_manage(user, party.agreement):
        return True
    return any(
        user_has_role(user, role, organisation=party.organisation)
        for role in (Role.GOVERNANCE_MANAGER, Role.SPOC)
    )


# Who speaks for a party in a consultation: its organisation's governance managers and SPOCs.
CONSULTEES = (Role.GOVERNANCE_MANAGER, Role.SPOC)


def consultee_organisation_ids(user, agreement: Agreement, *, parties: Iterable[Party] | None = None) -> list[int]:
    """The organisations, among ``agreement``'s parties still taking part, that ``user`` speaks
    for in its consultation (``CONSULTEES``), the owner first. ``parties``: the agreement's, if
    the page has read them already (no query then)."""
    own = user_organisation_ids(user, roles=CONSULTEES)
    if not own:
        return []
    if parties is None:
        parties = agreement.parties.filter(organisation_id__in=own).only("organisation_id", "status")
    taking_part = {party.organisation_id for party in parties if party.organisation_id in own
                   and party.status not in NOT_TAKING_PART}
    return sorted(taking_part, key=lambda organisation_id: (organisation_id != agreement.owner_id, organisation_id))


def can_read_consultation(user, agreement: Agreement, *, manages: bool | None = None,
                          parties: Iterable[Party] | None = None) -> bool:
    """The comments on a draft: its managers, and the parties' governance managers and SPOCs.
    ``manages`` (``can_manage``) and ``parties``, if the page has them already."""
    if manages is None:
        manages = can_manage(user, agreement)
    return manages or bool(consultee_organisation_ids(user, agreement, parties=parties))


def can_comment(user, agreement: Agreement, *, reads: bool | None = None) -> bool:
    """While the agreement is out for consultation, whoever reads its comments (``reads``:
    ``can_read_consultation``, if asked already)."""
    if agreement.status != Status.CONSULTATION:
        return False
    return can_read_consultation(user, agreement) if reads is None else reads


def can_record_withdrawal(user, party: Party) -> bool:
    """The owner's governance managers, or the withdrawing party's own governance managers."""
    return can_manage(user, party.agreement) or user_has_role(
        user, Role.GOVERNANCE_MANAGER, organisation=party.organisation,
    )


def can_confirm_holdings(user, party: Party) -> bool:
    """The withdrawn party's own SPOCs and governance managers."""
    return any(
        user_has_role(user, role, organisation=party.organisation)
        for role in (Role.GOVERNANCE_MANAGER, Role.SPOC)
    )


def can_download_scan(user, signature) -> bool:
    """The owner's governance managers, and the members of the signing party's organisation."""
    party = signature.party
    return can_manage(user, party.agreement) or party.organisation_id in user_organisation_ids(user)


def can_start_agreement(user) -> bool:
    """Governance managers of any organisation start drafts, owned by an organisation they manage for."""
    return user_has_role(user, Role.GOVERNANCE_MANAGER)


def can_read_working_draft(user, agreement: Agreement) -> bool:
    """The working draft as a PDF: those who manage the agreement."""
    return can_manage(user, agreement)


def can_oversee_signatures(user) -> bool:
    """Governance managers of any organisation: the signatures page across their agreements."""
    return user_has_role(user, Role.GOVERNANCE_MANAGER)


# Breaches and requests ---------------------------------------------------------------------

# Roles that record and act on breaches and requests for their organisation.
BREACH_ACTORS = (Role.SPOC, Role.GOVERNANCE_MANAGER)
# ...and those who, besides, read breaches (any partner may audit the protocol, 002 §5.7).
BREACH_READERS = (*BREACH_ACTORS, Role.AUDITOR)
REQUEST_ACTORS = BREACH_ACTORS
# A party that is, or was, a partner: its people see and act on the agreement's breaches and requests.
PARTNER_STATUSES = (PartyStatus.SIGNED, PartyStatus.WITHDRAWAL_NOTIFIED, PartyStatus.WITHDRAWN)


def _has_any_role(user, roles, *, organisation=None) -> bool:
    return any(user_has_role(user, role, organisation=organisation) for role in roles)


def can_read_breaches(user) -> bool:
    return bool(user_organisation_ids(user, roles=BREACH_READERS))


def can_record_breach(user) -> bool:
    return bool(user_organisation_ids(user, roles=BREACH_ACTORS))


def can_record_breach_for(user, agreement: Agreement, organisation) -> bool:
    """``organisation``'s own SPOCs and governance managers, or the agreement's managers."""
    return can_manage(user, agreement) or _has_any_role(user, BREACH_ACTORS, organisation=organisation)


def can_manage_breach(user, breach: Breach) -> bool:
    """The owner's governance managers and the reporting organisation's SPOCs and governance managers."""
    return can_manage(user, breach.agreement) or _has_any_role(
        user, BREACH_ACTORS, organisation=breach.reporting_organisation,
    )


def can_acknowledge_breach(user, notification: BreachNotification) -> bool:
    """The SPOCs of the party told: its organisation's members in the SPOC role, and the people
    the party has named as its SPOC for the agreement."""
    party = notification.party
    if user_has_role(user, Role.SPOC, organisation=party.organisation):
        return True
    return user.is_authenticated and party.contacts.filter(role=ContactRole.SPOC, contact__user=user).exists()


def can_read_requests(user) -> bool:
    return bool(user_organisation_ids(user, roles=REQUEST_ACTORS))


def can_record_request_for(user, agreement: Agreement) -> bool:
    """The SPOCs and governance managers of a party organisation or the owner, or its managers."""
    if can_manage(user, agreement):
        return True
    own = user_organisation_ids(user, roles=REQUEST_ACTORS)
    return agreement.owner_id in own or agreement.parties.filter(
        organisation_id__in=own, status__in=PARTNER_STATUSES,
    ).exists()


def can_respond_to_request(user, request: InformationRequest) -> bool:
    return _has_any_role(user, REQUEST_ACTORS, organisation=request.routed_to)


def can_read_record_of_processing(user, organisation) -> bool:
    """The organisation's governance managers and auditors, and portal administrators."""
    return partner_permissions.can_read_record_of_processing(user, organisation)


def can_propose_gateway(user) -> bool:
    return _has_any_role(user, MANAGERS)


def can_decide_gateway_proposal(user) -> bool:
    return user.is_authenticated and is_portal_admin(user)


def can_act_for(user, party: Party) -> bool:
    """The agreement's managers may act for (or stop acting for) another party; whether that
    party has nobody to administer it is the service's rule (decision 0063)."""
    return can_manage(user, party.agreement) and party.organisation_id != party.agreement.owner_id


def can_invite_first_person(user, party: Party) -> bool:
    return can_manage(user, party.agreement) and not party.organisation.memberships.exists()


def dpo_reviewer_user_ids(party: Party) -> set[int]:
    """The users ``party`` names as its DPO (a DPO contact with a login); empty when none."""
    return set(
        party.contacts.filter(role=ContactRole.DPO, contact__user__isnull=False)
        .values_list("contact__user_id", flat=True)
    )


def can_review_as_dpo(user, party: Party) -> bool:
    """The party's named DPOs; with none named who can sign in, its own governance managers."""
    if not user.is_authenticated:
        return False
    named = dpo_reviewer_user_ids(party)
    if named:
        return user.pk in named
    return user_has_role(user, Role.GOVERNANCE_MANAGER, organisation=party.organisation)


def can_review_qa(user, agreement: Agreement) -> bool:
    """The people the owner names as the agreement's QA reviewers (decision 0064)."""
    return bool(
        user.is_authenticated and agreement.qa_required
        and agreement.qa_reviewers.filter(pk=user.pk).exists()
    )
