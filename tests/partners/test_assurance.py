"""Organisation assurance (issue 17, item 5; decision 0063): each organisation's ODS code, ICO
registration and DSPT status with its publication date, edited on its page; what has lapsed shown
on the agreement's parties table and on "What's due"; and the agreement's owner acting for a party
with nobody to administer it, recorded on the party and on what is recorded for it."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from agreements.models import PartyStatus
from agreements.services import agreement_version_create, signature_record_paper
from agreements.services.parties import party_act_for, party_stop_acting_for
from govuk_blocks.dates import long_date
from isa_portal.due import due_for
from partners.forms import OrganisationForm
from partners.models import Organisation, Role
from partners.selectors import (
    DSPT_LAPSED,
    ICO_LAPSED,
    assurance_coming_up,
    assurance_due_q,
    assurance_lapsed_q,
    assurance_lapses,
)
from partners.services import organisation_update
from tests.factories import OrganisationFactory, PartyFactory
from tests.partners.test_views import text

# Lapses and renewals are counted from this day, not from one that may turn mid-run.
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]

ODS_FORMAT = "Enter an ODS code in the correct format: 3 to 5 letters and numbers, like RGT or 8HV48."
TODAY = PINNED.date()
DAY = datetime.timedelta(days=1)


def form(**data):
    return OrganisationForm({"name": "Borsetshire NHS Trust", "sector": "nhs", **data})


def date_fields(name, value: datetime.date) -> dict:
    return {f"{name}-day": str(value.day), f"{name}-month": str(value.month), f"{name}-year": str(value.year)}


class TestOdsCode:
    @pytest.mark.parametrize(("typed", "kept"), [("RGT", "RGT"), ("rgt 01", "RGT01"), ("8HV48", "8HV48"),
                                                  ("00L", "00L")])
    def test_codes_in_the_ods_format_are_kept_capitalised_without_spaces(self, typed, kept):
        bound = form(ods_code=typed)

        assert bound.is_valid(), bound.errors
        assert bound.cleaned_data["ods_code"] == kept

    @pytest.mark.parametrize("typed", ["RG", "RGT012", "RG-1", "RGT/1"])
    def test_codes_not_in_the_format_are_refused(self, typed):
        assert form(ods_code=typed).errors["ods_code"] == [ODS_FORMAT]

    def test_the_service_refuses_a_malformed_code_and_keeps_the_old_one(self):
        trust = OrganisationFactory(ods_code="RGT")

        with pytest.raises(ValidationError) as excinfo:
            organisation_update(organisation=trust, ods_code="R-1")

        assert excinfo.value.message_dict == {"ods_code": [ODS_FORMAT]}
        trust.refresh_from_db()
        assert trust.ods_code == "RGT"


class TestDsptForm:
    def test_a_status_with_its_publication_date_is_accepted(self):
        bound = form(dspt_status="met", **date_fields("dspt_published_on", TODAY - 30 * DAY))

        assert bound.is_valid(), bound.errors

    def test_not_published_needs_no_date(self):
        assert form(dspt_status="not_published").is_valid()

    def test_a_published_status_needs_its_date(self):
        assert form(dspt_status="exceeded").errors == {
            "dspt_published_on": ["Enter the date the DSPT status was published."],
        }

    def test_a_date_needs_its_status(self):
        assert form(**date_fields("dspt_published_on", TODAY)).errors == {
            "dspt_status": ["Select the DSPT status that was published on that date."],
        }

    def test_a_date_in_the_future_is_refused(self):
        assert form(dspt_status="met", **date_fields("dspt_published_on", TODAY + DAY)).errors == {
            "dspt_published_on": ["The DSPT publication date must be today or in the past."],
        }

    def test_a_status_not_on_the_list_is_refused(self):
        assert form(dspt_status="fine").errors == {"dspt_status": ["Select a DSPT status from the list."]}


class TestLapses:
    def test_a_dspt_assessment_lapses_12_months_after_it_was_published(self):
        published = datetime.date(2025, 6, 30)
        trust = OrganisationFactory(dspt_status="met", dspt_published_on=published)

        assert assurance_lapses(trust, on=datetime.date(2026, 6, 30)) == []
        assert assurance_lapses(trust, on=datetime.date(2026, 7, 1)) == [DSPT_LAPSED]

    def test_an_ico_registration_past_its_renewal_date_has_lapsed(self):
        trust = OrganisationFactory(ico_registration_number="ZA123456", ico_renewal_date=TODAY - DAY)

        assert assurance_lapses(trust, on=TODAY) == [ICO_LAPSED]
        assert assurance_lapses(trust, on=TODAY - DAY) == []

    def test_a_body_that_has_ceased_has_nothing_lapsed(self):
        trust = OrganisationFactory(ico_registration_number="ZA123456", ico_renewal_date=TODAY - 400 * DAY,
                                    dspt_status="met", dspt_published_on=TODAY - 800 * DAY, ceased_on=TODAY - DAY)

        assert assurance_lapses(trust, on=TODAY) == []

    def test_the_database_filter_agrees_with_the_rule(self):
        on = datetime.date(2026, 7, 1)
        cases = [
            OrganisationFactory(dspt_status="met", dspt_published_on=datetime.date(2025, 6, 30)),  # lapsed
            OrganisationFactory(dspt_status="met", dspt_published_on=datetime.date(2025, 7, 1)),  # current
            OrganisationFactory(ico_registration_number="ZA123456", ico_renewal_date=on - DAY),  # lapsed
            OrganisationFactory(ico_registration_number="ZA123456", ico_renewal_date=on),  # current
            OrganisationFactory(dspt_status="met", dspt_published_on=datetime.date(2020, 1, 1),
                                ceased_on=datetime.date(2021, 1, 1)),  # ceased
            OrganisationFactory(),  # nothing recorded
        ]

        filtered = set(Organisation.objects.filter(assurance_lapsed_q(on=on)).values_list("pk", flat=True))

        assert filtered == {organisation.pk for organisation in cases if assurance_lapses(organisation, on=on)}
        assert filtered == {cases[0].pk, cases[2].pk}


class TestComingUp:
    def test_what_lapses_within_30_days_and_has_not_yet(self):
        on = datetime.date(2026, 6, 1)
        trust = OrganisationFactory(ico_registration_number="ZA123456", ico_renewal_date=on + 30 * DAY,
                                    dspt_status="met", dspt_published_on=datetime.date(2025, 6, 2))

        assert assurance_coming_up(trust, on=on) == [
            ("ico", on + 30 * DAY), ("dspt", datetime.date(2026, 6, 2))]
        assert assurance_coming_up(trust, on=on - DAY) == [("dspt", datetime.date(2026, 6, 2))]
        assert assurance_coming_up(trust, on=datetime.date(2026, 6, 3)) == [("ico", on + 30 * DAY)]  # DSPT lapsed

    def test_the_database_filter_keeps_every_organisation_the_rules_name(self):
        """30 days from 29 January 2029 is 28 February, the day an assessment published on the leap
        day 29 February 2028 lapses: 12 months before 28 February 2029 is 28 February 2028."""
        on = datetime.date(2029, 1, 29)
        cases = [
            OrganisationFactory(dspt_status="met", dspt_published_on=datetime.date(2028, 2, 29)),  # coming up
            OrganisationFactory(dspt_status="met", dspt_published_on=datetime.date(2028, 3, 1)),  # later
            OrganisationFactory(dspt_status="met", dspt_published_on=datetime.date(2027, 1, 1)),  # lapsed
            OrganisationFactory(ico_registration_number="ZA123456", ico_renewal_date=on + 30 * DAY),  # coming up
            OrganisationFactory(ico_registration_number="ZA123456", ico_renewal_date=on + 31 * DAY),  # later
            OrganisationFactory(ico_registration_number="ZA123456", ico_renewal_date=on - DAY),  # lapsed
            OrganisationFactory(dspt_status="met", dspt_published_on=datetime.date(2028, 2, 29),
                                ceased_on=datetime.date(2028, 6, 1)),  # ceased
        ]

        filtered = set(Organisation.objects.filter(assurance_due_q(on=on)).values_list("pk", flat=True))
        named = {organisation.pk for organisation in cases
                 if assurance_lapses(organisation, on=on) or assurance_coming_up(organisation, on=on)}

        assert named == {cases[0].pk, cases[2].pk, cases[3].pk, cases[5].pk}
        assert named <= filtered
        assert cases[6].pk not in filtered


class TestEditPage:
    def url(self, organisation):
        return reverse("partners:organisation_edit", args=[organisation.pk])

    def data(self, organisation, **changes):
        return {"name": organisation.name, "sector": organisation.sector, "phone": "", "address": "", **changes}

    def test_the_assurance_is_saved_and_kept_in_the_history(self, client, sign_in, roles):
        published = TODAY - 400 * DAY
        response = sign_in(client, roles.governance_manager).post(self.url(roles.owner), self.data(
            roles.owner, ods_code="rgt", dspt_status="approaching", **date_fields("dspt_published_on", published),
        ), follow=True)

        roles.owner.refresh_from_db()
        assert (roles.owner.ods_code, roles.owner.dspt_status, roles.owner.dspt_published_on) == (
            "RGT", "approaching", published,
        )
        latest = roles.owner.history.first()
        assert (latest.ods_code, latest.dspt_status, latest.history_user) == (
            "RGT", "approaching", roles.governance_manager,
        )
        page = text(response)
        assert "Approaching standards, published" in page
        assert "DSPT lapsed" in page

    def test_bad_input_gets_the_error_summary_and_saves_nothing(self, client, sign_in, roles):
        response = sign_in(client, roles.governance_manager).post(self.url(roles.owner), self.data(
            roles.owner, ods_code="R-1", dspt_status="met",
        ))

        html = response.content.decode()
        assert "govuk-error-summary" in html
        assert 'href="#id_ods_code"' in html
        assert 'href="#id_dspt_published_on-day"' in html
        roles.owner.refresh_from_db()
        assert (roles.owner.ods_code, roles.owner.dspt_status) == ("", "")


def lapse_dspt(organisation):
    Organisation.objects.filter(pk=organisation.pk).update(dspt_status="met", dspt_published_on=TODAY - 400 * DAY)


class TestPartiesTable:
    def url(self, roles):
        return reverse("agreements:parties", args=[roles.agreement.pk])

    def test_each_lapsed_item_is_a_tag_with_words(self, client, sign_in, roles):
        lapse_dspt(roles.partner)
        Organisation.objects.filter(pk=roles.partner.pk).update(
            ico_registration_number="ZA123456", ico_renewal_date=TODAY - DAY)

        html = sign_in(client, roles.spoc).get(self.url(roles)).content.decode()

        assert '<strong class="govuk-tag govuk-tag--red">ICO registration lapsed</strong>' in html
        assert '<strong class="govuk-tag govuk-tag--red">DSPT lapsed</strong>' in html
        assert html.count("DSPT lapsed") == 1  # the owner's row has none

    def test_showing_what_has_lapsed_adds_no_queries(self, client, sign_in, roles):
        # The page's queries grow with its parties already (each row's actions); the lapses are
        # read from the organisations loaded with them, so lapsing adds nothing.
        client = sign_in(client, roles.governance_manager)
        organisations = [roles.partner]
        for name in ("Felpersham Trust", "Borchester Trust", "Loxley Trust"):
            organisations.append(OrganisationFactory(name=name))
            PartyFactory(agreement=roles.agreement, organisation=organisations[-1], signed=True)
        client.get(self.url(roles))
        with CaptureQueriesContext(connection) as current:
            client.get(self.url(roles))
        for organisation in organisations:
            lapse_dspt(organisation)
        with CaptureQueriesContext(connection) as lapsed:
            html = client.get(self.url(roles)).content.decode()

        assert html.count("DSPT lapsed") == 4
        assert len(lapsed) == len(current)


class TestWhatsDue:
    def test_the_agreement_owner_is_told_of_a_partys_lapsed_assurance(self, roles):
        lapse_dspt(roles.partner)

        items = [item for item in due_for(roles.governance_manager).overdue if item.kind == "Partner assurance"]

        assert [item.what for item in items] == ["Borsetshire Police, a party to your agreements: DSPT lapsed"]
        assert items[0].url == roles.partner.get_absolute_url()
        assert items[0].due == TODAY - 400 * DAY + relativedelta(months=12)

    def test_the_organisations_own_governance_manager_is_asked_to_publish(self, roles):
        lapse_dspt(roles.partner)
        manager = roles.member(roles.partner, Role.GOVERNANCE_MANAGER, username="police-gm")

        whats = [item.what for item in due_for(manager).overdue]

        assert "Publish Borsetshire Police's Data Security and Protection Toolkit assessment (lapsed)" in whats
        assert not any("a party to your agreements" in what for what in whats)

    @pytest.mark.parametrize("subject", ["practitioner", "spoc", "auditor", "admin", "unrelated"])
    def test_nobody_else_is_told(self, roles, subject):
        lapse_dspt(roles.partner)
        lapse_dspt(roles.owner)

        assert not any("DSPT" in item.what for item in due_for(roles.subject(subject)).overdue)

    def test_a_party_that_declined_is_not_followed(self, roles):
        lapse_dspt(roles.partner)
        type(roles.partner_party).objects.filter(organisation=roles.partner).update(status=PartyStatus.DECLINED)

        assert not any(item.kind == "Partner assurance" for item in due_for(roles.governance_manager).overdue)

    def test_the_queries_do_not_grow_with_the_lapsed_parties(self, roles):
        lapse_dspt(roles.partner)
        due_for(roles.governance_manager)
        with CaptureQueriesContext(connection) as one:
            due_for(roles.governance_manager)
        for name in ("Felpersham Trust", "Borchester Trust", "Loxley Trust"):
            organisation = OrganisationFactory(name=name)
            lapse_dspt(organisation)
            PartyFactory(agreement=roles.agreement, organisation=organisation, signed=True)
        with CaptureQueriesContext(connection) as four:
            due = due_for(roles.governance_manager)

        assert sum(item.kind == "Partner assurance" for item in due.overdue) == 4
        assert len(four) == len(one)


def lapse_dspt_in(organisation, days: int):
    """Its DSPT assessment published 12 months before ``days`` from today: it lapses then."""
    published = TODAY + days * DAY - relativedelta(months=12)
    Organisation.objects.filter(pk=organisation.pk).update(dspt_status="met", dspt_published_on=published)
    return TODAY + days * DAY


class TestWhatsDueComingUp:
    """Issue 17: "What's due" showed a DSPT only once lapsed, though the reminder warns 30 days
    ahead. The same readers as the lapsed item see it coming up; the agreement owner sees a
    party's ICO renewal coming up too."""

    def test_the_organisations_own_governance_manager_sees_its_dspt_lapsing_within_30_days(self, roles):
        lapses_on = lapse_dspt_in(roles.partner, 20)
        manager = roles.member(roles.partner, Role.GOVERNANCE_MANAGER, username="police-gm")

        due = due_for(manager)

        items = [item for item in due.coming_up if item.kind == "DSPT"]
        assert [(item.what, item.due, item.url) for item in items] == [(
            "Publish Borsetshire Police's Data Security and Protection Toolkit assessment before it lapses",
            lapses_on, roles.partner.get_absolute_url())]
        assert items[0].about == f"Last published {long_date(lapses_on - relativedelta(months=12))}"
        assert not [item for item in due.overdue if item.kind == "DSPT"]

    def test_not_before_30_days(self, roles):
        lapse_dspt_in(roles.partner, 31)
        manager = roles.member(roles.partner, Role.GOVERNANCE_MANAGER, username="police-gm")

        assert not [item for item in due_for(manager).coming_up if item.kind == "DSPT"]

    def test_the_agreement_owner_sees_a_partys_dspt_and_ico_renewal_coming_up(self, roles):
        dspt_on = lapse_dspt_in(roles.partner, 10)
        ico_on = TODAY + 25 * DAY
        Organisation.objects.filter(pk=roles.partner.pk).update(
            ico_registration_number="ZA123456", ico_renewal_date=ico_on)

        due = due_for(roles.governance_manager)

        items = [item for item in due.coming_up if item.kind == "Partner assurance"]
        assert [(item.what, item.due, item.url) for item in items] == [(
            f"Borsetshire Police, a party to your agreements: ICO registration due for renewal on {long_date(ico_on)}, "
            f"DSPT assessment lapses on {long_date(dspt_on)}", dspt_on, roles.partner.get_absolute_url())]
        assert items[0].about == "Ask them to renew it before it lapses"
        assert not [item for item in due.overdue if item.kind == "Partner assurance"]

    def test_a_lapsed_item_and_one_coming_up_are_listed_apart(self, roles):
        lapse_dspt(roles.partner)
        Organisation.objects.filter(pk=roles.partner.pk).update(
            ico_registration_number="ZA123456", ico_renewal_date=TODAY + 5 * DAY)

        due = due_for(roles.governance_manager)

        assert [item.what for item in due.overdue if item.kind == "Partner assurance"] == [
            "Borsetshire Police, a party to your agreements: DSPT lapsed"]
        assert [item.what for item in due.coming_up if item.kind == "Partner assurance"] == [
            "Borsetshire Police, a party to your agreements: ICO registration due for renewal on "
            f"{long_date(TODAY + 5 * DAY)}"]

    @pytest.mark.parametrize("subject", ["practitioner", "spoc", "auditor", "admin", "unrelated"])
    def test_nobody_else_is_told(self, roles, subject):
        lapse_dspt_in(roles.partner, 10)
        lapse_dspt_in(roles.owner, 10)

        assert not any("DSPT" in item.what for item in due_for(roles.subject(subject)).coming_up)

    def test_a_body_that_has_ceased_is_not_followed(self, roles):
        lapse_dspt_in(roles.partner, 10)
        Organisation.objects.filter(pk=roles.partner.pk).update(ceased_on=TODAY - DAY)

        assert not any(item.kind == "Partner assurance" for item in due_for(roles.governance_manager).coming_up)

    def test_the_queries_do_not_grow_with_the_lapsing_parties(self, roles):
        lapse_dspt_in(roles.partner, 10)
        due_for(roles.governance_manager)
        with CaptureQueriesContext(connection) as one:
            due_for(roles.governance_manager)
        for name in ("Felpersham Trust", "Borchester Trust", "Loxley Trust"):
            organisation = OrganisationFactory(name=name, ico_registration_number="ZA123456",
                                               ico_renewal_date=TODAY + 3 * DAY)
            lapse_dspt_in(organisation, 12)
            PartyFactory(agreement=roles.agreement, organisation=organisation, signed=True)
        with CaptureQueriesContext(connection) as four:
            due = due_for(roles.governance_manager)

        assert sum(item.kind == "Partner assurance" for item in due.coming_up) == 4
        assert len(four) == len(one)


class TestActingFor:
    def test_the_owner_acts_for_a_party_with_nobody_to_administer_it(self, roles):
        party = party_act_for(party=roles.partner_party, by_user=roles.governance_manager)

        party.refresh_from_db()
        assert party.acting_for_by == roles.governance_manager
        assert party.acting_for_since is not None
        assert party.history.first().acting_for_by_id == roles.governance_manager.pk

    def test_refused_for_a_party_with_its_own_governance_manager(self, roles):
        roles.member(roles.partner, Role.GOVERNANCE_MANAGER, username="police-gm")

        with pytest.raises(ValidationError, match="has its own governance manager"):
            party_act_for(party=roles.partner_party, by_user=roles.governance_manager)
        roles.partner_party.refresh_from_db()
        assert roles.partner_party.acting_for_by is None

    def test_refused_for_the_owners_own_party_and_twice(self, roles):
        with pytest.raises(ValidationError, match="owns the agreement"):
            party_act_for(party=roles.owner_party, by_user=roles.governance_manager)
        party_act_for(party=roles.partner_party, by_user=roles.governance_manager)
        with pytest.raises(ValidationError, match="already acts"):
            party_act_for(party=roles.partner_party, by_user=roles.governance_manager)

    def test_stopping_clears_who_and_when(self, roles):
        party_act_for(party=roles.partner_party, by_user=roles.governance_manager)

        party = party_stop_acting_for(party=roles.partner_party)

        party.refresh_from_db()
        assert (party.acting_for_by, party.acting_for_since) == (None, None)

    def test_the_parties_page_shows_who_acts_for_it(self, client, sign_in, roles):
        client = sign_in(client, roles.governance_manager)
        url = reverse("agreements:party_act_for", args=[roles.agreement.pk, roles.partner_party.pk])
        assert "Nobody administers Borsetshire Police" in client.get(url).content.decode()

        response = client.post(url, {"action": "start"}, follow=True)

        page = text(response)
        assert "You now act for Borsetshire Police." in page
        assert f"Acted for by {roles.governance_manager.get_full_name() or 'governance_manager'}" in page

    def test_a_refusal_is_shown_in_the_error_summary(self, client, sign_in, roles):
        client = sign_in(client, roles.governance_manager)
        url = reverse("agreements:party_act_for", args=[roles.agreement.pk, roles.partner_party.pk])
        roles.member(roles.partner, Role.GOVERNANCE_MANAGER, username="police-gm")

        response = client.post(url, {"action": "start"})

        assert response.status_code == 400
        assert "govuk-error-summary" in response.content.decode()
        roles.partner_party.refresh_from_db()
        assert roles.partner_party.acting_for_by is None

    def test_a_paper_signature_recorded_while_acting_for_says_so(self, roles):
        other = roles.draft.parties.get(organisation=roles.partner)
        type(roles.draft).objects.filter(pk=roles.draft.pk).update(status="awaiting_signatures")
        roles.draft.refresh_from_db()
        version = agreement_version_create(agreement=roles.draft, label="1.0")
        party_act_for(party=other, by_user=roles.governance_manager)
        other.refresh_from_db()

        signature = signature_record_paper(party=other, version=version, signatory_name="Jo Example",
                                           recorded_by=roles.governance_manager)

        assert signature.acting_for is True
        assert signature.history.first().acting_for is True

    def test_one_recorded_without_acting_for_does_not(self, roles):
        other = roles.draft.parties.get(organisation=roles.partner)
        type(roles.draft).objects.filter(pk=roles.draft.pk).update(status="awaiting_signatures")
        roles.draft.refresh_from_db()
        version = agreement_version_create(agreement=roles.draft, label="1.0")

        signature = signature_record_paper(party=other, version=version, signatory_name="Jo Example",
                                           recorded_by=roles.governance_manager)

        assert signature.acting_for is False


def test_the_parties_page_offers_to_act_for_a_party_with_nobody_to_administer_it(client, sign_in, roles):
    html = sign_in(client, roles.governance_manager).get(
        reverse("agreements:parties", args=[roles.agreement.pk])).content.decode()

    url = reverse("agreements:party_act_for", args=[roles.agreement.pk, roles.partner_party.pk])
    assert f'href="{url}"' in html
    assert reverse("agreements:party_act_for", args=[roles.agreement.pk, roles.owner_party.pk]) not in html


def test_a_partys_assurance_coming_up_reads_in_welsh(roles):
    from django.utils import translation

    lapse_dspt_in(roles.partner, 10)
    with translation.override("cy"):
        due = due_for(roles.governance_manager)
    items = [item for item in due.coming_up if item.url == roles.partner.get_absolute_url()]

    assert [item.about for item in items] == ["Gofynnwch iddynt ei adnewyddu cyn iddo ddod i ben"]
    assert items[0].what.startswith("Borsetshire Police, parti i’ch cytundebau: Asesiad DSPT yn dod i ben ar ")
