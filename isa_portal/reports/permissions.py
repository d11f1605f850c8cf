"""Who may read the reports at ``/reports/``, and which of them.

Rules
-----
- **The page**: whoever may read at least one of its sections; others get 403 (a lead signatory
  alone, a portal administrator: nothing in it is theirs), and anonymous visitors sign in.
- **The sharing log's figures** (disclosures per month, by partner, lawful basis, decision and data
  category): whoever may reach the log's pages (``sharing_log.permissions.can_read_log``:
  practitioners, SPOCs, governance managers, auditors), counting only the entries they may read
  (``sharing_log.selectors.disclosures_visible_to``), never the voided.
- **Signature completion and reviews overdue**: governance managers
  (``agreements.permissions.can_oversee_signatures``), for the agreements they manage.
- **Breach deadlines met and missed**: whoever may read breaches
  (``agreements.permissions.can_read_breaches``: SPOCs, governance managers, auditors), for the
  breaches they may see.

Nothing here filters rows: each section reads through its own app's scoped selectors, and these
functions only say which sections a person sees.
"""

from agreements.permissions import can_oversee_signatures, can_read_breaches
from sharing_log.permissions import can_read_log


def report_sections(user) -> dict[str, bool]:
    """Which sections of the reports ``user`` sees."""
    return {
        "log": can_read_log(user),
        "signatures": can_oversee_signatures(user),
        "reviews": can_oversee_signatures(user),
        "breaches": can_read_breaches(user),
    }


def can_read_reports(user) -> bool:
    return user.is_authenticated and any(report_sections(user).values())
