"""The directory's forms (``partners.forms``): GOV.UK error messages for bad input."""

import datetime

import pytest

from partners.forms import ContactForm, OrganisationFilterForm, OrganisationForm


def date_data(day="", month="", year="", **fields) -> dict:
    return {
        "name": "Borsetshire Police", "sector": "police",
        "ico_registration_number": "ZA123456", "ico_renewal_date-day": day, "ico_renewal_date-month": month,
        "ico_renewal_date-year": year, **fields,
    }


class TestOrganisationFormRenewalDate:
    def test_a_real_date(self):
        form = OrganisationForm(date_data("27", "3", "2027"))

        assert form.is_valid(), form.errors
        assert form.cleaned_data["ico_renewal_date"] == datetime.date(2027, 3, 27)

    def test_left_empty_is_no_date(self):
        form = OrganisationForm(date_data())

        assert form.is_valid(), form.errors
        assert form.cleaned_data["ico_renewal_date"] is None

    @pytest.mark.parametrize(("parts", "message"), [
        (("", "3", "2027"), "The renewal date must include a day"),
        (("27", "", ""), "The renewal date must include a month and a year"),
        (("31", "2", "2027"), "The renewal date must be a real date"),
        (("twenty", "3", "2027"), "The renewal date must be a real date"),
        (("27", "3", "27"), "Year must include 4 numbers"),
    ])
    def test_gov_uk_messages(self, parts, message):
        form = OrganisationForm(date_data(*parts))

        assert form.errors == {"ico_renewal_date": [message]}

    def test_shows_the_date_it_holds(self):
        form = OrganisationForm(initial={"ico_renewal_date": datetime.date(2027, 3, 27)})

        assert form["ico_renewal_date"].value() == ["27", "3", "2027"]


class TestOrganisationFormIcoNumber:
    def test_is_tidied_to_capitals_without_spaces(self):
        form = OrganisationForm(date_data(ico_registration_number=" za 123456 "))

        assert form.is_valid(), form.errors
        assert form.cleaned_data["ico_registration_number"] == "ZA123456"

    def test_must_look_like_an_ico_number(self):
        form = OrganisationForm(date_data(ico_registration_number="12345"))

        assert form.errors == {
            "ico_registration_number": ["Enter an ICO registration number in the correct format, like ZA123456."],
        }

    def test_a_renewal_date_needs_a_number(self):
        form = OrganisationForm(date_data("27", "3", "2027", ico_registration_number=""))

        assert form.errors == {
            "ico_registration_number": ["Enter the ICO registration number that the renewal date is for."],
        }

    def test_phone_must_be_a_phone_number(self):
        form = OrganisationForm(date_data(phone="call reception"))

        assert form.errors == {"phone": ["Enter a telephone number, like 01632 960 001 or +44 1632 960 001."]}


class TestContactForm:
    def test_name_is_required(self):
        form = ContactForm({"name": "", "job_title": "", "email": "", "phone": ""})

        assert form.errors == {"name": ["Enter the person’s full name."]}

    def test_email_must_be_an_email_address(self):
        form = ContactForm({"name": "Ali Brook", "email": "ali.brook"})

        assert form.errors == {
            "email": ["Enter an e-mail address in the correct format, like name@example.gov.uk."],
        }


class TestOrganisationFilterForm:
    def test_an_unknown_sector_is_refused_and_the_search_still_applies(self):
        form = OrganisationFilterForm({"sector": "guild", "search": "police"})

        assert form.filters() == {"search": "police"}
        assert form.errors == {"sector": ["Select a sector from the list."]}


class TestOrganisationFormRecord:
    def test_name_and_sector_are_asked_for(self):
        form = OrganisationForm({})

        assert form.errors == {"name": ["Enter the organisation’s name."], "sector": ["Select the sector."]}

    @pytest.mark.django_db
    def test_an_unknown_sector_or_successor_is_refused(self):
        form = OrganisationForm({"name": "Borsetshire Police", "sector": "army", "successor": "999"})

        assert form.errors == {
            "sector": ["Select a sector from the list."], "successor": ["Select an organisation from the list."],
        }
