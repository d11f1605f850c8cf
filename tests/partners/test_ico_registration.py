"""An organisation's ICO registration (issue 13, item 8; partners.models, partners.selectors):
the number is checked for the ICO's format wherever it is saved, and a lapsed registration or a
malformed number is warned of on the organisation's page."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from govuk_blocks.dates import long_date
from partners.forms import OrganisationForm
from partners.models import Organisation
from partners.selectors import ico_registration_warning
from partners.services import organisation_create, organisation_update
from tests.factories import OrganisationFactory
from tests.partners.test_views import text

pytestmark = pytest.mark.django_db

FORMAT = "Enter an ICO registration number in the correct format, like ZA123456."


@pytest.mark.parametrize("number", ["Z5813762", "ZA123456", "ZB987654"])
def test_numbers_in_the_icos_formats_are_accepted(number):
    form = OrganisationForm({"name": "Borsetshire Police", "sector": "police", "ico_registration_number": number})

    assert form.is_valid(), form.errors
    assert form.cleaned_data["ico_registration_number"] == number


@pytest.mark.parametrize("number", ["Z123456", "Z12345678", "ZA1234567", "ZA12345", "ZZZZZZZ", "ZAB12345", "A1234567"])
def test_numbers_not_in_the_icos_formats_are_refused_by_the_form(number):
    form = OrganisationForm({"name": "Borsetshire Police", "sector": "police", "ico_registration_number": number})

    assert form.errors["ico_registration_number"] == [FORMAT]


def test_the_service_refuses_a_malformed_number_and_saves_nothing():
    before = Organisation.objects.count()

    with pytest.raises(ValidationError) as excinfo:
        organisation_create(name="Borsetshire Police", sector="police", ico_registration_number="Z12345")

    assert excinfo.value.message_dict == {"ico_registration_number": [FORMAT]}
    assert Organisation.objects.count() == before


def test_a_change_to_a_malformed_number_is_refused_and_the_old_one_kept():
    police = OrganisationFactory(name="Borsetshire Police", ico_registration_number="ZA123456")

    with pytest.raises(ValidationError):
        organisation_update(organisation=police, ico_registration_number="ZA12")

    police.refresh_from_db()
    assert police.ico_registration_number == "ZA123456"


def test_a_lapsed_registration_is_warned_of():
    lapsed_on = timezone.localdate() - datetime.timedelta(days=1)
    police = OrganisationFactory(name="Borsetshire Police", ico_registration_number="ZA123456",
                                 ico_renewal_date=lapsed_on)

    assert ico_registration_warning(police) == (
        f"The ICO registration of Borsetshire Police lapsed on {long_date(lapsed_on)}. Check on the ICO's register "
        "that it has paid its data protection fee, and record the new renewal date."
    )


def test_a_current_registration_is_not():
    police = OrganisationFactory(ico_registration_number="ZA123456",
                                 ico_renewal_date=timezone.localdate() + datetime.timedelta(days=60))

    assert ico_registration_warning(police) == ""


def test_the_organisation_page_warns_of_a_malformed_number_kept_from_before(client, sign_in, roles):
    Organisation.objects.filter(pk=roles.partner.pk).update(ico_registration_number="Z12")

    response = sign_in(client, roles.spoc).get(reverse("partners:organisation_detail", args=[roles.partner.pk]))

    assert (
        "The ICO registration number on record for Borsetshire Police, Z12, is not in the ICO's format "
        "(Z and 7 digits, or Z, a letter and 6 digits). Check it on the ICO's register and correct it."
    ) in text(response).replace("&#x27;", "'")


def test_the_organisation_page_warns_of_a_lapsed_registration(client, sign_in, roles):
    lapsed_on = timezone.localdate() - datetime.timedelta(days=3)
    Organisation.objects.filter(pk=roles.partner.pk).update(
        ico_registration_number="ZA123456", ico_renewal_date=lapsed_on,
    )

    response = sign_in(client, roles.spoc).get(reverse("partners:organisation_detail", args=[roles.partner.pk]))

    assert f"The ICO registration of Borsetshire Police lapsed on {long_date(lapsed_on)}." in text(response)
