"""The parties pages (agreements/views/parties.py): what they show, what they save, and the
GOV.UK errors when input is bad.

Who may reach each page is the permission matrix's business (tests/test_permission_matrix.py);
here, the governance manager (or a party's own people) use the pages.
"""

import datetime
import re
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from agreements.models import ContactRole, DataLevel, Party, PartyStatus, Signature, SignatureMethod
from agreements.services import (
    agreement_version_create,
    data_item_create,
    party_add,
    party_contact_add,
    party_partnerships_set,
    party_withdraw,
    signature_record_paper,
)
from govuk_blocks.dates import long_date
from partners.models import Contact, Invitation, Notification, Role
from tests.agreements.helpers import error_summary
from tests.factories import (
    AgreementVersionFactory,
    ContactFactory,
    MembershipFactory,
    OrganisationFactory,
    PartyFactory,
)

# Every test runs on Wednesday 17 June 2026 from 10:00 (the clock ticks), with the module's shared
# cast built then: no bank holiday, month end or change of the clocks can move a deadline.
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


def url(name, roles, party=None, **kwargs):
    args = {"pk": (party.agreement if party else roles.agreement).pk, **kwargs}
    if party is not None:
        args["party_pk"] = party.pk
    return reverse(f"agreements:{name}", kwargs=args)


def date_fields(name: str, day: datetime.date) -> dict:
    return {f"{name}-day": day.day, f"{name}-month": day.month, f"{name}-year": day.year}


@pytest.fixture
def manager(client, roles, sign_in):
    return sign_in(client, roles.governance_manager)


class TestPartyList:
    def test_shows_each_party_with_standing_spoc_and_lead_signatory(self, manager, roles):
        spoc = ContactFactory(organisation=roles.partner, name="Riley Example", job_title="Analyst")
        party_contact_add(party=roles.partner_party, contact=spoc, role=ContactRole.SPOC)
        signatory = ContactFactory(organisation=roles.partner, name="Alex Example", job_title="Chief Constable")
        party_contact_add(party=roles.partner_party, contact=signatory, role=ContactRole.LEAD_SIGNATORY)

        content = manager.get(url("parties", roles)).content.decode()

        assert "Riley Example, Analyst" in content
        assert "Alex Example, Chief Constable" in content
        assert "Invite an organisation" in content
        assert f'href="{url("party_withdraw", roles, roles.partner_party)}"' in content

    def test_the_owner_of_a_draft_is_not_shown_as_invited(self, manager, roles):
        # The Safe and Well trial (P6): "Invited / Invited 8 December 2026" beside the owner.
        content = manager.get(reverse("agreements:parties", args=[roles.draft.pk])).content.decode()
        owner_row = content.split(f'href="{roles.owner.get_absolute_url()}"', 1)[1].split("</tr>", 1)[0]
        partner_row = content.split(f'href="{roles.partner.get_absolute_url()}"', 1)[1].split("</tr>", 1)[0]

        assert "Owner, not signed yet" in owner_row and "Invited" not in owner_row
        assert "Invited" in partner_row

    def test_offers_only_the_actions_each_party_can_take(self, manager, roles):
        content = manager.get(url("parties", roles)).content.decode()

        # A signed party's standing comes from its signature; the owner ends, not withdraws.
        assert url("party_status", roles, roles.partner_party) not in content
        assert url("party_withdraw", roles, roles.owner_party) not in content
        invited = PartyFactory(agreement=roles.agreement, organisation=roles.host)
        content = manager.get(url("parties", roles)).content.decode()
        assert url("party_status", roles, invited) in content
        assert url("party_withdraw", roles, invited) not in content

    def test_a_practitioner_sees_the_parties_but_no_actions(self, client, roles, sign_in):
        content = sign_in(client, roles.practitioner).get(url("parties", roles)).content.decode()

        assert "Borsetshire Police" in content
        assert "Invite an organisation" not in content
        assert url("party_data", roles, roles.partner_party) not in content

    def test_a_partys_spoc_is_offered_its_own_contacts_only(self, client, roles, sign_in):
        content = sign_in(client, roles.spoc).get(url("parties", roles)).content.decode()

        assert url("party_contacts", roles, roles.partner_party) in content
        assert url("party_contacts", roles, roles.owner_party) not in content

    def test_shows_the_dates_of_a_withdrawal(self, manager, roles):
        party_withdraw(party=roles.partner_party, notice_given_on=datetime.date(2026, 11, 22),
                       on=datetime.date(2026, 11, 22))

        content = manager.get(url("parties", roles)).content.decode()

        assert "Notice given 22 November 2026; withdraws 22 December 2026" in content


class TestPartyListAsAppendix1:
    """The columns seed 001's Appendix 1 has, on the parties page now that the agreement's page
    only summarises them (issue 14); filtered by name and standing without JavaScript, sortable
    with it."""

    def text(self, response) -> str:
        return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())

    def test_shows_board_membership_standing_signature_spoc_and_lead_signatory(self, client, sign_in, roles):
        signatory = ContactFactory(organisation=roles.partner, name="Morgan Hale", job_title="Chief Constable")
        spoc = ContactFactory(organisation=roles.partner, name="Ali Brook", job_title="Partnership analyst")
        party_contact_add(party=roles.partner_party, contact=signatory, role=ContactRole.LEAD_SIGNATORY)
        party_contact_add(party=roles.partner_party, contact=spoc, role=ContactRole.SPOC)
        Party.objects.filter(pk=roles.partner_party.pk).update(
            board_member=True, status_note="Signature form returned", joined_on=datetime.date(2024, 4, 1),
        )

        page = self.text(sign_in(client, roles.spoc).get(url("parties", roles)))

        assert (
            "Borsetshire Police Board member Signed Joined 1 April 2024 The register says: “Signature form returned” "
            "Signed "
            "Ali Brook, Partnership analyst Morgan Hale, Chief Constable"
        ) in page

    def test_the_ecins_users_column_shows_where_the_register_has_one(self, client, sign_in, roles):
        # 001 Appendix 1's last column, "Cambridgeshire ECINS users" (issue 13 item 11).
        before = self.text(sign_in(client, roles.spoc).get(url("parties", roles)))
        Party.objects.filter(pk=roles.partner_party.pk).update(ecins_user=True)

        after = self.text(client.get(url("parties", roles)))

        assert "ECINS user" not in before
        assert "Lead signatory ECINS user" in after
        assert "Not stated" in after

    def test_a_member_shows_the_partnership_it_is_bound_through(self, client, sign_in, roles):
        partnership = party_add(
            agreement=roles.agreement, organisation=OrganisationFactory(name="Borsetshire Safeguarding Partnership"),
        )
        party_partnerships_set(party=roles.partner_party, partnerships=[partnership])

        page = self.text(sign_in(client, roles.spoc).get(url("parties", roles)))

        assert "Borsetshire Police Bound as a member of Borsetshire Safeguarding Partnership" in page

    def test_a_party_signed_on_an_older_version_shows_as_needing_re_signing(self, client, sign_in, roles):
        first = agreement_version_create(agreement=roles.agreement, label="1.0")
        signature_record_paper(party=roles.partner_party, version=first, signatory_name="Morgan Hale")
        agreement_version_create(agreement=roles.agreement, label="2.0")

        page = self.text(sign_in(client, roles.spoc).get(url("parties", roles)))

        assert "Needs re-signing Signed on paper, version 1.0" in page

    def test_filters_by_name_and_standing_without_javascript_and_sorts_with_it(self, client, sign_in, roles):
        PartyFactory(agreement=roles.agreement, organisation=OrganisationFactory(name="Ambridge Parish"))
        sign_in(client, roles.spoc)

        content = client.get(url("parties", roles) + "?search=parish&status=invited").content.decode()

        assert '<table class="govuk-table" data-module="moj-sortable-table">' in content
        assert "1 of 3 parties, filtered" in content
        assert "Ambridge Parish" in content and "Borsetshire Police" not in content
        assert "Borsetshire Police" not in self.text(client.get(url("parties", roles) + "?status=declined"))

    def test_a_bad_standing_shows_a_gov_uk_error(self, client, sign_in, roles):
        response = sign_in(client, roles.spoc).get(url("parties", roles) + "?status=king")

        assert "Select a status from the list." in error_summary(response)
        assert "Borsetshire Police" in self.text(response)


class TestPartyInvite:
    def test_invites_and_returns_to_the_parties_with_a_success_message(self, manager, roles):
        organisation = OrganisationFactory(name="Borsetshire Fire and Rescue Service")
        for party in roles.agreement.parties.all():
            spoc = ContactFactory(organisation=party.organisation)
            party_contact_add(party=party, contact=spoc, role=ContactRole.SPOC)
        spoc = MembershipFactory(organisation=organisation, role=Role.SPOC).user
        ContactFactory(organisation=organisation, name="Ash Example", user=spoc)

        response = manager.post(url("party_invite", roles), {"organisation": organisation.pk}, follow=True)

        assert response.redirect_chain == [(url("parties", roles), 302)]
        assert roles.agreement.parties.get(organisation=organisation).status == PartyStatus.INVITED
        assert (
            "Borsetshire Fire and Rescue Service has been invited. The people who act for it have been told."
        ) in response.content.decode()

    def test_a_joining_partner_with_nobody_to_tell_is_said_so(self, manager, roles):
        organisation = OrganisationFactory(name="Borsetshire Fire and Rescue Service")
        for party in roles.agreement.parties.all():
            spoc = ContactFactory(organisation=party.organisation)
            party_contact_add(party=party, contact=spoc, role=ContactRole.SPOC)

        response = manager.post(url("party_invite", roles), {"organisation": organisation.pk}, follow=True)

        assert (
            "Borsetshire Fire and Rescue Service has been invited. Not everyone could be told: "
            "not delivered: Borsetshire Fire and Rescue Service has nobody to tell."
        ) in response.content.decode()

    def test_an_organisation_with_nobody_in_the_portal_is_not_said_to_have_been_told(self, manager, roles):
        organisation = OrganisationFactory(name="Fens Refuge Trust")

        response = manager.post(reverse("agreements:party_invite", args=[roles.draft.pk]),
                                {"organisation": organisation.pk}, follow=True)

        assert roles.draft.parties.get(organisation=organisation).status == PartyStatus.INVITED
        page = response.content.decode()
        assert "have been told" not in page
        assert ("Fens Refuge Trust has been invited. Nobody acts for Fens Refuge Trust in the portal yet, so "
                "nobody has been told: invite its first person from its row below.") in page

    def test_offers_only_organisations_that_are_not_parties_and_still_exist(self, manager, roles):
        successor = OrganisationFactory(name="Borsetshire Integrated Care Board")
        OrganisationFactory(name="Borsetshire Clinical Commissioning Group",
                            ceased_on=datetime.date(2022, 7, 1), successor=successor)

        response = manager.get(url("party_invite", roles))

        offered = set(response.context["form"].fields["organisation"].queryset)
        assert offered == {roles.unrelated_organisation, roles.host, successor}
        assert (
            "Borsetshire Clinical Commissioning Group ceased on 1 July 2022: invite "
            "Borsetshire Integrated Care Board"
        ) in response.content.decode()

    def test_no_organisation_chosen_is_a_govuk_error_and_saves_nothing(self, manager, roles):
        response = manager.post(url("party_invite", roles), {})

        assert response.status_code == 200
        assert "Choose the organisation to invite" in error_summary(response)
        assert "<title>Error: Invite an organisation" in response.content.decode()
        assert roles.agreement.parties.count() == 2

    def test_an_existing_party_is_not_a_choice(self, manager, roles):
        response = manager.post(url("party_invite", roles), {"organisation": roles.partner.pk})

        assert "Choose an organisation from the list" in error_summary(response)


class TestPartyStatus:
    @pytest.fixture
    def party(self, roles):
        return roles.draft.parties.get(organisation=roles.partner)

    def test_records_awaiting_details(self, manager, roles, party):
        response = manager.post(url("party_status", roles, party), {"status": PartyStatus.AWAITING_DETAILS})

        assert response["Location"] == reverse("agreements:parties", args=[roles.draft.pk])
        party.refresh_from_db()
        assert party.status == PartyStatus.AWAITING_DETAILS

    def test_records_declined_with_the_date_given(self, manager, roles, party):
        manager.post(url("party_status", roles, party), {
            "status": PartyStatus.DECLINED, **date_fields("declined_on", datetime.date(2026, 3, 27)),
        })

        party.refresh_from_db()
        assert (party.status, party.declined_on) == (PartyStatus.DECLINED, datetime.date(2026, 3, 27))

    @pytest.mark.parametrize(("fields", "message"), [
        ({}, "Choose where the party stands"),
        ({"status": "signed"}, "Choose where the party stands"),
        ({"status": "declined", "declined_on-day": "31", "declined_on-month": "2", "declined_on-year": "2026"},
         "The date it declined must be a real date"),
        ({"status": "declined", "declined_on-day": "3", "declined_on-year": "2026"},
         "The date it declined must include a month"),
        ({"status": "awaiting_details", **date_fields("declined_on", datetime.date(2026, 3, 1))},
         "Only give a date it declined if the party has declined"),
    ])
    def test_bad_input_is_a_govuk_error_and_saves_nothing(self, manager, roles, party, fields, message):
        response = manager.post(url("party_status", roles, party), fields)

        assert message in error_summary(response)
        party.refresh_from_db()
        assert party.status == PartyStatus.INVITED

    def test_a_future_date_declined_is_refused(self, manager, roles, party):
        tomorrow = timezone.localdate() + datetime.timedelta(days=1)

        response = manager.post(url("party_status", roles, party), {
            "status": "declined", **date_fields("declined_on", tomorrow),
        })

        assert "The date it declined must be today or in the past" in error_summary(response)

    def test_the_services_refusal_of_a_signed_party_is_shown(self, manager, roles):
        response = manager.post(url("party_status", roles, roles.partner_party), {"status": "declined"})

        assert (
            "Borsetshire Police has signed the agreement, so its standing cannot be changed here."
        ) in error_summary(response)


class TestPartyContacts:
    def test_the_partys_spoc_names_a_colleague_from_the_directory(self, client, roles, sign_in):
        colleague = ContactFactory(organisation=roles.partner, name="Riley Example")
        page = url("party_contacts", roles, roles.partner_party)

        response = sign_in(client, roles.spoc).post(page, {"role": "spoc", "contact": colleague.pk})

        assert response["Location"] == page
        assert roles.partner_party.contacts.get().contact == colleague

    def test_the_manager_adds_someone_new(self, manager, roles):
        manager.post(url("party_contacts", roles, roles.partner_party), {
            "role": "caldicott_guardian", "name": "Avery Example", "job_title": "Medical director",
            "email": "avery.example@borsetshire.example",
        })

        link = roles.partner_party.contacts.get()
        assert (link.role, link.contact.name, link.contact.organisation) == (
            ContactRole.CALDICOTT_GUARDIAN, "Avery Example", roles.partner,
        )

    def test_offers_only_people_at_the_partys_organisation(self, manager, roles):
        mine = ContactFactory(organisation=roles.partner)
        ContactFactory(organisation=roles.owner)

        response = manager.get(url("party_contacts", roles, roles.partner_party))

        assert list(response.context["form"].fields["contact"].queryset) == [mine]

    @pytest.mark.parametrize(("fields", "message"), [
        ({"contact": ""}, "Choose the person&#x27;s role for this agreement"),
        ({"role": "spoc"}, "Choose a person, or enter the full name of someone new"),
        ({"role": "spoc", "name": "Avery Example", "email": "avery"},
         "Enter an email address in the correct format, like name@example.gov.uk"),
    ])
    def test_bad_input_is_a_govuk_error_and_saves_nothing(self, manager, roles, fields, message):
        response = manager.post(url("party_contacts", roles, roles.partner_party), fields)

        assert message in error_summary(response)
        assert not roles.partner_party.contacts.exists()
        assert not Contact.objects.filter(name="Avery Example").exists()

    def test_choosing_someone_and_adding_someone_new_is_refused(self, manager, roles):
        colleague = ContactFactory(organisation=roles.partner)

        response = manager.post(url("party_contacts", roles, roles.partner_party), {
            "role": "spoc", "contact": colleague.pk, "name": "Avery Example",
        })

        assert "Choose someone from the list or add someone new, not both" in error_summary(response)

    def test_an_email_already_in_the_directory_is_refused(self, manager, roles):
        ContactFactory(organisation=roles.partner, email="riley@borsetshire.example")

        response = manager.post(url("party_contacts", roles, roles.partner_party), {
            "role": "spoc", "name": "Avery Example", "email": "riley@borsetshire.example",
        })

        assert "Someone at this organisation already has that e-mail address." in error_summary(response)

    def test_remove_asks_first_then_removes(self, manager, roles):
        contact = ContactFactory(organisation=roles.partner, name="Riley Example")
        link = party_contact_add(party=roles.partner_party, contact=contact, role=ContactRole.SPOC)
        page = url("party_contact_remove", roles, roles.partner_party, link_pk=link.pk)

        asked = manager.get(page)
        assert "Are you sure you want to remove this person?" in asked.content.decode()
        assert roles.partner_party.contacts.exists()

        response = manager.post(page)

        assert response["Location"] == url("party_contacts", roles, roles.partner_party)
        assert not roles.partner_party.contacts.exists()

    def test_a_link_of_another_party_is_not_found(self, manager, roles):
        contact = ContactFactory(organisation=roles.owner)
        link = party_contact_add(party=roles.owner_party, contact=contact, role=ContactRole.SPOC)

        response = manager.post(url("party_contact_remove", roles, roles.partner_party, link_pk=link.pk))

        assert response.status_code == 404
        assert roles.owner_party.contacts.exists()


class TestPartyData:
    def test_saves_what_the_party_provides(self, manager, roles):
        item = data_item_create(agreement=roles.agreement, provider_label="Police", level=DataLevel.MINIMUM,
                                description="Names of people arrested")

        response = manager.post(url("party_data", roles, roles.partner_party), {"data_items": [item.pk]})

        assert response["Location"] == url("parties", roles)
        assert list(roles.partner_party.data_items.all()) == [item]

    def test_an_unknown_item_is_a_govuk_error(self, manager, roles):
        data_item_create(agreement=roles.agreement, provider_label="Police", level=DataLevel.MINIMUM,
                         description="Names of people arrested")

        response = manager.post(url("party_data", roles, roles.partner_party), {"data_items": ["999999"]})

        assert "Choose data items from the list" in error_summary(response)


class TestPartyWithdraw:
    page = staticmethod(lambda roles: url("party_withdraw", roles, roles.partner_party))

    def test_an_empty_form_records_nothing_and_tells_nobody(self, manager, roles, django_capture_on_commit_callbacks):
        # The Safe and Well trial (P18): the dates were filled in for the user, so pressing the
        # button on an untouched page recorded a withdrawal and told every partner.
        with django_capture_on_commit_callbacks(execute=True):
            response = manager.post(self.page(roles), {})

        assert "Enter the date notice was given" in error_summary(response)
        roles.partner_party.refresh_from_db()
        assert roles.partner_party.status == PartyStatus.SIGNED
        assert mail.outbox == []

    def test_notice_before_the_party_signed_is_refused(self, manager, roles):
        version = AgreementVersionFactory(agreement=roles.agreement)
        signed_on = timezone.localdate() - datetime.timedelta(days=30)
        Signature.objects.create(party=roles.partner_party, version=version, method=SignatureMethod.PAPER,
                                 signatory_name="Lee Signer", signed_on=signed_on, content_hash=version.content_hash)
        before = signed_on - datetime.timedelta(days=1)

        response = manager.post(self.page(roles), date_fields("notice_given_on", before))

        assert (f"The date notice was given must be on or after {long_date(signed_on)}, when Borsetshire Police "
                "signed the agreement.") in error_summary(response)
        roles.partner_party.refresh_from_db()
        assert roles.partner_party.status == PartyStatus.SIGNED

    def test_records_the_withdrawal_and_tells_the_other_spocs(self, manager, roles, django_capture_on_commit_callbacks):
        owner_spoc = ContactFactory(organisation=roles.owner, name="Morgan Example")
        party_contact_add(party=roles.owner_party, contact=owner_spoc, role=ContactRole.SPOC)
        own_spoc = ContactFactory(organisation=roles.partner, name="Riley Example")
        party_contact_add(party=roles.partner_party, contact=own_spoc, role=ContactRole.SPOC)
        notice = timezone.localdate() - datetime.timedelta(days=3)

        with django_capture_on_commit_callbacks(execute=True):
            response = manager.post(self.page(roles), date_fields("notice_given_on", notice), follow=True)

        roles.partner_party.refresh_from_db()
        assert roles.partner_party.status == PartyStatus.WITHDRAWAL_NOTIFIED
        assert "Every other party&#x27;s SPOC, and its own, has been told." in response.content.decode()
        assert sorted(message.to[0] for message in mail.outbox) == sorted([owner_spoc.email, own_spoc.email])
        # Said of nobody in particular: the owner, or the party itself, may have recorded it (the
        # Safe and Well trial, P20: the party's own record was said to be the owner's).
        [own] = [message for message in mail.outbox if message.to == [own_spoc.email]]
        assert "ISA Portal now records that Borsetshire Police gave notice on" in " ".join(own.body.split())

    def test_a_party_with_nobody_to_tell_is_shown_on_the_page_and_in_the_message(self, manager, roles):
        PartyFactory(agreement=roles.agreement, signed=True, organisation=OrganisationFactory(name="Stockport Homes"))

        response = manager.post(self.page(roles), date_fields("notice_given_on", timezone.localdate()), follow=True)

        content = response.content.decode()
        assert "Not every party could be told: " in content
        assert "not delivered: Stockport Homes has nobody to tell" in content
        assert "data-undelivered-notices" in content
        later = manager.get(url("parties", roles)).content.decode()
        assert "not delivered: Stockport Homes has nobody to tell" in later

    def test_the_partys_own_governance_manager_may_give_its_notice(self, client, roles, sign_in):
        own = MembershipFactory(organisation=roles.partner, role=Role.GOVERNANCE_MANAGER).user

        response = sign_in(client, own).post(
            self.page(roles), date_fields("notice_given_on", timezone.localdate()),
        )

        assert response.status_code == 302
        roles.partner_party.refresh_from_db()
        assert roles.partner_party.status == PartyStatus.WITHDRAWAL_NOTIFIED

    def test_less_than_a_months_notice_is_a_govuk_error_and_saves_nothing(self, manager, roles):
        response = manager.post(self.page(roles), {
            **date_fields("notice_given_on", datetime.date(2025, 11, 22)),
            **date_fields("effective_on", datetime.date(2025, 12, 21)),
        })

        assert (
            "The withdrawal must take effect at least one month after notice is given: "
            "on or after 22 December 2025."
        ) in error_summary(response)
        assert 'href="#id_effective_on-day"' in error_summary(response)
        roles.partner_party.refresh_from_db()
        assert roles.partner_party.status == PartyStatus.SIGNED
        assert not Notification.objects.exists()

    @pytest.mark.parametrize(("fields", "message"), [
        ({}, "Enter the date notice was given"),
        ({"notice_given_on-day": "22", "notice_given_on-month": "13", "notice_given_on-year": "2025"},
         "The date notice was given must be a real date"),
        ({"notice_given_on-day": "22", "notice_given_on-month": "11"},
         "The date notice was given must include a year"),
    ])
    def test_a_missing_or_impossible_date_is_a_govuk_error(self, manager, roles, fields, message):
        response = manager.post(self.page(roles), fields)

        assert message in error_summary(response)
        roles.partner_party.refresh_from_db()
        assert roles.partner_party.status == PartyStatus.SIGNED

    def test_a_party_that_has_not_signed_is_refused_above_the_form(self, manager, roles):
        invited = PartyFactory(agreement=roles.agreement, organisation=roles.host)

        response = manager.post(
            url("party_withdraw", roles, invited), date_fields("notice_given_on", timezone.localdate()),
        )

        assert "Borsetshire Shared Services has not signed the agreement" in error_summary(response)


class TestFirstPerson:
    def test_the_manager_invites_the_first_person_of_a_party_with_nobody_yet(self, client, sign_in, roles):
        party = PartyFactory(agreement=roles.draft, organisation=OrganisationFactory(name="Ambridge Parish Council"))
        manager = sign_in(client, roles.governance_manager)
        parties = manager.get(reverse("agreements:parties", args=[roles.draft.pk])).content.decode()
        url = reverse("agreements:party_first_person", args=[roles.draft.pk, party.pk])
        assert f'href="{url}"' in parties

        response = manager.post(url, {"name": "Lynda Snell", "email": "lynda.snell@ambridge.example",
                                      "role": Role.GOVERNANCE_MANAGER})

        assert response["Location"] == reverse("agreements:parties", args=[roles.draft.pk])
        invitation = Invitation.objects.get()
        assert (invitation.organisation, invitation.role, invitation.invited_by) == (
            party.organisation, Role.GOVERNANCE_MANAGER, roles.governance_manager,
        )

    def test_the_invitation_says_which_agreement_and_who_leads_it(
            self, client, sign_in, roles, django_capture_on_commit_callbacks, mailoutbox):
        # The MARAC trial (P2): the e-mail said only "… has asked you to join ISA Portal for
        # Fens Refuge Trust as governance manager", with no word of the agreement.
        party = PartyFactory(agreement=roles.draft, organisation=OrganisationFactory(name="Ambridge Parish Council"))
        url = reverse("agreements:party_first_person", args=[roles.draft.pk, party.pk])
        with django_capture_on_commit_callbacks(execute=True):
            sign_in(client, roles.governance_manager).post(url, {
                "name": "Lynda Snell", "email": "lynda.snell@ambridge.example", "role": Role.GOVERNANCE_MANAGER})

        said = ("as governance manager, to take part in “Borsetshire Domestic Abuse Protocol” (BDAP), "
                "which Borsetshire County Council leads.")
        [email] = mailoutbox
        assert said in " ".join(email.body.split())
        assert said in " ".join(email.alternatives[0][0].split())
        link = next(word for word in email.body.split() if "/join/" in word)
        client.logout()
        assert said in " ".join(client.get(link).content.decode().split())


class TestImport:
    SHEET = (
        "Organisation,CSP Board Member?,Lead Signatory Name & Role,2018 Signature form returned,"
        "Specific Point of Contact (SPOC) for this agreement,ECINS users\n"
        "Borsetshire Fire & Rescue Service,Yes,Ed Grundy - Area Commander,,Clarrie Grundy - Station Manager,YES\n"
        "RSL: Ambridge Homes,NO,Awaiting details,,Justin Elliott- Housing Officer,NO\n"
        "Borchester Land,NO,Matt Crawford - Chair,Lost,Brian Aldridge - Director,NO\n"
    )

    def test_signature_form_returned_only_where_the_sheet_says_so(self, client, sign_in, roles):
        sheet = (
            "Organisation,CSP Board Member?,Lead Signatory Name & Role,2018 Signature form returned,"
            "Specific Point of Contact (SPOC) for this agreement,ECINS users\n"
            "Borsetshire Fire & Rescue Service,Yes,Ed Grundy - Area Commander,Yes,,\n"
            "RSL: Ambridge Homes,NO,Lilian Bellamy- Chair,,,\n"
        )
        url = reverse("agreements:party_import", args=[roles.draft.pk])
        manager = sign_in(client, roles.governance_manager)

        manager.post(url, {"file": SimpleUploadedFile("appendix-1.csv", sheet.encode())})
        manager.post(url, {"action": "import"})

        notes = dict(roles.draft.parties.values_list("organisation__name", "status_note"))
        ecins = dict(roles.draft.parties.values_list("organisation__name", "ecins_user"))
        assert (notes["Borsetshire Fire & Rescue Service"], notes["Ambridge Homes"]) == ("Signature form returned", "")
        assert (ecins["Borsetshire Fire & Rescue Service"], ecins["Ambridge Homes"]) == (None, None)

    def test_an_appendix_1_makes_parties_with_their_contacts_once(self, client, sign_in, roles):
        url = reverse("agreements:party_import", args=[roles.draft.pk])
        manager = sign_in(client, roles.governance_manager)

        preview = manager.post(url, {"file": SimpleUploadedFile("appendix-1.csv", self.SHEET.encode())})
        assert [row["problems"] for row in preview.context["plans"]][2] == ["Unknown signature form status “Lost”"]
        response = manager.post(url, {"action": "import"}, follow=True)

        assert "Imported: 2 parties and 3 of their contacts added" in response.content.decode()
        fire = roles.draft.parties.get(organisation__name="Borsetshire Fire & Rescue Service")
        homes = roles.draft.parties.get(organisation__name="Ambridge Homes")
        assert (fire.status, fire.status_note, homes.status) == (
            PartyStatus.INVITED, "", PartyStatus.AWAITING_DETAILS,
        )
        # Issue 13 item 11: the board and "ECINS users" columns are kept as fields.
        assert (fire.board_member, fire.ecins_user, homes.board_member, homes.ecins_user) == (
            True, True, False, False,
        )
        assert sorted((link.role, link.contact.name) for link in fire.contacts.select_related("contact")) == [
            (ContactRole.LEAD_SIGNATORY, "Ed Grundy"), (ContactRole.SPOC, "Clarrie Grundy"),
        ]
        parties = roles.draft.parties.count()

        manager.post(url, {"file": SimpleUploadedFile("appendix-1.csv", self.SHEET.encode())})
        again = manager.post(url, {"action": "import"}, follow=True)

        assert "Imported: 0 parties and 0 of their contacts added" in again.content.decode()
        assert roles.draft.parties.count() == parties

    def test_a_contact_list_is_sent_to_the_partners_page(self, client, sign_in, roles):
        response = sign_in(client, roles.governance_manager).post(
            reverse("agreements:party_import", args=[roles.draft.pk]),
            {"file": SimpleUploadedFile("contacts.csv", b"Organisation,Name\nAmbridge Homes,Justin Elliott\n")},
        )

        assert "import a contact list from the Partners page" in error_summary(response)
