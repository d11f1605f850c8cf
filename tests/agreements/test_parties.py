"""Parties (agreements/models/parties.py, services/parties.py, selectors/parties.py): the rules
the database holds; invite, standing, contacts, data items and withdrawal; who may sign for which
party. Tests that need a database without the shared cast are in test_parties_no_cast.py."""

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements.models import (
    ContactRole,
    DataLevel,
    Party,
    PartyContact,
    PartyStatus,
    Status,
)
from agreements.permissions import can_sign
from agreements.selectors import (
    agreement_content,
    content_hash,
    parties_user_may_sign,
)
from agreements.services import (
    data_item_create,
    party_add,
    party_contact_add,
    party_contact_assign,
    party_contact_remove,
    party_data_set,
    party_invite,
    party_partnerships_set,
    party_record_status,
    party_withdraw,
    party_withdrawals_complete,
    signature_record_paper,
)
from partners.models import Contact, Notification, Role, UndeliveredNotice
from tests.agreements.helpers import DAY, EFFECTIVE, member
from tests.db import violates
from tests.factories import (
    AgreementFactory,
    AgreementVersionFactory,
    ContactFactory,
    MembershipFactory,
    OrganisationFactory,
    PartyFactory,
    UserFactory,
)
from tests.mail import digests

pytestmark = pytest.mark.django_db


NOTICE = datetime.date(2026, 11, 22)


def spoc_of(party, name: str, **fields) -> Contact:
    """A person the party names as its SPOC for the agreement."""
    contact = ContactFactory(organisation=party.organisation, name=name, **fields)
    party_contact_add(party=party, contact=contact, role=ContactRole.SPOC)
    return contact


def portal_person(organisation, role: str, name: str) -> Contact:
    """Someone who acts for ``organisation`` in the portal in ``role``, with a directory entry."""
    user = MembershipFactory(organisation=organisation, role=role).user
    return ContactFactory(organisation=organisation, user=user, name=name)


def signed_version(agreement, *parties):
    """Version 1.0 of ``agreement``, signed on paper by ``parties``."""
    version = AgreementVersionFactory(agreement=agreement, label="1.0")
    for party in parties:
        signature_record_paper(party=party, version=version, signatory_name="Alex Example")
    return version


def told(contact) -> list[str]:
    return list(Notification.objects.filter(recipient=contact).values_list("subject", flat=True))


class TestPartyInvite:
    def test_invited_organisations_lead_signatory_may_sign_for_it(self, roles):
        organisation = OrganisationFactory()
        signatory = MembershipFactory(organisation=organisation, role=Role.LEAD_SIGNATORY).user

        party = party_invite(agreement=roles.draft, organisation=organisation)

        assert signatory.has_perm("agreements.sign_party", party) is True

    def test_organisation_becomes_an_invited_party_its_members_may_see(self, roles):
        organisation = OrganisationFactory(name="Borsetshire Fire and Rescue Service")
        firefighter = MembershipFactory(organisation=organisation, role=Role.PRACTITIONER).user

        party = party_invite(agreement=roles.draft, organisation=organisation, on=NOTICE)

        assert (party.status, party.invited_on) == (PartyStatus.INVITED, NOTICE)
        assert firefighter.has_perm("agreements.view_agreement", roles.draft) is True

    def test_organisations_spoc_and_governance_manager_are_emailed_the_invitation(
        self, roles, django_capture_on_commit_callbacks,
    ):
        organisation = OrganisationFactory(name="Borsetshire Fire and Rescue Service")
        spoc = portal_person(organisation, Role.SPOC, "Robin Example")
        manager = portal_person(organisation, Role.GOVERNANCE_MANAGER, "Jordan Example")
        portal_person(organisation, Role.PRACTITIONER, "Casey Example")

        with django_capture_on_commit_callbacks(execute=True):
            party_invite(agreement=roles.agreement, organisation=organisation)

        # Agreement paperwork waits for the morning's digest (decision 0045).
        assert mail.outbox == []
        messages = digests()
        assert sorted(message.to[0] for message in messages) == sorted([spoc.email, manager.email])
        message = messages[0]
        assert message.subject == "ISA Portal: 1 thing due today"
        assert "1. Invitation to join Borsetshire Community Safety Information Sharing Agreement\n" in message.body
        assert (
            "Borsetshire County Council has invited Borsetshire Fire and Rescue Service to become a "
            "party to the information sharing agreement “Borsetshire Community Safety Information "
            "Sharing Agreement” (BCSP ISA), which is already in force.\n\n"
            "Please read the agreement in the portal, then name your organisation's single point "
            "of contact (SPOC) and lead signatory for it on the agreement's parties page."
        ) in message.body
        assert f"/agreements/{roles.agreement.pk}/parties/" in message.body

    def test_an_invitation_to_a_draft_says_when_it_can_be_read_and_links_nowhere(
        self, roles, django_capture_on_commit_callbacks,
    ):
        organisation = OrganisationFactory(name="Borsetshire Fire and Rescue Service")
        spoc = portal_person(organisation, Role.SPOC, "Robin Example")

        with django_capture_on_commit_callbacks(execute=True):
            party_invite(agreement=roles.draft, organisation=organisation)

        [message] = digests()
        assert (
            "The agreement is still being drafted. You will be able to read it in the portal when "
            "Borsetshire County Council sends it out for consultation or for signature"
        ) in message.body
        assert "/agreements/" not in message.body
        assert Notification.objects.get(recipient=spoc).url == ""

    def test_ceased_body_is_refused_with_its_successor_named(self, roles):
        successor = OrganisationFactory(name="Borsetshire Integrated Care Board")
        ccg = OrganisationFactory(
            name="Borsetshire Clinical Commissioning Group", ceased_on=datetime.date(2022, 7, 1),
            successor=successor,
        )

        with pytest.raises(ValidationError) as refused:
            party_invite(agreement=roles.draft, organisation=ccg)

        assert refused.value.message_dict == {"organisation": [
            "Borsetshire Clinical Commissioning Group ceased on 1 July 2022: "
            "invite Borsetshire Integrated Care Board instead."
        ]}
        assert not roles.draft.parties.filter(organisation=ccg).exists()

    def test_an_existing_party_cannot_be_invited_again(self, roles):
        with pytest.raises(ValidationError) as refused:
            party_invite(agreement=roles.agreement, organisation=roles.partner)

        assert refused.value.message_dict == {"organisation": [
            "Borsetshire Police is already a party to this agreement."
        ]}

    def test_an_ended_agreement_takes_no_new_partner(self, roles):
        ended = AgreementFactory(
            owner=roles.owner, status=Status.ENDED, effective_date=datetime.date(2020, 1, 1),
            ended_on=datetime.date(2024, 1, 1),
        )

        with pytest.raises(ValidationError) as refused:
            party_invite(agreement=ended, organisation=OrganisationFactory())

        assert refused.value.message_dict == {"organisation": [
            "This agreement is ended: no organisation can be invited to it."
        ]}
        assert not ended.parties.exists()

    def test_joining_an_agreement_in_force_tells_every_other_partys_spoc_in_their_digest(
        self, roles, django_capture_on_commit_callbacks,
    ):
        owner_spoc = spoc_of(roles.owner_party, "Morgan Example")
        partner_spoc = spoc_of(roles.partner_party, "Riley Example")
        declined = PartyFactory(agreement=roles.agreement, status=PartyStatus.DECLINED)
        declined_spoc = spoc_of(declined, "Quinn Example")
        organisation = OrganisationFactory(name="Borsetshire Fire and Rescue Service")
        newcomer = portal_person(organisation, Role.SPOC, "Robin Example")

        with django_capture_on_commit_callbacks(execute=True):
            party_invite(agreement=roles.agreement, organisation=organisation)

        subject = (
            "Borsetshire Fire and Rescue Service is joining "
            "Borsetshire Community Safety Information Sharing Agreement"
        )
        assert (told(owner_spoc), told(partner_spoc), told(declined_spoc)) == ([subject], [subject], [])
        assert told(newcomer) == ["Invitation to join Borsetshire Community Safety Information Sharing Agreement"]
        assert mail.outbox == []  # news, in the digest (decision 0045)
        joining = next(message for message in digests() if message.to == [partner_spoc.email])
        assert joining.body.startswith("Dear Riley Example,\n\n")
        assert (f"1. {subject}\n\nBorsetshire County Council has invited "
                "Borsetshire Fire and Rescue Service to join") in joining.body
        assert (
            "Until it has signed, do not share information with Borsetshire Fire and Rescue "
            "Service under this agreement."
        ) in joining.body

    def test_a_party_without_a_named_spoc_is_told_through_its_portal_spoc(self, roles):
        acting = portal_person(roles.partner, Role.SPOC, "Riley Example")

        party_invite(agreement=roles.agreement, organisation=OrganisationFactory(name="Borsetshire Probation"))

        assert told(acting) == [
            "Borsetshire Probation is joining Borsetshire Community Safety Information Sharing Agreement"
        ]

    def test_inviting_to_a_draft_tells_no_other_party(self, roles):
        draft_partner = roles.draft.parties.get(organisation=roles.partner)
        partner_spoc = spoc_of(draft_partner, "Riley Example")

        party_invite(agreement=roles.draft, organisation=OrganisationFactory())

        assert told(partner_spoc) == []

    def test_a_partner_joining_signs_the_version_in_force_no_new_version_is_made(self, roles):
        version = signed_version(roles.agreement, roles.owner_party, roles.partner_party)

        party_invite(agreement=roles.agreement, organisation=OrganisationFactory())

        assert list(roles.agreement.versions.all()) == [version]
        assert content_hash(agreement_content(roles.agreement)) == version.content_hash


class TestPartyRecordStatus:
    @pytest.fixture
    def party(self, roles):
        return roles.draft.parties.get(organisation=roles.partner)

    @pytest.mark.parametrize("status", [PartyStatus.AWAITING_DETAILS, PartyStatus.AWAIT_CASE])
    def test_records_where_an_invited_party_stands(self, party, status):
        party_record_status(party=party, status=status)

        party.refresh_from_db()
        assert (party.status, party.declined_on) == (status, None)

    def test_declined_is_recorded_with_its_date(self, party):
        party_record_status(party=party, status=PartyStatus.DECLINED, on=NOTICE)

        party.refresh_from_db()
        assert (party.status, party.declined_on) == (PartyStatus.DECLINED, NOTICE)

    def test_declined_without_a_date_is_declined_today(self, party):
        party_record_status(party=party, status=PartyStatus.DECLINED)

        assert party.declined_on == timezone.localdate()

    def test_a_party_that_declined_and_changes_its_mind_loses_the_date(self, party):
        party_record_status(party=party, status=PartyStatus.DECLINED, on=NOTICE)

        party_record_status(party=party, status=PartyStatus.AWAITING_DETAILS)

        party.refresh_from_db()
        assert (party.status, party.declined_on) == (PartyStatus.AWAITING_DETAILS, None)

    def test_the_registers_words_are_replaced_only_when_given(self, party):
        party_record_status(party=party, status=PartyStatus.AWAITING_DETAILS, note="Awaiting details of SPOC")
        party_record_status(party=party, status=PartyStatus.AWAIT_CASE)

        party.refresh_from_db()
        assert party.status_note == "Awaiting details of SPOC"

    def test_signed_is_not_set_here(self, party):
        with pytest.raises(ValidationError) as refused:
            party_record_status(party=party, status=PartyStatus.SIGNED)

        assert refused.value.message_dict == {"status": [
            "Choose awaiting details, await appropriate case before signing, or declined."
        ]}
        party.refresh_from_db()
        assert party.status == PartyStatus.INVITED

    def test_a_signed_party_cannot_be_marked_declined(self, roles):
        with pytest.raises(ValidationError) as refused:
            party_record_status(party=roles.partner_party, status=PartyStatus.DECLINED)

        assert refused.value.message_dict == {"status": [
            "Borsetshire Police has signed the agreement, so its standing cannot be changed here. "
            "If it is leaving, record its withdrawal."
        ]}
        roles.partner_party.refresh_from_db()
        assert roles.partner_party.status == PartyStatus.SIGNED

    def test_a_withdrawing_party_cannot_be_marked_awaiting_details(self, roles):
        leaving = PartyFactory(agreement=roles.agreement, withdrawal_notified=True)

        with pytest.raises(ValidationError) as refused:
            party_record_status(party=leaving, status=PartyStatus.AWAITING_DETAILS)

        assert refused.value.message_dict == {"status": [
            f"{leaving.organisation} has given notice of withdrawal, so its standing cannot be changed here."
        ]}


class TestPartyContacts:
    def test_names_someone_from_the_directory_as_spoc(self, roles):
        contact = ContactFactory(organisation=roles.partner, name="Riley Example")

        link = party_contact_assign(party=roles.partner_party, role=ContactRole.SPOC, contact=contact)

        assert (link.party, link.contact, link.role) == (roles.partner_party, contact, ContactRole.SPOC)

    def test_names_someone_new_who_joins_the_directory(self, roles):
        link = party_contact_assign(
            party=roles.partner_party, role=ContactRole.DPO, name="Avery Example",
            job_title="Data protection officer", email="avery.example@borsetshire.example",
        )

        assert link.contact.organisation == roles.partner
        assert (link.contact.name, link.role) == ("Avery Example", ContactRole.DPO)

    def test_a_new_lead_signatory_replaces_the_old(self, roles):
        old = ContactFactory(organisation=roles.partner, name="Alex Example")
        new = ContactFactory(organisation=roles.partner, name="Charlie Example")
        party_contact_assign(party=roles.partner_party, role=ContactRole.LEAD_SIGNATORY, contact=old)

        party_contact_assign(party=roles.partner_party, role=ContactRole.LEAD_SIGNATORY, contact=new)

        assert [link.contact for link in roles.partner_party.contacts.filter(role=ContactRole.LEAD_SIGNATORY)] == [new]

    def test_the_same_person_in_the_same_role_is_refused(self, roles):
        contact = ContactFactory(organisation=roles.partner, name="Riley Example")
        party_contact_assign(party=roles.partner_party, role=ContactRole.SPOC, contact=contact)

        with pytest.raises(ValidationError) as refused:
            party_contact_assign(party=roles.partner_party, role=ContactRole.SPOC, contact=contact)

        assert refused.value.message_dict == {"contact": [
            "Riley Example is already named as Single point of contact (SPOC) for Borsetshire Police."
        ]}

    def test_someone_from_another_organisation_is_refused(self, roles):
        stranger = ContactFactory(organisation=roles.owner, name="Morgan Example")

        with pytest.raises(ValidationError) as refused:
            party_contact_assign(party=roles.partner_party, role=ContactRole.SPOC, contact=stranger)

        assert refused.value.message_dict["contact"] == [
            "Morgan Example works for Borsetshire County Council, not Borsetshire Police."
        ]
        assert not roles.partner_party.contacts.exists()

    def test_a_new_person_with_a_bad_email_saves_nothing(self, roles):
        with pytest.raises(ValidationError):
            party_contact_assign(
                party=roles.partner_party, role=ContactRole.SPOC, name="Avery Example", email="not-an-address",
            )

        assert not Contact.objects.filter(name="Avery Example").exists()

    def test_changing_contacts_of_a_signed_agreement_makes_no_version(self, roles):
        version = signed_version(roles.agreement, roles.owner_party, roles.partner_party)
        contact = ContactFactory(organisation=roles.partner)

        link = party_contact_assign(party=roles.partner_party, role=ContactRole.SPOC, contact=contact)
        party_contact_assign(party=roles.partner_party, role=ContactRole.LEAD_SIGNATORY, name="Charlie Example")
        party_contact_remove(party_contact=link)

        assert list(roles.agreement.versions.all()) == [version]

    def test_removing_stops_naming_the_person_but_keeps_them_in_the_directory(self, roles):
        contact = ContactFactory(organisation=roles.partner)
        link = party_contact_assign(party=roles.partner_party, role=ContactRole.SPOC, contact=contact)

        party_contact_remove(party_contact=link)

        assert not roles.partner_party.contacts.exists()
        assert Contact.objects.filter(pk=contact.pk).exists()


class TestPartyDataSet:
    @pytest.fixture
    def items(self, roles):
        return [
            data_item_create(
                agreement=roles.agreement, provider_label="Police", level=DataLevel.DETAILED,
                description="Incidents of anti-social behaviour at an address",
            ),
            data_item_create(
                agreement=roles.agreement, provider_label="Police", level=DataLevel.MINIMUM,
                description="Names and dates of birth of people arrested",
            ),
        ]

    def test_records_what_the_party_provides(self, roles, items):
        party_data_set(party=roles.partner_party, data_items=items[:1], by_user=roles.governance_manager)

        assert list(roles.partner_party.data_items.all()) == items[:1]

    def test_unticking_an_item_stops_the_party_providing_it(self, roles, items):
        party_data_set(party=roles.partner_party, data_items=items, by_user=roles.governance_manager)

        party_data_set(party=roles.partner_party, data_items=items[1:], by_user=roles.governance_manager)

        assert list(roles.partner_party.data_items.all()) == items[1:]

    def test_a_change_after_signature_is_substantive_and_makes_a_new_version(self, roles, items):
        signed_version(roles.agreement, roles.owner_party, roles.partner_party)

        party_data_set(party=roles.partner_party, data_items=items[:1], by_user=roles.governance_manager)

        latest = roles.agreement.versions.latest()
        assert (latest.label, latest.created_by) == ("2.0", roles.governance_manager)
        assert latest.change_summary == (
            "What Borsetshire Police provides changed.\n"
            "Now provides: Incidents of anti-social behaviour at an address"
        )
        assert latest.content["data_items"][0]["providers"] == ["Borsetshire Police"]

    def test_no_change_makes_no_version(self, roles, items):
        signed_version(roles.agreement, roles.owner_party, roles.partner_party)

        party_data_set(party=roles.partner_party, data_items=[], by_user=roles.governance_manager)

        assert roles.agreement.versions.count() == 1

    def test_an_item_of_another_agreement_is_refused(self, roles, items):
        foreign = data_item_create(
            agreement=roles.unrelated_agreement, provider_label="Housing", level=DataLevel.MINIMUM,
            description="Tenancy status",
        )

        with pytest.raises(ValidationError) as refused:
            party_data_set(party=roles.partner_party, data_items=[items[0], foreign], by_user=roles.governance_manager)

        assert refused.value.message_dict == {"data_items": ["Choose data items from this agreement."]}
        assert not roles.partner_party.data_items.exists()


class TestPartyWithdraw:
    def withdraw(self, party, **kwargs):
        return party_withdraw(party=party, notice_given_on=NOTICE, on=NOTICE, **kwargs)

    def test_notice_is_recorded_and_takes_effect_one_calendar_month_later(self, roles):
        self.withdraw(roles.partner_party)

        roles.partner_party.refresh_from_db()
        assert (
            roles.partner_party.status, roles.partner_party.withdrawal_notified_on,
            roles.partner_party.withdrawal_effective_on,
        ) == (PartyStatus.WITHDRAWAL_NOTIFIED, NOTICE, datetime.date(2026, 12, 22))

    def test_a_later_effective_date_is_kept(self, roles):
        self.withdraw(roles.partner_party, effective_on=datetime.date(2027, 3, 31))

        assert roles.partner_party.withdrawal_effective_on == datetime.date(2027, 3, 31)

    def test_less_than_a_months_notice_is_refused_and_saves_nothing(self, roles):
        with pytest.raises(ValidationError) as refused:
            self.withdraw(roles.partner_party, effective_on=datetime.date(2026, 12, 21))

        assert refused.value.message_dict == {"effective_on": [
            "The withdrawal must take effect at least one month after notice is given: "
            "on or after 22 December 2026."
        ]}
        roles.partner_party.refresh_from_db()
        assert (roles.partner_party.status, roles.partner_party.withdrawal_notified_on) == (PartyStatus.SIGNED, None)

    def test_a_month_from_the_end_of_january_is_the_end_of_february(self, roles):
        party_withdraw(
            party=roles.partner_party, notice_given_on=datetime.date(2027, 1, 31),
            effective_on=datetime.date(2027, 2, 28), on=datetime.date(2027, 1, 31),
        )

        assert roles.partner_party.withdrawal_effective_on == datetime.date(2027, 2, 28)

    def test_notice_cannot_be_given_in_the_future(self, roles):
        with pytest.raises(ValidationError) as refused:
            party_withdraw(party=roles.partner_party, notice_given_on=NOTICE, on=NOTICE - datetime.timedelta(days=1))

        assert refused.value.message_dict == {"notice_given_on": [
            "The date notice was given must be today or in the past."
        ]}

    def test_a_party_that_has_not_signed_cannot_withdraw(self, roles):
        invited = roles.draft.parties.get(organisation=roles.partner)

        with pytest.raises(ValidationError) as refused:
            self.withdraw(invited)

        assert refused.value.messages == [
            "Borsetshire Police has not signed the agreement, so it cannot give notice of "
            "withdrawal. If it does not wish to join, record that it has declined."
        ]

    def test_the_owner_cannot_withdraw_from_its_own_agreement(self, roles):
        with pytest.raises(ValidationError) as refused:
            self.withdraw(roles.owner_party)

        assert refused.value.messages == [
            "Borsetshire County Council owns this agreement, so it cannot withdraw from it. "
            "End the agreement instead."
        ]
        roles.owner_party.refresh_from_db()
        assert roles.owner_party.status == PartyStatus.SIGNED

    def test_notice_cannot_be_given_twice(self, roles):
        self.withdraw(roles.partner_party)

        with pytest.raises(ValidationError) as refused:
            self.withdraw(roles.partner_party)

        assert refused.value.messages == [
            "Borsetshire Police has already given notice: its withdrawal takes effect on 22 December 2026."
        ]

    def test_every_other_partys_spoc_is_told_at_once_with_the_date_and_what_stays_binding(
        self, roles, django_capture_on_commit_callbacks,
    ):
        owner_spoc = spoc_of(roles.owner_party, "Morgan Example", email="morgan@borsetshire.example")
        third = PartyFactory(agreement=roles.agreement, signed=True)
        third_spoc = spoc_of(third, "Quinn Example")
        own_spoc = spoc_of(roles.partner_party, "Riley Example")

        with django_capture_on_commit_callbacks(execute=True):
            self.withdraw(roles.partner_party)

        subject = "Borsetshire Police is withdrawing from Borsetshire Community Safety Information Sharing Agreement"
        assert (told(owner_spoc), told(third_spoc), told(own_spoc)) == ([subject], [subject], [subject])
        message = next(message for message in mail.outbox if message.to == ["morgan@borsetshire.example"])
        assert message.subject == f"ISA Portal: {subject}"
        assert (
            "Borsetshire Police gave notice on 22 November 2026 that it is withdrawing from the "
            "information sharing agreement “Borsetshire Community Safety Information Sharing "
            "Agreement” (BCSP ISA). The withdrawal takes effect on 22 December 2026."
        ) in message.body
        assert (
            "From 22 December 2026, do not share information with Borsetshire Police under this "
            "agreement"
        ) in message.body
        assert (
            "Borsetshire Police stays bound by the agreement for the information it has already "
            "received: it must keep it secure and destroy it, or return it to the partner who "
            "shared it, when it is no longer needed."
        ) in message.body

    def test_the_withdrawing_party_is_told_what_it_must_confirm(self, roles):
        own_spoc = spoc_of(roles.partner_party, "Riley Example")

        self.withdraw(roles.partner_party)

        notice = Notification.objects.get(recipient=own_spoc)
        assert (
            "When the withdrawal takes effect, confirm in the portal what Borsetshire Police did "
            "with it: returned, destroyed, or retained and why."
        ) in notice.body

    def test_a_party_with_nobody_to_tell_is_recorded_not_skipped(self, roles):
        """Issue 13: a withdrawal under seed 004's protocol, whose parties name nobody, told 0
        people, silently."""
        Contact.objects.filter(organisation__in=[roles.owner, roles.partner]).update(email="", user=None)
        silent = PartyFactory(agreement=roles.agreement, signed=True,
                              organisation=OrganisationFactory(name="Stockport Homes"))

        self.withdraw(roles.partner_party)

        notices = UndeliveredNotice.objects.filter(event_key=f"party-{roles.partner_party.pk}-withdrawal-2026-11-22")
        assert sorted(notice.message for notice in notices) == [
            "not delivered: Borsetshire County Council has nobody to tell",
            "not delivered: Borsetshire Police has nobody to tell",
            "not delivered: Stockport Homes has nobody to tell",
        ]
        assert {notice.url for notice in notices} == {f"/agreements/{roles.agreement.pk}/parties/"}
        assert not Notification.objects.filter(recipient__organisation=silent.organisation).exists()

    def test_a_contact_who_signs_in_for_the_party_is_told_without_an_email(self, roles):
        person = portal_person(roles.partner, Role.SPOC, "Sasha Example")
        Contact.objects.filter(pk=person.pk).update(email="")

        self.withdraw(roles.partner_party)

        assert told(person) == [
            "Borsetshire Police is withdrawing from Borsetshire Community Safety Information Sharing Agreement",
        ]
        assert not UndeliveredNotice.objects.filter(organisation=roles.partner).exists()

    def test_a_refused_withdrawal_tells_nobody(self, roles, django_capture_on_commit_callbacks):
        owner_spoc = spoc_of(roles.owner_party, "Morgan Example")

        with django_capture_on_commit_callbacks(execute=True), pytest.raises(ValidationError):
            self.withdraw(roles.partner_party, effective_on=NOTICE)

        assert (told(owner_spoc), mail.outbox) == ([], [])


class TestWithdrawalTakesEffect:
    def test_partner_may_receive_until_the_day_before_the_effective_date_and_not_from_it(self, roles):
        party_withdraw(party=roles.partner_party, notice_given_on=NOTICE, on=NOTICE)
        effective = datetime.date(2026, 12, 22)

        in_force = Party.objects.filter(agreement=roles.agreement).in_force
        assert roles.partner_party in in_force(on=effective - datetime.timedelta(days=1))
        assert roles.partner_party not in in_force(on=effective)

    def test_completes_withdrawals_whose_date_has_come_and_no_others(self, roles):
        party_withdraw(party=roles.partner_party, notice_given_on=NOTICE, on=NOTICE)
        later = PartyFactory(agreement=roles.agreement, signed=True)
        party_withdraw(party=later, notice_given_on=NOTICE, effective_on=datetime.date(2027, 1, 5), on=NOTICE)

        completed = party_withdrawals_complete(on=datetime.date(2026, 12, 22))

        assert completed == [roles.partner_party]
        assert Party.objects.get(pk=roles.partner_party.pk).status == PartyStatus.WITHDRAWN
        assert Party.objects.get(pk=later.pk).status == PartyStatus.WITHDRAWAL_NOTIFIED

    def test_is_not_done_the_day_before(self, roles):
        party_withdraw(party=roles.partner_party, notice_given_on=NOTICE, on=NOTICE)

        assert party_withdrawals_complete(on=datetime.date(2026, 12, 21)) == []

    def test_running_it_again_changes_nothing(self, roles):
        party_withdraw(party=roles.partner_party, notice_given_on=NOTICE, on=NOTICE)
        party_withdrawals_complete(on=datetime.date(2026, 12, 22))
        history = roles.partner_party.history.count()

        assert party_withdrawals_complete(on=datetime.date(2026, 12, 23)) == []
        assert roles.partner_party.history.count() == history
        assert Party.objects.get(pk=roles.partner_party.pk).status == PartyStatus.WITHDRAWN

    def test_a_withdrawn_partner_still_sees_the_agreement(self, roles):
        party_withdraw(party=roles.partner_party, notice_given_on=NOTICE, on=NOTICE)
        party_withdrawals_complete(on=datetime.date(2026, 12, 22))

        assert roles.spoc.has_perm("agreements.view_agreement", roles.agreement) is True


class TestParty:
    def test_organisation_is_party_to_an_agreement_once(self):
        party = PartyFactory()

        with violates(Party, "party_unique_organisation"):
            Party.objects.create(agreement=party.agreement, organisation=party.organisation)

    @pytest.mark.parametrize("given", ["acting_for_by", "acting_for_since"])
    def test_acting_for_a_party_records_both_who_and_since_when(self, given):
        party = PartyFactory()
        value = {"acting_for_by": UserFactory(), "acting_for_since": timezone.now()}[given]

        with violates(Party, "party_acting_for_has_who_and_when"):
            Party.objects.filter(pk=party.pk).update(**{given: value})

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


class TestPartiesUserMaySign:
    def test_lead_signatory_is_offered_their_own_organisations_parties(self, roles):
        other = PartyFactory(organisation=roles.partner, signed=True)

        assert set(parties_user_may_sign(roles.lead_signatory)) == {roles.partner_party, other}

    def test_lead_signatory_is_not_offered_a_draft_they_cannot_open(self, roles):
        draft_party = roles.draft.parties.get(organisation=roles.partner)

        assert can_sign(roles.lead_signatory, draft_party) is True
        assert draft_party not in parties_user_may_sign(roles.lead_signatory)

    def test_owners_lead_signatory_is_offered_the_owners_draft(self, roles):
        signatory = roles.member(roles.owner, Role.LEAD_SIGNATORY)

        assert set(parties_user_may_sign(signatory)) == {
            roles.owner_party, roles.draft.parties.get(organisation=roles.owner),
        }

    @pytest.mark.parametrize("subject", ["governance_manager", "admin", "spoc", "unrelated"])
    def test_nobody_else_may_sign(self, roles, subject):
        assert list(parties_user_may_sign(roles.subject(subject))) == []


class TestPartyAdd:
    def test_party_organisations_members_may_then_see_the_agreement(self):
        agreement, organisation = AgreementFactory(), OrganisationFactory()
        practitioner = member(organisation, Role.PRACTITIONER)

        party_add(agreement=agreement, organisation=organisation)

        assert practitioner.has_perm("agreements.view_agreement", agreement) is True

    def test_party_organisations_lead_signatory_may_then_sign(self):
        agreement, organisation = AgreementFactory(), OrganisationFactory()
        signatory = member(organisation, Role.LEAD_SIGNATORY)

        party = party_add(agreement=agreement, organisation=organisation)

        assert can_sign(signatory, party) is True

    def test_party_is_invited_today_unless_told_otherwise(self):
        party = party_add(agreement=AgreementFactory(), organisation=OrganisationFactory())

        assert (party.status, party.invited_on) == (PartyStatus.INVITED, timezone.localdate())




class TestPartyPartnershipsSet:
    """004 §3.2–3.4: the protocol binds the member organisations of four partnerships."""

    def test_a_member_is_bound_through_its_partnerships(self):
        agreement = AgreementFactory()
        west = party_add(agreement=agreement, organisation=OrganisationFactory(name="Berkshire West SCP"))
        slough = party_add(agreement=agreement, organisation=OrganisationFactory(name="Slough SP"))
        police = party_add(agreement=agreement, organisation=OrganisationFactory(name="Thames Valley Police"))

        party_partnerships_set(party=police, partnerships=[west, slough])

        assert set(police.member_of.all()) == {west, slough}
        assert list(west.members.all()) == [police]

    def test_a_partnership_of_another_agreement_is_refused_and_nothing_saved(self):
        agreement = AgreementFactory()
        police = party_add(agreement=agreement, organisation=OrganisationFactory(name="Thames Valley Police"))
        elsewhere = party_add(agreement=AgreementFactory(), organisation=OrganisationFactory(name="Slough SP"))

        with pytest.raises(ValidationError) as excinfo:
            party_partnerships_set(party=police, partnerships=[elsewhere])

        assert excinfo.value.message_dict == {"member_of": ["Slough SP is not a party to this agreement."]}
        assert police.member_of.count() == 0

    def test_a_party_is_not_its_own_partnership_and_nothing_is_saved(self):
        agreement = AgreementFactory()
        west = party_add(agreement=agreement, organisation=OrganisationFactory(name="Berkshire West SCP"))
        police = party_add(agreement=agreement, organisation=OrganisationFactory(name="Thames Valley Police"))

        with pytest.raises(ValidationError) as excinfo:
            party_partnerships_set(party=police, partnerships=[west, police])

        assert excinfo.value.message_dict == {"member_of": ["Thames Valley Police cannot be a member of itself."]}
        assert police.member_of.count() == 0
