"""Who may see and add entries in the sharing log.

Rules
-----
- **See an entry**: members (practitioner, SPOC, governance manager) of the organisation that
  made it, and of the organisation it was made to. Nobody else — another organisation's user
  gets 404, and being a portal administrator gives no sight of case-level entries.
- **Auditors** of a party organisation (signed, or since withdrawn) see entries made under the agreements their
  organisation is party to, read only: they add, amend and acknowledge nothing. An auditor who
  may see an entry gets 403 on its amend, void and acknowledge pages.
- **Reach the log's pages** (lists, export): those readers and auditors. Others (a lead
  signatory, a portal administrator) get 403: the log is not theirs to read.
- **Log a disclosure or a decision not to share**: a practitioner, SPOC or governance manager
  of an organisation that is a party in force to an agreement in force that day. The same
  people answer the "Can I share?" questions that lead to it (``can_log``); others get 403.
- **Amend an entry (correct one of its details) or void it**: its author, or a SPOC or
  governance manager of the disclosing organisation. Nobody edits or deletes an entry (the log
  is append-only).
- **Acknowledge receipt**: a SPOC of the recipient organisation.
- **Ask to pass an entry on** (onward disclosure, 001 §5.7; DOMAIN.md rule 3): a practitioner,
  SPOC or governance manager of the recipient organisation, for information that was shared and
  is neither voided nor destroyed. Others who may see the entry get 403.
- **Give or refuse consent to pass it on**: a SPOC or governance manager of the disclosing
  (originating) organisation, once per request, and never the person who asked. Others who may
  see the entry get 403. The list of requests to decide is for SPOCs and governance managers.
- **Mark an entry inaccurate** (001 §5.6; DOMAIN.md rule 9): whoever may amend it. Its
  recipients — the recipient organisation and every directory organisation it was passed on to
  with consent — are asked to correct or destroy their copy.
- **Confirm a copy corrected or destroyed**: a SPOC of that recipient organisation, once. An
  onward recipient does not see the entry itself: its confirmation page shows the notice alone.
  Other members of that organisation, and those who may see the entry, get 403 on it; everyone
  else 404. The list of copies to confirm is for SPOCs.
- **An entry destroyed under the retention rule** (001 §5.15; DOMAIN.md rule 8): its page is seen
  by those who saw it before, showing when it was destroyed and what remains of it. Each holder
  of a copy (the recipient, and each organisation it was passed on to with consent) is asked to
  confirm its copy destroyed, by the same rule as a copy to correct: a SPOC of that holder, once,
  at the same address; the only answer is "destroyed". A destroyed entry cannot be amended.
- **Escalate a refusal to share** (004 §6.4; DOMAIN.md rule 11): a practitioner, SPOC or
  governance manager of an organisation party to the entry's agreement other than the one that
  refused — in practice the organisation that asked, the one the refusal was logged to, since
  no one else sees the entry — while it is a party in force, on an entry that records a
  decision not to share or a refused request and is not voided. One open escalation per entry.
  Others who may see the entry get 403 on the page; everyone else 404.
- **See an escalation**: members (practitioner, SPOC, governance manager) of the organisation
  that raised it and of the two organisations its entry joins; auditors who may see the entry;
  and the SPOCs and governance managers of the agreement's owner organisation, its lead. The
  lead is the one widening of who sees an entry: its SPOCs and governance managers see, on the
  escalation's page only, what they need to decide — the entry's decision and reason,
  organisations, date, agreement, purpose, case reference, who it is about and the data asked
  for — never in their log lists, export or the entry's own page (still 404 there, unless
  their organisation is one of the two the entry joins). Everyone else gets 404. The list of
  escalations is for those who may reach the log's pages.
- **Resolve an escalation**: a SPOC or governance manager of the agreement's owner
  organisation, once, with the outcome and a note. Others who may see it get 403.
- **Close a case, change its closing date, re-open it** (001 §5.15; DOMAIN.md rule 8): a SPOC or
  governance manager of the organisation whose case reference it is. A closure sets the
  retention due date of the entries that organisation logged under the reference (what it
  shared and decided): the case reference is the disclosing organisation's own, and the
  originating organisation is the record keeper of what it shared (001 §5.14). What an
  organisation received carries the sender's reference, and follows the sender's closure. A
  closure is seen by the closing organisation's practitioners, SPOCs, governance managers and
  auditors, and is 404 for everyone else; its members who may not change it get 403.
- **Confirm an override's authorisation** (002 §4.6–4.7; DOMAIN.md rule 2): the designated
  manager the entry names (a designated manager of the disclosing party, with a login), and
  nobody else: anyone else gets 404 on the confirmation page, whoever may see the entry. The
  entry shows who confirmed and when, or "awaiting confirmation by <name>".
- **Download a signed statement of the log's chain** (docs/decisions/0023): a governance manager
  or auditor of any organisation, to keep outside the portal; others get 403. It names the
  chain's last event and its hash, nothing of any entry.

Mechanism
---------
Scoped querysets built from memberships, not per-entry guardian grants: the log grows by
thousands of entries a month and who may see an entry follows entirely from which
organisations it joins, so a grant per row would only duplicate that (see
docs/decisions/0002-permissions.md). Views reach entries only through
``sharing_log.selectors``, and ask the helpers below what the user may do with one.
"""

from agreements.models import Party
from partners.models import Role
from partners.permissions import user_organisation_ids

LOGGERS = (Role.PRACTITIONER, Role.SPOC, Role.GOVERNANCE_MANAGER)
READERS = LOGGERS
AUDITORS = (Role.AUDITOR,)
AMENDERS = (Role.SPOC, Role.GOVERNANCE_MANAGER)
ACKNOWLEDGERS = (Role.SPOC,)
ONWARD_REQUESTERS = LOGGERS
ONWARD_DECIDERS = (Role.SPOC, Role.GOVERNANCE_MANAGER)
CONFIRMERS = (Role.SPOC,)
ESCALATORS = LOGGERS
LEADS = (Role.SPOC, Role.GOVERNANCE_MANAGER)  # of the agreement's owner organisation
CASE_CLOSERS = (Role.SPOC, Role.GOVERNANCE_MANAGER)
CHAIN_WITNESSES = (Role.GOVERNANCE_MANAGER, Role.AUDITOR)


def can_read_log(user) -> bool:
    """Whether ``user`` may reach the log's lists and export at all."""
    return bool(user_organisation_ids(user, roles=READERS + AUDITORS))


def can_log(user) -> bool:
    """Whether ``user`` may log for some organisation (whether it has an agreement to log
    under today is the service's question)."""
    return bool(user_organisation_ids(user, roles=LOGGERS))


def can_amend(user, disclosure) -> bool:
    """Amend (correct a detail of) or void ``disclosure``: its author while still a logger there,
    or a SPOC or governance manager of the disclosing organisation."""
    organisation_id = disclosure.disclosing_organisation_id
    if organisation_id in user_organisation_ids(user, roles=AMENDERS):
        return True
    return disclosure.disclosed_by_id == user.pk and organisation_id in user_organisation_ids(user, roles=LOGGERS)


def can_acknowledge_any(user) -> bool:
    """Whether ``user`` is a SPOC anywhere, and so has an inbox of information received."""
    return bool(user_organisation_ids(user, roles=ACKNOWLEDGERS))


def can_acknowledge(user, disclosure) -> bool:
    """Acknowledge receipt of ``disclosure``: a SPOC of the recipient organisation."""
    return disclosure.recipient_organisation_id in user_organisation_ids(user, roles=ACKNOWLEDGERS)


def can_request_onward(user, disclosure) -> bool:
    """Ask to pass ``disclosure`` on: a practitioner, SPOC or governance manager of its recipient."""
    return disclosure.recipient_organisation_id in user_organisation_ids(user, roles=ONWARD_REQUESTERS)


def can_decide_onward_any(user) -> bool:
    """Whether ``user`` may decide requests for some organisation, and so has a list of them."""
    return bool(user_organisation_ids(user, roles=ONWARD_DECIDERS))


def can_decide_onward(user, onward_request) -> bool:
    """Give or refuse consent to ``onward_request``: a SPOC or governance manager of the
    organisation that made the disclosure, other than the person who asked."""
    if onward_request.requested_by_id == user.pk:
        return False
    organisation_id = onward_request.disclosure.disclosing_organisation_id
    return organisation_id in user_organisation_ids(user, roles=ONWARD_DECIDERS)


def can_mark_inaccurate(user, disclosure) -> bool:
    """Mark ``disclosure`` inaccurate: whoever may amend it (its originator's side)."""
    return can_amend(user, disclosure)


def can_confirm_any(user) -> bool:
    """Whether ``user`` is a SPOC anywhere, and so has a list of copies to confirm."""
    return bool(user_organisation_ids(user, roles=CONFIRMERS))


def can_confirm(user, confirmation) -> bool:
    """Confirm ``confirmation``: a SPOC of the recipient organisation it asks."""
    return confirmation.organisation_id in user_organisation_ids(user, roles=CONFIRMERS)


def can_confirm_override(user, authorisation) -> bool:
    """Confirm ``authorisation``: the designated manager it names, signed in as themselves."""
    return user.is_authenticated and authorisation.designated_manager.user_id == user.pk


def escalating_organisation_ids(user, disclosure) -> set[int]:
    """The organisations ``user`` could escalate ``disclosure`` for: those it logs for that are
    party to the entry's agreement, other than the one that refused."""
    own = user_organisation_ids(user, roles=ESCALATORS) - {disclosure.disclosing_organisation_id}
    if not own:
        return set()
    return set(Party.objects.filter(agreement_id=disclosure.agreement_id, organisation_id__in=own)
               .values_list("organisation_id", flat=True))


def can_escalate(user, disclosure) -> bool:
    """Escalate ``disclosure`` (a refusal) to the agreement's lead; whether the entry is a
    refusal, and the party in force today, is the service's question."""
    return bool(escalating_organisation_ids(user, disclosure))


def can_resolve_escalation(user, escalation) -> bool:
    """Resolve ``escalation``: a SPOC or governance manager of the agreement's owner."""
    return escalation.disclosure.agreement.owner_id in user_organisation_ids(user, roles=LEADS)


def can_close_cases(user) -> bool:
    """Whether ``user`` may close cases for some organisation."""
    return bool(user_organisation_ids(user, roles=CASE_CLOSERS))


def can_manage_case(user, closure) -> bool:
    """Change the closing date of ``closure``, re-open the case or close it again."""
    return closure.organisation_id in user_organisation_ids(user, roles=CASE_CLOSERS)


def can_close_case_of(user, disclosure) -> bool:
    """Close the case ``disclosure`` was logged under: a SPOC or governance manager of the
    organisation that logged it."""
    return disclosure.disclosing_organisation_id in user_organisation_ids(user, roles=CASE_CLOSERS)


def chain_witness_organisation_ids(user) -> set[int]:
    """The organisations for which ``user`` may download a signed statement of the chain's head."""
    return user_organisation_ids(user, roles=CHAIN_WITNESSES)
