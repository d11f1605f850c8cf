"""What's due (isa_portal.due and /due/): for a governance manager, everything due and overdue across
the agreements they manage; for a SPOC, what their organisation owes; for a lead signatory, what
waits for their signature; for everyone else, what applies or a clear empty state. Overdue first.

The clock is frozen on Monday 2 March 2026.
"""

import datetime
import zoneinfo

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import (
    Agreement,
    Breach,
    ContactRole,
    Party,
    PartyContact,
    PartyStatus,
    Review,
    ReviewTrigger,
    Status,
)
from agreements.services import (
    breach_affected_record,
    breach_ico_record,
    breach_record,
    information_request_extend,
    information_request_record,
    party_withdraw,
)
from isa_portal.due import DueSequence, due_for
from partners.models import Role, UndeliveredNotice
from sharing_log.services import disclosure_mark_inaccurate, onward_disclosure_request
from tests.auth import sign_in
from tests.factories import ContactFactory, DisclosureFactory, OrganisationFactory, PartyFactory

LONDON = zoneinfo.ZoneInfo("Europe/London")
MONDAY = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=LONDON)
# Every test runs on Monday morning, and the module's shared standard cast is built then too.
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(MONDAY, tick=False)]
TODAY = MONDAY.date()
DAY = datetime.timedelta(days=1)



@pytest.fixture
def roles(roles):
    Agreement.objects.filter(status=Status.IN_FORCE).update(next_review_due=datetime.date(2031, 3, 2))
    roles.spoc_contact = ContactFactory(organisation=roles.partner, user=roles.spoc, name="Sam Example",
                                        details_confirmed_on=TODAY)
    roles.name_spocs()
    return roles


def whats(items) -> list[str]:
    return [item.what for item in items]


def review(roles, due_on) -> Review:
    return Review.objects.create(agreement=roles.agreement, trigger=ReviewTrigger.CHAIR_REQUEST, due_on=due_on,
                                 reason="The chair asked.")


class TestGovernanceManager:
    def test_reviews_overdue_first_then_coming_up(self, roles):
        later = review(roles, TODAY + 20 * DAY)
        late = review(roles, TODAY - DAY)

        due = due_for(roles.governance_manager)

        assert [item.key for item in due.overdue] == [f"review-{late.pk}"]
        assert [item.key for item in due.coming_up] == [f"review-{later.pk}"]
        assert due.overdue[0].url == late.get_absolute_url()
        assert (due.overdue[0].status, due.coming_up[0].status) == ("overdue", "due")

    def test_a_party_yet_to_sign_is_due_14_days_after_it_was_invited(self, roles):
        council = OrganisationFactory(name="Felpersham District Council")
        party = PartyFactory(agreement=roles.agreement, organisation=council, status=PartyStatus.INVITED,
                             invited_on=TODAY - 15 * DAY)

        due = due_for(roles.governance_manager)

        assert whats(due.overdue) == ["Chase Felpersham District Council to sign"]
        assert due.overdue[0].due == TODAY - DAY
        assert due.overdue[0].url == reverse("agreements:signatures", args=[party.agreement_id])

    def test_a_party_whose_organisation_has_ceased_is_not_chased_to_sign(self, roles):
        """Issue 14 audit: seed 001's abolished CCG and National Probation Service were chased."""
        ccg = OrganisationFactory(name="Felpersham CCG", ceased_on=TODAY - 30 * DAY)
        PartyFactory(agreement=roles.agreement, organisation=ccg, status=PartyStatus.INVITED,
                     invited_on=TODAY - 60 * DAY)
        council = OrganisationFactory(name="Felpersham District Council")
        PartyFactory(agreement=roles.agreement, organisation=council, status=PartyStatus.INVITED,
                     invited_on=TODAY - 15 * DAY)

        due = due_for(roles.governance_manager)

        assert whats(due.overdue) == ["Chase Felpersham District Council to sign"]

    def test_breach_deadlines_requests_and_withdrawals_of_the_agreements_they_manage(self, roles):
        breach = breach_record(
            agreement=roles.agreement, reporting_organisation=roles.partner, kind="breach",
            discovered_at=MONDAY - 20 * DAY, description="A letter went astray.", data_involved="An address.",
            personal_data_breach=True, by_user=roles.governance_manager,
        )
        request = information_request_record(
            agreement=roles.agreement, kind="foi", received_on=TODAY, organisation=None,
            description="How many disclosures were made.", by_user=roles.governance_manager,
        )
        party = roles.partner_party
        party.status, party.withdrawal_notified_on = PartyStatus.WITHDRAWAL_NOTIFIED, TODAY - 5 * DAY
        party.withdrawal_effective_on = TODAY + 30 * DAY
        party.save()

        due = due_for(roles.governance_manager)

        overdue = {item.key for item in due.overdue}
        assert {f"breach-{breach.pk}-report", f"breach-{breach.pk}-ico"} <= overdue
        coming = {item.key: item for item in due.coming_up}
        assert coming[f"request-{request.pk}"].due == request.due_on
        assert coming[f"withdrawal-{party.pk}"].what == "Borsetshire Police's withdrawal takes effect"
        assert coming[f"withdrawal-{party.pk}"].overdue is False

    def test_the_article_34_decision_waits_once_the_ico_is_told_until_it_is_made(self, roles):
        breach = breach_record(
            agreement=roles.agreement, reporting_organisation=roles.owner, kind="breach",
            discovered_at=MONDAY - 2 * DAY, description="A letter went astray.", data_involved="An address.",
            personal_data_breach=True, by_user=roles.governance_manager,
        )
        key = f"breach-{breach.pk}-affected"
        assert key not in {item.key for item in due_for(roles.governance_manager).coming_up}
        breach_ico_record(breach=breach, reported=True, reported_at=MONDAY - DAY)

        waiting = {item.key: item for item in due_for(roles.governance_manager).coming_up}[key]

        assert waiting.what == "Decide whether to tell the people affected (UK GDPR Article 34)"
        assert (waiting.due, waiting.status, waiting.url) == (None, "undated", breach.get_absolute_url())
        breach_affected_record(breach=breach, high_risk=True, by_user=roles.governance_manager)
        assert {item.key: item for item in due_for(roles.governance_manager).coming_up}[key].what == (
            "Tell the people affected, or record why not (UK GDPR Article 34)"
        )
        breach_affected_record(
            breach=breach, high_risk=False, note="Only a postcode.", by_user=roles.governance_manager,
        )
        assert key not in {item.key for item in due_for(roles.governance_manager).coming_up}

    def test_an_extended_request_says_so_with_its_new_date(self, roles):
        request = information_request_record(
            agreement=roles.agreement, kind="erasure", received_on=TODAY, organisation=None,
            description="Erase the records about the requester.", by_user=roles.governance_manager,
        )
        information_request_extend(request=request, by_user=roles.governance_manager, reason="Four partners' records.",
                                   told_on=TODAY)

        item = {item.key: item for item in due_for(roles.governance_manager).coming_up}[f"request-{request.pk}"]

        assert item.what == "Answer the request for erasure"
        assert item.due == datetime.date(2026, 6, 2)
        assert item.about == (
            "Routed to Borsetshire County Council, under BCSP ISA; extended under Article 12(3) from 2 April 2026"
        )

    def test_their_organisations_ico_renewal_and_the_spocs_left_unconfirmed(self, roles):
        roles.owner.ico_renewal_date = TODAY - DAY
        roles.owner.save(update_fields=["ico_renewal_date"])
        roles.partner.ico_renewal_date = TODAY - DAY
        roles.partner.save(update_fields=["ico_renewal_date"])
        roles.spoc_contact.details_confirmed_on = TODAY - 200 * DAY
        roles.spoc_contact.save(update_fields=["details_confirmed_on"])

        due = due_for(roles.governance_manager)

        # The partner's renewal is the partner's to do; the owner's governance manager is told
        # that a party's registration has lapsed (decision 0063), not asked to renew it.
        assert whats(due.overdue) == [
            "Sam Example's details (SPOC, Borsetshire Police) to be confirmed",
            "Renew Borsetshire County Council's ICO registration (lapsed)",
            "Borsetshire Police, a party to your agreements: ICO registration lapsed",
        ]


class TestUndeliveredNotices:
    def test_a_notice_that_reached_nobody_is_due_for_the_owner_until_delivered(self, roles):
        silent = PartyFactory(agreement=roles.agreement, signed=True,
                              organisation=OrganisationFactory(name="Stockport Homes"))
        party_withdraw(party=roles.partner_party, notice_given_on=TODAY, on=TODAY)

        due = due_for(roles.governance_manager)

        item = next(item for item in due.overdue if item.kind == "Notice" and "Stockport" in item.what)
        assert (item.what, item.about, item.url) == (
            "not delivered: Stockport Homes has nobody to tell",
            "Borsetshire Police is withdrawing from Borsetshire Community Safety Information Sharing Agreement",
            f"/agreements/{roles.agreement.pk}/parties/",
        )
        UndeliveredNotice.objects.filter(organisation=silent.organisation).update(delivered_at=timezone.now())
        assert not [item for item in due_for(roles.governance_manager).overdue if "Stockport" in item.what]

    def test_an_unrelated_organisation_does_not_see_it(self, roles):
        PartyFactory(agreement=roles.agreement, signed=True)
        party_withdraw(party=roles.partner_party, notice_given_on=TODAY, on=TODAY)

        assert not [item for item in due_for(roles.unrelated).overdue if item.kind == "Notice"]


class TestSpoc:
    def test_what_the_organisation_owes(self, roles):
        received = roles.disclosure_to_partner
        notice = disclosure_mark_inaccurate(disclosure=DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
            disclosed_by=roles.practitioner, occurred_at=MONDAY - 10 * DAY,
        ), by_user=roles.practitioner, what_is_wrong="The date was wrong.")
        onward = onward_disclosure_request(disclosure=roles.disclosure, by_user=roles.practitioner,
                                           purpose="A joint visit.", third_party_name="Borsetshire Youth Service")
        breach = breach_record(
            agreement=roles.agreement, reporting_organisation=roles.owner, kind="near_miss",
            discovered_at=MONDAY - DAY, description="Nearly sent to the wrong team.", data_involved="None.",
            personal_data_breach=False, by_user=roles.governance_manager,
        )
        request = information_request_record(
            agreement=roles.agreement, kind="subject_access", received_on=TODAY, organisation=roles.partner,
            description="Records shared about the requester.", by_user=roles.governance_manager,
        )

        due = due_for(roles.spoc)

        keys = {item.key for item in due.overdue + due.coming_up}
        confirmation = notice.disclosure.recipient_confirmations.get()
        notification = breach.notifications.get()
        assert keys >= {f"receipt-{received.pk}", f"receipt-{notice.disclosure_id}", f"copy-{confirmation.pk}",
                        f"onward-{onward.pk}", f"breach-notice-{notification.pk}", f"request-{request.pk}"}
        assert {item.key for item in due.overdue} == {f"receipt-{notice.disclosure_id}"}
        urls = {item.key: item.url for item in due.coming_up}
        assert urls[f"copy-{confirmation.pk}"] == reverse("sharing_log:copy_confirm", args=[confirmation.pk])
        assert urls[f"onward-{onward.pk}"] == reverse("sharing_log:onward_decide", args=[onward.pk])

    def test_a_receipt_is_due_the_next_working_day(self, roles):
        friday = DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                                   recipient_organisation=roles.partner, disclosed_by=roles.practitioner,
                                   occurred_at=MONDAY - 3 * DAY)

        item = next(item for item in due_for(roles.spoc).coming_up if item.key == f"receipt-{friday.pk}")

        assert (item.due, item.status) == (TODAY, "soon")

    def test_their_own_details_to_confirm_once_six_months_near(self, roles):
        roles.spoc_contact.details_confirmed_on = TODAY - datetime.timedelta(days=170)
        roles.spoc_contact.save(update_fields=["details_confirmed_on"])

        items = due_for(roles.spoc).coming_up

        assert [(item.what, item.url) for item in items] == [
            ("Confirm your contact details are current", reverse("partners:contact_confirm",
                                                                  args=[roles.spoc_contact.pk])),
        ]

    def test_a_spoc_sees_nothing_of_the_agreements_they_do_not_manage(self, roles):
        review(roles, TODAY - DAY)

        assert due_for(roles.spoc).empty is True


class TestLeadSignatory:
    def test_what_waits_for_their_signature(self, roles):
        council = OrganisationFactory(name="Felpersham District Council")
        signatory = roles.member(council, Role.LEAD_SIGNATORY)
        party = PartyFactory(agreement=roles.agreement, organisation=council, status=PartyStatus.INVITED,
                             invited_on=TODAY - 3 * DAY)

        items = due_for(signatory).coming_up

        assert [(item.what, item.url) for item in items] == [
            ("Sign BCSP ISA for Felpersham District Council",
             reverse("agreements:party_sign", args=[roles.agreement.pk, party.pk])),
        ]


class TestOthers:
    @pytest.mark.parametrize("subject", ["practitioner", "auditor", "admin", "unrelated", "lead_signatory"])
    def test_nothing_of_the_owners_agreement_is_due_for_them(self, roles, subject):
        review(roles, TODAY - DAY)
        roles.owner.ico_renewal_date = TODAY - DAY
        roles.owner.save(update_fields=["ico_renewal_date"])

        assert due_for(roles.subject(subject)).empty is True


class TestPage:
    def test_overdue_items_come_first_under_a_red_tag_and_link_to_where_they_are_done(self, client, roles):
        late = review(roles, TODAY - DAY)
        review(roles, TODAY + 20 * DAY)

        html = sign_in(client, roles.governance_manager).get(reverse("due")).content.decode()

        overdue = html.index('<h2 class="govuk-heading-m">Overdue</h2>')
        coming = html.index('<h2 class="govuk-heading-m">Coming up</h2>')
        red = html.index('<strong class="govuk-tag govuk-tag--red">Overdue</strong>')
        assert overdue < red < coming
        assert "1 thing is overdue" in html
        assert f'href="{late.get_absolute_url()}"' in html[overdue:coming]

    def test_someone_with_nothing_due_is_told_so(self, client, roles):
        response = sign_in(client, roles.auditor).get(reverse("due"))

        assert response.status_code == 200
        assert "Nothing is due or overdue for you." in response.content.decode()

    def test_the_navigation_and_the_home_page_lead_to_it(self, client, roles):
        response = sign_in(client, roles.practitioner).get(reverse("home"))

        assert {"text": "What's due", "href": "/due/", "active": False} in response.context["nav_items"]
        assert f'<a class="govuk-link" href="{reverse("due")}">What\'s due: 0 overdue, 0 coming up</a>' in (
            response.content.decode()
        )

    def test_a_breach_deadline_in_hours_shows_its_time(self, client, roles):
        Breach.objects.create(agreement=roles.agreement, reporting_organisation=roles.owner,
                              discovered_at=timezone.make_aware(datetime.datetime(2026, 3, 1, 14, 30)),
                              description="A letter went astray.", personal_data_breach=True)

        html = sign_in(client, roles.governance_manager).get(reverse("due")).content.decode()

        assert "4 March 2026, 14:30" in html


class TestOpenCases:
    """Issue 13 item 7: a case left open longer than its agreement allows is flagged to the SPOCs
    and governance managers of the organisation that logged under it: while it stays open its
    records are never destroyed."""

    def entry(self, roles, *, opened, case_reference="BCSP-2026-0099", organisation=None):
        organisation = organisation or roles.owner
        other = roles.partner if organisation == roles.owner else roles.owner
        return DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=organisation, recipient_organisation=other,
            disclosed_by=roles.practitioner, case_reference=case_reference,
            occurred_at=datetime.datetime.combine(opened, datetime.time(10), tzinfo=LONDON),
        )

    def test_flagged_once_open_for_the_agreements_limit_and_coming_up_before(self, roles):
        self.entry(roles, opened=datetime.date(2025, 2, 2))  # 13 months open on 2 March 2026
        self.entry(roles, opened=datetime.date(2025, 3, 20), case_reference="BCSP-2026-0100")  # flagged 20 March

        due = due_for(roles.governance_manager)

        overdue = [item for item in due.overdue if item.kind == "Open case"]
        coming = [item for item in due.coming_up if item.kind == "Open case"]
        assert [(item.what, item.about, item.due) for item in overdue] == [(
            "Close case BCSP-2026-0099 if it has ended",
            "Borsetshire County Council: Open since 2 February 2025: BCSP ISA flags a case still open after 12 "
            "months, because its records are destroyed only once the case is closed",
            datetime.date(2026, 2, 2),
        )]
        assert overdue[0].url == reverse("sharing_log:case_close") + "?case_reference=BCSP-2026-0099"
        assert [(item.what, item.due) for item in coming] == [
            ("Close case BCSP-2026-0100 if it has ended", datetime.date(2026, 3, 20)),
        ]

    @pytest.mark.parametrize("subject", ["practitioner", "spoc", "auditor", "unrelated"])
    def test_only_the_organisations_case_closers_see_it(self, roles, subject):
        self.entry(roles, opened=datetime.date(2025, 2, 2))

        due = due_for(roles.subject(subject))

        assert [item for item in due.overdue + due.coming_up if item.kind == "Open case"] == []

    def test_a_page_makes_items_only_of_the_cases_it_shows(self, roles, monkeypatch):
        """Issue 15: at a million entries one organisation had some 800 cases open too long, and
        "What's due" wrote out every one's dates, text and address to show 25."""
        from isa_portal.due import sharing_log as readers

        for number in range(12):
            self.entry(roles, opened=datetime.date(2025, 1, 1) + number * DAY, case_reference=f"BCSP-2025-{number:04d}")
        made = []
        real = readers.DueItem

        def counting(*args, **kwargs):
            made.append(kwargs["key"])
            return real(*args, **kwargs)
        monkeypatch.setattr(readers, "DueItem", counting)
        monkeypatch.setattr(counting, "place", real.place, raising=False)

        shown = DueSequence(roles.governance_manager)[0:3]

        open_cases = [item.key for item in shown if item.kind == "Open case"]
        assert open_cases, [item.key for item in shown]
        assert made == open_cases  # of the 12, only those shown were made

    def test_the_agreements_own_limit_counts(self, roles):
        roles.agreement.case_open_limit_months = 24
        roles.agreement.save(update_fields=["case_open_limit_months"])
        self.entry(roles, opened=datetime.date(2025, 2, 2))

        due = due_for(roles.governance_manager)

        assert [item for item in due.overdue + due.coming_up if item.kind == "Open case"] == []


def test_a_dpia_due_for_review_is_on_whats_due_once_the_scheduler_has_opened_its_review(roles):
    from agreements.services import dpia_record, reviews_due_create

    dpia_record(
        agreement=roles.agreement, by_user=roles.governance_manager, on=TODAY,
        screening=["vulnerable_people", "criminal_offence"], needed=True, reference="BCC-DPIA-2025-003",
        completed_on=TODAY - 400 * DAY, outcome="acceptable", dpo_advice="Proceed.", dpo_advice_followed=True,
        review_on=TODAY,
    )
    reviews_due_create(on=TODAY)

    due = due_for(roles.governance_manager)

    review = Review.objects.get(agreement=roles.agreement, trigger=ReviewTrigger.DPIA_REVIEW)
    item = next(item for item in due.coming_up if item.url == review.get_absolute_url())
    assert (item.what, item.about, item.due) == (
        f"Carry out the review of {roles.agreement.reference}", "DPIA due for review", TODAY,
    )


class TestDpiaScreening:
    """Issue 13, item 2: an agreement in force with no DPIA screening is due, undated, for the
    owner's governance managers until the screening is recorded."""

    def unscreened(self, roles):
        from agreements.models import Dpia

        Dpia.objects.filter(agreement=roles.agreement).delete()

    def test_finding_an_agreement_in_force_with_no_screening_is_flagged_for_its_governance_manager(self, roles):
        self.unscreened(roles)

        due = due_for(roles.governance_manager)

        item = next(item for item in due.coming_up if item.key == f"dpia-screening-{roles.agreement.pk}")
        assert (item.kind, item.what, item.about, item.due, item.overdue, item.status, item.url) == (
            "DPIA", f"Record whether {roles.agreement.reference} needs a DPIA",
            "In force: no DPIA screening is on record", None, False, "undated",
            reverse("agreements:dpia", args=[roles.agreement.pk]),
        )

    def test_a_screening_begun_but_not_answered_is_still_flagged(self, roles):
        from agreements.models import Dpia

        Dpia.objects.filter(agreement=roles.agreement).update(needed=None, not_needed_reason="")

        due = due_for(roles.governance_manager)

        assert f"Record whether {roles.agreement.reference} needs a DPIA" in whats(due.coming_up)

    def test_once_screened_it_is_no_longer_due(self, roles):
        assert not [item for item in due_for(roles.governance_manager).coming_up if item.kind == "DPIA"]

    def test_a_draft_with_no_screening_is_not_flagged(self, roles):
        self.unscreened(roles)
        Agreement.objects.filter(pk=roles.agreement.pk).update(status=Status.DRAFT)

        assert not [item for item in due_for(roles.governance_manager).coming_up if item.kind == "DPIA"]

    @pytest.mark.parametrize("subject", ["spoc", "practitioner", "auditor", "unrelated"])
    def test_nobody_else_sees_it(self, roles, subject):
        self.unscreened(roles)

        assert not [item for item in due_for(roles.subject(subject)).coming_up if item.kind == "DPIA"]


# Issue 14, item 2: "What's due" complete and immediate --------------------------------------------


def every(user) -> list:
    due = due_for(user)
    return due.overdue + due.coming_up


class TestEscalations:
    """An open escalation of a refusal to share waits for those who decide it, the SPOCs and
    governance managers of the agreement's lead (``sharing_log.permissions.can_resolve_escalation``),
    overdue from the moment it is raised: it is decided "at pace" (004 §6.4)."""

    def escalate(self, roles):
        from tests.sharing_log.helpers.escalations import raise_for, refusal

        return raise_for(roles, refusal(roles))

    def test_the_leads_governance_manager_and_spoc_see_it_overdue_at_once(self, roles):
        escalation = self.escalate(roles)
        lead_spoc = roles.member(roles.owner, Role.SPOC)

        for user in (roles.governance_manager, lead_spoc):
            due = due_for(user)
            item = {item.key: item for item in due.overdue}[f"escalation-{escalation.pk}"]
            assert (item.kind, item.status, item.url) == ("Escalation", "overdue", escalation.get_absolute_url())
            assert item.what == "Decide the refusal Borsetshire County Council escalated to keep a child safe"
            assert item.about == "Raised on 2 March 2026 under BCSP ISA: decide it at pace"
            assert item.due == escalation.raised_at

    def test_it_comes_before_what_has_been_overdue_longer(self, roles):
        PartyFactory(agreement=roles.agreement, organisation=OrganisationFactory(name="Felpersham District Council"),
                     status=PartyStatus.INVITED, invited_on=TODAY - 40 * DAY)
        escalation = self.escalate(roles)

        overdue = due_for(roles.governance_manager).overdue

        assert [item.kind for item in overdue[:2]] == ["Escalation", "Signature"]
        assert overdue[0].key == f"escalation-{escalation.pk}"

    @pytest.mark.parametrize("subject", ["practitioner", "spoc", "auditor", "lead_signatory", "unrelated", "admin"])
    def test_nobody_who_cannot_decide_it_sees_it(self, roles, subject):
        self.escalate(roles)

        assert [item for item in every(roles.subject(subject)) if item.kind == "Escalation"] == []

    def test_it_leaves_once_resolved(self, roles):
        from sharing_log.models import EscalationOutcome
        from sharing_log.services import escalation_resolve

        escalation = self.escalate(roles)
        assert f"escalation-{escalation.pk}" in {item.key for item in every(roles.governance_manager)}
        escalation_resolve(escalation=escalation, by_user=roles.governance_manager, outcome=EscalationOutcome.UPHELD,
                           resolution_note="The refusal stands: the investigation would be prejudiced.")

        assert f"escalation-{escalation.pk}" not in {item.key for item in every(roles.governance_manager)}


class TestReviewsByDate:
    """A review is due by its date, computed from the agreement (its next review due, its DPIA's
    review date, its triggers) before the daily scheduler opens the row; once the row is open it
    takes the computed item's place under the same key: never both."""

    def reviews(self, user) -> list:
        return [item for item in every(user) if item.kind == "Review"]

    def test_an_overdue_scheduled_review_shows_before_the_scheduler_has_run(self, roles):
        Agreement.objects.filter(pk=roles.agreement.pk).update(next_review_due=TODAY - DAY)
        assert not Review.objects.filter(agreement=roles.agreement).exists()

        due = due_for(roles.governance_manager)

        item = {item.key: item for item in due.overdue}[f"review-{roles.agreement.pk}-scheduled"]
        assert (item.what, item.about, item.due, item.status) == (
            "Carry out the review of BCSP ISA", "Scheduled review", TODAY - DAY, "overdue",
        )
        assert item.url == reverse("agreements:reviews", args=[roles.agreement.pk])

    def test_once_the_scheduler_opens_it_the_row_replaces_it_under_the_same_key(self, roles):
        from agreements.services import reviews_due_create

        Agreement.objects.filter(pk=roles.agreement.pk).update(next_review_due=TODAY - DAY)
        reviews_due_create(on=TODAY)
        review = Review.objects.get(agreement=roles.agreement, trigger=ReviewTrigger.SCHEDULED)

        items = self.reviews(roles.governance_manager)

        assert [(item.key, item.url, item.due) for item in items] == [
            (f"review-{roles.agreement.pk}-scheduled", review.get_absolute_url(), TODAY - DAY),
        ]

    def test_coming_up_within_the_30_days_the_scheduler_opens_it_in_and_not_before(self, roles):
        Agreement.objects.filter(pk=roles.agreement.pk).update(next_review_due=TODAY + 30 * DAY)
        assert [item.due for item in self.reviews(roles.governance_manager)] == [TODAY + 30 * DAY]
        assert self.reviews(roles.governance_manager)[0].overdue is False

        Agreement.objects.filter(pk=roles.agreement.pk).update(next_review_due=TODAY + 31 * DAY)
        assert self.reviews(roles.governance_manager) == []

    def test_a_dpia_past_its_review_date_is_due_before_the_scheduler_has_run(self, roles):
        from agreements.services import dpia_record, reviews_due_create

        dpia = dpia_record(
            agreement=roles.agreement, by_user=roles.governance_manager, on=TODAY,
            screening=["vulnerable_people", "criminal_offence"], needed=True, reference="BCC-DPIA-2025-003",
            completed_on=TODAY - 400 * DAY, outcome="acceptable", dpo_advice="Proceed.", dpo_advice_followed=True,
            review_on=TODAY - 3 * DAY,
        )

        [item] = self.reviews(roles.governance_manager)
        assert item.key == f"review-{roles.agreement.pk}-dpia:{dpia.pk}:{(TODAY - 3 * DAY).isoformat()}"
        assert (item.what, item.due, item.overdue) == ("Carry out the review of BCSP ISA", TODAY - 3 * DAY, True)
        assert item.about == ("DPIA due for review: The agreement's DPIA (BCC-DPIA-2025-003) was due for review "
                              "on 27 February 2026.")

        reviews_due_create(on=TODAY)
        review = Review.objects.get(agreement=roles.agreement, trigger=ReviewTrigger.DPIA_REVIEW)
        assert [(item.key, item.url) for item in self.reviews(roles.governance_manager)] == [
            (item.key, review.get_absolute_url()),
        ]

    def test_a_dpia_review_date_coming_up_is_due_then_overdue_under_one_key(self, roles, time_machine):
        from agreements.services import dpia_record

        dpia = dpia_record(
            agreement=roles.agreement, by_user=roles.governance_manager, on=TODAY,
            screening=["vulnerable_people", "criminal_offence"], needed=True, reference="BCC-DPIA-2025-003",
            completed_on=TODAY - 300 * DAY, outcome="acceptable", dpo_advice="Proceed.", dpo_advice_followed=True,
            review_on=TODAY + 10 * DAY,
        )
        key = f"review-{roles.agreement.pk}-dpia:{dpia.pk}:{(TODAY + 10 * DAY).isoformat()}"

        [item] = self.reviews(roles.governance_manager)
        assert (item.key, item.due, item.status) == (key, TODAY + 10 * DAY, "due")
        assert item.about == "DPIA due for review: the DPIA's review date is 12 March 2026"

        time_machine.move_to(MONDAY + 11 * DAY, tick=False)
        [item] = self.reviews(roles.governance_manager)
        assert (item.key, item.status) == (key, "overdue")

    def test_a_dpia_review_date_further_off_is_not_yet_due(self, roles):
        from agreements.services import dpia_record

        dpia_record(
            agreement=roles.agreement, by_user=roles.governance_manager, on=TODAY,
            screening=["vulnerable_people", "criminal_offence"], needed=True, reference="BCC-DPIA-2025-003",
            completed_on=TODAY - 300 * DAY, outcome="acceptable", dpo_advice="Proceed.", dpo_advice_followed=True,
            review_on=TODAY + 31 * DAY,
        )

        assert self.reviews(roles.governance_manager) == []

    def test_nobody_but_the_agreements_managers_sees_it(self, roles):
        Agreement.objects.filter(pk=roles.agreement.pk).update(next_review_due=TODAY - DAY)

        for subject in ("practitioner", "spoc", "auditor", "lead_signatory", "unrelated", "admin"):
            assert self.reviews(roles.subject(subject)) == [], subject


def test_no_row_repeats_its_kind_in_its_text(roles):
    """"Signature Signature of …": the kind is shown above each row's text, which must not say it again."""
    PartyFactory(agreement=roles.agreement, organisation=OrganisationFactory(name="Felpersham District Council"),
                 status=PartyStatus.INVITED, invited_on=TODAY - 15 * DAY)
    review(roles, TODAY + DAY)
    Agreement.objects.filter(pk=roles.agreement.pk).update(next_review_due=TODAY - DAY)

    items = every(roles.governance_manager)

    assert {"Signature", "Review"} <= {item.kind for item in items}
    assert [item.what for item in items if item.what.lower().startswith(item.kind.lower())] == []


class TestHomeCounts:
    def test_the_home_page_counts_what_is_overdue_and_coming_up_and_links_to_it(self, client, roles):
        review(roles, TODAY - DAY)
        review(roles, TODAY + 20 * DAY)
        due = due_for(roles.governance_manager)
        overdue, coming = len(due.overdue), len(due.coming_up)

        html = sign_in(client, roles.governance_manager).get(reverse("home")).content.decode()

        assert overdue >= 1 and coming >= 1
        assert (f'<a class="govuk-link" href="{reverse("due")}">What\'s due: {overdue} overdue, '
                f'{coming} coming up</a>') in html

    def test_nothing_due_reads_none(self, client, roles):
        html = sign_in(client, roles.auditor).get(reverse("home")).content.decode()

        assert f'<a class="govuk-link" href="{reverse("due")}">What\'s due: 0 overdue, 0 coming up</a>' in html


def test_a_spoc_finds_every_acknowledgement_correction_and_onward_request_in_plain_words(roles):
    """Issue 14, item 2: what the SPOC's organisation owes is all on the page, each in words that
    say what to do: receipts and breach notices to acknowledge, a copy to correct, a request to
    pass information on."""
    notice = disclosure_mark_inaccurate(disclosure=DisclosureFactory(
        agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
        disclosed_by=roles.practitioner, occurred_at=MONDAY - 10 * DAY,
    ), by_user=roles.practitioner, what_is_wrong="The date was wrong.")
    onward = onward_disclosure_request(disclosure=roles.disclosure, by_user=roles.practitioner,
                                       purpose="A joint visit.", third_party_name="Borsetshire Youth Service")
    breach = breach_record(
        agreement=roles.agreement, reporting_organisation=roles.owner, kind="near_miss",
        discovered_at=MONDAY - DAY, description="Nearly sent to the wrong team.", data_involved="None.",
        personal_data_breach=False, by_user=roles.governance_manager,
    )

    items = {item.key: (item.kind, item.what) for item in every(roles.spoc)}

    assert items[f"receipt-{notice.disclosure_id}"] == (
        "Receipt", "Acknowledge receipt from Borsetshire County Council")
    assert items[f"copy-{notice.disclosure.recipient_confirmations.get().pk}"] == (
        "Copy", "Correct or destroy your copy and confirm it")
    assert items[f"onward-{onward.pk}"] == (
        "Passing on", "Decide whether Borsetshire County Council may pass information on")
    assert items[f"breach-notice-{breach.notifications.get().pk}"] == (
        "Breach", "Acknowledge the near miss for Borsetshire Police")


def test_the_readers_that_grow_with_the_log_are_counted_in_one_query(roles):
    # Issue 15: "What's due" counted each of them (receipts, people to tell, copies, escalations
    # …) in a query of its own; the counts are the same read in one.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext


    for days in (0, 5):  # one receipt coming up, one overdue
        DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                          recipient_organisation=roles.partner, disclosed_by=roles.practitioner,
                          occurred_at=timezone.now() - datetime.timedelta(days=days))
    with CaptureQueriesContext(connection) as captured:
        sequence = DueSequence(roles.spoc)
    # Every query that counts, but the open cases' grouping (a row a case, with its entries).
    counting = [query["sql"] for query in captured.captured_queries
                if "COUNT(" in query["sql"].upper() and '"entries"' not in query["sql"]]

    assert len(sequence.counted) > 1 and any(sum(counts) for counts in sequence.counts)
    assert len(counting) == 1, "\n".join(counting)
    assert sequence.counts == [source.counts() for source in sequence.counted]


@pytest.mark.parametrize("subject", ["practitioner", "spoc", "auditor"])
def test_someone_who_manages_no_agreement_is_asked_nothing_of_reviews_signatures_or_withdrawals(roles, subject):
    # Issue 15, composed pages: every manager's reader (reviews, signatures, withdrawals, DPIA
    # screenings, partners' assurance …) asked its query for everyone, through the subquery of
    # the agreements they manage, and found nothing: a practitioner's "What's due" asked 23.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    review(roles, TODAY - DAY)
    with CaptureQueriesContext(connection) as captured:
        DueSequence(roles.subject(subject))
    tables = ('"agreements_review"', '"agreements_historical', '"agreements_dpia"', '"agreements_agreement_gateways"')
    asked = [query["sql"] for query in captured.captured_queries if any(table in query["sql"] for table in tables)]

    assert asked == []


def test_the_agreements_a_manager_manages_are_read_once_for_all_the_readers(roles):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    review(roles, TODAY - DAY)
    with CaptureQueriesContext(connection) as captured:
        sequence = DueSequence(roles.governance_manager)
    # The one other is the rights requests' own rule (``information_requests_visible_to``).
    managed = [query["sql"] for query in captured.captured_queries if "'manage_agreement'" in query["sql"]]

    assert len(managed) == 2, "\n".join(managed)
    assert "Carry out the review of" in " ".join(item.what for item in sequence[:])


class TestSpocsToName:
    """The trial of 7 December (P18): the agreement page said "1 party has named no SPOC" and
    "What's due" did not."""

    @pytest.fixture
    def unnamed(self, roles):
        PartyContact.objects.filter(party=roles.partner_party, role=ContactRole.SPOC).delete()
        return roles

    def item(self, user):
        return [item for item in due_for(user).coming_up if item.key.startswith("spoc-to-name-")]

    @pytest.mark.parametrize("subject", ["governance_manager", "spoc"])
    def test_the_owners_managers_and_the_partys_own_people_are_asked_to_name_one(self, unnamed, subject):
        [item] = self.item(unnamed.subject(subject))

        assert item.what == "Name Borsetshire Police's SPOC for BCSP ISA"
        assert item.url == reverse("agreements:party_contacts", args=[unnamed.agreement.pk, unnamed.partner_party.pk])
        assert (item.due, item.overdue) == (None, False)

    @pytest.mark.parametrize("subject", ["practitioner", "auditor", "unrelated", "lead_signatory"])
    def test_nobody_else_is(self, unnamed, subject):
        assert self.item(unnamed.subject(subject)) == []

    def test_not_for_a_party_that_has_named_one_has_withdrawn_or_under_a_draft(self, unnamed):
        Party.objects.filter(pk=unnamed.partner_party.pk).update(
            status=PartyStatus.WITHDRAWN, withdrawal_notified_on=TODAY - 40 * DAY, withdrawal_effective_on=TODAY - DAY)
        draft_party = Party.objects.filter(agreement__status=Status.DRAFT).first()
        assert draft_party is not None
        assert not PartyContact.objects.filter(party=draft_party, role=ContactRole.SPOC).exists()

        assert self.item(unnamed.governance_manager) == []


class TestSignatoriesToName:
    """The same trial (P18): a party still to sign that had named no lead signatory was asked
    nothing, and nobody could sign for it online."""

    @pytest.fixture
    def out_for_signature(self, roles):
        Agreement.objects.filter(pk=roles.agreement.pk).update(status=Status.AWAITING_SIGNATURES)
        Party.objects.filter(pk=roles.partner_party.pk).update(status=PartyStatus.INVITED)
        return roles

    def items(self, user):
        return [item for item in due_for(user).coming_up if item.key.startswith("signatory-to-name-")]

    @pytest.mark.parametrize("subject", ["governance_manager", "spoc"])
    def test_the_owners_managers_and_the_partys_own_people_are_asked_to_name_one(self, out_for_signature, subject):
        [item] = self.items(out_for_signature.subject(subject))

        assert item.what == "Name Borsetshire Police's lead signatory for BCSP ISA"
        assert item.about == "Nobody can sign for it in the portal until one is named"
        assert item.url == reverse("agreements:party_contacts",
                                   args=[out_for_signature.agreement.pk, out_for_signature.partner_party.pk])

    def test_not_once_one_is_named_or_the_party_has_signed(self, out_for_signature, roles):
        contact = ContactFactory(organisation=roles.partner, name="Lee Signer")
        PartyContact.objects.create(party=roles.partner_party, contact=contact, role=ContactRole.LEAD_SIGNATORY)
        assert self.items(roles.governance_manager) == []

        PartyContact.objects.filter(party=roles.partner_party, role=ContactRole.LEAD_SIGNATORY).delete()
        Party.objects.filter(pk=roles.partner_party.pk).update(status=PartyStatus.SIGNED)
        assert self.items(roles.governance_manager) == []

    def test_not_while_the_agreement_is_in_force(self, roles):
        assert self.items(roles.governance_manager) == []
