"""An organisation's Article 30 record of processing (agreements/selectors/records.py): one row
per agreement in force it takes part in, drawn from what the agreement records; what it does
not record is said to be not recorded. The download is in test_records_views.py."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from agreements.models import Agreement, ContactRole, DataItem, DataLevel, PartyStatus, ProtectiveMarking, Status
from agreements.selectors.records import RECORD_HEADER, agreements_processed_by, processing_record
from agreements.services import party_contact_add
from tests.factories import AgreementFactory, ContactFactory, LegalGatewayFactory, PartyFactory

PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]
TODAY = PINNED.date()


@pytest.fixture
def recorded(cast):
    """The cast's agreement with everything an Article 30 record can draw on."""
    Agreement.objects.filter(pk=cast.agreement.pk).update(
        retention_months_after_closure=18, retention_rule="De-personalised statistics may be kept longer.",
        transfer_methods=["secure_email", "meeting"], protective_marking=ProtectiveMarking.OFFICIAL_SENSITIVE,
        next_review_due=datetime.date(2027, 1, 1),
    )
    cast.agreement.refresh_from_db()
    cast.agreement.gateways.add(LegalGatewayFactory(provision="s115"))
    DataItem.objects.create(agreement=cast.agreement, provider_label="Police", level=DataLevel.SENSITIVE,
                            description="Offences and victims' addresses")
    dpo = ContactFactory(organisation=cast.partner, name="Kit Example", job_title="Data protection officer",
                         email="dpo@police.example", phone="")
    party_contact_add(party=cast.partner_party, contact=dpo, role=ContactRole.DPO)
    return cast


def cells(row) -> dict[str, str]:
    return dict(zip(RECORD_HEADER, row.cells, strict=True))


class TestProcessingRecord:
    def test_a_partners_row_draws_on_the_agreement(self, recorded):
        [row] = processing_record(recorded.partner, on=TODAY)

        assert cells(row) == {
            "Agreement": "Borsetshire Community Safety Information Sharing Agreement", "Reference": "BCSP ISA",
            "In force since": "2020-01-01", "Next review due": "2027-01-01",
            "Controller": "Borsetshire Police", "ICO registration number": recorded.partner.ico_registration_number
            or "Not recorded",
            "Its part": "Party",
            "Joint controllers and recipients (the other parties)": (
                f"Borsetshire County Council ({recorded.owner.get_sector_display()})"
            ),
            "Data protection officer": "Kit Example; Data protection officer; dpo@police.example",
            "Purposes": "To reduce crime, disorder and anti-social behaviour",
            "Categories of people": "Not recorded in the agreement",
            "Categories of personal data": "Offences and victims' addresses (Detailed and sensitive)",
            "Legal bases and gateways": str(recorded.agreement.gateways.get()),
            "Transfers to third countries": "None recorded in the agreement",
            "Retention (time limits for erasure)": (
                "Destroyed 18 months after the case is closed; De-personalised statistics may be kept longer."
            ),
            "Security measures": (
                "Protective marking: OFFICIAL-SENSITIVE; Sent only by: Secure e-mail (for example .gov.uk to "
                ".gov.uk or NHSmail), In a meeting"
            ),
        }

    def test_the_owner_is_named_as_owner_and_its_dpo_is_its_own(self, recorded):
        [row] = processing_record(recorded.owner, on=TODAY)

        assert cells(row)["Its part"] == "Owner and party"
        assert cells(row)["Data protection officer"] == "Not named for this agreement"
        assert cells(row)["Joint controllers and recipients (the other parties)"].startswith("Borsetshire Police (")

    def test_what_the_agreement_does_not_record_is_said_so(self, cast):
        Agreement.objects.filter(pk=cast.agreement.pk).update(retention_months_after_closure=None)
        [row] = processing_record(cast.partner, on=TODAY)

        assert cells(row)["Retention (time limits for erasure)"] == "Not recorded in the agreement"
        assert cells(row)["Categories of personal data"] == "Not recorded in the agreement"
        assert cells(row)["Legal bases and gateways"] == "Not recorded in the agreement"

    def test_only_agreements_in_force_it_takes_part_in(self, cast):
        invited_to = AgreementFactory(owner=cast.unrelated_organisation, in_force=True)
        PartyFactory(agreement=invited_to, organisation=cast.partner, status=PartyStatus.INVITED)
        ended = AgreementFactory(owner=cast.owner, in_force=True)
        PartyFactory(agreement=ended, organisation=cast.partner, signed=True)
        Agreement.objects.filter(pk=ended.pk).update(status=Status.ENDED, ended_on=TODAY - datetime.timedelta(days=1))
        withdrawn_from = AgreementFactory(owner=cast.owner, in_force=True)
        gone = PartyFactory(agreement=withdrawn_from, organisation=cast.partner, signed=True)
        type(gone).objects.filter(pk=gone.pk).update(
            status=PartyStatus.WITHDRAWN, withdrawal_notified_on=TODAY - datetime.timedelta(days=60),
            withdrawal_effective_on=TODAY - datetime.timedelta(days=20),
        )

        assert list(agreements_processed_by(cast.partner, on=TODAY)) == [cast.agreement]
        assert list(agreements_processed_by(cast.unrelated_organisation, on=TODAY)) == [cast.unrelated_agreement]
