"""Who may see and add entries in the sharing log.

Rules
-----
- **See an entry**: members (practitioner, SPOC, governance manager) of the organisation that
  made it, and of the organisation it was made to. Nobody else — another organisation's user
  gets 404, and being a portal administrator gives no sight of case-level entries.
- **Auditors** of a party organisation (signed, or since withdrawn) see entries made under the agreements their
  organisation is party to, read only: they add, amend and acknowledge nothing. An auditor who
  may see an entry gets 403 on its correction, voiding and acknowledgement pages.
- **Reach the log's pages** (lists, export): those readers and auditors. Others (a lead
  signatory, a portal administrator) get 403: the log is not theirs to read.
- **Log a disclosure or a decision not to share**: a practitioner, SPOC or governance manager
  of an organisation that is a party in force to an agreement in force that day.
- **Amend or void an entry**: its author, or a SPOC or governance manager of the disclosing
  organisation. Nobody edits or deletes an entry (the log is append-only).
- **Acknowledge receipt**: a SPOC of the recipient organisation.

Mechanism
---------
Scoped querysets built from memberships, not per-entry guardian grants: the log grows by
thousands of entries a month and who may see an entry follows entirely from which
organisations it joins, so a grant per row would only duplicate that (see
docs/decisions/0002-permissions.md). Views reach entries only through
``sharing_log.selectors``, and ask the helpers below what the user may do with one.
"""

from partners.models import Role
from partners.permissions import user_organisation_ids

LOGGERS = (Role.PRACTITIONER, Role.SPOC, Role.GOVERNANCE_MANAGER)
READERS = LOGGERS
AUDITORS = (Role.AUDITOR,)
AMENDERS = (Role.SPOC, Role.GOVERNANCE_MANAGER)
ACKNOWLEDGERS = (Role.SPOC,)


def can_read_log(user) -> bool:
    """Whether ``user`` may reach the log's lists and export at all."""
    return bool(user_organisation_ids(user, roles=READERS + AUDITORS))


def can_log(user) -> bool:
    """Whether ``user`` may log for some organisation (whether it has an agreement to log
    under today is the service's question)."""
    return bool(user_organisation_ids(user, roles=LOGGERS))


def can_amend(user, disclosure) -> bool:
    """Correct or void ``disclosure``: its author while still a logger there, or a SPOC or
    governance manager of the disclosing organisation."""
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
