"""The life of an agreement (agreements/services/lifecycle.py): every move allowed and refused,
in the words the user is shown, and ``agreement_status_move`` telling the parties."""

import datetime

import pytest
from dateutil.relativedelta import relativedelta
from django.core import mail
from django.utils import timezone

from agreements.models import (
    ContactRole,
    PartyStatus,
    Status,
)
from agreements.services import (
    agreement_status_move,
    agreement_version_create,
    party_contact_add,
    signature_record_paper,
)
from agreements.services.lifecycle import ALLOWED_MOVES, MoveRefused, agreement_move, move_problems
from partners.models import Notification
from tests.factories import (
    AgreementFactory,
    ContactFactory,
    LegalGatewayFactory,
    PartyFactory,
    PurposeFactory,
    SectionFactory,
)
from tests.mail import digests

pytestmark = pytest.mark.django_db


DAY = datetime.date(2026, 3, 2)


# (from, to) pairs the table refuses, and the sentence the user sees.
REFUSED = [(start, to) for start in Status.values for to in Status.values if to not in ALLOWED_MOVES[start]]


STATUS_WORDS = {
    Status.DRAFT: "in draft", Status.CONSULTATION: "out for consultation",
    Status.AWAITING_SIGNATURES: "awaiting signatures", Status.IN_FORCE: "in force",
    Status.UNDER_REVIEW: "under review", Status.SUPERSEDED: "superseded", Status.ENDED: "ended",
}


VERBS = {
    Status.DRAFT: "return to draft", Status.CONSULTATION: "go to consultation",
    Status.AWAITING_SIGNATURES: "go for signature", Status.IN_FORCE: "come into force",
    Status.UNDER_REVIEW: "go under review", Status.SUPERSEDED: "be marked superseded",
    Status.ENDED: "end",
}


def agreement_in(status: str, **fields):
    binding = status in (Status.IN_FORCE, Status.UNDER_REVIEW)
    ended = status in (Status.SUPERSEDED, Status.ENDED)
    agreement = AgreementFactory(
        title="Borsetshire Youth Offending Protocol", status=status,
        effective_date=DAY - datetime.timedelta(days=100) if binding or ended else None,
        ended_on=DAY if ended else None, **fields,
    )
    PartyFactory(agreement=agreement, organisation=agreement.owner)
    return agreement


def make_ready(agreement):
    """Give ``agreement`` all it needs to go out: a purpose, a section, a gateway, a partner."""
    PurposeFactory(agreement=agreement)
    SectionFactory(agreement=agreement)
    agreement.gateways.add(LegalGatewayFactory(art6=True))
    return PartyFactory(agreement=agreement)


def sign(agreement, *parties):
    version = agreement.versions.order_by("-number").first()
    for party in parties:
        signature_record_paper(party=party, version=version, signatory_name="Morgan Tate")


def owner_party(agreement):
    return agreement.parties.get(organisation=agreement.owner)


@pytest.mark.parametrize(("start", "to"), REFUSED, ids=[f"{a}-to-{b}" for a, b in REFUSED])
def test_a_move_the_table_does_not_allow_is_refused_with_its_reason(start, to):
    agreement = agreement_in(start)

    with pytest.raises(MoveRefused) as excinfo:
        agreement_move(agreement=agreement, to=to, by_user=None, on=DAY)

    assert excinfo.value.problems == [f"An agreement that is {STATUS_WORDS[start]} cannot {VERBS[to]}."]
    agreement.refresh_from_db()
    assert agreement.status == start


def test_superseded_and_ended_are_final():
    assert (ALLOWED_MOVES[Status.SUPERSEDED], ALLOWED_MOVES[Status.ENDED]) == ((), ())


class TestGoingOut:
    @pytest.mark.parametrize("to", [Status.CONSULTATION, Status.AWAITING_SIGNATURES])
    def test_an_empty_draft_is_refused_with_everything_it_lacks(self, to):
        agreement = agreement_in(Status.DRAFT)

        assert move_problems(agreement, to) == [
            f"Cannot {VERBS[to]}: add at least one purpose.",
            f"Cannot {VERBS[to]}: add the agreement's sections.",
            f"Cannot {VERBS[to]}: choose the legal gateways it relies on.",
            f"Cannot {VERBS[to]}: invite at least one partner.",
        ]

    def test_the_owner_alone_is_not_a_partner(self):
        agreement = agreement_in(Status.DRAFT)
        make_ready(agreement).delete()

        assert move_problems(agreement, Status.AWAITING_SIGNATURES) == [
            "Cannot go for signature: invite at least one partner."
        ]

    @pytest.mark.parametrize(("start", "to"), [
        (Status.DRAFT, Status.CONSULTATION),
        (Status.DRAFT, Status.AWAITING_SIGNATURES),
        (Status.CONSULTATION, Status.AWAITING_SIGNATURES),
    ])
    def test_a_ready_agreement_may_go_out(self, start, to):
        agreement = agreement_in(start)
        make_ready(agreement)

        agreement_move(agreement=agreement, to=to, by_user=None, on=DAY)

        agreement.refresh_from_db()
        assert agreement.status == to

    def test_consultation_makes_no_version(self):
        agreement = agreement_in(Status.DRAFT)
        make_ready(agreement)

        agreement_move(agreement=agreement, to=Status.CONSULTATION, by_user=None, on=DAY)

        assert agreement.versions.count() == 0

    def test_going_for_signature_freezes_version_1_0(self):
        agreement = agreement_in(Status.DRAFT)
        make_ready(agreement)

        agreement_move(agreement=agreement, to=Status.AWAITING_SIGNATURES, by_user=None, on=DAY)

        assert [(v.label, v.change_summary) for v in agreement.versions.all()] == [("1.0", "Sent for signature.")]
        assert agreement.version == "1.0"

    def test_going_for_signature_again_after_review_makes_version_2_0(self):
        agreement = agreement_in(Status.UNDER_REVIEW)
        make_ready(agreement)
        agreement_version_create(agreement=agreement, label="1.0")

        agreement_move(agreement=agreement, to=Status.AWAITING_SIGNATURES, by_user=None, on=DAY)

        assert [v.label for v in agreement.versions.all()] == ["1.0", "2.0"]

    @pytest.mark.parametrize("start", [Status.CONSULTATION, Status.AWAITING_SIGNATURES])
    def test_may_go_back(self, start):
        agreement = agreement_in(start)
        to = Status.DRAFT if start == Status.CONSULTATION else Status.CONSULTATION
        make_ready(agreement)

        agreement_move(agreement=agreement, to=to, by_user=None, on=DAY)

        assert agreement.status == to


class TestComingIntoForce:
    @pytest.fixture
    def awaiting(self):
        agreement = agreement_in(Status.DRAFT, review_first_after_months=6)
        partner = make_ready(agreement)
        agreement_move(agreement=agreement, to=Status.AWAITING_SIGNATURES, by_user=None, on=DAY)
        return agreement, partner

    def test_refused_until_the_owner_and_a_partner_have_signed(self, awaiting):
        agreement, _ = awaiting

        with pytest.raises(MoveRefused) as excinfo:
            agreement_move(agreement=agreement, to=Status.IN_FORCE, by_user=None, on=DAY)

        assert excinfo.value.problems == [
            "Cannot come into force: the owner has not signed version 1.0.",
            "Cannot come into force: no partner has signed version 1.0.",
        ]
        agreement.refresh_from_db()
        assert (agreement.status, agreement.effective_date) == (Status.AWAITING_SIGNATURES, None)

    def test_refused_while_only_a_partner_has_signed(self, awaiting):
        agreement, partner = awaiting
        sign(agreement, partner)

        assert move_problems(agreement, Status.IN_FORCE) == [
            "Cannot come into force: the owner has not signed version 1.0."
        ]

    def test_refused_while_only_the_owner_has_signed(self, awaiting):
        agreement, _ = awaiting
        sign(agreement, owner_party(agreement))

        assert move_problems(agreement, Status.IN_FORCE) == [
            "Cannot come into force: no partner has signed version 1.0."
        ]

    def test_refused_with_no_version_to_sign(self):
        agreement = agreement_in(Status.AWAITING_SIGNATURES)
        agreement.gateways.add(LegalGatewayFactory(art6=True))

        assert move_problems(agreement, Status.IN_FORCE) == [
            "Cannot come into force: there is no version to sign."
        ]

    def test_a_signature_on_an_older_version_does_not_count(self, awaiting):
        agreement, partner = awaiting
        sign(agreement, owner_party(agreement), partner)
        agreement_version_create(agreement=agreement, label="2.0")

        assert move_problems(agreement, Status.IN_FORCE) == [
            "Cannot come into force: the owner has not signed version 2.0.",
            "Cannot come into force: no partner has signed version 2.0.",
        ]

    def test_sets_the_effective_date_and_the_first_review(self, awaiting):
        agreement, partner = awaiting
        sign(agreement, owner_party(agreement), partner)

        agreement_move(agreement=agreement, to=Status.IN_FORCE, by_user=None, on=DAY)

        agreement.refresh_from_db()
        assert (agreement.status, agreement.effective_date, agreement.next_review_due) == (
            Status.IN_FORCE, DAY, DAY + relativedelta(months=6),
        )

    def test_with_no_review_policy_no_review_date_is_invented(self):
        agreement = agreement_in(Status.DRAFT, review_first_after_months=None, review_every_months=None)
        partner = make_ready(agreement)
        agreement_move(agreement=agreement, to=Status.AWAITING_SIGNATURES, by_user=None, on=DAY)
        sign(agreement, owner_party(agreement), partner)

        agreement_move(agreement=agreement, to=Status.IN_FORCE, by_user=None, on=DAY)

        agreement.refresh_from_db()
        assert (agreement.status, agreement.effective_date, agreement.next_review_due) == (
            Status.IN_FORCE, DAY, None,
        )

    def test_back_from_review_it_keeps_its_effective_date(self):
        agreement = agreement_in(Status.UNDER_REVIEW)
        agreement.gateways.add(LegalGatewayFactory(art6=True))
        effective, review_due = agreement.effective_date, agreement.next_review_due

        agreement_move(agreement=agreement, to=Status.IN_FORCE, by_user=None, on=DAY)

        agreement.refresh_from_db()
        assert (agreement.status, agreement.effective_date, agreement.next_review_due) == (
            Status.IN_FORCE, effective, review_due,
        )


class TestLaterMoves:
    def test_an_agreement_in_force_may_go_under_review(self):
        agreement = agreement_in(Status.IN_FORCE)

        agreement_move(agreement=agreement, to=Status.UNDER_REVIEW, by_user=None, on=DAY)

        assert agreement.status == Status.UNDER_REVIEW

    @pytest.mark.parametrize("start", [Status.IN_FORCE, Status.UNDER_REVIEW])
    @pytest.mark.parametrize("to", [Status.SUPERSEDED, Status.ENDED])
    def test_ending_or_superseding_sets_the_end_date(self, start, to):
        agreement = agreement_in(start)

        agreement_move(agreement=agreement, to=to, by_user=None, on=DAY)

        agreement.refresh_from_db()
        assert (agreement.status, agreement.ended_on) == (to, DAY)

    @pytest.mark.parametrize("start", [Status.DRAFT, Status.CONSULTATION, Status.AWAITING_SIGNATURES])
    def test_an_agreement_never_in_force_may_be_ended(self, start):
        agreement = agreement_in(start)

        agreement_move(agreement=agreement, to=Status.ENDED, by_user=None, on=DAY)

        agreement.refresh_from_db()
        assert (agreement.status, agreement.ended_on, agreement.effective_date) == (Status.ENDED, DAY, None)

    def test_an_end_before_it_came_into_force_is_moved_to_its_first_day(self):
        agreement = agreement_in(Status.IN_FORCE)
        agreement.effective_date = DAY + datetime.timedelta(days=10)
        agreement.save()

        agreement_move(agreement=agreement, to=Status.ENDED, by_user=None, on=DAY)

        assert agreement.ended_on == DAY + datetime.timedelta(days=10)


class TestStatusMove:
    @pytest.fixture
    def ready(self, roles):
        """The draft, ready to go for signature; each party with a named SPOC and lead signatory."""
        draft = roles.draft
        PurposeFactory(agreement=draft)
        SectionFactory(agreement=draft)
        draft.gateways.add(LegalGatewayFactory(art6=True))
        for party, domain in ((draft.parties.get(organisation=roles.owner), "borsetshire.gov.example"),
                              (draft.parties.get(organisation=roles.partner), "police.example")):
            for role, name in ((ContactRole.SPOC, "Jo Spoc"), (ContactRole.LEAD_SIGNATORY, "Lee Signer")):
                contact = ContactFactory(organisation=party.organisation, name=f"{name} {domain}",
                                         email=f"{role}@{domain}")
                party_contact_add(party=party, contact=contact, role=role)
        return draft

    def test_going_for_signature_tells_every_partys_lead_signatory_and_spocs(
        self, roles, manager, ready, django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True):
            agreement_status_move(agreement=ready, to=Status.AWAITING_SIGNATURES, by_user=manager)

        assert mail.outbox == []  # an ask with no clock: in the morning's digest (decision 0045)
        messages = digests()
        assert sorted(m.to[0] for m in messages) == [
            "lead_signatory@borsetshire.gov.example", "lead_signatory@police.example",
            "spoc@borsetshire.gov.example", "spoc@police.example",
        ]
        assert {m.subject for m in messages} == {"ISA Portal: 1 thing due today"}
        assert all("1. Version 1.0 of Borsetshire Domestic Abuse Protocol is ready to sign\n" in m.body
                   for m in messages)
        to_police_signatory = next(m for m in messages if m.to == ["lead_signatory@police.example"])
        assert (
            "As Borsetshire Police's lead signatory, please read version 1.0 in ISA Portal and sign "
            "it for Borsetshire Police as soon as you can."
        ) in to_police_signatory.body

    def test_going_to_consultation_asks_every_other_partys_spocs_to_comment(
        self, roles, manager, ready, django_capture_on_commit_callbacks,
    ):
        # The MARAC trial (P10): nobody was told a draft was out for consultation, or where to comment.
        with django_capture_on_commit_callbacks(execute=True):
            agreement_status_move(agreement=ready, to=Status.CONSULTATION, by_user=manager)

        messages = digests()
        assert [m.to[0] for m in messages] == ["spoc@police.example"]  # not the owner's own
        assert "1. Comment on the draft of Borsetshire Domestic Abuse Protocol\n" in messages[0].body
        assert ("Read the draft, and comment on it for your organisation on its consultation page, where "
                "Borsetshire County Council answers each one.") in " ".join(messages[0].body.split())
        assert f"/agreements/{ready.pk}/consultation/" in messages[0].body

    def test_a_party_that_declined_is_not_asked_to_sign(
        self, roles, manager, ready, django_capture_on_commit_callbacks,
    ):
        ready.parties.filter(organisation=roles.partner).update(status=PartyStatus.DECLINED)

        with django_capture_on_commit_callbacks(execute=True):
            agreement_status_move(agreement=ready, to=Status.AWAITING_SIGNATURES, by_user=manager)

        assert not [m for m in [*mail.outbox, *digests()] if m.to[0].endswith("police.example")]

    def test_a_party_with_no_named_lead_signatory_has_its_signatories_told(
        self, roles, manager, django_capture_on_commit_callbacks,
    ):
        draft = roles.draft
        PurposeFactory(agreement=draft)
        SectionFactory(agreement=draft)
        draft.gateways.add(LegalGatewayFactory(art6=True))
        ContactFactory(organisation=roles.partner, user=roles.lead_signatory, email="signatory@police.example")

        with django_capture_on_commit_callbacks(execute=True):
            agreement_status_move(agreement=draft, to=Status.AWAITING_SIGNATURES, by_user=manager)

        assert [m.to for m in digests()] == [["signatory@police.example"]]

    def test_coming_into_force_tells_every_partys_spocs(
        self, roles, manager, ready, django_capture_on_commit_callbacks,
    ):
        agreement_status_move(agreement=ready, to=Status.AWAITING_SIGNATURES, by_user=manager)
        version = ready.versions.get()
        for party in ready.parties.all():
            signature_record_paper(party=party, version=version, signatory_name="Lee Signer")
        Notification.objects.all().delete()

        with django_capture_on_commit_callbacks(execute=True):
            agreement_status_move(agreement=ready, to=Status.IN_FORCE, by_user=manager)

        assert mail.outbox == []  # news, in the morning's digest (decision 0045)
        messages = digests()
        assert sorted(m.to[0] for m in messages) == ["spoc@borsetshire.gov.example", "spoc@police.example"]
        review = ready.next_review_due
        assert "1. Borsetshire Domestic Abuse Protocol is in force\n" in messages[0].body
        assert (
            f"“Borsetshire Domestic Abuse Protocol” (version 1.0), owned by Borsetshire County Council, "
            f"has been in force since {timezone.localdate().day} {timezone.localdate():%B %Y}. "
            f"Its next review is due by {review.day} {review:%B %Y}."
        ) in messages[0].body

    def test_a_refused_move_saves_nothing_and_tells_nobody(
        self, roles, manager, django_capture_on_commit_callbacks,
    ):
        with django_capture_on_commit_callbacks(execute=True), pytest.raises(MoveRefused) as excinfo:
            agreement_status_move(agreement=roles.draft, to=Status.AWAITING_SIGNATURES, by_user=manager)

        assert excinfo.value.problems[0] == "Cannot go for signature: add at least one purpose."
        roles.draft.refresh_from_db()
        assert (roles.draft.status, roles.draft.versions.count(), mail.outbox) == (Status.DRAFT, 0, [])


NO_RULE = (
    "Cannot come into force: it has no retention rule (how long shared records are kept: a number of "
    "months after the case is closed, or a fixed period from the disclosure)."
)


class TestRetentionRuleGate:
    """Issue 13 item 7: an agreement with no retention rule does not come into force, or its
    entries would never be destroyed."""

    @pytest.fixture
    def signed(self):
        agreement = agreement_in(Status.DRAFT, retention_months_after_closure=None)
        partner = make_ready(agreement)
        agreement_move(agreement=agreement, to=Status.AWAITING_SIGNATURES, by_user=None, on=DAY)
        sign(agreement, owner_party(agreement), partner)
        return agreement

    def test_signed_but_without_a_rule_is_refused_and_nothing_changes(self, signed):
        with pytest.raises(MoveRefused) as excinfo:
            agreement_move(agreement=signed, to=Status.IN_FORCE, by_user=None, on=DAY)

        assert excinfo.value.problems == [NO_RULE]
        signed.refresh_from_db()
        assert (signed.status, signed.effective_date, signed.next_review_due) == (
            Status.AWAITING_SIGNATURES, None, None,
        )

    def test_the_refusal_comes_with_the_signature_problems(self):
        agreement = agreement_in(Status.AWAITING_SIGNATURES, retention_months_after_closure=None)
        agreement.gateways.add(LegalGatewayFactory(art6=True))

        assert move_problems(agreement, Status.IN_FORCE) == [
            "Cannot come into force: there is no version to sign.", NO_RULE,
        ]

    def test_back_from_review_without_a_rule_is_refused(self):
        agreement = agreement_in(Status.UNDER_REVIEW, retention_months_after_closure=None)
        agreement.gateways.add(LegalGatewayFactory(art6=True))

        with pytest.raises(MoveRefused) as excinfo:
            agreement_move(agreement=agreement, to=Status.IN_FORCE, by_user=None, on=DAY)

        assert excinfo.value.problems == [NO_RULE]
        agreement.refresh_from_db()
        assert agreement.status == Status.UNDER_REVIEW

    @pytest.mark.parametrize("rule", [{"retention_months_after_closure": 18},
                                      {"retention_months_from_disclosure": 72}])
    def test_either_kind_of_rule_lets_it_come_into_force(self, signed, rule):
        for field, months in rule.items():
            setattr(signed, field, months)
        signed.save()

        agreement_move(agreement=signed, to=Status.IN_FORCE, by_user=None, on=DAY)

        signed.refresh_from_db()
        assert (signed.status, signed.effective_date) == (Status.IN_FORCE, DAY)

    def test_going_for_signature_does_not_need_the_rule_yet(self):
        agreement = agreement_in(Status.DRAFT, retention_months_after_closure=None)
        make_ready(agreement)

        assert move_problems(agreement, Status.AWAITING_SIGNATURES) == []
