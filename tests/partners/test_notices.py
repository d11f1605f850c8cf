"""Notices that must reach someone (partners.services.notice_send, partners.selectors; issue 13
item 3): each organisation's reachable people are told, and an organisation with nobody to tell
is recorded as an ``UndeliveredNotice``, never skipped in silence."""

import pytest

from partners.models import Notification, UndeliveredNotice
from partners.selectors import contacts_reachable, undelivered_notices_for, undelivered_summary
from partners.services import Notice, notice_send, notices_record
from tests.db import violates
from tests.factories import ContactFactory, MembershipFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def send(*recipients, **kwargs):
    return notice_send(recipients=recipients, subject="Borsetshire Police is withdrawing", body="It gave notice.",
                       url="/agreements/1/parties/", event_key="party-1-withdrawal", **kwargs)


def test_a_contact_with_an_email_is_told():
    organisation = OrganisationFactory()
    contact = ContactFactory(organisation=organisation)

    assert send((organisation, [contact])) == []
    assert Notification.objects.get().recipient == contact


def test_an_organisation_with_nobody_to_tell_is_recorded_with_its_message():
    organisation = OrganisationFactory(name="Stockport Homes")
    owner = OrganisationFactory(name="Stockport Council")
    silent = ContactFactory(organisation=organisation, email="")

    undelivered = send((organisation, [silent]), responsible_organisation=owner)

    assert [notice.message for notice in undelivered] == ["not delivered: Stockport Homes has nobody to tell"]
    assert (undelivered[0].responsible_organisation, undelivered[0].url) == (owner, "/agreements/1/parties/")
    assert Notification.objects.count() == 0
    assert undelivered_summary(undelivered) == "not delivered: Stockport Homes has nobody to tell"


def test_sending_the_same_event_again_records_it_once():
    organisation = OrganisationFactory()

    send((organisation, []))
    send((organisation, []))

    assert UndeliveredNotice.objects.count() == 1


def test_someone_who_signs_in_for_the_organisation_is_reachable_without_an_email():
    organisation = OrganisationFactory()
    user = MembershipFactory(organisation=organisation).user
    contact = ContactFactory(organisation=organisation, user=user, email="")
    elsewhere = ContactFactory(organisation=organisation, email="", user=MembershipFactory().user)

    assert contacts_reachable([contact, elsewhere], organisation) == [contact]


def test_the_owners_people_and_the_organisations_own_see_it_due_others_do_not():
    organisation, owner = OrganisationFactory(), OrganisationFactory()
    send((organisation, []), responsible_organisation=owner)
    manager = MembershipFactory(organisation=owner, role="governance_manager").user
    stranger = MembershipFactory(role="governance_manager").user

    assert undelivered_notices_for(manager).count() == 1
    assert undelivered_notices_for(stranger).count() == 0


def test_the_database_records_one_notice_per_organisation_and_event():
    organisation = OrganisationFactory()
    send((organisation, []))

    with violates(UndeliveredNotice, "undelivered_notice_once_per_event"):
        UndeliveredNotice.objects.create(organisation=organisation, subject="Again", body="Again.",
                                         event_key="party-1-withdrawal")


def test_a_notice_is_delivered_once_someone_acts_for_the_organisation(django_capture_on_commit_callbacks):
    from partners.services import undelivered_notices_deliver

    organisation = OrganisationFactory(name="Stockport Homes")
    send((organisation, []))
    assert undelivered_notices_deliver() == 0

    user = MembershipFactory(organisation=organisation, role="spoc").user
    spoc = ContactFactory(organisation=organisation, user=user)
    assert undelivered_notices_deliver() == 1

    notice = UndeliveredNotice.objects.get()
    assert notice.delivered_at is not None
    assert Notification.objects.get().recipient == spoc
    assert undelivered_notices_deliver() == 0


class TestNoticesRecordedTogether:
    """``notices_record``: the daily run's many notices in a few queries (issue 15), on the same
    rules as ``notice_send``."""

    def notice(self, organisation, reachable, key="disclosure-7-tell-by-2026-03-02"):
        return Notice(organisation=organisation, reachable=reachable, subject="Tell the person",
                      body="They were to be told.", url="/log/7/", event_key=key)

    def test_each_person_reached_is_told_once_in_their_digest_and_nobody_twice(self):
        organisation = OrganisationFactory()
        first, second = ContactFactory(organisation=organisation), ContactFactory(organisation=organisation)

        assert notices_record([self.notice(organisation, [first, second])]) == 2
        assert notices_record([self.notice(organisation, [first, second])]) == 0
        assert sorted(Notification.objects.values_list("recipient_id", "in_digest", "emailed_at")) == [
            (first.pk, True, None), (second.pk, True, None)]

    def test_an_organisation_with_nobody_is_recorded_once_as_undelivered(self):
        organisation = OrganisationFactory(name="Stockport Homes")

        assert notices_record([self.notice(organisation, [])]) == 0
        notices_record([self.notice(organisation, [])])

        assert [notice.message for notice in UndeliveredNotice.objects.all()] == [
            "not delivered: Stockport Homes has nobody to tell"]
        assert Notification.objects.count() == 0

    def test_a_hundred_notices_take_the_same_queries_as_two(self, django_assert_max_num_queries):
        organisation = OrganisationFactory()
        contact = ContactFactory(organisation=organisation)
        notices = [self.notice(organisation, [contact], key=f"disclosure-{number}-tell-by-2026-03-02")
                   for number in range(100)]

        with django_assert_max_num_queries(3):
            assert notices_record(notices) == 100
