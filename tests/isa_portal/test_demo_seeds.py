"""The demo says only what the seeds say (issue 13, item 11): breach clocks where a seed sets
them, no review policy where a seed is silent, no "Signature form returned" the seeds never
wrote, seed 004's four partnerships and no signature without evidence, seed 001's "ECINS
users" column, and which data items are special category data.

Each test here reproduces one finding of the issue on the loaded demo (``load_demo``)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from agreements.models import Agreement, PartyStatus, Signature
from partners.models import Organisation
from tests.auth import sign_in

User = get_user_model()

CHARTER = "Cambridgeshire Information Sharing Charter"
CSP_ISA = "South Cambridgeshire Community Safety Partnership Information Sharing Agreement"
HARINGEY_CYP = "Haringey Information Sharing Protocol for Children and Young People"
HARINGEY_GENERAL = "Haringey General Information Sharing Protocol"
STOCKPORT_CD = "Stockport Crime and Disorder Protocol"
STOCKPORT_HSC = "Stockport Health and Social Care Protocol"
STOCKPORT_GUIDANCE = "Stockport LSCB Information Sharing Guidance"
BERKSHIRE = "Berkshire Safeguarding Children Partnerships Information Sharing Protocol"

# 004 §3.2, in the seed's order.
BERKSHIRE_PARTNERSHIPS = [
    "Berkshire West Safeguarding Children Partnership",
    "Bracknell Forest Safeguarding Partnership",
    "Royal Borough of Windsor & Maidenhead Safeguarding Partnership",
    "Slough Safeguarding Partnership",
]

# 001 Appendix 1, its last column "Cambridgeshire ECINS users" (YES, NO or blank).
SEED_001_ECINS = {
    "South Cambridgeshire District Council": True,
    "Cambridgeshire County Council": True,
    "Cambridgeshire Fire & Rescue Service": True,
    "Cambridgeshire Constabulary": True,
    "Abbeyfield": False,
    "Accent Housing": True,
    "BPHA": True,
    "Cambridge Cottage Housing": False,
    "Cambridge Housing Society": None,
    "Clarion Housing Group": None,
    "Flagship": None,
    "Hanover Housing": False,
    "Luminus Group": False,
    "Sanctuary Housing": False,
    "Cottenham Village College": False,
    "Sawston Village College": None,
    "John Huntingdon's Charity": True,
    "Counting Every Adult": True,
    "Inclusion": False,
    "National Probation Service": None,
}




def agreement(title: str) -> Agreement:
    return Agreement.objects.get(title=title)


def clocks(item: Agreement) -> tuple:
    return (item.breach_notify_working_days, item.breach_report_working_days,
            item.breach_meeting_working_days, item.breach_minutes_working_days)


def page_text(client, item: Agreement, url: str = "") -> str:
    sign_in(client, User.objects.get(username="admin"))
    response = client.get(url or item.get_absolute_url())
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


# Breach clocks --------------------------------------------------------------------------------


def test_only_seed_002s_protocol_sets_working_day_breach_clocks(demo):
    set_clocks = {item.title: clocks(item) for item in Agreement.objects.all() if any(clocks(item))}

    assert set_clocks == {HARINGEY_CYP: (5, 10, 20, 5)}  # 002 §6


def test_seed_004_tells_the_other_partners_without_undue_delay(demo, client):
    berkshire = agreement(BERKSHIRE)

    assert berkshire.breach_notify_without_undue_delay is True
    assert clocks(berkshire) == (None, None, None, None)
    text = page_text(client, berkshire)
    assert "Other partners told: Without undue delay" in text
    assert "Report from the partner in breach: not set by this agreement" in text


def test_an_agreement_silent_on_breaches_says_so_and_keeps_the_icos_72_hours(demo, client):
    text = page_text(client, agreement(CSP_ISA))

    assert "Other partners told: Not set by this agreement" in text
    assert ("A personal data breach is reported to the ICO within 72 hours, or the decision not to "
            "report it recorded (UK GDPR Article 33), whatever the agreement says.") in text


# Review policy --------------------------------------------------------------------------------


@pytest.mark.parametrize("title", [CHARTER, HARINGEY_GENERAL, STOCKPORT_CD, STOCKPORT_HSC, STOCKPORT_GUIDANCE])
def test_no_review_policy_where_the_seed_is_silent(demo, title):
    item = agreement(title)

    assert (item.review_first_after_months, item.review_every_months) == (None, None)
    assert item.review_policy_set is False


@pytest.mark.parametrize("title, policy", [
    (CSP_ISA, (24, 24)),  # 001 front table and §6.4
    (HARINGEY_CYP, (6, 12)),  # 002 §5.1
    (BERKSHIRE, (6, 12)),  # 004 §6.2
])
def test_the_seeds_review_policies_are_kept(demo, title, policy):
    item = agreement(title)

    assert (item.review_first_after_months, item.review_every_months) == policy


def test_an_unset_review_policy_is_flagged_on_the_agreement(demo, client):
    text = page_text(client, agreement(CHARTER))

    assert "Review policy Review policy not set The agreement does not say when it is reviewed." in text


# Signatures -----------------------------------------------------------------------------------


def test_no_party_claims_a_signature_form_the_seeds_never_mention(demo):
    # 001 Appendix 1's "2018 Signature form returned" column is blank in every row; no other
    # seed speaks of a signature form.
    notes = [*Agreement.objects.values_list("parties__status_note", flat=True),
             *Signature.objects.values_list("note", flat=True)]

    assert [note for note in notes if note and "signature form returned" in note.lower()
            and "blank" not in note] == []


def test_the_charters_parties_carry_no_register_words(demo, client):
    charter = agreement(CHARTER)

    assert set(charter.parties.values_list("status_note", flat=True)) == {""}
    assert "Signature form returned" not in page_text(client, charter)


def test_seed_004s_four_partnerships_are_organisations_and_parties(demo):
    berkshire = agreement(BERKSHIRE)
    parties = {party.organisation.name: party for party in berkshire.parties.select_related("organisation")}

    for name in BERKSHIRE_PARTNERSHIPS:
        assert Organisation.objects.filter(name=name).exists(), name
        assert name in parties, name
    police = parties["Thames Valley Police"]
    assert sorted(police.member_of.values_list("organisation__name", flat=True)) == BERKSHIRE_PARTNERSHIPS
    assert list(parties["Reading Borough Council"].member_of.values_list("organisation__name", flat=True)) == [
        "Berkshire West Safeguarding Children Partnership"]


def test_no_seed_004_party_is_shown_as_signed(demo, client):
    berkshire = agreement(BERKSHIRE)

    assert not berkshire.parties.filter(status=PartyStatus.SIGNED).exists()
    assert not Signature.objects.filter(party__agreement=berkshire).exists()
    # The parties are on their own page (issue 14), not repeated on the agreement's.
    text = page_text(client, berkshire, reverse("agreements:parties", args=[berkshire.pk]))
    assert "No signature on record: the seed has no signature page" in text
    assert "Bound as a member of Berkshire West Safeguarding Children Partnership" in text


# ECINS users, special category data ----------------------------------------------------------


def test_seed_001s_ecins_users_column_is_kept(demo, client):
    csp_isa = agreement(CSP_ISA)
    ecins = dict(csp_isa.parties.values_list("organisation__name", "ecins_user"))

    assert {name: ecins[name] for name in SEED_001_ECINS} == SEED_001_ECINS
    text = page_text(client, csp_isa, reverse("agreements:parties", args=[csp_isa.pk]))
    assert "ECINS user" in text


def test_seed_002s_ethnic_origin_is_special_category_data(demo, client):
    protocol = agreement(HARINGEY_CYP)
    special = set(protocol.data_items.filter(special_category=True).values_list("description", flat=True))

    assert special == {"ethnic origin", "relevant health information;"}
    assert protocol.data_items.get(description="date of Birth").special_category is False
    assert "Special category data" in page_text(client, protocol)
