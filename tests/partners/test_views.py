"""The directory's pages (``partners.views``): the list, an organisation, and keeping details current."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from partners.models import Contact, Organisation, Sector
from tests.factories import ContactFactory, OrganisationFactory

pytestmark = pytest.mark.django_db


def text(response) -> str:
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def today_words() -> str:
    return date_format(timezone.localdate(), "j F Y")


class TestOrganisationList:
    url = reverse("partners:organisation_list")

    def test_filters_by_sector_and_counts(self, client, sign_in, roles):
        response = sign_in(client, roles.spoc).get(self.url, {"sector": Sector.POLICE})

        assert [row[0] for row in response.context["rows"]] == [roles.partner]
        assert "1 organisation matches your filters" in text(response)

    def test_tags_renewals_overdue_and_due_within_30_days(self, client, sign_in, roles):
        today = timezone.localdate()
        Organisation.objects.filter(pk=roles.owner.pk).update(
            ico_registration_number="ZA111111", ico_renewal_date=today - datetime.timedelta(days=1),
        )
        Organisation.objects.filter(pk=roles.partner.pk).update(
            ico_registration_number="ZA222222", ico_renewal_date=today + datetime.timedelta(days=30),
        )

        response = sign_in(client, roles.spoc).get(self.url)

        states = {organisation: state for organisation, state in response.context["rows"]}
        assert (states[roles.owner], states[roles.partner], states[roles.host]) == ("overdue", "due_soon", "")
        assert "Renewal overdue" in text(response) and "Renew within 30 days" in text(response)

    def test_ceased_bodies_are_tagged_with_their_successor(self, client, sign_in, roles):
        OrganisationFactory(
            name="Borsetshire Primary Care Trust", sector=Sector.NHS, ceased_on=datetime.date(2013, 3, 31),
            successor=roles.owner,
        )

        response = sign_in(client, roles.spoc).get(self.url)

        assert "Borsetshire Primary Care Trust Ceased Succeeded by Borsetshire County Council" in text(response)

    def test_a_bad_sector_gets_a_gov_uk_error(self, client, sign_in, roles):
        response = sign_in(client, roles.spoc).get(self.url, {"sector": "guild"})

        assert response.status_code == 200
        assert "There is a problem" in text(response)
        assert 'href="#id_sector"' in response.content.decode()

    def test_nothing_matching_says_so(self, client, sign_in, roles):
        response = sign_in(client, roles.spoc).get(self.url, {"search": "Ambridge"})

        assert "No organisations match your filters." in text(response)


class TestOrganisationListPages:
    """25 organisations a page, the page count in the title (GOV.UK pagination guidance)."""

    url = reverse("partners:organisation_list")

    @pytest.fixture
    def many(self, roles):
        """Enough Felpersham bodies for a second page, with the cast's own organisations."""
        for number in range(1, 31):
            OrganisationFactory(name=f"Felpersham Partner {number:02d}")
        return Organisation.objects.count()

    def test_the_first_page_holds_25_with_the_page_count_in_the_title(self, client, sign_in, roles, many):
        response = sign_in(client, roles.spoc).get(self.url)

        pages = (many + 24) // 25
        assert len(response.context["rows"]) == 25
        assert f"<title>Partners (page 1 of {pages}) – ISA Portal</title>" in response.content.decode()
        assert f"{many} organisations, showing 1 to 25" in text(response)
        assert 'aria-label="Page 2"' in response.content.decode()

    def test_the_second_page_holds_the_rest(self, client, sign_in, roles, many):
        response = sign_in(client, roles.spoc).get(self.url, {"page": "2"})

        assert [row[0] for row in response.context["rows"]] == list(Organisation.objects.order_by("name")[25:50])
        assert f"<title>Partners (page 2 of {(many + 24) // 25}) – ISA Portal</title>" in response.content.decode()
        assert 'href="?page=1" rel="prev"' in response.content.decode()

    def test_a_page_number_that_is_not_a_number_shows_the_first_page(self, client, sign_in, roles, many):
        response = sign_in(client, roles.spoc).get(self.url, {"page": "two"})

        assert response.status_code == 200
        assert response.context["page"].number == 1

    def test_a_page_past_the_end_shows_the_last_page(self, client, sign_in, roles, many):
        response = sign_in(client, roles.spoc).get(self.url, {"page": "999"})

        assert response.status_code == 200
        assert response.context["page"].number == response.context["page"].paginator.num_pages

    def test_the_search_narrows_and_its_pages_keep_it(self, client, sign_in, roles, many):
        response = sign_in(client, roles.spoc).get(self.url, {"search": "felpersham partner"})

        assert response.context["count"] == 30
        assert "30 organisations match your filters, showing 1 to 25" in text(response)
        assert 'href="?search=felpersham+partner&amp;page=2" rel="next"' in response.content.decode()

    def test_one_page_has_no_page_count_and_no_pagination(self, client, sign_in, roles, many):
        response = sign_in(client, roles.spoc).get(self.url, {"search": "Felpersham Partner 07"})

        assert "<title>Partners – ISA Portal</title>" in response.content.decode()
        assert "govuk-pagination" not in response.content.decode()
        assert "1 organisation matches your filters" in text(response)


class TestOrganisationDetail:
    def url(self, organisation) -> str:
        return reverse("partners:organisation_detail", args=[organisation.pk])

    def test_shows_each_persons_last_confirmation(self, client, sign_in, roles):
        ContactFactory(organisation=roles.partner, name="Ali Brook", details_confirmed_on=datetime.date(2026, 1, 9))
        ContactFactory(organisation=roles.partner, name="Sam Hale")

        page = text(sign_in(client, roles.governance_manager).get(self.url(roles.partner)))

        assert "Ali Brook" in page and "9 January 2026" in page and "Never" in page

    def test_the_person_sees_a_confirm_button_on_their_own_row_only(self, client, sign_in, roles):
        own = ContactFactory(organisation=roles.partner, user=roles.spoc)
        ContactFactory(organisation=roles.partner)

        html = sign_in(client, roles.spoc).get(self.url(roles.partner)).content.decode()

        assert html.count("Confirm my details are current") == 1
        assert f'action="{reverse("partners:contact_confirm", args=[own.pk])}"' in html

    def test_governance_manager_may_change_their_organisation_and_its_people(self, client, sign_in, roles):
        contact = ContactFactory(organisation=roles.owner)

        html = sign_in(client, roles.governance_manager).get(self.url(roles.owner)).content.decode()

        assert reverse("partners:organisation_edit", args=[roles.owner.pk]) in html
        assert reverse("partners:contact_edit", args=[contact.pk]) in html

    def test_others_see_no_change_links(self, client, sign_in, roles):
        ContactFactory(organisation=roles.owner)

        html = sign_in(client, roles.spoc).get(self.url(roles.owner)).content.decode()

        assert "/edit/" not in html

    def test_links_to_their_roles_in_agreements(self, client, sign_in, roles):
        html = sign_in(client, roles.spoc).get(self.url(roles.partner)).content.decode()

        assert reverse("agreements:organisation_roles", args=[roles.partner.pk]) in html


class TestContactConfirm:
    def test_the_person_confirms_and_sees_the_date(self, client, sign_in, roles):
        contact = ContactFactory(organisation=roles.partner, user=roles.spoc)

        response = sign_in(client, roles.spoc).post(
            reverse("partners:contact_confirm", args=[contact.pk]), follow=True,
        )

        contact.refresh_from_db()
        assert contact.details_confirmed_on == timezone.localdate()
        assert response.redirect_chain == [(roles.partner.get_absolute_url(), 302)]
        assert f"You confirmed your details are current on {today_words()}." in text(response)

    def test_the_page_shows_the_details_to_confirm(self, client, sign_in, roles):
        contact = ContactFactory(organisation=roles.partner, user=roles.spoc, name="Ali Brook")

        response = sign_in(client, roles.spoc).get(reverse("partners:contact_confirm", args=[contact.pk]))

        assert "Confirm your details are current" in text(response)
        assert "Full name Ali Brook" in text(response)

    def test_nobody_else_may_confirm_for_them(self, client, sign_in, roles):
        contact = ContactFactory(organisation=roles.partner, user=roles.spoc)

        response = sign_in(client, roles.lead_signatory).post(reverse("partners:contact_confirm", args=[contact.pk]))

        assert response.status_code == 403
        contact.refresh_from_db()
        assert contact.details_confirmed_on is None


class TestContactEdit:
    def url(self, contact) -> str:
        return reverse("partners:contact_edit", args=[contact.pk])

    def data(self, **changes) -> dict:
        return {"name": "Ali Brook", "job_title": "Partnership analyst", "email": "ali.brook@police.example",
                "phone": "01632 960 111", **changes}

    def test_the_person_changes_their_own_details(self, client, sign_in, roles):
        contact = ContactFactory(organisation=roles.partner, user=roles.spoc)

        response = sign_in(client, roles.spoc).post(self.url(contact), self.data(), follow=True)

        contact.refresh_from_db()
        assert (contact.name, contact.details_confirmed_on) == ("Ali Brook", timezone.localdate())
        assert "Your details have been updated." in text(response)

    def test_the_form_starts_with_the_current_details(self, client, sign_in, roles):
        contact = ContactFactory(organisation=roles.owner, name="Sam Hale")

        response = sign_in(client, roles.governance_manager).get(self.url(contact))

        assert response.context["form"]["name"].value() == "Sam Hale"
        assert "Change Sam Hale’s details" in text(response)

    def test_bad_input_shows_gov_uk_errors_and_saves_nothing(self, client, sign_in, roles):
        contact = ContactFactory(organisation=roles.owner, name="Sam Hale")

        response = sign_in(client, roles.governance_manager).post(
            self.url(contact), self.data(name="", email="not an address"),
        )

        assert response.status_code == 200
        assert response.context["form"].errors == {
            "name": ["Enter the person’s full name."],
            "email": ["Enter an e-mail address in the correct format, like name@example.gov.uk."],
        }
        assert "There is a problem" in text(response)
        assert Contact.objects.get(pk=contact.pk).name == "Sam Hale"

    def test_an_empty_post_shows_errors(self, client, sign_in, roles):
        contact = ContactFactory(organisation=roles.owner)

        response = sign_in(client, roles.governance_manager).post(self.url(contact), {})

        assert response.context["form"].errors == {"name": ["Enter the person’s full name."]}

    def test_a_duplicate_e_mail_from_the_service_shows_on_the_email_field(self, client, sign_in, roles):
        ContactFactory(organisation=roles.owner, email="duty.desk@borsetshire.example")
        contact = ContactFactory(organisation=roles.owner)

        response = sign_in(client, roles.governance_manager).post(
            self.url(contact), self.data(email="duty.desk@borsetshire.example"),
        )

        assert response.context["form"].errors == {
            "email": ["Someone at this organisation already has that e-mail address."],
        }
        assert 'href="#id_email"' in response.content.decode()


class TestOrganisationEdit:
    def url(self, organisation) -> str:
        return reverse("partners:organisation_edit", args=[organisation.pk])

    def test_governance_manager_keeps_the_ico_registration_current(self, client, sign_in, roles):
        response = sign_in(client, roles.governance_manager).post(self.url(roles.owner), {
            "name": roles.owner.name, "sector": roles.owner.sector, "ico_registration_number": "za123456",
            "ico_renewal_date-day": "27", "ico_renewal_date-month": "3",
            "ico_renewal_date-year": "2027", "phone": "01632 960 000", "address": "County Hall\nBorchester",
        }, follow=True)

        roles.owner.refresh_from_db()
        assert (roles.owner.ico_registration_number, roles.owner.ico_renewal_date) == (
            "ZA123456", datetime.date(2027, 3, 27),
        )
        assert "Borsetshire County Council’s details have been updated." in text(response)

    def test_a_bad_date_gets_a_gov_uk_error_linked_to_the_day_and_saves_nothing(self, client, sign_in, roles):
        response = sign_in(client, roles.governance_manager).post(self.url(roles.owner), {
            "name": roles.owner.name, "sector": roles.owner.sector,
            "ico_registration_number": "ZA123456", "ico_renewal_date-day": "31", "ico_renewal_date-month": "2",
            "ico_renewal_date-year": "2027", "phone": "", "address": "",
        })

        assert response.context["form"].errors == {"ico_renewal_date": ["The renewal date must be a real date"]}
        assert 'href="#id_ico_renewal_date-day"' in response.content.decode()
        assert 'value="31"' in response.content.decode()
        roles.owner.refresh_from_db()
        assert roles.owner.ico_registration_number == ""

    def test_someone_who_may_not_change_it_gets_403(self, client, sign_in, roles):
        response = sign_in(client, roles.practitioner).post(self.url(roles.owner), {"phone": "01632 960 000"})

        assert response.status_code == 403
        roles.owner.refresh_from_db()
        assert roles.owner.phone == ""

    def test_the_name_sector_and_succession_are_changed_and_kept_in_the_history(self, client, sign_in, roles):
        successor = OrganisationFactory(name="Borsetshire Unitary Council")

        response = sign_in(client, roles.governance_manager).post(self.url(roles.owner), {
            "name": "Borsetshire  County Council (closed)", "sector": Sector.COUNTY_COUNCIL,
            "ceased_on-day": "31", "ceased_on-month": "3", "ceased_on-year": "2026", "successor": successor.pk,
        })

        assert response.status_code == 302
        roles.owner.refresh_from_db()
        assert (roles.owner.name, roles.owner.ceased_on, roles.owner.successor) == (
            "Borsetshire County Council (closed)", datetime.date(2026, 3, 31), successor,
        )
        latest = roles.owner.history.first()
        assert latest.history_user == roles.governance_manager
        assert latest.prev_record.name == "Borsetshire County Council"

    def test_a_successor_without_the_date_it_ceased_is_refused(self, client, sign_in, roles):
        successor = OrganisationFactory(name="Borsetshire Unitary Council")

        response = sign_in(client, roles.governance_manager).post(self.url(roles.owner), {
            "name": roles.owner.name, "sector": roles.owner.sector, "successor": successor.pk,
        })

        assert response.context["form"].errors == {
            "ceased_on": ["Enter the date it ceased, or leave out the organisation that took on its work."],
        }
        roles.owner.refresh_from_db()
        assert roles.owner.successor is None

    def test_the_organisation_is_not_offered_as_its_own_successor(self, client, sign_in, roles):
        form = sign_in(client, roles.governance_manager).get(self.url(roles.owner)).context["form"]

        assert roles.owner not in form.fields["successor"].queryset

    def test_any_governance_manager_keeps_a_partner_with_nobody_in_the_portal(self, client, sign_in, roles):
        nobody_yet = OrganisationFactory(name="Ambridge Parish Council")

        response = sign_in(client, roles.unrelated).post(self.url(nobody_yet), {
            "name": nobody_yet.name, "sector": nobody_yet.sector, "phone": "01632 960 111",
        })

        assert response.status_code == 302
        nobody_yet.refresh_from_db()
        assert nobody_yet.phone == "01632 960 111"
        assert sign_in(client, roles.unrelated).get(self.url(roles.partner)).status_code == 403


class TestOrganisationCreate:
    url = reverse("partners:organisation_create")

    def details(self, **changes) -> dict:
        return {
            "name": "Ambridge Parish Council", "sector": Sector.OTHER, "ico_registration_number": "ZA654321",
            "phone": "01632 960 222", "address": "The Village Hall\nAmbridge", **changes,
        }

    def test_a_governance_manager_adds_a_partner_and_sees_its_page(self, client, sign_in, roles):
        response = sign_in(client, roles.governance_manager).post(self.url, self.details(), follow=True)

        added = Organisation.objects.get(name="Ambridge Parish Council")
        assert response.redirect_chain == [(added.get_absolute_url(), 302)]
        assert "Ambridge Parish Council has been added to the directory." in text(response)
        assert (added.sector, added.ico_registration_number, added.phone) == (Sector.OTHER, "ZA654321", "01632 960 222")
        assert added.history.get().history_user == roles.governance_manager

    def test_near_matches_are_shown_first_and_nothing_is_added_until_confirmed(self, client, sign_in, roles):
        OrganisationFactory(name="South Cambridgeshire District Council", sector=Sector.DISTRICT_COUNCIL)
        client = sign_in(client, roles.governance_manager)

        first = client.post(self.url, self.details(name="South Cambridgeshire Council", sector=Sector.DISTRICT_COUNCIL))

        assert first.status_code == 200
        assert [o.name for o in first.context["near_matches"]] == ["South Cambridgeshire District Council"]
        assert "The directory already has 1 organisation with a name like “South Cambridgeshire Council”" in text(first)
        assert "It is a different organisation: add it" in text(first)
        assert not Organisation.objects.filter(name="South Cambridgeshire Council").exists()

        second = client.post(self.url, self.details(
            name="South Cambridgeshire Council", sector=Sector.DISTRICT_COUNCIL,
            near_matches_seen="South Cambridgeshire Council",
        ))

        assert second.status_code == 302
        assert Organisation.objects.filter(name="South Cambridgeshire Council").exists()

    def test_a_changed_name_is_checked_again(self, client, sign_in, roles):
        OrganisationFactory(name="South Cambridgeshire District Council")

        response = sign_in(client, roles.governance_manager).post(self.url, self.details(
            name="South-Cambridgeshire Council", near_matches_seen="South Cambridgeshire Council",
        ))

        assert response.status_code == 200
        assert [o.name for o in response.context["near_matches"]] == ["South Cambridgeshire District Council"]

    def test_the_same_name_in_another_case_is_refused_on_the_name(self, client, sign_in, roles):
        response = sign_in(client, roles.governance_manager).post(self.url, self.details(
            name="borsetshire police", near_matches_seen="borsetshire police",
        ))

        assert response.context["form"].errors == {"name": ["Borsetshire Police is already in the directory."]}
        assert Organisation.objects.filter(name__iexact="borsetshire police").count() == 1

    def test_an_empty_form_shows_the_gov_uk_error_summary_and_adds_nothing(self, client, sign_in, roles):
        before = Organisation.objects.count()

        response = sign_in(client, roles.governance_manager).post(self.url, {})

        assert response.context["form"].errors == {
            "name": ["Enter the organisation’s name."], "sector": ["Select the sector."],
        }
        assert 'class="govuk-error-summary"' in response.content.decode()
        assert response.context["near_matches"] == []
        assert Organisation.objects.count() == before

    def test_the_directory_offers_it_to_governance_managers_only(self, client, sign_in, roles):
        link, directory = f'href="{self.url}"', reverse("partners:organisation_list")

        assert link in sign_in(client, roles.governance_manager).get(directory).content.decode()
        assert link not in sign_in(client, roles.spoc).get(directory).content.decode()
