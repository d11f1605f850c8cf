"""What test_quality.py and test_quality_views.py share: marking an entry inaccurate, and the
entries it reaches."""

from sharing_log.models import (
    Amendment,
    OnwardDecision,
)
from sharing_log.services import (
    disclosure_mark_inaccurate,
    onward_disclosure_decide,
    onward_disclosure_request,
)
from tests.factories import DisclosureFactory

WRONG = "The tenancy end date was wrong: the tenancy continues."


def passed_on(roles, entry, *, decision=OnwardDecision.GRANTED, organisation=None, name=""):
    """``entry`` (owner to partner) asked to be passed on by the partner, and decided by the owner."""
    onward = onward_disclosure_request(
        disclosure=entry, by_user=roles.spoc, purpose="Joint visit.",
        third_party_organisation=organisation, third_party_name=name,
    )
    if decision != OnwardDecision.PENDING:
        onward_disclosure_decide(onward_request=onward, by_user=roles.governance_manager, decision=decision,
                                 reason="Decided.")
    return onward


def same_case(roles, **changes):
    """Another entry the owner shared under the entry's case reference."""
    kwargs = {"agreement": roles.agreement, "disclosing_organisation": roles.owner,
              "recipient_organisation": roles.partner, "disclosed_by": roles.practitioner,
              "case_reference": roles.disclosure_to_partner.case_reference}
    kwargs.update(changes)
    return DisclosureFactory(**kwargs)


def mark(entry, by_user, **changes) -> Amendment:
    kwargs = {"what_is_wrong": WRONG}
    kwargs.update(changes)
    return disclosure_mark_inaccurate(disclosure=entry, by_user=by_user, **kwargs)

