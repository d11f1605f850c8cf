"""Agreements that predate the portal (agreements/services/existing.py): an agreement agreed in
2016, amended in 2019 and reviewed since, recorded as it really is, its dates agreeing with each
other."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError

from agreements.models import AgreementVersion, BreachKind, SignedCopy, Status
from agreements.services import (
    agreement_record_existing,
    agreement_record_in_force,
    breach_record,
    signature_record_paper,
)
from tests.agreements.helpers import pdf_pages

pytestmark = pytest.mark.django_db

D = datetime.date


@pytest.fixture
def agreement(ready_draft):
    return ready_draft


def record(agreement, roles, **changes):
    kwargs = {"label": "2.0", "issued_on": D(2019, 5, 14), "change_summary": "Police added as a partner.",
              "earlier": [{"label": "1.0", "issued_on": D(2016, 9, 1), "change_summary": ""}], **changes}
    return agreement_record_existing(agreement=agreement, by_user=roles.governance_manager, **kwargs)


def sign(agreement, organisation, on):
    party = agreement.parties.get(organisation=organisation)
    return signature_record_paper(party=party, version=agreement.versions.latest(), signatory_name="A Signatory",
                                  signed_on=on)


class TestRecordExisting:
    def test_the_versions_are_recorded_as_they_were_and_nobody_is_asked_to_sign(self, agreement, roles):
        record(agreement, roles)

        agreement.refresh_from_db()
        assert agreement.status == Status.AWAITING_SIGNATURES
        assert [(v.label, v.issued, v.text_held) for v in agreement.versions.order_by("number")] == [
            ("1.0", D(2016, 9, 1), False), ("2.0", D(2019, 5, 14), True),
        ]
        assert agreement.versions.latest().change_summary == "Police added as a partner."
        assert mail.outbox == []

    def test_dates_out_of_order_or_to_come_are_refused_and_nothing_is_recorded(self, agreement, roles):
        with pytest.raises(ValidationError) as excinfo:
            record(agreement, roles, earlier=[{"label": "1.0", "issued_on": D(2020, 1, 1)}])
        assert excinfo.value.message_dict == {"issued_on": ["Each version must be dated after the one before it"]}

        with pytest.raises(ValidationError) as excinfo:
            record(agreement, roles, issued_on=D(2099, 1, 1), earlier=[])
        assert excinfo.value.message_dict == {
            "issued_on": ["The date the current version was issued must be today or in the past"],
        }
        assert AgreementVersion.objects.filter(agreement=agreement).exists() is False

    def test_an_agreement_not_yet_complete_is_refused(self, roles):
        with pytest.raises(ValidationError) as excinfo:
            record(roles.draft, roles)

        assert "Cannot record it yet: add at least one purpose." in excinfo.value.messages


class TestSignaturesAndInForce:
    def test_a_signature_cannot_predate_its_version(self, agreement, roles):
        record(agreement, roles)

        with pytest.raises(ValidationError) as excinfo:
            sign(agreement, roles.partner, D(2019, 4, 1))

        assert excinfo.value.message_dict == {
            "signed_on": ["The date the form was signed cannot be before version 2.0 was issued, on 14 May 2019"],
        }

    def test_in_force_since_a_past_day_with_its_reviews(self, agreement, roles):
        record(agreement, roles)
        sign(agreement, roles.owner, D(2019, 6, 1))
        sign(agreement, roles.partner, D(2019, 6, 20))

        with pytest.raises(ValidationError) as excinfo:
            agreement_record_in_force(agreement=agreement, by_user=roles.governance_manager, since=D(2019, 6, 10))
        assert excinfo.value.message_dict == {"since": [
            "It cannot have come into force before the signatures it needs: the last was on 20 June 2019",
        ]}

        agreement_record_in_force(
            agreement=agreement, by_user=roles.governance_manager, since=D(2019, 7, 1), last_review_on=D(2024, 7, 1),
        )

        agreement.refresh_from_db()
        assert (agreement.status, agreement.effective_date, agreement.last_review_on) == (
            Status.IN_FORCE, D(2019, 7, 1), D(2024, 7, 1),
        )
        assert agreement.next_review_due == D(2025, 7, 1)  # every 12 months, so overdue now
        assert mail.outbox == []

    def test_the_sealed_copy_waits_for_the_in_force_date_and_shows_it(self, agreement, roles):
        record(agreement, roles)
        sign(agreement, roles.owner, D(2019, 6, 1))
        sign(agreement, roles.partner, D(2019, 6, 20))
        version = agreement.versions.latest()
        assert SignedCopy.objects.filter(version=version).exists() is False  # all signed, not yet in force

        agreement_record_in_force(agreement=agreement, by_user=roles.governance_manager, since=D(2019, 7, 1))

        copy = SignedCopy.objects.get(version=version)
        text = " ".join(pdf_pages(copy.file.read()))
        assert "1 July 2019" in text and "14 May 2019" in text and "1 September 2016" in text

    def test_a_last_review_before_it_came_into_force_is_refused(self, agreement, roles):
        record(agreement, roles)
        sign(agreement, roles.owner, D(2019, 6, 1))
        sign(agreement, roles.partner, D(2019, 6, 20))

        with pytest.raises(ValidationError) as excinfo:
            agreement_record_in_force(agreement=agreement, by_user=roles.governance_manager, since=D(2019, 7, 1),
                                      last_review_on=D(2018, 1, 1), next_review_due=D(2017, 1, 1))

        assert excinfo.value.message_dict == {
            "last_review_on": ["The last review must be between the date it came into force and today"],
            "next_review_due": ["The next review must be after the last review, or after it came into force"],
        }
        agreement.refresh_from_db()
        assert agreement.status == Status.AWAITING_SIGNATURES


def test_a_breach_discovered_last_may_is_recorded_against_the_real_dates(agreement, roles):
    record(agreement, roles)
    sign(agreement, roles.owner, D(2019, 6, 1))
    sign(agreement, roles.partner, D(2019, 6, 20))
    agreement_record_in_force(agreement=agreement, by_user=roles.governance_manager, since=D(2019, 7, 1))

    breach = breach_record(
        agreement=agreement, reporting_organisation=roles.owner, kind=BreachKind.BREACH,
        discovered_at=datetime.datetime(2026, 5, 12, 9, 30, tzinfo=datetime.UTC),
        description="Sent to the wrong address.",
        data_involved="A name and address.", personal_data_breach=True, by_user=roles.governance_manager,
    )

    assert breach.agreement == agreement
