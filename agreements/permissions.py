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
"""

from guardian.shortcuts import assign_perm, remove_perm

from partners.models import Role
from partners.permissions import has_object_perm, organisation_group, organisation_groups

from .models import Agreement, Party

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
