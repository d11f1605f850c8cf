"""Who may see and add entries in the sharing log.

Rules
-----
- **See an entry**: members (practitioner, SPOC, governance manager) of the organisation that
  made it, and of the organisation it was made to. Nobody else — another organisation's user
  gets 404, and being a portal administrator gives no sight of case-level entries.
- **Auditors** of a party organisation (signed, or since withdrawn) see entries made under the agreements their
  organisation is party to, read only: they add, amend and acknowledge nothing.
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
``sharing_log.selectors``.
"""

from partners.models import Role

LOGGERS = (Role.PRACTITIONER, Role.SPOC, Role.GOVERNANCE_MANAGER)
READERS = LOGGERS
AMENDERS = (Role.SPOC, Role.GOVERNANCE_MANAGER)
ACKNOWLEDGERS = (Role.SPOC,)
