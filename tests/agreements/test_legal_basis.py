"""The legal basis an agreement comes into force on (agreements/services/legal_basis.py, called
by the in-force gate in lifecycle.py; issue 13 item 1): an Article 6 basis, the Article 9 and
DPA 2018 Schedule 1 conditions its data need, and no repealed law, the refusal naming what
replaced it. Each refusal asserts its exact message and that nothing changed."""

import datetime
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError

from agreements.models import DataItem, GatewayStatus, LegalGateway, ScreeningCriterion, Status
from agreements.services import (
    agreement_record_existing,
    agreement_record_in_force,
    dpia_record,
    signature_record_paper,
)
from agreements.services.legal_basis import legal_basis_problems
from agreements.services.lifecycle import MoveRefused, agreement_move, move_problems
from tests.factories import AgreementFactory, LegalGatewayFactory, PartyFactory

pytestmark = pytest.mark.django_db

D = datetime.date
DPA_1998 = ("Cannot come into force: the Data Protection Act 1998 was repealed on 25 May 2018: cite the Data "
            "Protection Act 2018 and UK GDPR instead.")


@pytest.fixture
def catalogue():
    """The catalogue as ``migrate`` leaves it: migrations 0007 and 0012."""
    for name in ("0007_legal_gateway_catalogue", "0012_legal_basis_conditions_and_repeal_dates"):
        importlib.import_module(f"agreements.migrations.{name}").add_catalogue(django_apps, None)
    return {gateway.key: gateway for gateway in LegalGateway.objects.all()}


def under_review(*gateways, data=()):
    """An agreement under review (going back into force asks nothing of signatures) citing
    ``gateways``, with a data item per (special category, criminal offence) pair in ``data``."""
    agreement = AgreementFactory(status=Status.UNDER_REVIEW, effective_date=D(2019, 7, 1))
    PartyFactory(agreement=agreement, organisation=agreement.owner)
    agreement.gateways.add(*gateways)
    for special, criminal in data:
        DataItem.objects.create(agreement=agreement, provider_label="Police", description="Incidents.",
                                special_category=special, criminal_offence=criminal)
    # The DPIA screening must tick what the data include (agreements.selectors.dpias): these
    # tests are about the legal basis, so the screening says so and finds no DPIA needed.
    screening = [criterion for criterion, present in (
        (ScreeningCriterion.SPECIAL_CATEGORY, any(special for special, _ in data)),
        (ScreeningCriterion.CRIMINAL_OFFENCE, any(criminal for _, criminal in data)),
    ) if present]
    if screening:
        dpia_record(agreement=agreement, by_user=None, screening=screening, needed=False,
                    not_needed_reason="A handful of records a year, shared case by case.")
    return agreement


class TestCatalogue:
    def test_migration_0012_adds_the_schedule_1_part_1_conditions_part_3_and_the_repeal_date(self, catalogue):
        assert {key for key in catalogue if key.startswith(("dpa-2018-sch1-pt1-", "dpa-2018-s35", "dpa-2018-part3"))} \
            == {"dpa-2018-sch1-pt1-para1", "dpa-2018-sch1-pt1-para2", "dpa-2018-sch1-pt1-para3",
                "dpa-2018-sch1-pt1-para4", "dpa-2018-part3", "dpa-2018-s35-2-a", "dpa-2018-s35-2-b",
                "dpa-2018-s35-5"}
        assert {gateway.repealed_on for gateway in catalogue.values() if gateway.instrument.endswith("1998")
                and gateway.status == GatewayStatus.REPEALED} == {D(2018, 5, 25)}


class TestInForceGate:
    def test_an_agreement_whose_only_basis_is_the_dpa_1998_does_not_come_into_force(self, catalogue):
        # The finding: it came into force.
        agreement = under_review(catalogue["dpa-1998"])

        with pytest.raises(MoveRefused) as excinfo:
            agreement_move(agreement=agreement, to=Status.IN_FORCE, by_user=None, on=D(2026, 3, 2))

        assert excinfo.value.problems == [
            "Cannot come into force: cite a UK GDPR Article 6 lawful basis among its legal gateways.", DPA_1998,
        ]
        agreement.refresh_from_db()
        assert agreement.status == Status.UNDER_REVIEW

    def test_several_dpa_1998_provisions_make_one_refusal(self, catalogue):
        agreement = under_review(catalogue["ukgdpr-art6-1-e"], catalogue["dpa-1998-s29"], catalogue["dpa-1998-sch3"])

        assert move_problems(agreement, Status.IN_FORCE) == [DPA_1998]

    def test_superseded_guidance_names_its_replacement(self, catalogue):
        agreement = under_review(catalogue["ukgdpr-art6-1-e"], catalogue["wt-2006"])

        assert move_problems(agreement, Status.IN_FORCE) == [
            "Cannot come into force: the Working Together to Safeguard Children 2006 was superseded: cite the "
            "Working Together to Safeguard Children 2023 instead."
        ]

    def test_special_category_data_need_an_article_9_condition(self, catalogue):
        agreement = under_review(catalogue["ukgdpr-art6-1-e"], data=[(True, False)])

        assert move_problems(agreement, Status.IN_FORCE) == [
            "Cannot come into force: its data include special category data: cite a UK GDPR Article 9 condition "
            "among its legal gateways."
        ]

    def test_article_9_2_g_needs_its_schedule_1_condition(self, catalogue):
        # Seed 001's CSP ISA cites Art 9(2)(g) with no Schedule 1 condition.
        agreement = under_review(catalogue["ukgdpr-art6-1-c"], catalogue["ukgdpr-art9-2-g"], data=[(True, False)])

        assert move_problems(agreement, Status.IN_FORCE) == [
            "Cannot come into force: UK GDPR Art 9(2)(g) (Reasons of substantial public interest) needs a "
            "condition in Schedule 1 Part 2 (substantial public interest) of the Data Protection Act 2018 "
            "(section 10): cite it among its legal gateways."
        ]

    def test_criminal_offence_data_need_a_schedule_1_condition(self, catalogue):
        agreement = under_review(catalogue["ukgdpr-art6-1-e"], data=[(False, True)])

        assert move_problems(agreement, Status.IN_FORCE) == [
            "Cannot come into force: its data include criminal offence data: cite a DPA 2018 Schedule 1 condition "
            "among its legal gateways (UK GDPR Article 10)."
        ]

    def test_with_its_basis_and_conditions_it_comes_into_force(self, catalogue):
        agreement = under_review(
            catalogue["ukgdpr-art6-1-e"], catalogue["ukgdpr-art9-2-g"], catalogue["dpa-2018-sch1-pt2-para18"],
            catalogue["dpa-2018-sch1-pt2-para10"], catalogue["cda-1998-s115"], data=[(True, True)],
        )

        agreement_move(agreement=agreement, to=Status.IN_FORCE, by_user=None, on=D(2026, 3, 2))

        agreement.refresh_from_db()
        assert agreement.status == Status.IN_FORCE

    def test_a_police_agreement_may_rest_on_part_3(self, catalogue):
        agreement = under_review(catalogue["dpa-2018-s35-2-b"])

        assert legal_basis_problems(agreement) == []

    def test_a_part_3_only_agreement_is_not_asked_for_schedule_1_for_criminal_offence_data(self, catalogue):
        # The review finding: Part 3 processing is not UK GDPR processing; Article 10 and its
        # Schedule 1 conditions do not apply to it.
        agreement = under_review(catalogue["dpa-2018-s35-2-b"], data=[(False, True)])

        agreement_move(agreement=agreement, to=Status.IN_FORCE, by_user=None, on=D(2026, 3, 2))

        agreement.refresh_from_db()
        assert agreement.status == Status.IN_FORCE

    def test_a_part_3_only_agreement_with_special_category_data_needs_s35_5_not_article_9(self, catalogue):
        agreement = under_review(catalogue["dpa-2018-s35-2-b"], catalogue["ukgdpr-art9-2-g"], data=[(True, False)])

        with pytest.raises(MoveRefused) as excinfo:
            agreement_move(agreement=agreement, to=Status.IN_FORCE, by_user=None, on=D(2026, 3, 2))

        assert excinfo.value.problems == [
            "Cannot come into force: its data include special category data and its only basis is Part 3 of the "
            "DPA 2018, so they are sensitive processing under section 35: cite Data Protection Act 2018 s35(5) "
            "and Sch 8 (Law enforcement: sensitive processing strictly necessary) among its legal gateways."
        ]
        agreement.refresh_from_db()
        assert agreement.status == Status.UNDER_REVIEW

    def test_a_part_3_only_agreement_citing_s35_5_comes_into_force(self, catalogue):
        agreement = under_review(catalogue["dpa-2018-s35-2-b"], catalogue["dpa-2018-s35-5"], data=[(True, True)])

        assert legal_basis_problems(agreement) == []

    def test_an_agreement_on_article_6_and_part_3_still_needs_schedule_1_for_criminal_offence_data(self, catalogue):
        agreement = under_review(catalogue["ukgdpr-art6-1-e"], catalogue["dpa-2018-s35-2-b"], data=[(False, True)])

        assert move_problems(agreement, Status.IN_FORCE) == [
            "Cannot come into force: its data include criminal offence data: cite a DPA 2018 Schedule 1 condition "
            "among its legal gateways (UK GDPR Article 10)."
        ]

    def test_an_agreement_signed_before_the_portal_is_not_recorded_in_force_on_the_dpa_1998(self, roles,
                                                                                             ready_draft):
        ready_draft.gateways.set([LegalGatewayFactory(repealed=True, repealed_on=D(2018, 5, 25), provision="")])
        agreement_record_existing(agreement=ready_draft, by_user=roles.governance_manager, label="1.0",
                                  issued_on=D(2016, 9, 1))
        for organisation in (roles.owner, roles.partner):
            signature_record_paper(party=ready_draft.parties.get(organisation=organisation),
                                   version=ready_draft.versions.latest(), signatory_name="A Signatory",
                                   signed_on=D(2016, 9, 20))

        with pytest.raises(ValidationError) as excinfo:
            agreement_record_in_force(agreement=ready_draft, by_user=roles.governance_manager, since=D(2016, 10, 1))

        assert excinfo.value.messages == [
            "Cannot come into force: cite a UK GDPR Article 6 lawful basis among its legal gateways.",
            "Cannot come into force: the Data Protection Act 1998 was repealed on 25 May 2018: cite the law in "
            "force instead.",
        ]
        ready_draft.refresh_from_db()
        assert (ready_draft.status, ready_draft.effective_date) == (Status.AWAITING_SIGNATURES, None)
