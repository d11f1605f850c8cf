"""Subject access and freedom of information requests (001 §6.2; agreements/models/requests.py,
services/requests.py, selectors/requests.py): routed to the party they concern, or to the owner
for the partnership as a whole; their statutory clocks; the response; the rules the database
holds. The pages are in test_requests_views.py."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from agreements import selectors, services
from agreements.models import (
    Agreement,
    ContactRole,
    InformationRequest,
    Jurisdiction,
    PartyStatus,
    RequestKind,
)
from agreements.services import party_contact_add
from partners.models import Notification, Role, UndeliveredNotice
from tests.agreements.helpers import DAY, EFFECTIVE
from tests.agreements.helpers.requests import ASKED, PINNED, RECEIVED, D, record
from tests.db import violates
from tests.factories import (
    ContactFactory,
    PartyFactory,
)

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


class TestRecord:
    def test_a_request_about_a_partner_is_routed_to_it(self, cast):
        request = record(cast)

        assert (request.party, request.routed_to, request.recorded_by) == (
            cast.partner_party, cast.partner, cast.governance_manager,
        )

    def test_a_request_about_the_partnership_as_a_whole_goes_to_the_owner(self, cast):
        request = record(cast, organisation=None)

        assert (request.party, request.routed_to) == (None, cast.owner)

    def test_subject_access_is_due_in_one_calendar_month(self, cast):
        assert record(cast).due_on == D(2026, 10, 7)

    def test_freedom_of_information_is_due_in_20_working_days(self, cast):
        assert record(cast, kind=RequestKind.FREEDOM_OF_INFORMATION).due_on == D(2026, 10, 5)

    def test_the_agreements_jurisdiction_sets_the_clock(self, cast):
        # Received Monday 2 March 2026: St Patrick's Day stops a FOIA clock, not a FOISA one.
        Agreement.objects.filter(pk=cast.agreement.pk).update(jurisdiction=Jurisdiction.SCOTLAND)
        cast.agreement.refresh_from_db()

        request = record(cast, kind=RequestKind.FREEDOM_OF_INFORMATION, received_on=D(2026, 3, 2))

        assert request.due_on == D(2026, 3, 30)

    def test_the_routed_organisations_spocs_are_told_and_nobody_else(
        self, cast, mailoutbox, django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            request = record(cast, kind=RequestKind.FREEDOM_OF_INFORMATION)

        notice = Notification.objects.get()
        assert notice.recipient == cast.spoc_contact
        assert notice.subject == "A freedom of information request for Borsetshire Police to answer, by 5 October 2026"
        assert (notice.url, notice.event_key) == (f"/requests/{request.pk}/", f"request-{request.pk}-routed")
        assert "20 working days of receipt (Freedom of Information Act 2000 s10)" in notice.body
        assert ASKED not in notice.body
        assert [message.to for message in mailoutbox] == [[cast.spoc_contact.email]]

    def test_with_nobody_to_tell_at_the_routed_organisation_it_is_recorded_and_shown(self, cast):
        # Review of issue 13, item 2: the routing notice reached nobody, silently.
        cast.spoc_contact.delete()

        request = record(cast)

        (undelivered,) = UndeliveredNotice.objects.all()
        assert (undelivered.organisation, undelivered.responsible_organisation, undelivered.event_key,
                undelivered.url) == (cast.partner, cast.owner, f"request-{request.pk}-routed",
                                     f"/requests/{request.pk}/")
        assert undelivered.message == "not delivered: Borsetshire Police has nobody to tell"
        assert undelivered.subject == "A subject access request for Borsetshire Police to answer, by 7 October 2026"
        assert Notification.objects.count() == 0

    def test_the_spoc_a_party_named_is_told_too(self, cast):
        named = ContactFactory(organisation=cast.partner, name="Alex Example")
        party_contact_add(party=cast.partner_party, contact=named, role=ContactRole.SPOC)

        record(cast)

        assert set(Notification.objects.values_list("recipient", flat=True)) == {cast.spoc_contact.pk, named.pk}

    def test_the_owners_governance_managers_are_told_of_a_request_about_the_partnership(self, cast):
        record(cast, organisation=None, by_user=cast.spoc)

        assert list(Notification.objects.values_list("recipient", flat=True)) == [cast.manager_contact.pk]

    @pytest.mark.parametrize(("overrides", "errors"), [
        ({"received_on": RECEIVED + datetime.timedelta(days=1)},
         {"received_on": ["The date it was received must be today or in the past"]}),
        ({"description": " "}, {"description": ["Describe what is asked for"]}),
    ])
    def test_bad_input_is_refused_and_nothing_is_saved_or_sent(self, cast, overrides, errors):
        with pytest.raises(ValidationError) as caught:
            record(cast, **overrides)

        assert caught.value.message_dict == errors
        assert (InformationRequest.objects.count(), Notification.objects.count()) == (0, 0)

    def test_an_organisation_that_is_not_a_party_is_refused(self, cast):
        with pytest.raises(ValidationError) as caught:
            record(cast, organisation=cast.unrelated_organisation)

        assert caught.value.message_dict == {"organisation": [
            "Felpersham Housing Association is not a party to Borsetshire Community Safety Information Sharing "
            "Agreement: choose one of its partners, or the partnership as a whole",
        ]}

    @pytest.mark.parametrize(("agreement", "subject"), [("draft", "governance_manager"), ("agreement", "unrelated")])
    def test_an_agreement_not_in_force_or_not_the_users_is_refused(self, cast, agreement, subject):
        with pytest.raises(ValidationError) as caught:
            record(cast, agreement=getattr(cast, agreement), organisation=None, by_user=cast.subject(subject))

        assert caught.value.message_dict == {"agreement": [
            "Choose an agreement your organisation is party to and that has come into force",
        ]}
        assert InformationRequest.objects.count() == 0


    def test_a_spoc_of_a_party_only_invited_cannot_record_one(self, cast):
        invited = PartyFactory(agreement=cast.agreement, status=PartyStatus.INVITED)
        spoc = cast.member(invited.organisation, Role.SPOC)

        with pytest.raises(ValidationError) as caught:
            record(cast, organisation=None, by_user=spoc)

        assert list(caught.value.message_dict) == ["agreement"]


class TestRespond:
    def test_records_the_date_the_note_and_who(self, cast):
        request = record(cast)

        services.information_request_respond(
            request=request, by_user=cast.spoc, responded_on=D(2026, 10, 1), response_note=" Disclosed in full. ",
            on=D(2026, 10, 2),
        )

        request.refresh_from_db()
        assert (request.responded_on, request.response_note, request.responded_by) == (
            D(2026, 10, 1), "Disclosed in full.", cast.spoc,
        )

    @pytest.mark.parametrize(("responded_on", "message"), [
        (D(2026, 10, 3), "The date it was answered must be today or in the past"),
        (D(2026, 9, 6), "The date it was answered must be on or after the day it was received, 7 September 2026"),
    ])
    def test_a_date_outside_its_life_is_refused(self, cast, responded_on, message):
        request = record(cast)

        with pytest.raises(ValidationError) as caught:
            services.information_request_respond(
                request=request, by_user=cast.spoc, responded_on=responded_on, on=D(2026, 10, 2),
            )

        assert caught.value.message_dict == {"responded_on": [message]}
        request.refresh_from_db()
        assert request.responded_on is None

    def test_a_second_response_is_refused(self, cast):
        request = record(cast)
        services.information_request_respond(request=request, by_user=cast.spoc, responded_on=D(2026, 10, 1),
                                             on=D(2026, 10, 2))

        with pytest.raises(ValidationError) as caught:
            services.information_request_respond(request=request, by_user=cast.spoc, responded_on=D(2026, 10, 2),
                                                 on=D(2026, 10, 2))

        assert caught.value.messages == ["A response was already recorded, sent on 1 October 2026"]


class TestReads:
    @pytest.mark.parametrize(("subject", "sees"), [
        ("spoc", True), ("governance_manager", True), ("auditor", False), ("practitioner", False),
        ("lead_signatory", False), ("admin", False), ("unrelated", False),
    ])
    def test_the_routed_organisation_the_recorder_and_the_agreements_managers_see_it(self, cast, subject, sees):
        request = record(cast)

        assert selectors.information_requests_visible_to(cast.subject(subject)).filter(pk=request.pk).exists() is sees

    def test_whoever_recorded_it_sees_it(self, cast):
        request = record(cast, organisation=None, by_user=cast.spoc)

        assert selectors.information_requests_visible_to(cast.spoc).filter(pk=request.pk).exists()

    def test_requests_due_are_those_unanswered_due_by_the_day_earliest_first(self, cast):
        foi = record(cast, kind=RequestKind.FREEDOM_OF_INFORMATION)  # due 5 October
        sar = record(cast)  # due 7 October
        answered = record(cast, received_on=D(2026, 9, 1))
        services.information_request_respond(request=answered, by_user=cast.spoc, responded_on=D(2026, 9, 2),
                                             on=D(2026, 9, 2))

        assert list(selectors.requests_due(on=D(2026, 10, 4))) == []
        assert [(r.pk, r.overdue) for r in selectors.requests_due(on=D(2026, 10, 5))] == [(foi.pk, False)]
        assert [(r.pk, r.overdue) for r in selectors.requests_due(on=D(2026, 10, 6))] == [(foi.pk, True)]
        assert [r.pk for r in selectors.requests_due(on=D(2026, 10, 1), within_days=7)] == [foi.pk, sar.pk]

    def test_requests_due_narrowed_to_a_users(self, cast):
        record(cast)

        assert list(selectors.requests_due(selectors.information_requests_visible_to(cast.unrelated),
                                           on=D(2027, 1, 1))) == []

    def test_the_deadline_is_overdue_the_day_after(self, cast):
        request = record(cast)

        assert selectors.request_deadline(request, on=D(2026, 10, 7)).overdue is False
        assert selectors.request_deadline(request, on=D(2026, 10, 8)).overdue is True


@pytest.fixture
def information_request():
    party = PartyFactory(signed=True)
    return InformationRequest.objects.create(
        kind="foi", agreement=party.agreement, routed_to=party.organisation, received_on=EFFECTIVE,
        due_on=EFFECTIVE + 28 * DAY, description="Statistics of sharing in 2025.",
    )


class TestInformationRequest:
    def test_is_due_after_it_was_received(self, information_request):
        with violates(InformationRequest, "information_request_due_after_receipt"):
            InformationRequest.objects.filter(pk=information_request.pk).update(due_on=EFFECTIVE)

    def test_is_answered_on_or_after_the_day_it_was_received(self, information_request):
        with violates(InformationRequest, "information_request_responded_after_receipt"):
            InformationRequest.objects.filter(pk=information_request.pk).update(responded_on=EFFECTIVE - DAY)

    def test_an_answer_the_day_it_arrived_is_accepted(self, information_request):
        InformationRequest.objects.filter(pk=information_request.pk).update(responded_on=EFFECTIVE)

        information_request.refresh_from_db()
        assert information_request.responded_on == EFFECTIVE


class TestRightsRequests:
    """Rectification, erasure, restriction and objection (UK GDPR Arts 16–18, 21) beside subject
    access: one calendar month, extendable once by two further months (Art 12(3))."""

    @pytest.mark.parametrize("kind", [
        RequestKind.RECTIFICATION, RequestKind.ERASURE, RequestKind.RESTRICTION, RequestKind.OBJECTION,
    ])
    def test_each_right_is_due_in_one_calendar_month_and_the_notice_says_so(self, cast, kind):
        request = record(cast, kind=kind)

        assert request.due_on == D(2026, 10, 7)
        assert "one calendar month of receipt (UK GDPR Article 12(3))" in Notification.objects.get().body
        assert selectors.request_deadline(request, on=RECEIVED).label == "Response (within one calendar month)"

    def test_the_kinds_offered_are_the_five_rights_and_foi(self):
        assert RequestKind.labels == [
            "Subject access request", "Request for rectification", "Request for erasure",
            "Request to restrict processing", "Objection to processing", "Freedom of information request",
        ]


def extend(request, **overrides) -> InformationRequest:
    arguments = {
        "request": request, "reason": "Twelve years of records across four partners.", "told_on": D(2026, 9, 21),
        "on": D(2026, 9, 21), **overrides,
    }
    return services.information_request_extend(**arguments)


class TestExtend:
    def test_two_further_months_the_reason_and_the_day_the_requester_was_told(self, cast):
        request = record(cast, kind=RequestKind.ERASURE)

        extend(request, by_user=cast.spoc, reason="  Twelve years of records across four partners. ")

        request.refresh_from_db()
        assert (request.first_due_on, request.due_on) == (D(2026, 10, 7), D(2026, 12, 7))
        assert (request.extension_reason, request.extension_told_on, request.extended_by) == (
            "Twelve years of records across four partners.", D(2026, 9, 21), cast.spoc,
        )
        assert selectors.request_deadline(request, on=D(2026, 10, 8)).overdue is False
        assert selectors.request_deadline(request, on=D(2026, 10, 8)).label == (
            "Response (within one calendar month, extended by two further months under Article 12(3))"
        )
        assert request.history.first().first_due_on == D(2026, 10, 7)

    def test_the_extended_date_moves_to_the_next_working_day(self, cast):
        # Received Sunday 27 September 2026: three months on is Sunday 27 December, then the
        # substitute day for Boxing Day (Monday 28 December): due Tuesday 29 December.
        request = record(cast, received_on=D(2026, 9, 27), on=D(2026, 9, 27))

        extend(request, by_user=cast.spoc, told_on=D(2026, 9, 28), on=D(2026, 9, 28))

        request.refresh_from_db()
        assert request.due_on == D(2026, 12, 29)

    @pytest.mark.parametrize(("overrides", "errors"), [
        ({"reason": "  "}, {"reason": ["Explain why the request is complex or the requests numerous"]}),
        ({"told_on": D(2026, 9, 22)}, {"told_on": ["The date the requester was told must be today or in the past"]}),
        ({"told_on": D(2026, 9, 6)}, {"told_on": [
            "The date the requester was told must be on or after the day it was received, 7 September 2026",
        ]}),
        ({"told_on": D(2026, 10, 8), "on": D(2026, 10, 9)}, {"told_on": [
            "The requester must be told of an extension, and why, within one month of receipt: by 7 October 2026 "
            "(Article 12(3))",
        ]}),
    ])
    def test_bad_input_is_refused_and_nothing_is_saved(self, cast, overrides, errors):
        request = record(cast)

        with pytest.raises(ValidationError) as caught:
            extend(request, by_user=cast.spoc, **overrides)

        assert caught.value.message_dict == errors
        request.refresh_from_db()
        assert (request.first_due_on, request.due_on, request.extension_reason) == (None, D(2026, 10, 7), "")

    def test_a_freedom_of_information_request_is_not_extended_under_article_12(self, cast):
        request = record(cast, kind=RequestKind.FREEDOM_OF_INFORMATION)

        with pytest.raises(ValidationError) as caught:
            extend(request, by_user=cast.spoc)

        assert caught.value.messages == [
            "A freedom of information request cannot be extended under UK GDPR Article 12(3)",
        ]
        request.refresh_from_db()
        assert (request.first_due_on, request.due_on) == (None, D(2026, 10, 5))

    def test_only_once(self, cast):
        request = record(cast)
        extend(request, by_user=cast.spoc)

        with pytest.raises(ValidationError) as caught:
            extend(request, by_user=cast.spoc, reason="Still more records.")

        assert caught.value.messages == [
            "It was already extended, to 7 December 2026: Article 12(3) allows one extension, by two further months",
        ]
        request.refresh_from_db()
        assert (request.due_on, request.extension_reason) == (
            D(2026, 12, 7), "Twelve years of records across four partners.",
        )

    def test_not_once_answered(self, cast):
        request = record(cast)
        services.information_request_respond(request=request, by_user=cast.spoc, responded_on=D(2026, 9, 20),
                                             on=D(2026, 9, 20))

        with pytest.raises(ValidationError) as caught:
            extend(request, by_user=cast.spoc)

        assert caught.value.messages == [
            "A response was already recorded, sent on 20 September 2026: it can no longer be extended",
        ]
        request.refresh_from_db()
        assert request.first_due_on is None

    def test_whats_extendable(self, cast):
        sar, foi = record(cast), record(cast, kind=RequestKind.FREEDOM_OF_INFORMATION)

        assert (selectors.request_extendable(sar), selectors.request_extendable(foi)) == (True, False)
        extend(sar, by_user=cast.spoc)
        sar.refresh_from_db()
        assert selectors.request_extendable(sar) is False


class TestExtensionConstraints:
    def test_an_extension_is_recorded_whole(self, information_request):
        InformationRequest.objects.filter(pk=information_request.pk).update(kind=RequestKind.ERASURE)
        with violates(InformationRequest, "information_request_extension_whole"):
            InformationRequest.objects.filter(pk=information_request.pk).update(
                first_due_on=information_request.due_on, extension_reason="Complex.",
            )

    def test_the_requester_is_told_within_the_month(self, information_request):
        InformationRequest.objects.filter(pk=information_request.pk).update(kind=RequestKind.ERASURE)
        with violates(InformationRequest, "information_request_extension_whole"):
            InformationRequest.objects.filter(pk=information_request.pk).update(
                first_due_on=information_request.due_on, extension_reason="Complex.",
                extension_told_on=information_request.due_on + DAY, due_on=information_request.due_on + 60 * DAY,
            )

    def test_a_whole_extension_is_accepted(self, information_request):
        InformationRequest.objects.filter(pk=information_request.pk).update(
            kind=RequestKind.ERASURE, first_due_on=information_request.due_on, extension_reason="Complex.",
            extension_told_on=information_request.due_on, due_on=information_request.due_on + 60 * DAY,
        )

        information_request.refresh_from_db()
        assert information_request.extended is True

    def test_foi_is_never_extended_under_article_12(self, information_request):
        with violates(InformationRequest, "information_request_foi_not_extended"):
            InformationRequest.objects.filter(pk=information_request.pk).update(
                first_due_on=information_request.due_on, extension_reason="Complex.",
                extension_told_on=information_request.due_on, due_on=information_request.due_on + 60 * DAY,
            )
