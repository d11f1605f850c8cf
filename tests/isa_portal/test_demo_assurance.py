"""The demo shows the new kinds of agreement and organisation assurance (decisions 0063, 0065):
a joint controller arrangement between real parties of seed 001 with its essence complete, and
assurance details on a few real organisations, each marked as demo values (no seed states any),
with one lapsed and one lapsing whenever the demo is loaded."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, Kind
from agreements.selectors.kinds import kind_problems
from agreements.services.lifecycle import readiness_problems
from isa_portal.due import dspt_renewals
from partners.models import Organisation
from partners.selectors import DSPT_LAPSED, ICO_LAPSED, RENEWAL_DUE_SOON, RENEWAL_OVERDUE, assurance_lapses
from tests.auth import sign_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def arrangement(demo):
    return Agreement.objects.get(kind=Kind.JOINT_CONTROLLER)


def test_a_joint_controller_arrangement_between_seed_001_parties_with_its_essence_complete(arrangement):
    assert arrangement.owner.name == "South Cambridgeshire District Council"
    assert sorted(arrangement.parties.values_list("organisation__name", flat=True)) == [
        "Cambridgeshire Constabulary", "Cambridgeshire County Council", "South Cambridgeshire District Council",
    ]
    assert "Demonstration: a fictional joint controller arrangement" in arrangement.sections.get(number="1").body
    assert kind_problems(arrangement) == []
    assert readiness_problems(arrangement) == []
    # Frozen with its version, as signed terms are (decision 0065).
    assert arrangement.versions.get().content["kind_terms"]["contact_point"].startswith("The CSP's data protection")


def test_its_terms_page_shows_the_essence(arrangement, client):
    from django.contrib.auth import get_user_model

    governance = get_user_model().objects.get(username="governance")
    page = sign_in(client, governance).get(reverse("agreements:task_kind", args=[arrangement.pk]))

    assert page.status_code == 200
    assert "South Cambridgeshire District Council answers every request" in page.content.decode()


def test_assurance_details_are_marked_as_demo_values_and_in_the_right_format(demo):
    with_assurance = Organisation.objects.exclude(ods_code="", ico_registration_number="", dspt_status="")

    assert with_assurance.count() == 13
    for organisation in with_assurance:
        organisation.full_clean()
        assert "Demo values, not from the seeds" in organisation.note, organisation
    assert set(with_assurance.exclude(ico_registration_number="").values_list(
        "ico_registration_number", flat=True)) == {f"ZX90000{n}" for n in range(1, 8)}
    assert Organisation.objects.get(name="Cambridge University Hospitals NHS Foundation Trust").ods_code == "RGT"


def test_one_lapsed_and_one_lapsing_counted_from_the_day_of_loading(demo):
    today = timezone.localdate()
    police = Organisation.objects.get(name="Cambridgeshire Constabulary")
    trust = Organisation.objects.get(name="Cambridgeshire and Peterborough NHS Foundation Trust")

    assert police.ico_renewal_date == today - datetime.timedelta(days=12)
    assert assurance_lapses(police) == [ICO_LAPSED]
    assert assurance_lapses(trust) == [DSPT_LAPSED]
    assert {(organisation.name, state) for organisation, state in dspt_renewals(on=today)} == {
        ("Cambridgeshire County Council", RENEWAL_DUE_SOON), (trust.name, RENEWAL_OVERDUE),
    }
