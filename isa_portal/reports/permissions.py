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

- **The flow maps** (``/reports/flows/…``): an agreement's, for whoever may see the agreement
  (``agreements.selectors.agreements_visible_to``; others get 404); an organisation's, for
  whoever is signed in (the directory is open to them), across the agreements they may see to
  which it is a party. Declared flows are part of the agreement; the log's actual flows only
  for whoever may read the log (``can_read_log``), counting only the entries they may read.

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


def can_read_flow_counts(user) -> bool:
    """Whether the flow maps show ``user`` the log's actual flows beside the declared ones."""
    return can_read_log(user)
