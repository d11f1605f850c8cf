"""Fixtures several sharing log test modules share (a feature's tests and its pages' tests).

``between`` and ``disclosure``: an entry between two signed parties, no standard cast;
``entries``: who shares with whom, for the reads (test_common, test_disclosures, test_lists);
``entry``: the owner's share with the partner (test_onward*.py override it with the partner's
share with the owner); ``yos``: a third party; ``agreement``: the cast's agreement keeping
entries 18 months after a case closes (closures, retention); ``onward``, ``third_party``
(escalations), ``asked`` (quality) and ``case`` (retention): each feature's starting point.
"""

import datetime

import pytest
from dateutil.relativedelta import relativedelta

from partners.models import Sector
from sharing_log.models import (
    Decision,
    EscalationOutcome,
    OnwardDecision,
    RecipientDestructionConfirmation,
)
from sharing_log.services import (
    case_close,
    case_closure_change,
    disclosure_amend,
    disclosure_mark_inaccurate,
    escalation_raise,
    escalation_resolve,
    onward_disclosure_decide,
    onward_disclosure_request,
)
from tests.factories import (
    DisclosureFactory,
    OrganisationFactory,
    PartyFactory,
)
from tests.sharing_log.helpers.onward import ask
from tests.sharing_log.helpers.quality import mark
from tests.sharing_log.helpers.retention import CASE, SECRETS, SUMMARY, at, owners_entry, today


@pytest.fixture
def between():
    """An agreement in force and two signed parties to log between."""
    discloser = PartyFactory(signed=True)
    recipient = PartyFactory(agreement=discloser.agreement, signed=True)
    return {
        "agreement": discloser.agreement,
        "disclosing_organisation": discloser.organisation,
        "recipient_organisation": recipient.organisation,
    }


@pytest.fixture
def disclosure(between):
    return DisclosureFactory(**between)


@pytest.fixture
def entries(roles):
    """Under the agreement in force: the partner shares with the owner, and the owner shares
    with a third party (a fire service). Elsewhere: the unrelated organisation shares under its
    own agreement with a party of its own."""
    fire = PartyFactory(
        agreement=roles.agreement, signed=True,
        organisation=OrganisationFactory(name="Borsetshire Fire and Rescue Service"),
    )
    landlord = PartyFactory(
        agreement=roles.unrelated_agreement, signed=True,
        organisation=OrganisationFactory(name="Felpersham Homes"),
    )
    return {
        "partner_to_owner": DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.partner,
            recipient_organisation=roles.owner, disclosed_by=roles.spoc,
        ),
        "owner_to_fire": DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.owner,
            recipient_organisation=fire.organisation, disclosed_by=roles.practitioner,
        ),
        "unrelated_to_landlord": DisclosureFactory(
            agreement=roles.unrelated_agreement, disclosing_organisation=roles.unrelated_organisation,
            recipient_organisation=landlord.organisation, disclosed_by=roles.unrelated,
        ),
    }


@pytest.fixture
def entry(roles):
    """The owner's practitioner shared with the partner."""
    return roles.disclosure_to_partner


@pytest.fixture
def yos():
    """A third party in the directory, party to nothing here."""
    return OrganisationFactory(name="Borsetshire Youth Offending Service", sector=Sector.OTHER)


@pytest.fixture
def agreement(roles):
    roles.agreement.retention_months_after_closure = 18
    roles.agreement.save(update_fields=["retention_months_after_closure"])
    return roles.agreement


@pytest.fixture
def onward(roles, entry):
    return ask(entry, roles.practitioner)


@pytest.fixture
def third_party(roles):
    """A third signed party, Felpersham Children's Services, between whom and the partner the
    owner (the lead) is no party to the entry."""
    organisation = OrganisationFactory(name="Felpersham Children's Services")
    PartyFactory(agreement=roles.agreement, organisation=organisation, signed=True)
    return organisation


@pytest.fixture
def asked(roles, entry):
    """The partner's confirmation, asked for by the entry being marked inaccurate."""
    mark(entry, roles.practitioner)
    return RecipientDestructionConfirmation.objects.get()


@pytest.fixture
def case(roles, agreement, yos):
    """The destroyed case's entries and everything pointing at them; returns (shared, refusal)."""
    shared = owners_entry(
        roles, agreement, summary=SUMMARY, recipient_name=SECRETS["recipient's name"],
        recipient_contact=SECRETS["recipient's contact"], consent_status="not_sought",
        consent_reason=SECRETS["consent reason"],
        can_i_share_answers={"questions": [{"question": "What is the purpose?",
                                            "answer": SECRETS["can I share answer"]}],
                             "outcome": "You may share."},
    )
    disclosure_amend(disclosure=shared, by_user=roles.practitioner, field="summary",
                       value=SECRETS["corrected summary"], reason="The visit was cancelled.", summary_checked=True)
    disclosure_mark_inaccurate(disclosure=shared, by_user=roles.practitioner,
                               what_is_wrong=SECRETS["inaccuracy notice"], text_checked=True)
    onward = onward_disclosure_request(disclosure=shared, by_user=roles.spoc, purpose=SECRETS["onward purpose"],
                                       third_party_organisation=yos)
    onward_disclosure_decide(onward_request=onward, by_user=roles.governance_manager,
                             decision=OnwardDecision.GRANTED, reason="Needed for the assessment.")
    refusal = owners_entry(roles, agreement, decision=Decision.NOT_SHARED, art6_basis=None,
                           decision_reason=SECRETS["decision reason"],
                           occurred_at=at(today() - relativedelta(years=2) + datetime.timedelta(days=3)))
    escalation = escalation_raise(disclosure=refusal, by_user=roles.spoc, organisation=roles.partner,
                                  concern=SECRETS["escalation concern"], concern_checked=True)
    escalation_resolve(escalation=escalation, by_user=roles.governance_manager, outcome=EscalationOutcome.UPHELD,
                       resolution_note=SECRETS["escalation note"], note_checked=True)
    closed = case_close(by_user=roles.governance_manager, organisation=roles.owner, case_reference=CASE,
                        closed_on=today() - relativedelta(months=20, days=5))
    case_closure_change(closure=closed, by_user=roles.governance_manager,
                        closed_on=today() - relativedelta(months=20), reason=SECRETS["closure reason"])
    return shared, refusal

