"""Agreements, parties, versions, signatures, reviews and breaches: the rules the database
holds, and which agreements and parties are in force on a given day."""

import datetime

import pytest
from django.utils import timezone

from agreements.models import (
    Agreement,
    AgreementVersion,
    Breach,
    BreachNotification,
    ContactRole,
    GatewayStatus,
    InformationRequest,
    LegalGateway,
    Party,
    PartyContact,
    PartyStatus,
    Review,
    ReviewOutcome,
    Signature,
    SignatureMethod,
    SignedCopy,
    Status,
)
from tests.db import violates
from tests.factories import (
    AgreementFactory,
    AgreementVersionFactory,
    ContactFactory,
    LegalGatewayFactory,
    PartyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)
EFFECTIVE = datetime.date(2024, 4, 1)


class TestLegalGateway:
    def test_cannot_be_replaced_by_itself(self):
        gateway = LegalGatewayFactory(repealed=True)

        with violates(LegalGateway, "gateway_not_replaced_by_itself"):
            LegalGateway.objects.filter(pk=gateway.pk).update(replaced_by=gateway)

    def test_repealed_gateway_may_name_its_replacement(self):
        replacement = LegalGatewayFactory(schedule1=True)
        repealed = LegalGatewayFactory(repealed=True)

        LegalGateway.objects.filter(pk=repealed.pk).update(replaced_by=replacement)

        assert list(replacement.replaces.all()) == [repealed]

    def test_current_gateway_cannot_have_a_replacement(self):
        replacement, gateway = LegalGatewayFactory(), LegalGatewayFactory()

        with violates(LegalGateway, "gateway_replacement_only_when_not_current"):
            LegalGateway.objects.filter(pk=gateway.pk).update(replaced_by=replacement)

    def test_superseded_gateway_may_have_a_replacement(self):
        replacement = LegalGatewayFactory()
        gateway = LegalGatewayFactory(status=GatewayStatus.SUPERSEDED)

        LegalGateway.objects.filter(pk=gateway.pk).update(replaced_by=replacement)

        gateway.refresh_from_db()
        assert gateway.replaced_by == replacement


class TestAgreement:
    def test_cannot_be_its_own_parent(self):
        agreement = AgreementFactory()

        with violates(Agreement, "agreement_not_own_parent"):
            Agreement.objects.filter(pk=agreement.pk).update(parent=agreement)

    def test_may_sit_under_a_framework(self):
        framework = AgreementFactory(kind="framework")

        agreement = AgreementFactory(parent=framework, kind="individual_protocol")

        assert list(framework.children.all()) == [agreement]

    @pytest.mark.parametrize("interval", ["review_every_months", "review_first_after_months"])
    def test_review_intervals_cannot_be_zero(self, interval):
        agreement = AgreementFactory()

        with violates(Agreement, "agreement_review_intervals_positive"):
            Agreement.objects.filter(pk=agreement.pk).update(**{interval: 0})

    def test_review_every_month_is_allowed(self):
        agreement = AgreementFactory()

        Agreement.objects.filter(pk=agreement.pk).update(
            review_every_months=1, review_first_after_months=1,
        )

        agreement.refresh_from_db()
        assert (agreement.review_every_months, agreement.review_first_after_months) == (1, 1)

    def test_cannot_end_before_it_starts(self):
        agreement = AgreementFactory(in_force=True)

        with violates(Agreement, "agreement_ends_after_it_starts"):
            Agreement.objects.filter(pk=agreement.pk).update(
                ended_on=agreement.effective_date - DAY,
            )

    def test_may_end_on_the_day_it_starts(self):
        agreement = AgreementFactory(in_force=True)

        Agreement.objects.filter(pk=agreement.pk).update(ended_on=agreement.effective_date)

        agreement.refresh_from_db()
        assert agreement.ended_on == agreement.effective_date

    @pytest.mark.parametrize("status", [Status.IN_FORCE, Status.UNDER_REVIEW])
    def test_binding_agreement_needs_an_effective_date(self, status):
        agreement = AgreementFactory()

        with violates(Agreement, "agreement_in_force_has_effective_date"):
            Agreement.objects.filter(pk=agreement.pk).update(status=status)

    @pytest.mark.parametrize("status", [Status.DRAFT, Status.CONSULTATION, Status.AWAITING_SIGNATURES])
    def test_agreement_not_yet_binding_needs_no_effective_date(self, status):
        agreement = AgreementFactory()

        Agreement.objects.filter(pk=agreement.pk).update(status=status)

        agreement.refresh_from_db()
        assert (agreement.status, agreement.effective_date) == (status, None)

    def test_cites_repealed_law_when_any_gateway_is_not_current(self):
        agreement = AgreementFactory(gateways=[LegalGatewayFactory(), LegalGatewayFactory(repealed=True)])

        assert agreement.cites_repealed_law is True

    def test_does_not_cite_repealed_law_when_every_gateway_is_current(self):
        agreement = AgreementFactory(gateways=[LegalGatewayFactory()])

        assert agreement.cites_repealed_law is False


class TestAgreementInForce:
    """``Agreement.objects.in_force(on=…)``: binding status, started, and not yet ended."""

    def in_force_on(self, day) -> list[Agreement]:
        return list(Agreement.objects.in_force(on=day))

    def test_in_force_from_its_effective_date(self):
        agreement = AgreementFactory(status=Status.IN_FORCE, effective_date=EFFECTIVE)

        assert self.in_force_on(EFFECTIVE - DAY) == []
        assert self.in_force_on(EFFECTIVE) == [agreement]

    def test_in_force_until_the_end_of_the_day_it_ends(self):
        agreement = AgreementFactory(
            status=Status.IN_FORCE, effective_date=EFFECTIVE, ended_on=EFFECTIVE + 30 * DAY,
        )

        assert self.in_force_on(EFFECTIVE + 30 * DAY) == [agreement]
        assert self.in_force_on(EFFECTIVE + 31 * DAY) == []

    def test_agreement_under_review_is_still_in_force(self):
        agreement = AgreementFactory(status=Status.UNDER_REVIEW, effective_date=EFFECTIVE)

        assert self.in_force_on(EFFECTIVE) == [agreement]

    @pytest.mark.parametrize(
        "status", [Status.DRAFT, Status.CONSULTATION, Status.AWAITING_SIGNATURES,
                   Status.SUPERSEDED, Status.ENDED],
    )
    def test_agreement_in_any_other_status_is_not_in_force(self, status):
        AgreementFactory(status=status, effective_date=EFFECTIVE)

        assert self.in_force_on(EFFECTIVE + DAY) == []


class TestParty:
    def test_organisation_is_party_to_an_agreement_once(self):
        party = PartyFactory()

        with violates(Party, "party_unique_organisation"):
            Party.objects.create(agreement=party.agreement, organisation=party.organisation)

    @pytest.mark.parametrize("status", [PartyStatus.WITHDRAWAL_NOTIFIED, PartyStatus.WITHDRAWN])
    @pytest.mark.parametrize("missing", ["withdrawal_notified_on", "withdrawal_effective_on"])
    def test_withdrawal_needs_both_its_dates(self, status, missing):
        party = PartyFactory(signed=True)
        dates = {"withdrawal_notified_on": EFFECTIVE, "withdrawal_effective_on": EFFECTIVE + 31 * DAY}
        dates[missing] = None

        with violates(Party, "party_withdrawal_has_dates"):
            Party.objects.filter(pk=party.pk).update(status=status, **dates)

    @pytest.mark.parametrize("status", [PartyStatus.WITHDRAWAL_NOTIFIED, PartyStatus.WITHDRAWN])
    def test_withdrawal_with_both_dates_is_accepted(self, status):
        party = PartyFactory(signed=True)

        Party.objects.filter(pk=party.pk).update(
            status=status, withdrawal_notified_on=EFFECTIVE,
            withdrawal_effective_on=EFFECTIVE + 31 * DAY,
        )

        party.refresh_from_db()
        assert party.status == status

    @pytest.mark.parametrize("days_after_notice", [0, -1])
    def test_withdrawal_cannot_take_effect_on_or_before_the_notice(self, days_after_notice):
        party = PartyFactory(signed=True)

        with violates(Party, "party_withdrawal_takes_effect_after_notice"):
            Party.objects.filter(pk=party.pk).update(
                status=PartyStatus.WITHDRAWAL_NOTIFIED, withdrawal_notified_on=EFFECTIVE,
                withdrawal_effective_on=EFFECTIVE + days_after_notice * DAY,
            )

    def test_withdrawal_may_take_effect_the_day_after_notice(self):
        party = PartyFactory(signed=True)

        Party.objects.filter(pk=party.pk).update(
            status=PartyStatus.WITHDRAWAL_NOTIFIED, withdrawal_notified_on=EFFECTIVE,
            withdrawal_effective_on=EFFECTIVE + DAY,
        )

        party.refresh_from_db()
        assert party.withdrawal_effective_on == EFFECTIVE + DAY


class TestPartyInForce:
    """``Party.objects.in_force(on=…)``: who may receive a disclosure that day."""

    def in_force_on(self, day) -> list[Party]:
        return list(Party.objects.in_force(on=day))

    def test_signed_party_is_in_force(self):
        party = PartyFactory(signed=True)

        assert self.in_force_on(EFFECTIVE) == [party]

    @pytest.mark.parametrize(
        "status", [PartyStatus.INVITED, PartyStatus.AWAITING_DETAILS, PartyStatus.AWAIT_CASE,
                   PartyStatus.DECLINED],
    )
    def test_party_that_has_not_signed_is_not_in_force(self, status):
        PartyFactory(status=status)

        assert self.in_force_on(EFFECTIVE) == []

    def test_withdrawal_notified_party_is_in_force_until_its_effective_date(self):
        party = PartyFactory(
            status=PartyStatus.WITHDRAWAL_NOTIFIED, withdrawal_notified_on=EFFECTIVE,
            withdrawal_effective_on=EFFECTIVE + 31 * DAY,
        )

        assert self.in_force_on(EFFECTIVE + 30 * DAY) == [party]
        assert self.in_force_on(EFFECTIVE + 31 * DAY) == []
        assert self.in_force_on(EFFECTIVE + 32 * DAY) == []

    def test_withdrawn_party_is_not_in_force(self):
        PartyFactory(
            status=PartyStatus.WITHDRAWN, withdrawal_notified_on=EFFECTIVE,
            withdrawal_effective_on=EFFECTIVE + 31 * DAY,
        )

        assert self.in_force_on(EFFECTIVE) == []


class TestPartyContact:
    def test_contact_holds_a_role_for_a_party_once(self):
        party = PartyFactory()
        contact = ContactFactory(organisation=party.organisation)
        PartyContact.objects.create(party=party, contact=contact, role=ContactRole.SPOC)

        with violates(PartyContact, "party_contact_unique_role"):
            PartyContact.objects.create(party=party, contact=contact, role=ContactRole.SPOC)

    def test_party_has_one_lead_signatory(self):
        party = PartyFactory()
        first, second = ContactFactory.create_batch(2, organisation=party.organisation)
        PartyContact.objects.create(party=party, contact=first, role=ContactRole.LEAD_SIGNATORY)

        with violates(PartyContact, "party_one_lead_signatory"):
            PartyContact.objects.create(party=party, contact=second, role=ContactRole.LEAD_SIGNATORY)

    def test_party_may_have_several_spocs(self):
        party = PartyFactory()
        first, second = ContactFactory.create_batch(2, organisation=party.organisation)

        PartyContact.objects.create(party=party, contact=first, role=ContactRole.SPOC)
        PartyContact.objects.create(party=party, contact=second, role=ContactRole.SPOC)

        assert party.contacts.count() == 2


class TestAgreementVersion:
    def test_number_is_unique_within_an_agreement(self):
        version = AgreementVersionFactory()

        with violates(AgreementVersion, "version_unique_number"):
            AgreementVersion.objects.create(
                agreement=version.agreement, number=version.number, label="again",
                content={}, content_hash="0" * 64,
            )

    def test_number_cannot_be_zero(self):
        agreement = AgreementFactory()

        with violates(AgreementVersion, "version_number_positive"):
            AgreementVersion.objects.create(
                agreement=agreement, number=0, label="0", content={}, content_hash="0" * 64,
            )


@pytest.fixture
def party_and_version():
    party = PartyFactory()
    return party, AgreementVersionFactory(agreement=party.agreement)


class TestSignature:
    def paper(self, party, version, **fields):
        return Signature.objects.create(
            party=party, version=version, method=SignatureMethod.PAPER,
            signatory_name="Jo Example", content_hash=version.content_hash, **fields,
        )

    def test_party_signs_a_version_once(self, party_and_version):
        party, version = party_and_version
        self.paper(party, version)

        with violates(Signature, "signature_once_per_version"):
            self.paper(party, version)

    @pytest.mark.parametrize("missing", ["signed_by", "signed_at", "declaration"])
    def test_portal_signature_needs_the_user_the_time_and_the_declaration(
        self, party_and_version, missing,
    ):
        party, version = party_and_version
        fields = {
            "signed_by": UserFactory(), "signed_at": timezone.now(),
            "declaration": "I sign for Borsetshire Police.",
        }
        fields[missing] = "" if missing == "declaration" else None

        with violates(Signature, "signature_portal_has_user_time_and_declaration"):
            Signature.objects.create(
                party=party, version=version, method=SignatureMethod.PORTAL,
                signatory_name="Jo Example", content_hash=version.content_hash, **fields,
            )

    def test_complete_portal_signature_is_accepted(self, party_and_version):
        party, version = party_and_version

        Signature.objects.create(
            party=party, version=version, method=SignatureMethod.PORTAL,
            signatory_name="Jo Example", content_hash=version.content_hash,
            signed_by=UserFactory(), signed_at=timezone.now(),
            declaration="I sign for Borsetshire Police.",
        )

        assert party.signatures.count() == 1

    def test_paper_signature_needs_no_user_time_or_declaration(self, party_and_version):
        party, version = party_and_version

        self.paper(party, version)

        assert party.signatures.count() == 1


class TestReview:
    def test_completed_review_needs_an_outcome(self):
        agreement = AgreementFactory()

        with violates(Review, "review_completed_has_outcome"):
            Review.objects.create(agreement=agreement, due_on=EFFECTIVE, completed_on=EFFECTIVE)

    def test_completed_review_with_an_outcome_is_accepted(self):
        agreement = AgreementFactory()

        Review.objects.create(
            agreement=agreement, due_on=EFFECTIVE, completed_on=EFFECTIVE,
            outcome=ReviewOutcome.NO_CHANGE,
        )

        assert agreement.reviews.count() == 1

    def test_open_review_needs_no_outcome(self):
        agreement = AgreementFactory()

        Review.objects.create(agreement=agreement, due_on=EFFECTIVE)

        assert agreement.reviews.count() == 1

    def test_one_review_per_trigger(self):
        agreement = AgreementFactory()
        Review.objects.create(agreement=agreement, due_on=EFFECTIVE, trigger="breach", trigger_key="breach:1")

        with violates(Review, "review_once_per_trigger"):
            Review.objects.create(agreement=agreement, due_on=EFFECTIVE, trigger="breach", trigger_key="breach:1")

    def test_reviews_without_a_trigger_key_may_be_many(self):
        agreement = AgreementFactory()

        for _ in range(2):
            Review.objects.create(agreement=agreement, due_on=EFFECTIVE, trigger="chair_request")

        assert agreement.reviews.count() == 2

    def test_one_open_scheduled_review_at_a_time(self):
        agreement = AgreementFactory()
        Review.objects.create(
            agreement=agreement, due_on=EFFECTIVE, completed_on=EFFECTIVE, outcome=ReviewOutcome.NO_CHANGE,
        )
        Review.objects.create(agreement=agreement, due_on=EFFECTIVE + DAY)

        with violates(Review, "review_one_open_scheduled"):
            Review.objects.create(agreement=agreement, due_on=EFFECTIVE + 2 * DAY)

    def test_findings_are_reported_only_after_the_review(self):
        agreement = AgreementFactory()

        with violates(Review, "review_findings_reported_after_completion"):
            Review.objects.create(agreement=agreement, due_on=EFFECTIVE, findings_reported_on=EFFECTIVE)
        with violates(Review, "review_findings_reported_after_completion"):
            Review.objects.create(
                agreement=agreement, due_on=EFFECTIVE, completed_on=EFFECTIVE, outcome=ReviewOutcome.NO_CHANGE,
                findings_reported_on=EFFECTIVE - DAY,
            )


@pytest.fixture
def breach():
    party = PartyFactory(signed=True)
    return Breach.objects.create(
        agreement=party.agreement, reporting_organisation=party.organisation,
        discovered_at=timezone.now(), description="An e-mail sent to the wrong team.",
    )


class TestBreach:
    def test_ico_cannot_be_told_before_the_breach_was_discovered(self, breach):
        with violates(Breach, "breach_ico_report_after_discovery"):
            Breach.objects.filter(pk=breach.pk).update(
                ico_reported_at=breach.discovered_at - datetime.timedelta(minutes=1),
            )

    def test_ico_may_be_told_at_discovery(self, breach):
        Breach.objects.filter(pk=breach.pk).update(ico_reported_at=breach.discovered_at)

        breach.refresh_from_db()
        assert breach.ico_reported_at == breach.discovered_at

    def test_a_breach_is_not_both_reported_to_the_ico_and_not_reported(self, breach):
        with violates(Breach, "breach_ico_reported_or_reason_not"):
            Breach.objects.filter(pk=breach.pk).update(
                ico_reported_at=breach.discovered_at, ico_not_reported_reason="Low risk.",
            )

    def test_minutes_need_a_meeting(self, breach):
        with violates(Breach, "breach_minutes_after_meeting"):
            Breach.objects.filter(pk=breach.pk).update(minutes_circulated_on=EFFECTIVE)

    def test_minutes_cannot_come_before_the_meeting(self, breach):
        with violates(Breach, "breach_minutes_after_meeting"):
            Breach.objects.filter(pk=breach.pk).update(meeting_held_on=EFFECTIVE, minutes_circulated_on=EFFECTIVE - DAY)

    def test_minutes_on_the_day_of_the_meeting_are_accepted(self, breach):
        Breach.objects.filter(pk=breach.pk).update(meeting_held_on=EFFECTIVE, minutes_circulated_on=EFFECTIVE)

        breach.refresh_from_db()
        assert breach.minutes_circulated_on == EFFECTIVE


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


class TestBreachNotification:
    def test_party_is_notified_of_a_breach_once(self, breach):
        party = breach.agreement.parties.get()
        BreachNotification.objects.create(breach=breach, party=party, notified_at=timezone.now())

        with violates(BreachNotification, "breach_notified_once_per_party"):
            BreachNotification.objects.create(breach=breach, party=party, notified_at=timezone.now())

    def test_acknowledgement_cannot_come_before_the_notice(self, breach):
        notified_at = timezone.now()

        with violates(BreachNotification, "breach_acknowledged_after_notice"):
            BreachNotification.objects.create(
                breach=breach, party=breach.agreement.parties.get(), notified_at=notified_at,
                acknowledged_at=notified_at - datetime.timedelta(minutes=1),
            )

    def test_acknowledgement_after_the_notice_is_accepted(self, breach):
        notified_at = timezone.now()

        BreachNotification.objects.create(
            breach=breach, party=breach.agreement.parties.get(), notified_at=notified_at,
            acknowledged_at=notified_at + datetime.timedelta(hours=2),
        )

        assert breach.notifications.count() == 1


class TestSignedCopy:
    """The frozen PDF of a fully signed version (agreements/services/signed_copies.py)."""

    def copy(self, **fields):
        values = {"version": AgreementVersionFactory(), "file": "signed-copies/x.pdf", "sha256": "a" * 64, "size": 10}
        return SignedCopy.objects.create(**{**values, **fields})

    def test_two_copies_cannot_share_a_hash(self):
        self.copy()

        with violates(SignedCopy, "signed_copy_sha256_unique"):
            self.copy()

    def test_hash_must_be_lower_case_hex_sha256(self):
        with violates(SignedCopy, "signed_copy_sha256_is_hex"):
            self.copy(sha256="A" * 64)

    def test_copy_cannot_be_empty(self):
        with violates(SignedCopy, "signed_copy_not_empty"):
            self.copy(size=0)
