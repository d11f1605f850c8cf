"""Correcting and voiding an entry (sharing_log/models/amendments.py, services/amendments.py,
selectors/amendments.py): the rules the database holds, and every rule of a correction or a void.
The pages are in test_amendments_views.py."""


import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import timezone

from agreements.models import DataLevel, TransferMethod
from partners.models import Role
from sharing_log.models import (
    Amendment,
    AmendmentKind,
    Disclosure,
)
from sharing_log.selectors import corrected_values
from sharing_log.services import (
    disclosure_amend,
    disclosure_void,
)
from tests.db import violates
from tests.sharing_log.helpers import day

pytestmark = pytest.mark.django_db


class TestAmendment:
    def test_needs_a_reason(self, disclosure):
        with violates(Amendment, "amendment_has_reason"):
            Amendment.objects.create(
                disclosure=disclosure, kind=AmendmentKind.CORRECTION, reason="",
                made_by=disclosure.disclosed_by,
            )

    def test_entry_is_voided_once(self, disclosure):
        Amendment.objects.create(
            disclosure=disclosure, kind=AmendmentKind.VOID, reason="Logged twice.",
            made_by=disclosure.disclosed_by,
        )

        with violates(Amendment, "amendment_void_once"):
            Amendment.objects.create(
                disclosure=disclosure, kind=AmendmentKind.VOID, reason="Logged twice, again.",
                made_by=disclosure.disclosed_by,
            )

    def test_entry_is_marked_inaccurate_once(self, disclosure):
        Amendment.objects.create(
            disclosure=disclosure, kind=AmendmentKind.INACCURATE, reason="The date of the incident is wrong.",
            made_by=disclosure.disclosed_by,
        )

        with violates(Amendment, "amendment_inaccurate_once"):
            Amendment.objects.create(
                disclosure=disclosure, kind=AmendmentKind.INACCURATE, reason="The address is wrong too.",
                made_by=disclosure.disclosed_by,
            )

    def test_entry_may_be_corrected_more_than_once(self, disclosure):
        for reason in ("Wrong recipient job title.", "Wrong time."):
            Amendment.objects.create(
                disclosure=disclosure, kind=AmendmentKind.CORRECTION, reason=reason,
                made_by=disclosure.disclosed_by,
            )

        assert disclosure.amendments.count() == 2


def correct(entry, by_user, **changes):
    kwargs = {"field": "case_reference", "value": "ASB-2026-0043", "reason": "Typed the wrong case number."}
    kwargs.update(changes)
    return disclosure_amend(disclosure=entry, by_user=by_user, **kwargs)


def correction_refused(entry, by_user, **changes) -> dict:
    before = Amendment.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        correct(entry, by_user, **changes)
    assert Amendment.objects.count() == before
    return excinfo.value.message_dict


class TestCorrect:
    def test_correction_is_recorded_beside_the_entry_which_stays_as_logged(self, roles, entry):
        original = entry.case_reference

        amendment = correct(entry, roles.practitioner)

        entry.refresh_from_db()
        assert (amendment.kind, amendment.changes, amendment.made_by) == (
            AmendmentKind.CORRECTION, {"case_reference": "ASB-2026-0043"}, roles.practitioner,
        )
        assert entry.case_reference == original
        assert corrected_values(entry) == {"case_reference": "ASB-2026-0043"}

    @pytest.mark.parametrize("role", [Role.SPOC, Role.GOVERNANCE_MANAGER])
    def test_disclosing_organisations_spoc_or_governance_manager_may_correct(self, roles, entry, role):
        assert correct(entry, roles.member(roles.owner, role)).pk is not None

    @pytest.mark.parametrize("who", ["owners_other_practitioner", "spoc", "auditor", "unrelated"])
    def test_others_may_not_correct(self, roles, entry, who):
        if who == "owners_other_practitioner":
            user = roles.member(roles.owner, Role.PRACTITIONER)
        else:
            user = roles.subject(who)

        with pytest.raises(PermissionDenied):
            correct(entry, user)

        assert Amendment.objects.exists() is False

    def test_detail_that_may_not_be_corrected_is_refused(self, roles, entry):
        problems = correction_refused(entry, roles.practitioner, field="art6_basis")

        assert problems["field"] == ["Choose the detail to correct."]

    def test_correction_needs_a_reason(self, roles, entry):
        problems = correction_refused(entry, roles.practitioner, reason=" ")

        assert problems["reason"] == ["Give the reason for the correction."]

    def test_same_value_is_refused(self, roles, entry):
        problems = correction_refused(entry, roles.practitioner, value=entry.case_reference)

        assert problems["value"] == ["This is the entry's case reference already: enter the new value."]

    def test_value_already_corrected_to_is_refused(self, roles, entry):
        correct(entry, roles.practitioner)

        problems = correction_refused(entry, roles.practitioner)

        assert problems["value"] == ["This is the entry's case reference already: enter the new value."]

    def test_required_detail_cannot_be_emptied(self, roles, entry):
        problems = correction_refused(entry, roles.practitioner, value="")

        assert problems["value"] == ["Enter the corrected case reference."]

    def test_choice_outside_the_list_is_refused(self, roles, entry):
        problems = correction_refused(entry, roles.practitioner, field="data_level", value="everything")

        assert problems["value"] == ["Choose the corrected data level from the list."]

    def test_choice_is_recorded(self, roles, entry):
        amendment = correct(entry, roles.practitioner, field="data_level", value=DataLevel.DETAILED)

        assert amendment.changes == {"data_level": "detailed"}

    def test_case_reference_that_identifies_someone_is_refused(self, roles, entry):
        problems = correction_refused(entry, roles.practitioner, value="943 476 5919")

        assert problems["value"] == [
            "The case reference must not identify anyone, and this looks like it holds an NHS number. "
            "Enter your organisation's pseudonymous case reference instead."
        ]

    def test_summary_that_looks_identifying_needs_checking(self, roles, entry):
        problems = correction_refused(entry, roles.practitioner, field="summary", value="Now at CB1 2AB.")

        assert problems["summary_checked"] == [
            "The summary may identify someone: it looks like it holds a postcode. "
            "Take out anything that identifies a person, or tick the box to confirm it holds nothing identifying."
        ]
        assert correct(entry, roles.practitioner, field="summary", value="Now at CB1 2AB.",
                       summary_checked=True).changes == {"summary": "Now at CB1 2AB."}

    def test_transfer_method_the_agreement_does_not_permit_is_refused(self, roles, entry):
        type(roles.agreement).objects.filter(pk=roles.agreement.pk).update(
            transfer_methods=[TransferMethod.SECURE_EMAIL],
        )
        entry.agreement.refresh_from_db()

        problems = correction_refused(entry, roles.practitioner, field="transfer_method", value=TransferMethod.FAX)

        assert problems["value"] == [f"Choose a transfer method {roles.agreement} permits."]

    def test_voided_entry_cannot_be_corrected(self, roles, entry):
        disclosure_void(disclosure=entry, by_user=roles.practitioner, reason="Logged twice.")

        problems = correction_refused(entry, roles.practitioner)

        assert problems[NON_FIELD_ERRORS] == [
            f"This entry was voided on {day(timezone.localdate())}: it cannot be corrected."
        ]


class TestVoid:
    def test_voiding_records_the_reason_and_keeps_the_entry(self, roles, entry):
        amendment = disclosure_void(disclosure=entry, by_user=roles.practitioner, reason="Logged twice.")

        assert (amendment.kind, amendment.reason) == (AmendmentKind.VOID, "Logged twice.")
        assert Disclosure.objects.filter(pk=entry.pk).exists() is True

    def test_an_entry_is_voided_once(self, roles, entry):
        disclosure_void(disclosure=entry, by_user=roles.practitioner, reason="Logged twice.")

        with pytest.raises(ValidationError) as excinfo:
            disclosure_void(disclosure=entry, by_user=roles.governance_manager, reason="Wrong case.")

        assert excinfo.value.message_dict[NON_FIELD_ERRORS] == [
            f"This entry was voided on {day(timezone.localdate())}: it cannot be voided again."
        ]
        assert Amendment.objects.filter(kind=AmendmentKind.VOID).count() == 1

    def test_voiding_needs_a_reason(self, roles, entry):
        with pytest.raises(ValidationError) as excinfo:
            disclosure_void(disclosure=entry, by_user=roles.practitioner, reason="")

        assert excinfo.value.message_dict["reason"] == ["Give the reason for voiding this entry."]
        assert Amendment.objects.exists() is False

    def test_recipient_may_not_void(self, roles, entry):
        with pytest.raises(PermissionDenied):
            disclosure_void(disclosure=entry, by_user=roles.spoc, reason="Not ours.")

        assert Amendment.objects.exists() is False
