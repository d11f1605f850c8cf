"""The legal basis of an entry (sharing_log/services/legal_basis.py, issue 13 item 1): an
Article 6 basis its agreement cites or a departure with its reason, of which the agreement's
governance managers are told; no legitimate interests for a public authority; each Article 9
condition with the DPA 2018 Schedule 1 condition it needs, several of them on one entry; and
DPA 2018 Part 3 for competent authorities only.

Each refusal asserts its exact message and that nothing was saved."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from agreements.models import DataLevel
from partners.models import Notification, Sector, UndeliveredNotice
from sharing_log.models import ConsentStatus, Decision, SpecialCategory, SubjectInformed, SubjectType
from sharing_log.services import disclosure_log
from tests.factories import ContactFactory, LegalGatewayFactory
from tests.mail import digests
from tests.sharing_log.helpers.disclosures import refused

PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


def gateway(key: str, provision: str, title: str, **traits):
    return LegalGatewayFactory(key=key, provision=provision, title=title, **traits)


@pytest.fixture
def law(roles):
    """The catalogue entries the rules name by key; the agreement cites 6(1)(c) and s115 only,
    as seed 001's CSP ISA does."""
    laws = SimpleNamespace(
        legal_obligation=gateway("ukgdpr-art6-1-c", "Art 6(1)(c)", "Legal obligation", art6=True),
        public_task=gateway("ukgdpr-art6-1-e", "Art 6(1)(e)", "Public task", art6=True),
        legitimate_interests=gateway("ukgdpr-art6-1-f", "Art 6(1)(f)", "Legitimate interests", art6=True),
        explicit_consent=gateway("ukgdpr-art9-2-a", "Art 9(2)(a)", "Explicit consent", art9=True),
        substantial_public_interest=gateway(
            "ukgdpr-art9-2-g", "Art 9(2)(g)", "Reasons of substantial public interest", art9=True),
        health_care=gateway("ukgdpr-art9-2-h", "Art 9(2)(h)", "Health or social care", art9=True),
        safeguarding=gateway("dpa-2018-sch1-pt2-para18", "Sch 1 Pt 2 para 18",
                             "Safeguarding of children and of individuals at risk", schedule1=True),
        health_purposes=gateway("dpa-2018-sch1-pt1-para2", "Sch 1 Pt 1 para 2", "Health or social care purposes",
                                schedule1=True),
        part3=gateway("dpa-2018-s35-2-b", "s35(2)(b)", "Law enforcement: necessary for a competent authority's task",
                      part3=True),
        s115=LegalGatewayFactory(),
    )
    roles.agreement.gateways.add(laws.legal_obligation, laws.s115)
    return laws


@pytest.fixture
def share(roles, law):
    """``share(**changes)``: a valid share by the owner's practitioner (a county council) to the
    partner (the police), under the agreement's own basis, with ``changes`` applied."""

    def make(**changes):
        kwargs = {
            "by_user": roles.practitioner, "organisation": roles.owner, "agreement": roles.agreement,
            "recipient_organisation": roles.partner, "occurred_at": timezone.now() - datetime.timedelta(minutes=30),
            "decision": Decision.SHARED, "case_reference": "ASB-2026-0042", "subject_type": SubjectType.ADULT,
            "data_level": DataLevel.MINIMUM, "data_categories": ["asb"], "purpose": roles.agreement.purposes.get(),
            "art6_basis": law.legal_obligation, "gateways": [law.s115], "consent_status": ConsentStatus.EXPLICIT,
            "subject_informed": SubjectInformed.YES, "summary": "Tenancy status, to plan a joint visit.",
            "necessity_reason": "The joint visit cannot be planned safely without the tenancy status.",
        }
        kwargs.update(changes)
        return kwargs

    return make


@pytest.fixture
def police_share(roles, share):
    """``police_share(**changes)``: the partner's SPOC (the police) shares with the owner."""

    def make(**changes):
        return share(**{"by_user": roles.spoc, "organisation": roles.partner,
                        "recipient_organisation": roles.owner, **changes})

    return make


class TestArticle6FromTheAgreement:
    def test_a_basis_the_agreement_does_not_cite_is_refused_without_a_reason(self, roles, share, law):
        # The finding: every demo share cited 6(1)(e) under an agreement citing only 6(1)(c).
        problems = refused(**share(art6_basis=law.public_task))

        assert problems["art6_departure_reason"] == [
            f"{roles.agreement} does not cite UK GDPR Art 6(1)(e) (Public task): choose the basis it cites, "
            "UK GDPR Art 6(1)(c) (Legal obligation), or give the reason for relying on another."
        ]
        assert Notification.objects.exists() is False

    def test_an_agreement_citing_no_basis_asks_for_the_reason(self, roles, share, law):
        roles.agreement.gateways.remove(law.legal_obligation)

        problems = refused(**share(art6_basis=law.public_task, art6_departure_reason="  "))

        assert problems["art6_departure_reason"] == [
            f"{roles.agreement} cites no UK GDPR Article 6 lawful basis: give the reason for relying on "
            "UK GDPR Art 6(1)(e) (Public task)."
        ]

    def test_the_basis_the_agreement_cites_needs_no_reason_and_tells_nobody(self, share, law):
        disclosure = disclosure_log(**share(art6_departure_reason="Not needed."))

        disclosure.refresh_from_db()
        assert (disclosure.art6_basis, disclosure.art6_departure_reason) == (law.legal_obligation, "")
        assert not Notification.objects.filter(event_key__endswith="art6-departure").exists()

    def test_a_departure_with_its_reason_is_logged_and_the_governance_managers_are_told(
        self, roles, share, law, django_capture_on_commit_callbacks,
    ):
        manager = ContactFactory(organisation=roles.owner, user=roles.governance_manager,
                                 email="governance@borsetshire.example")
        reason = "Disclosure under s115 is a power, not a legal obligation: it rests on public task."

        with django_capture_on_commit_callbacks(execute=True):
            disclosure = disclosure_log(**share(art6_basis=law.public_task, art6_departure_reason=f" {reason} "))

        disclosure.refresh_from_db()
        assert (disclosure.art6_basis, disclosure.art6_departure_reason) == (law.public_task, reason)
        notice = Notification.objects.get(event_key=f"disclosure-{disclosure.pk}-art6-departure")
        assert notice.recipient == manager
        assert notice.subject == f"An entry under {roles.agreement} relies on a basis the agreement does not cite"
        assert "relying on UK GDPR Art 6(1)(e) (Public task), which the agreement does not cite." in notice.body
        assert f"Their reason: “{reason}”" in notice.body
        assert "ASB-2026-0042" not in notice.body
        assert [message for message in mail.outbox if message.to == ["governance@borsetshire.example"]] == []
        assert [message.to for message in digests() if "does not cite" in message.body] == [
            ["governance@borsetshire.example"]
        ]

    def test_a_departure_notice_that_reaches_nobody_is_recorded_and_not_sent(self, roles, share, law):
        # The review finding: the notice went through notification_send, so an owner with no
        # governance manager to tell was skipped in silence (decision 0033).
        reason = "Disclosure under s115 is a power, not a legal obligation: it rests on public task."

        disclosure = disclosure_log(**share(art6_basis=law.public_task, art6_departure_reason=reason))

        notice = UndeliveredNotice.objects.get(event_key=f"disclosure-{disclosure.pk}-art6-departure")
        assert (notice.organisation, notice.responsible_organisation, notice.url) == (
            roles.owner, roles.owner, reverse("sharing_log:detail", args=[disclosure.pk]),
        )
        assert notice.message == f"not delivered: {roles.owner} has nobody to tell"
        assert notice.subject == f"An entry under {roles.agreement} relies on a basis the agreement does not cite"
        assert f"Their reason: “{reason}”" in notice.body
        assert not Notification.objects.filter(event_key__endswith="art6-departure").exists()

    def test_a_departure_notice_that_reaches_a_governance_manager_leaves_nothing_undelivered(
        self, roles, share, law,
    ):
        ContactFactory(organisation=roles.owner, user=roles.governance_manager, email="governance@borsetshire.example")

        disclosure_log(**share(art6_basis=law.public_task, art6_departure_reason="A court order requires it."))

        assert UndeliveredNotice.objects.exists() is False

    def test_a_decision_not_to_share_needs_no_basis_nor_reason(self, share, law):
        disclosure = disclosure_log(**share(
            decision=Decision.NOT_SHARED, decision_reason="Not proportionate.", art6_basis=None,
        ))

        assert disclosure.art6_departure_reason == ""


class TestLegitimateInterests:
    def test_a_public_authority_may_not_rely_on_legitimate_interests(self, roles, share, law):
        # The finding: a council could rely on 6(1)(f), even with a reason for departing.
        problems = refused(**share(art6_basis=law.legitimate_interests, art6_departure_reason="It is simpler."))

        assert problems["art6_basis"] == [
            "Borsetshire County Council is a public authority: it cannot rely on legitimate interests (UK GDPR "
            "Article 6(1)(f)) for its public tasks (Article 6(1), last paragraph). Choose the basis for the task, "
            "such as public task, Article 6(1)(e), or legal obligation, Article 6(1)(c)."
        ]

    def test_a_registered_social_landlord_may(self, roles, share, law):
        type(roles.owner).objects.filter(pk=roles.owner.pk).update(sector=Sector.HOUSING)
        roles.owner.refresh_from_db()
        roles.agreement.gateways.add(law.legitimate_interests)

        disclosure = disclosure_log(**share(art6_basis=law.legitimate_interests))

        assert disclosure.art6_basis == law.legitimate_interests


class TestArticle9AndSchedule1:
    def test_article_9_2_g_without_a_schedule_1_condition_is_refused(self, share, law):
        # The finding: Art 9(2)(g) was accepted with no DPA 2018 Schedule 1 condition.
        problems = refused(**share(
            special_categories=[SpecialCategory.HEALTH], art9_conditions=[law.substantial_public_interest],
        ))

        assert problems["schedule1_conditions"] == [
            "UK GDPR Art 9(2)(g) (Reasons of substantial public interest) needs a condition in Schedule 1 Part 2 "
            "(substantial public interest) of the Data Protection Act 2018 (section 10): choose one."
        ]

    def test_a_schedule_1_condition_from_the_wrong_part_does_not_meet_it(self, share, law):
        problems = refused(**share(
            special_categories=[SpecialCategory.HEALTH],
            art9_conditions=[law.substantial_public_interest, law.health_purposes],
        ))

        assert list(problems) == ["schedule1_conditions"]

    def test_article_9_2_h_needs_part_1_paragraph_2(self, share, law):
        problems = refused(**share(special_categories=[SpecialCategory.HEALTH], art9_conditions=[law.health_care]))

        assert problems["schedule1_conditions"] == [
            "UK GDPR Art 9(2)(h) (Health or social care) needs Schedule 1 Part 1 paragraph 2 (health or social "
            "care purposes) of the Data Protection Act 2018 (section 10): choose one."
        ]

    def test_explicit_consent_needs_no_schedule_1_condition(self, share, law):
        disclosure = disclosure_log(**share(
            special_categories=[SpecialCategory.HEALTH], art9_conditions=[law.explicit_consent],
        ))

        assert list(disclosure.art9_conditions.all()) == [law.explicit_consent]

    def test_several_article_9_conditions_are_kept_with_their_schedule_1_conditions(self, share, law):
        # The finding: one Article 9 condition only.
        disclosure = disclosure_log(**share(
            special_categories=[SpecialCategory.HEALTH, SpecialCategory.ETHNICITY],
            art9_conditions=[law.substantial_public_interest, law.health_care, law.safeguarding,
                             law.health_purposes],
        ))

        disclosure.refresh_from_db()
        assert set(disclosure.art9_conditions.all()) == {
            law.substantial_public_interest, law.health_care, law.safeguarding, law.health_purposes,
        }
        history = disclosure.history.latest()
        assert {row.legalgateway for row in history.art9_conditions.all()} == {
            law.substantial_public_interest, law.health_care, law.safeguarding, law.health_purposes,
        }

    def test_an_entry_logged_with_gateways_and_conditions_has_one_history_row_holding_them(self, share, law):
        # Issue 15: the history was written on saving and again on setting each of them.
        disclosure = disclosure_log(**share(
            special_categories=[SpecialCategory.HEALTH], art9_conditions=[law.explicit_consent],
        ))

        assert disclosure.history.count() == 1
        logged = disclosure.history.get()
        assert logged.history_type == "+"
        assert [row.legalgateway for row in logged.gateways.all()] == [law.s115]
        assert [row.legalgateway for row in logged.art9_conditions.all()] == [law.explicit_consent]


class TestPart3:
    def test_the_police_may_rest_an_entry_on_part_3(self, roles, police_share, law):
        disclosure = disclosure_log(**police_share(art6_basis=None, law_enforcement_basis=law.part3))

        disclosure.refresh_from_db()
        assert (disclosure.art6_basis, disclosure.law_enforcement_basis) == (None, law.part3)

    def test_a_council_may_not(self, share, law):
        problems = refused(**share(art6_basis=None, law_enforcement_basis=law.part3))

        assert problems["law_enforcement_basis"] == [
            "Borsetshire County Council is not a competent authority (DPA 2018 Schedule 7): only the police, "
            "probation and other competent authorities may rest sharing on Part 3 of the DPA 2018. Choose a UK "
            "GDPR Article 6 lawful basis instead."
        ]

    def test_not_both_article_6_and_part_3(self, police_share, law):
        problems = refused(**police_share(law_enforcement_basis=law.part3))

        assert problems["law_enforcement_basis"] == [
            "Choose a UK GDPR Article 6 lawful basis or a DPA 2018 Part 3 basis, not both: an entry rests on one "
            "or the other."
        ]

    def test_a_part_3_basis_must_be_one(self, police_share, law):
        problems = refused(**police_share(art6_basis=None, law_enforcement_basis=law.s115))

        assert problems["law_enforcement_basis"] == [f"Choose a DPA 2018 Part 3 basis: {law.s115} is not one."]

    def test_the_police_sharing_with_no_basis_are_offered_both(self, police_share):
        problems = refused(**police_share(art6_basis=None))

        assert problems["art6_basis"] == [
            "Choose the UK GDPR Article 6 lawful basis, or the DPA 2018 Part 3 basis for sharing for a "
            "law-enforcement purpose: you have said information was shared."
        ]


class TestPart3SensitiveProcessing:
    """Review of issue 13: an entry resting on Part 3 of the DPA 2018 is not UK GDPR processing.
    Its special category data are sensitive processing under s35, met by s35(5) and a Schedule 8
    condition (where the catalogue holds one), not by Article 9; its criminal-offence data need
    no Schedule 1 condition."""

    @pytest.fixture
    def s35_5(self):
        return gateway("dpa-2018-s35-5", "s35(5) and Sch 8", "Law enforcement: sensitive processing strictly necessary",
                       part3=True)

    def test_finding_part_3_with_special_category_data_is_asked_for_s35_5_not_article_9(
        self, roles, police_share, law, s35_5,
    ):
        problems = refused(**police_share(art6_basis=None, law_enforcement_basis=law.part3,
                                          special_categories=[SpecialCategory.HEALTH]))

        assert problems == {"law_enforcement_basis": [
            "You have said special category data was shared under Part 3 of the DPA 2018: that is sensitive "
            "processing, which rests on section 35 and Schedule 8, not on a UK GDPR Article 9 condition. Choose "
            "Data Protection Act 2018 s35(5) and Sch 8 (Law enforcement: sensitive processing strictly necessary) "
            "as the Part 3 basis."
        ]}

    def test_part_3_sensitive_processing_is_logged_without_article_9_conditions(self, police_share, law, s35_5):
        disclosure = disclosure_log(**police_share(
            art6_basis=None, law_enforcement_basis=s35_5, special_categories=[SpecialCategory.HEALTH],
            art9_conditions=[law.explicit_consent],
        ))

        disclosure.refresh_from_db()
        assert (disclosure.law_enforcement_basis, list(disclosure.art9_conditions.all())) == (s35_5, [])

    def test_without_s35_5_in_the_catalogue_part_3_asks_for_no_article_9_condition(self, police_share, law):
        disclosure = disclosure_log(**police_share(
            art6_basis=None, law_enforcement_basis=law.part3, special_categories=[SpecialCategory.HEALTH],
        ))

        assert disclosure.special_categories == [SpecialCategory.HEALTH]

    def test_part_3_criminal_offence_data_need_no_schedule_1_condition(self, police_share, law):
        disclosure = disclosure_log(**police_share(
            art6_basis=None, law_enforcement_basis=law.part3, criminal_offence_data=True,
        ))

        disclosure.refresh_from_db()
        assert (disclosure.criminal_offence_data, disclosure.criminal_offence_condition) == (True, None)

    def test_under_article_6_criminal_offence_data_still_need_one(self, police_share):
        problems = refused(**police_share(criminal_offence_data=True))

        assert problems["criminal_offence_condition"] == [
            "Choose a DPA 2018 Schedule 1 condition: you have said criminal-offence data was shared."
        ]
