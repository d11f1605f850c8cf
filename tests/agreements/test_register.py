"""The public register's reads (agreements/selectors/register.py): only agreements in force, and
entries that carry no personal data."""

import dataclasses
import datetime

import pytest

from agreements.models import Agreement, Status
from agreements.selectors.register import register_entries, register_entry_for
from tests.factories import AgreementFactory, OrganisationFactory, PartyFactory

from .helpers.register import PINNED, TODAY, agreement_with_people, personal_strings

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


def test_the_register_lists_only_agreements_in_force():
    owner = OrganisationFactory()
    in_force = AgreementFactory(owner=owner, title="In force", in_force=True)
    AgreementFactory(owner=owner, title="A draft")
    AgreementFactory(owner=owner, title="Awaiting signatures", status=Status.AWAITING_SIGNATURES)
    ended = AgreementFactory(owner=owner, title="Ended", in_force=True)
    Agreement.objects.filter(pk=ended.pk).update(status=Status.ENDED, ended_on=TODAY - datetime.timedelta(days=5))
    lapsed = AgreementFactory(owner=owner, title="Ended yesterday, still marked in force", in_force=True)
    Agreement.objects.filter(pk=lapsed.pk).update(ended_on=TODAY - datetime.timedelta(days=1))
    future = AgreementFactory(owner=owner, title="Not yet in force", in_force=True)
    Agreement.objects.filter(pk=future.pk).update(effective_date=TODAY + datetime.timedelta(days=30))
    superseded = AgreementFactory(owner=owner, title="Superseded", in_force=True)
    Agreement.objects.filter(pk=superseded.pk).update(status=Status.SUPERSEDED)

    assert [entry.title for entry in register_entries()] == ["In force"]
    assert register_entry_for(in_force.pk) is not None
    for agreement in (ended, lapsed, future, superseded):
        assert register_entry_for(agreement.pk) is None


def test_an_entry_names_owner_parties_purposes_gateways_and_review_date():
    agreement = agreement_with_people()
    entry = register_entry_for(agreement.pk)
    assert entry.owner == "Borsetshire County Council"
    assert entry.parties == ("Borsetshire County Council", "Borsetshire Police")
    assert entry.purposes == ("To support families with multiple problems",)
    assert entry.gateways == ("Children Act 2004 s10 – Co-operation to improve well-being",)
    assert entry.next_review_due == agreement.next_review_due
    assert entry.retention == "24 months after the case is closed"


def test_a_fixed_period_from_the_disclosure_is_published_as_such():
    agreement = agreement_with_people()
    Agreement.objects.filter(pk=agreement.pk).update(retention_months_after_closure=None,
                                                     retention_months_from_disclosure=72)

    assert register_entry_for(agreement.pk).retention == "72 months after the disclosure"


def test_a_withdrawn_party_is_not_listed():
    agreement = AgreementFactory(in_force=True)
    PartyFactory(agreement=agreement, organisation=OrganisationFactory(name="Still here"), signed=True)
    PartyFactory(agreement=agreement, organisation=OrganisationFactory(name="Only invited"))
    assert register_entry_for(agreement.pk).parties == ("Still here",)


def test_the_privacy_notice_says_who_what_why_under_which_law_with_whom_how_long_and_the_rights():
    notice = " ".join(register_entry_for(agreement_with_people().pk).privacy_notice)
    assert "Borsetshire County Council and Borsetshire Police share personal information" in notice
    assert "Police call-outs to the family home" in notice
    assert "To support families with multiple problems" in notice
    assert "Children Act 2004 s10" in notice
    assert "It is shared with Borsetshire Police" in notice
    assert "kept for 24 months after the case is closed" in notice
    assert "Data Protection Officer" in notice and "Information Commissioner's Office" in notice


def test_no_personal_field_reaches_an_entry():
    entry = register_entry_for(agreement_with_people().pk)
    text = repr(dataclasses.asdict(entry))
    for personal in personal_strings():
        assert personal not in text
