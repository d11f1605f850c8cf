"""Who may do what with API clients (docs/decisions/0051).

Rules
-----
- **Issue, list and revoke an organisation's API tokens, and read its API use**: the
  organisation's own governance managers and administrators
  (``partners.permissions.can_manage_api_clients``). Not a portal administrator of another
  organisation: a token reads its organisation's sharing log, and being an administrator gives no
  case-level sight. Others who are signed in get 403; an organisation that does not exist is 404.
- **An API client** acts as its token's service account: a practitioner of the token's
  organisation that cannot sign in. It reads and logs by the rules of ``agreements.permissions``
  and ``sharing_log.permissions``, as that account — its organisation's agreements and entries,
  never another's (404). A revoked or expired token is refused (401).

Mechanism
---------
The service account holds an ordinary membership, so every rule of the pages applies to the API
unchanged; revoking the token deletes that membership and deactivates the account.
"""

from partners.permissions import can_manage_api_clients

__all__ = ["can_manage_api_clients"]
