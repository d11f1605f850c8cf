"""Onward disclosure (001 §5.7; DOMAIN.md rule 3; sharing_log/models/onward.py, services/onward.py,
selectors/onward.py; the pages are in test_onward_views.py): the recipient asks the originating
SPOC's written consent to pass an entry on; the originating SPOC or governance manager gives or
refuses it, with a reason, once.

``roles.disclosure``: the partner (Borsetshire Police) shared with the owner (Borsetshire County
Council), so the owner's practitioner and governance manager ask, and the partner's SPOC decides.
Each refusal asserts its exact message and that nothing was saved.
"""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from agreements.models import ContactRole
from agreements.services import party_contact_add
from partners.models import Notification, Role, UndeliveredNotice
from sharing_log.models import (
    Decision,
    Destruction,
    OnwardDecision,
    OnwardDisclosureRequest,
)
from sharing_log.selectors import disclosure_timeline, onward_requests_to_decide
from sharing_log.services import disclosure_void, onward_disclosure_decide
from tests.db import violates
from tests.factories import (
    ContactFactory,
    DisclosureFactory,
    MembershipFactory,
    OrganisationFactory,
    UserFactory,
)
from tests.sharing_log.helpers import day
from tests.sharing_log.helpers.onward import PURPOSE, ask

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry(roles):
    return roles.disclosure


def refused(entry, by_user, **changes) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        ask(entry, by_user, **changes)
    assert OnwardDisclosureRequest.objects.exists() is False
    return excinfo.value.message_dict


class TestAsk:
    def test_recipients_practitioner_asks_to_pass_it_on_to_a_directory_organisation(self, roles, entry, yos):
        onward = ask(entry, roles.practitioner, third_party_organisation=yos, third_party_name="")

        assert (onward.third_party, onward.third_party_organisation, onward.decision, onward.requested_by) == (
            "Borsetshire Youth Offending Service", yos, OnwardDecision.PENDING, roles.practitioner,
        )
        assert onward.purpose == PURPOSE

    def test_a_third_party_outside_the_directory_is_named_alone(self, roles, entry):
        onward = ask(entry, roles.practitioner, third_party_name="  Ambridge Youth Club  ")

        assert (onward.third_party, onward.third_party_organisation) == ("Ambridge Youth Club", None)

    def test_a_typed_name_that_is_in_the_directory_is_that_organisation(self, roles, entry, yos):
        onward = ask(entry, roles.practitioner, third_party_name="borsetshire youth offending service")

        assert (onward.third_party, onward.third_party_organisation) == ("Borsetshire Youth Offending Service", yos)

    @pytest.mark.parametrize("who", ["governance_manager", "recipients_spoc"])
    def test_recipients_governance_manager_and_spoc_may_ask(self, roles, entry, who):
        user = roles.governance_manager if who == "governance_manager" else roles.member(roles.owner, Role.SPOC)

        assert ask(entry, user).requested_by == user

    @pytest.mark.parametrize("who", ["spoc", "auditor", "unrelated", "lead_signatory"])
    def test_only_the_recipient_may_ask(self, roles, entry, who):
        with pytest.raises(PermissionDenied) as excinfo:
            ask(entry, roles.subject(who))

        assert str(excinfo.value) == (
            "Only a practitioner, SPOC or governance manager of the organisation it was shared with may ask to "
            "pass it on."
        )
        assert OnwardDisclosureRequest.objects.exists() is False

    def test_a_decision_not_to_share_has_nothing_to_pass_on(self, roles):
        not_shared = DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.partner, recipient_organisation=roles.owner,
            disclosed_by=roles.spoc, decision=Decision.NOT_SHARED, decision_reason="Not necessary.",
        )

        assert refused(not_shared, roles.practitioner)[NON_FIELD_ERRORS] == [
            "This entry records a decision not to share: there is no information to pass on."
        ]

    def test_a_voided_entry_cannot_be_passed_on(self, roles, entry):
        disclosure_void(disclosure=entry, by_user=roles.spoc, reason="Logged twice.")

        assert refused(entry, roles.practitioner)[NON_FIELD_ERRORS] == [
            f"This entry was voided on {day(timezone.localdate())}: it cannot be passed on."
        ]

    def test_a_purged_entry_cannot_be_passed_on(self, roles):
        purged = DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.partner, recipient_organisation=roles.owner,
            disclosed_by=roles.spoc, purged_at=timezone.now(),
        )

        assert refused(purged, roles.practitioner)[NON_FIELD_ERRORS] == [
            "This entry's personal details were destroyed under the retention rule: it cannot be passed on."
        ]

    def test_a_destroyed_entry_cannot_be_passed_on(self, roles, entry):
        Destruction.objects.create(disclosure=entry, reason="Retention period ended.")

        assert refused(entry, roles.practitioner)[NON_FIELD_ERRORS] == [
            "This entry's personal details were destroyed under the retention rule: it cannot be passed on."
        ]

    def test_the_third_party_cannot_be_the_organisation_that_shared_it(self, roles, entry):
        assert refused(entry, roles.practitioner, third_party_organisation=roles.partner, third_party_name="") == {
            "third_party_organisation": [
                "Borsetshire Police shared this information with you: choose the third party you want to pass it to."
            ],
        }

    def test_the_third_party_cannot_be_the_recipient_itself(self, roles, entry):
        assert refused(entry, roles.practitioner, third_party_name="Borsetshire County Council") == {
            "third_party_name": [
                "Borsetshire County Council already holds this information: choose the third party you want to "
                "pass it to."
            ],
        }

    def test_the_third_party_cannot_have_ceased(self, roles, entry):
        ceased = OrganisationFactory(name="Borsetshire Primary Care Trust", ceased_on=datetime.date(2013, 3, 31))

        assert refused(entry, roles.practitioner, third_party_organisation=ceased, third_party_name="") == {
            "third_party_organisation": [
                "Borsetshire Primary Care Trust ceased on 31 March 2013: choose the organisation that does its "
                "work now."
            ],
        }

    def test_the_third_party_and_the_purpose_are_needed(self, roles, entry):
        assert refused(entry, roles.practitioner, third_party_name="  ", purpose=" ") == {
            "third_party_organisation": [
                "Choose the organisation you want to pass it to, or enter its name if it is not in the directory."
            ],
            "purpose": ["Give the purpose of passing it on."],
        }

    def test_one_request_to_the_same_third_party_awaits_a_decision_at_a_time(self, roles, entry):
        ask(entry, roles.practitioner)

        with pytest.raises(ValidationError) as excinfo:
            ask(entry, roles.governance_manager, third_party_name="BORSETSHIRE YOUTH OFFENDING SERVICE")

        assert excinfo.value.message_dict[NON_FIELD_ERRORS] == [
            "A request to pass this on to BORSETSHIRE YOUTH OFFENDING SERVICE is already awaiting a decision."
        ]
        assert OnwardDisclosureRequest.objects.count() == 1

    def test_originating_spocs_are_told_by_portal_and_e_mail(
        self, roles, entry, mailoutbox, django_capture_on_commit_callbacks,
    ):
        named = ContactFactory(organisation=roles.partner, name="Sam Example")
        party_contact_add(party=roles.partner_party, contact=named, role=ContactRole.SPOC)
        member = ContactFactory(organisation=roles.partner, name="Alex Example", user=roles.spoc)
        ContactFactory(organisation=roles.owner, name="Jo Example", user=roles.governance_manager)

        with django_capture_on_commit_callbacks(execute=True):
            onward = ask(entry, roles.practitioner)

        told = Notification.objects.filter(event_key=f"onward-{onward.pk}-requested")
        assert {notification.recipient for notification in told} == {named, member}
        notification = told.first()
        assert notification.subject == "Borsetshire County Council asks to pass on information you shared"
        assert notification.url == reverse("sharing_log:onward_decide", args=[onward.pk])
        assert entry.case_reference not in notification.body
        assert len(mailoutbox) == 2


    def test_with_nobody_to_tell_at_the_originator_it_is_recorded_and_shown_on_the_entry(self, roles, entry):
        # Review of issue 13, item 2: the request for consent reached nobody, silently.
        onward = ask(entry, roles.practitioner)

        (undelivered,) = UndeliveredNotice.objects.all()
        assert (undelivered.organisation, undelivered.responsible_organisation, undelivered.event_key,
                undelivered.url) == (roles.partner, roles.owner, f"onward-{onward.pk}-requested", f"/log/{entry.pk}/")
        assert undelivered.message == "not delivered: Borsetshire Police has nobody to tell"
        assert undelivered.subject == "Borsetshire County Council asks to pass on information you shared"
        assert Notification.objects.count() == 0


class TestDecide:
    def test_originating_spoc_gives_consent_with_a_reason(self, roles, onward):
        decided = onward_disclosure_decide(
            onward_request=onward, by_user=roles.spoc, decision=OnwardDecision.GRANTED,
            reason=" Necessary for the joint visit; share the risk summary only. ",
        )

        decided.refresh_from_db()
        assert (decided.decision, decided.decided_by, decided.decision_reason) == (
            OnwardDecision.GRANTED, roles.spoc, "Necessary for the joint visit; share the risk summary only.",
        )
        assert decided.decided_at is not None

    def test_originating_governance_manager_may_refuse(self, roles, onward):
        manager = roles.member(roles.partner, Role.GOVERNANCE_MANAGER)

        decided = onward_disclosure_decide(
            onward_request=onward, by_user=manager, decision=OnwardDecision.REFUSED, reason="Not necessary.",
        )

        assert (decided.decision, decided.decided_by) == (OnwardDecision.REFUSED, manager)

    @pytest.mark.parametrize(("decision", "message"), [
        (OnwardDecision.GRANTED, "Give the reason for giving consent."),
        (OnwardDecision.REFUSED, "Give the reason for refusing consent."),
    ])
    def test_a_decision_needs_a_reason(self, roles, onward, decision, message):
        with pytest.raises(ValidationError) as excinfo:
            onward_disclosure_decide(onward_request=onward, by_user=roles.spoc, decision=decision, reason=" ")

        assert excinfo.value.message_dict == {"reason": [message]}
        onward.refresh_from_db()
        assert onward.decision == OnwardDecision.PENDING

    def test_a_decision_is_to_give_or_refuse(self, roles, onward):
        with pytest.raises(ValidationError) as excinfo:
            onward_disclosure_decide(onward_request=onward, by_user=roles.spoc, decision="pending", reason="Later.")

        assert excinfo.value.message_dict == {"decision": ["Select whether you give or refuse consent."]}

    def test_a_request_is_decided_once(self, roles, onward):
        onward_disclosure_decide(onward_request=onward, by_user=roles.spoc, decision=OnwardDecision.GRANTED,
                                 reason="Necessary.")
        manager = roles.member(roles.partner, Role.GOVERNANCE_MANAGER)

        with pytest.raises(ValidationError) as excinfo:
            onward_disclosure_decide(onward_request=onward, by_user=manager, decision=OnwardDecision.REFUSED,
                                     reason="Changed my mind.")

        name = roles.spoc.get_full_name()
        assert excinfo.value.message_dict[NON_FIELD_ERRORS] == [
            f"Consent was already given by {name} on {day(timezone.localdate())}."
        ]
        onward.refresh_from_db()
        assert (onward.decision, onward.decided_by) == (OnwardDecision.GRANTED, roles.spoc)

    def test_the_requester_cannot_decide_their_own_request(self, roles, entry):
        # Someone who works for both: they asked for the owner, and are a SPOC at the partner.
        both = roles.member(roles.owner, Role.PRACTITIONER)
        MembershipFactory(user=both, organisation=roles.partner, role=Role.SPOC)
        onward = ask(entry, both)

        with pytest.raises(PermissionDenied) as excinfo:
            onward_disclosure_decide(onward_request=onward, by_user=both, decision=OnwardDecision.GRANTED,
                                     reason="Fine.")

        assert str(excinfo.value) == "You asked for this consent: someone else at Borsetshire Police must decide it."
        onward.refresh_from_db()
        assert onward.decision == OnwardDecision.PENDING

    @pytest.mark.parametrize("who", ["governance_manager", "auditor", "originating_practitioner", "unrelated"])
    def test_only_the_originating_spoc_or_governance_manager_decides(self, roles, onward, who):
        user = (roles.member(roles.partner, Role.PRACTITIONER) if who == "originating_practitioner"
                else roles.subject(who))

        with pytest.raises(PermissionDenied) as excinfo:
            onward_disclosure_decide(onward_request=onward, by_user=user, decision=OnwardDecision.GRANTED,
                                     reason="Fine.")

        assert str(excinfo.value) == (
            "Only a SPOC or governance manager of the organisation that shared the information may give or "
            "refuse consent to pass it on."
        )
        onward.refresh_from_db()
        assert onward.decision == OnwardDecision.PENDING

    def test_consent_cannot_be_given_once_the_entry_is_voided_but_may_be_refused(self, roles, entry, onward):
        disclosure_void(disclosure=entry, by_user=roles.spoc, reason="Wrong case.")

        with pytest.raises(ValidationError) as excinfo:
            onward_disclosure_decide(onward_request=onward, by_user=roles.spoc, decision=OnwardDecision.GRANTED,
                                     reason="Fine.")
        assert excinfo.value.message_dict[NON_FIELD_ERRORS] == [
            f"This entry was voided on {day(timezone.localdate())}: it cannot be passed on."
        ]
        onward.refresh_from_db()
        assert onward.decision == OnwardDecision.PENDING

        onward_disclosure_decide(onward_request=onward, by_user=roles.spoc, decision=OnwardDecision.REFUSED,
                                 reason="The entry was voided.")
        onward.refresh_from_db()
        assert onward.decision == OnwardDecision.REFUSED

    def test_the_requester_and_the_recipients_spocs_are_told(
        self, roles, onward, mailoutbox, django_capture_on_commit_callbacks,
    ):
        requester = ContactFactory(organisation=roles.owner, name="Jo Example", user=roles.practitioner)
        owners_spoc = ContactFactory(organisation=roles.owner, name="Kim Example")
        party_contact_add(party=roles.owner_party, contact=owners_spoc, role=ContactRole.SPOC)

        with django_capture_on_commit_callbacks(execute=True):
            onward_disclosure_decide(onward_request=onward, by_user=roles.spoc, decision=OnwardDecision.REFUSED,
                                     reason="Not necessary.")

        told = Notification.objects.filter(event_key=f"onward-{onward.pk}-decided")
        assert {notification.recipient for notification in told} == {requester, owners_spoc}
        assert told.first().subject == "Borsetshire Police refused consent to pass information on"
        assert "Do not pass the information on." in told.first().body
        assert len(mailoutbox) == 2


class TestSelectors:
    def test_the_originating_spoc_finds_pending_requests_but_not_their_own(self, roles, entry, onward):
        decided = ask(entry, roles.governance_manager, third_party_name="Ambridge Youth Club")
        onward_disclosure_decide(onward_request=decided, by_user=roles.spoc, decision=OnwardDecision.REFUSED,
                                 reason="No.")
        both = roles.member(roles.owner, Role.PRACTITIONER)
        MembershipFactory(user=both, organisation=roles.partner, role=Role.SPOC)
        own = ask(entry, both, third_party_name="Felpersham Youth Club")

        assert list(onward_requests_to_decide(roles.spoc)) == [onward, own]
        assert list(onward_requests_to_decide(both)) == [onward]
        assert list(onward_requests_to_decide(roles.governance_manager)) == []

    def test_the_timeline_shows_the_request_and_the_decision(self, roles, entry, onward):
        onward_disclosure_decide(onward_request=onward, by_user=roles.spoc, decision=OnwardDecision.GRANTED,
                                 reason="Necessary.")

        titles = [event.title for event in disclosure_timeline(entry)]

        assert titles[-2:] == [
            "Asked to pass it on to Borsetshire Youth Offending Service",
            "Consent to pass it on to Borsetshire Youth Offending Service given",
        ]


class TestOnwardDisclosureRequest:
    @pytest.mark.parametrize("decision", [OnwardDecision.GRANTED, OnwardDecision.REFUSED])
    @pytest.mark.parametrize("missing", ["decided_by", "decided_at"])
    def test_decision_needs_who_decided_and_when(self, disclosure, decision, missing):
        fields = {"decided_by": UserFactory(), "decided_at": timezone.now(), missing: None}

        with violates(OnwardDisclosureRequest, "onward_decision_has_decider"):
            OnwardDisclosureRequest.objects.create(
                disclosure=disclosure, requested_by=UserFactory(),
                third_party="Felpersham Youth Offending Team", purpose="Joint risk assessment.",
                decision=decision, decision_reason="Needed for the joint assessment.", **fields,
            )

    @pytest.mark.parametrize("decision", [OnwardDecision.GRANTED, OnwardDecision.REFUSED])
    def test_decision_needs_a_reason(self, disclosure, decision):
        with violates(OnwardDisclosureRequest, "onward_decision_has_reason"):
            OnwardDisclosureRequest.objects.create(
                disclosure=disclosure, requested_by=UserFactory(),
                third_party="Felpersham Youth Offending Team", purpose="Joint risk assessment.",
                decision=decision, decided_by=UserFactory(), decided_at=timezone.now(), decision_reason="",
            )

    def test_request_names_the_third_party(self, disclosure):
        with violates(OnwardDisclosureRequest, "onward_names_third_party"):
            OnwardDisclosureRequest.objects.create(
                disclosure=disclosure, requested_by=UserFactory(), third_party="", purpose="Joint risk assessment.",
            )

    def test_pending_request_needs_no_decider(self, disclosure):
        OnwardDisclosureRequest.objects.create(
            disclosure=disclosure, requested_by=UserFactory(),
            third_party="Felpersham Youth Offending Team", purpose="Joint risk assessment.",
        )

        assert disclosure.onward_requests.get().decision == OnwardDecision.PENDING
