"""Drafting (agreements/models/drafting.py, services/drafting.py, selectors/drafting.py): the
agreement's rules the database holds and which agreements are in force; who sees which
agreement; creating and starting an agreement, each task of its task list, and its jurisdiction."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import ValidationError
from django.utils import timezone

from agreements import services
from agreements.models import (
    Agreement,
    DataItem,
    DataLevel,
    GatewayStatus,
    Jurisdiction,
    Kind,
    PartyStatus,
    ProtectiveMarking,
    Status,
    TransferMethod,
)
from agreements.permissions import can_manage
from agreements.selectors import (
    agreements_for_home,
    agreements_visible_to,
)
from agreements.services import (
    agreement_breach_clocks_update,
    agreement_create,
    agreement_details_update,
    agreement_gateways_set,
    agreement_purposes_update,
    agreement_retention_update,
    agreement_review_update,
    agreement_start,
    agreement_transfer_update,
    agreement_version_create,
    data_item_remove,
    data_item_save,
    section_move,
    section_remove,
    section_save,
    signature_record_paper,
)
from partners.models import Role
from tests.agreements.helpers import DAY, EFFECTIVE, member
from tests.db import violates
from tests.factories import (
    AgreementFactory,
    ContactFactory,
    DisclosureFactory,
    LegalGatewayFactory,
    MembershipFactory,
    OrganisationFactory,
    PartyFactory,
    PurposeFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


def refusal(excinfo) -> dict | list:
    error = excinfo.value
    return error.message_dict if hasattr(error, "error_dict") else error.messages


@pytest.fixture
def framework(roles):
    """The owner's framework, with two purposes and two sections, in force."""
    framework = AgreementFactory(
        title="Borsetshire Information Sharing Framework", owner=roles.owner, kind=Kind.FRAMEWORK,
        in_force=True, gateways=[LegalGatewayFactory(art6=True)],
    )
    PurposeFactory(agreement=framework, position=1, text="To keep children safe")
    PurposeFactory(agreement=framework, position=2, text="To reduce crime and disorder")
    SectionFactory(agreement=framework, number="1", heading="Introduction", body="Why we share.")
    SectionFactory(agreement=framework, number="2", heading="Principles", body="How we share.")
    return framework


def signed_by_owner(agreement, *, label="1.0"):
    """Send ``agreement`` (in force or awaiting signatures) out as ``label`` and have its owner sign it."""
    version = agreement_version_create(agreement=agreement, label=label)
    party = agreement.parties.get(organisation=agreement.owner)
    signature_record_paper(party=party, version=version, signatory_name="Alex Fenwick")
    return version


class TestAgreementStart:
    def test_blank_draft_is_owned_by_the_managers_organisation_which_is_invited_to_sign(self, roles, manager):
        agreement = agreement_start(
            by_user=manager, owner=roles.owner, title="Borsetshire Hate Crime Protocol", mode="blank",
        )

        assert (agreement.owner, agreement.status, agreement.title) == (
            roles.owner, Status.DRAFT, "Borsetshire Hate Crime Protocol",
        )
        assert [(p.organisation, p.status) for p in agreement.parties.all()] == [
            (roles.owner, PartyStatus.INVITED)
        ]
        assert can_manage(manager, agreement) is True

    def test_refuses_an_owner_the_user_is_not_a_governance_manager_for(self, roles):
        with pytest.raises(ValidationError) as excinfo:
            agreement_start(by_user=roles.practitioner, owner=roles.owner, title="A protocol", mode="blank")

        assert refusal(excinfo) == {"owner": ["You are not a governance manager at Borsetshire County Council."]}

    def test_blank_draft_needs_a_title(self, roles, manager):
        with pytest.raises(ValidationError) as excinfo:
            agreement_start(by_user=manager, owner=roles.owner, title="  ", mode="blank")

        assert refusal(excinfo) == {"title": ["Enter the agreement's title."]}

    def test_records_the_manager_as_having_drawn_it_up(self, roles, manager):
        contact = ContactFactory(organisation=roles.owner, user=manager, name="Robin Ashdown")

        agreement = agreement_start(by_user=manager, owner=roles.owner, title="A protocol", mode="blank")

        assert list(agreement.drawn_up_by.all()) == [contact]

    def test_copy_takes_the_sources_substance_and_settings(self, roles, manager):
        source = roles.agreement
        repealed = LegalGatewayFactory(repealed=True)
        source.gateways.add(repealed)
        source.transfer_methods = [TransferMethod.SECURE_EMAIL]
        source.consent_position, source.retention_months_after_closure = "Consent is sought.", 18
        source.retention_rule, source.review_every_months = "Destroy securely.", 24
        source.protective_marking = ProtectiveMarking.OFFICIAL_SENSITIVE
        source.save()
        DataItem.objects.create(agreement=source, provider_label="Police", level=DataLevel.MINIMUM,
                                description="Names and addresses.")

        copy = agreement_start(by_user=manager, owner=roles.owner, title="", mode="clone", source=source)

        assert copy.title == "Copy of Borsetshire Community Safety Information Sharing Agreement"
        assert [p.text for p in copy.purposes.all()] == [p.text for p in source.purposes.all()]
        assert [(s.number, s.heading, s.body) for s in copy.sections.all()] == [
            (s.number, s.heading, s.body) for s in source.sections.all()
        ]
        assert list(copy.gateways.all()) == [repealed]
        assert [(d.provider_label, d.level, d.description) for d in copy.data_items.all()] == [
            ("Police", DataLevel.MINIMUM, "Names and addresses.")
        ]
        assert (copy.transfer_methods, copy.consent_position, copy.retention_months_after_closure,
                copy.retention_rule, copy.review_every_months, copy.protective_marking) == (
            ["secure_email"], "Consent is sought.", 18, "Destroy securely.", 24,
            ProtectiveMarking.OFFICIAL_SENSITIVE,
        )

    def test_copy_takes_no_partner_and_no_signature(self, roles, manager):
        copy = agreement_start(by_user=manager, owner=roles.owner, title="Copy", mode="clone",
                               source=roles.agreement)

        assert [(p.organisation, p.status, p.signatures.count()) for p in copy.parties.all()] == [
            (roles.owner, PartyStatus.INVITED, 0)
        ]
        assert (copy.status, copy.versions.count()) == (Status.DRAFT, 0)

    def test_copy_keeps_the_title_given(self, roles, manager):
        copy = agreement_start(by_user=manager, owner=roles.owner, title="Borsetshire ASB Agreement",
                               mode="clone", source=roles.agreement)

        assert copy.title == "Borsetshire ASB Agreement"

    def test_refuses_to_copy_an_agreement_the_user_cannot_see(self, roles, manager):
        with pytest.raises(ValidationError) as excinfo:
            agreement_start(by_user=manager, owner=roles.owner, title="", mode="clone",
                            source=roles.unrelated_agreement)

        assert refusal(excinfo) == {"source": ["Select an agreement you can see."]}

    def test_from_a_framework_copies_purposes_and_sections_and_sits_under_it(self, roles, manager, framework):
        agreement = agreement_start(by_user=manager, owner=roles.owner, title="Borsetshire Youth ISA",
                                    mode="template", source=framework)

        assert [p.text for p in agreement.purposes.all()] == ["To keep children safe", "To reduce crime and disorder"]
        assert [s.heading for s in agreement.sections.all()] == ["Introduction", "Principles"]
        assert (agreement.parent, agreement.kind, agreement.gateways.count()) == (framework, Kind.AGREEMENT, 0)
        assert list(framework.children.all()) == [agreement]

    def test_from_a_general_protocol_is_an_individual_protocol(self, roles, manager, framework):
        framework.kind = Kind.GENERAL_PROTOCOL
        framework.save()

        agreement = agreement_start(by_user=manager, owner=roles.owner, title="Borsetshire Youth ISP",
                                    mode="template", source=framework)

        assert agreement.kind == Kind.INDIVIDUAL_PROTOCOL

    def test_refuses_a_template_that_is_not_a_framework(self, roles, manager):
        with pytest.raises(ValidationError) as excinfo:
            agreement_start(by_user=manager, owner=roles.owner, title="A protocol", mode="template",
                            source=roles.agreement)

        assert refusal(excinfo) == {"source": [
            "Borsetshire Community Safety Information Sharing Agreement is not a framework or general protocol."
        ]}

    def test_from_a_template_needs_a_title(self, roles, manager, framework):
        with pytest.raises(ValidationError) as excinfo:
            agreement_start(by_user=manager, owner=roles.owner, title="", mode="template", source=framework)

        assert refusal(excinfo) == {"title": ["Enter the agreement's title."]}

    def test_copy_needs_a_source(self, roles, manager):
        with pytest.raises(ValidationError) as excinfo:
            agreement_start(by_user=manager, owner=roles.owner, title="", mode="clone")

        assert refusal(excinfo) == {"source": ["Select the agreement to start from."]}


class TestDetails:
    def update(self, agreement, manager, **changes):
        fields = {
            "title": agreement.title, "reference": agreement.reference, "kind": agreement.kind,
            "parent": agreement.parent, "protective_marking": agreement.protective_marking,
            "drawn_up_by": [],
        }
        return agreement_details_update(agreement=agreement, by_user=manager, **{**fields, **changes})

    def test_saves_the_details(self, roles, manager, framework):
        self.update(roles.draft, manager, title=" Borsetshire DA Protocol ", reference="BDAP 2",
                    kind=Kind.INDIVIDUAL_PROTOCOL, parent=framework,
                    protective_marking=ProtectiveMarking.NOT_MARKED)

        roles.draft.refresh_from_db()
        assert (roles.draft.title, roles.draft.reference, roles.draft.kind, roles.draft.parent,
                roles.draft.protective_marking) == (
            "Borsetshire DA Protocol", "BDAP 2", Kind.INDIVIDUAL_PROTOCOL, framework,
            ProtectiveMarking.NOT_MARKED,
        )

    def test_refuses_a_parent_that_is_not_a_framework(self, roles, manager):
        with pytest.raises(ValidationError) as excinfo:
            self.update(roles.draft, manager, parent=roles.agreement)

        assert refusal(excinfo) == {"parent": [
            "Borsetshire Community Safety Information Sharing Agreement is not a framework or general protocol."
        ]}

    def test_refuses_a_parent_that_sits_under_the_agreement(self, roles, manager, framework):
        child = AgreementFactory(owner=roles.owner, kind=Kind.GENERAL_PROTOCOL, parent=framework)

        with pytest.raises(ValidationError) as excinfo:
            self.update(framework, manager, parent=child)

        assert refusal(excinfo) == {
            "parent": ["An agreement cannot sit under itself or under one of its own children."]
        }

    def test_refuses_someone_who_does_not_work_for_the_owner(self, roles, manager):
        stranger = ContactFactory(organisation=roles.partner, name="Kit Marlow")

        with pytest.raises(ValidationError) as excinfo:
            self.update(roles.draft, manager, drawn_up_by=[stranger])

        assert refusal(excinfo) == {"drawn_up_by": ["Kit Marlow does not work for Borsetshire County Council."]}

    def test_a_draft_has_no_version_to_change(self, roles, manager):
        self.update(roles.draft, manager, title="Borsetshire DA Protocol")

        assert roles.draft.versions.count() == 0

    def test_a_change_to_an_agreement_in_force_makes_a_version_to_sign_again(self, roles, manager):
        signed_by_owner(roles.agreement)

        self.update(roles.agreement, manager, title="Borsetshire Community Safety ISA")

        assert [(v.label, v.content["title"]) for v in roles.agreement.versions.all()] == [
            ("1.0", "Borsetshire Community Safety Information Sharing Agreement"),
            ("2.0", "Borsetshire Community Safety ISA"),
        ]

    def test_changing_only_who_drew_it_up_makes_no_version(self, roles, manager):
        signed_by_owner(roles.agreement)

        self.update(roles.agreement, manager, drawn_up_by=[ContactFactory(organisation=roles.owner)])

        assert roles.agreement.versions.count() == 1

    def test_refuses_an_agreement_that_has_ended(self, roles, manager):
        roles.agreement.status, roles.agreement.ended_on = Status.ENDED, timezone.localdate()
        roles.agreement.save()

        with pytest.raises(ValidationError) as excinfo:
            self.update(roles.agreement, manager, title="Renamed")

        assert refusal(excinfo) == ["This agreement is ended, so it can no longer be changed."]
        roles.agreement.refresh_from_db()
        assert roles.agreement.title == "Borsetshire Community Safety Information Sharing Agreement"


class TestPurposes:
    def test_sets_the_purposes_in_order(self, roles, manager):
        agreement_purposes_update(
            agreement=roles.draft, by_user=manager, purposes=["To keep children safe", "To reduce crime"],
        )

        assert [p.text for p in roles.draft.purposes.all()] == ["To keep children safe", "To reduce crime"]

    def test_an_unchanged_purpose_keeps_its_record_when_reordered(self, roles, manager):
        kept = roles.agreement.purposes.get()

        agreement_purposes_update(
            agreement=roles.agreement, by_user=manager, purposes=["To keep children safe", kept.text],
        )

        assert [p.pk for p in roles.agreement.purposes.all()][1] == kept.pk
        assert [p.position for p in roles.agreement.purposes.all()] == [1, 2]

    def test_removes_a_purpose_left_out(self, roles, manager):
        agreement_purposes_update(agreement=roles.agreement, by_user=manager, purposes=["To keep children safe"])

        assert [p.text for p in roles.agreement.purposes.all()] == ["To keep children safe"]

    def test_refuses_to_remove_a_purpose_disclosures_name_and_saves_nothing(self, roles, manager):
        purpose = roles.agreement.purposes.get()
        DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                          recipient_organisation=roles.partner, purpose=purpose)

        with pytest.raises(ValidationError) as excinfo:
            agreement_purposes_update(agreement=roles.agreement, by_user=manager, purposes=["To keep children safe"])

        assert refusal(excinfo) == {"purposes": [
            "You cannot remove “To reduce crime, disorder and anti-social behaviour”: disclosures "
            "have been logged for that purpose."
        ]}
        assert [p.text for p in roles.agreement.purposes.all()] == [
            "To reduce crime, disorder and anti-social behaviour"
        ]


class TestDataItems:
    def test_adds_rows_in_turn_with_their_providers(self, roles, manager):
        partner_party = roles.draft.parties.get(organisation=roles.partner)

        first = data_item_save(agreement=roles.draft, by_user=manager, provider_label="Police",
                               level=DataLevel.MINIMUM, description="Names.", providers=[partner_party])
        second = data_item_save(agreement=roles.draft, by_user=manager, provider_label="All partners",
                                level=DataLevel.DETAILED, description="Case notes.")

        assert (first.position, second.position) == (1, 2)
        assert list(first.providers.all()) == [partner_party]

    def test_changes_a_row(self, roles, manager):
        item = data_item_save(agreement=roles.draft, by_user=manager, provider_label="Police",
                              level=DataLevel.MINIMUM, description="Names.")

        data_item_save(agreement=roles.draft, by_user=manager, item=item, provider_label="Police",
                       level=DataLevel.SENSITIVE, description="Names and offences.")

        item.refresh_from_db()
        assert (item.level, item.description, roles.draft.data_items.count()) == (
            DataLevel.SENSITIVE, "Names and offences.", 1,
        )

    def test_refuses_a_provider_from_another_agreement(self, roles, manager):
        with pytest.raises(ValidationError) as excinfo:
            data_item_save(agreement=roles.draft, by_user=manager, provider_label="Police",
                           level=DataLevel.MINIMUM, description="Names.", providers=[roles.partner_party])

        assert refusal(excinfo) == {"providers": ["Borsetshire Police is not a party to this agreement."]}

    def test_removes_a_row(self, roles, manager):
        item = data_item_save(agreement=roles.draft, by_user=manager, provider_label="Police",
                              level=DataLevel.MINIMUM, description="Names.")

        data_item_remove(item=item, by_user=manager)

        assert roles.draft.data_items.count() == 0


class TestGateways:
    def test_sets_the_gateways(self, roles, manager):
        art6, statute = LegalGatewayFactory(art6=True), LegalGatewayFactory()

        agreement_gateways_set(agreement=roles.draft, by_user=manager, gateways=[art6, statute])

        assert set(roles.draft.gateways.all()) == {art6, statute}

    def test_refuses_to_newly_cite_repealed_law_naming_the_replacement(self, roles, manager):
        replacement = LegalGatewayFactory(instrument="Data Protection Act 2018", provision="Sch 2 Pt 1 para 2")
        repealed = LegalGatewayFactory(repealed=True, replaced_by=replacement)

        with pytest.raises(ValidationError) as excinfo:
            agreement_gateways_set(agreement=roles.draft, by_user=manager, gateways=[repealed])

        assert refusal(excinfo) == {"gateways": [
            "Data Protection Act 1998 s29 is repealed: cite Data Protection Act 2018 Sch 2 Pt 1 para 2 instead."
        ]}
        assert roles.draft.gateways.count() == 0

    def test_keeps_repealed_law_the_agreement_already_cites(self, roles, manager):
        repealed = LegalGatewayFactory(status=GatewayStatus.SUPERSEDED)
        roles.draft.gateways.add(repealed)
        art6 = LegalGatewayFactory(art6=True)

        agreement_gateways_set(agreement=roles.draft, by_user=manager, gateways=[repealed, art6])

        assert set(roles.draft.gateways.all()) == {repealed, art6}


class TestSettings:
    def test_transfer_and_consent(self, roles, manager):
        agreement_transfer_update(agreement=roles.draft, by_user=manager,
                                  transfer_methods=["secure_email", "meeting"], consent_position=" Sought first. ")

        roles.draft.refresh_from_db()
        assert (roles.draft.transfer_methods, roles.draft.consent_position) == (
            ["secure_email", "meeting"], "Sought first.",
        )

    def test_retention(self, roles, manager):
        agreement_retention_update(agreement=roles.draft, by_user=manager, retention_months_after_closure=18,
                                   retention_rule="De-personalised records may be kept longer.")

        roles.draft.refresh_from_db()
        assert (roles.draft.retention_months_after_closure, roles.draft.retention_rule) == (
            18, "De-personalised records may be kept longer.",
        )

    def test_review(self, roles, manager):
        agreement_review_update(agreement=roles.draft, by_user=manager, review_first_after_months=6,
                                review_every_months=24, review_after_breach=False)

        roles.draft.refresh_from_db()
        assert (roles.draft.review_first_after_months, roles.draft.review_every_months,
                roles.draft.review_after_breach) == (6, 24, False)

    def test_review_refuses_no_months(self, roles, manager):
        with pytest.raises(ValidationError) as excinfo:
            agreement_review_update(agreement=roles.draft, by_user=manager, review_first_after_months=0,
                                    review_every_months=12, review_after_breach=True)

        assert refusal(excinfo) == {"review_first_after_months": ["First review after must be at least 1 month."]}


class TestSections:
    def headings(self, agreement):
        return [s.heading for s in agreement.sections.all()]

    def test_adds_each_section_at_the_end(self, roles, manager):
        section_save(agreement=roles.draft, by_user=manager, number="1", heading="Purpose", body="Why.")
        section_save(agreement=roles.draft, by_user=manager, number="2", heading="Partners", body="Who.")

        assert self.headings(roles.draft) == ["Purpose", "Partners"]

    def test_changes_a_section(self, roles, manager):
        section = section_save(agreement=roles.draft, by_user=manager, number="1", heading="Purpose", body="Why.")

        section_save(agreement=roles.draft, by_user=manager, section=section, number="1.1",
                     heading="Purposes", body="Why we share.")

        section.refresh_from_db()
        assert (section.number, section.heading, section.body) == ("1.1", "Purposes", "Why we share.")

    @pytest.mark.parametrize(("moved", "up", "order"), [
        ("Partners", True, ["Partners", "Purpose", "Review"]),
        ("Partners", False, ["Purpose", "Review", "Partners"]),
        ("Purpose", True, ["Purpose", "Partners", "Review"]),
        ("Review", False, ["Purpose", "Partners", "Review"]),
    ])
    def test_moves_a_section_up_or_down_but_not_past_the_ends(self, roles, manager, moved, up, order):
        for heading in ("Purpose", "Partners", "Review"):
            section_save(agreement=roles.draft, by_user=manager, number="", heading=heading, body="")

        section_move(section=roles.draft.sections.get(heading=moved), by_user=manager, up=up)

        assert self.headings(roles.draft) == order

    def test_removes_a_section(self, roles, manager):
        section_remove(section=roles.agreement.sections.get(), by_user=manager)

        assert roles.agreement.sections.count() == 0

    def test_a_change_awaiting_signatures_refreezes_the_unsigned_version(self, roles, manager):
        agreement = roles.agreement
        agreement.status = Status.AWAITING_SIGNATURES
        agreement.save()
        agreement_version_create(agreement=agreement, label="1.0")

        section_save(agreement=agreement, by_user=manager, number="2", heading="Partners", body="Who.")

        assert [(v.label, len(v.content["sections"])) for v in agreement.versions.all()] == [("1.0", 2)]


def test_a_second_governance_manager_role_lets_a_user_start_for_either_organisation(roles):
    other = OrganisationFactory(name="Borsetshire District Council")
    MembershipFactory(user=roles.governance_manager, organisation=other, role=Role.GOVERNANCE_MANAGER)

    agreement = agreement_start(by_user=roles.governance_manager, owner=other, title="District ISA", mode="blank")

    assert agreement.owner == other


class TestBreachClocksUpdate:
    def test_the_agreements_own_clocks_are_saved(self, roles):
        agreement_breach_clocks_update(
            agreement=roles.draft, by_user=None, notify_working_days=5, notify_without_undue_delay=False,
            report_working_days=10, meeting_working_days=None, minutes_working_days=None,
        )

        roles.draft.refresh_from_db()
        assert (roles.draft.breach_notify_working_days, roles.draft.breach_report_working_days,
                roles.draft.breach_meeting_working_days) == (5, 10, None)

    def test_days_and_undue_delay_together_are_refused_and_nothing_is_saved(self, roles):
        with pytest.raises(ValidationError) as excinfo:
            agreement_breach_clocks_update(
                agreement=roles.draft, by_user=None, notify_working_days=5, notify_without_undue_delay=True,
                report_working_days=10, meeting_working_days=None, minutes_working_days=None,
            )

        assert refusal(excinfo) == {"breach_notify_working_days": [
            "Leave the working days blank, or select “Within a number of working days”."]}
        roles.draft.refresh_from_db()
        assert (roles.draft.breach_notify_working_days, roles.draft.breach_report_working_days,
                roles.draft.breach_notify_without_undue_delay) == (None, None, False)


class TestAgreement:
    def test_cannot_be_its_own_parent(self):
        agreement = AgreementFactory()

        with violates(Agreement, "agreement_not_own_parent"):
            Agreement.objects.filter(pk=agreement.pk).update(parent=agreement)

    def test_may_sit_under_a_framework(self):
        framework = AgreementFactory(kind="framework")

        agreement = AgreementFactory(parent=framework, kind="individual_protocol")

        assert list(framework.children.all()) == [agreement]

    @pytest.mark.parametrize("interval", ["review_every_months", "review_first_after_months"])
    def test_review_intervals_cannot_be_zero(self, interval):
        agreement = AgreementFactory()

        with violates(Agreement, "agreement_review_intervals_positive"):
            Agreement.objects.filter(pk=agreement.pk).update(**{interval: 0})

    @pytest.mark.parametrize("interval", ["review_every_months", "review_first_after_months"])
    def test_a_review_policy_is_whole_or_unset(self, interval):
        agreement = AgreementFactory()

        with violates(Agreement, "agreement_review_policy_whole_or_unset"):
            Agreement.objects.filter(pk=agreement.pk).update(**{interval: None})

    def test_a_review_policy_may_be_unset(self):
        agreement = AgreementFactory()

        Agreement.objects.filter(pk=agreement.pk).update(review_every_months=None, review_first_after_months=None)

        agreement.refresh_from_db()
        assert agreement.review_policy_set is False

    def test_partners_are_told_of_a_breach_in_working_days_or_without_undue_delay_not_both(self):
        agreement = AgreementFactory(breach_notify_working_days=5)

        with violates(Agreement, "agreement_breach_notice_one_rule"):
            Agreement.objects.filter(pk=agreement.pk).update(breach_notify_without_undue_delay=True)

    def test_a_new_agreement_sets_no_breach_clock(self):
        agreement = AgreementFactory()

        assert (agreement.breach_notify_working_days, agreement.breach_report_working_days,
                agreement.breach_meeting_working_days, agreement.breach_minutes_working_days,
                agreement.breach_notify_without_undue_delay) == (None, None, None, None, False)
        assert agreement.breach_notice_text == "Not set by this agreement"

    def test_one_retention_rule_at_most(self):
        agreement = AgreementFactory()  # 18 months after the case is closed

        with violates(Agreement, "agreement_one_retention_rule"):
            Agreement.objects.filter(pk=agreement.pk).update(retention_months_from_disclosure=72)

    @pytest.mark.parametrize("field", ["retention_months_after_closure", "retention_months_from_disclosure",
                                       "case_open_limit_months"])
    def test_retention_months_cannot_be_zero(self, field):
        agreement = AgreementFactory(retention_months_after_closure=None)

        with violates(Agreement, "agreement_retention_months_positive"):
            Agreement.objects.filter(pk=agreement.pk).update(**{field: 0})

    def test_review_every_month_is_allowed(self):
        agreement = AgreementFactory()

        Agreement.objects.filter(pk=agreement.pk).update(
            review_every_months=1, review_first_after_months=1,
        )

        agreement.refresh_from_db()
        assert (agreement.review_every_months, agreement.review_first_after_months) == (1, 1)

    def test_cannot_end_before_it_starts(self):
        agreement = AgreementFactory(in_force=True)

        with violates(Agreement, "agreement_ends_after_it_starts"):
            Agreement.objects.filter(pk=agreement.pk).update(
                ended_on=agreement.effective_date - DAY,
            )

    def test_may_end_on_the_day_it_starts(self):
        agreement = AgreementFactory(in_force=True)

        Agreement.objects.filter(pk=agreement.pk).update(ended_on=agreement.effective_date)

        agreement.refresh_from_db()
        assert agreement.ended_on == agreement.effective_date

    @pytest.mark.parametrize("status", [Status.IN_FORCE, Status.UNDER_REVIEW])
    def test_binding_agreement_needs_an_effective_date(self, status):
        agreement = AgreementFactory()

        with violates(Agreement, "agreement_in_force_has_effective_date"):
            Agreement.objects.filter(pk=agreement.pk).update(status=status)

    @pytest.mark.parametrize("status", [Status.DRAFT, Status.CONSULTATION, Status.AWAITING_SIGNATURES])
    def test_agreement_not_yet_binding_needs_no_effective_date(self, status):
        agreement = AgreementFactory()

        Agreement.objects.filter(pk=agreement.pk).update(status=status)

        agreement.refresh_from_db()
        assert (agreement.status, agreement.effective_date) == (status, None)

    def test_cites_repealed_law_when_any_gateway_is_not_current(self):
        agreement = AgreementFactory(gateways=[LegalGatewayFactory(), LegalGatewayFactory(repealed=True)])

        assert agreement.cites_repealed_law is True

    def test_does_not_cite_repealed_law_when_every_gateway_is_current(self):
        agreement = AgreementFactory(gateways=[LegalGatewayFactory()])

        assert agreement.cites_repealed_law is False


class TestAgreementInForce:
    """``Agreement.objects.in_force(on=…)``: binding status, started, and not yet ended."""

    def in_force_on(self, day) -> list[Agreement]:
        return list(Agreement.objects.in_force(on=day))

    def test_in_force_from_its_effective_date(self):
        agreement = AgreementFactory(status=Status.IN_FORCE, effective_date=EFFECTIVE)

        assert self.in_force_on(EFFECTIVE - DAY) == []
        assert self.in_force_on(EFFECTIVE) == [agreement]

    def test_in_force_until_the_end_of_the_day_it_ends(self):
        agreement = AgreementFactory(
            status=Status.IN_FORCE, effective_date=EFFECTIVE, ended_on=EFFECTIVE + 30 * DAY,
        )

        assert self.in_force_on(EFFECTIVE + 30 * DAY) == [agreement]
        assert self.in_force_on(EFFECTIVE + 31 * DAY) == []

    def test_agreement_under_review_is_still_in_force(self):
        agreement = AgreementFactory(status=Status.UNDER_REVIEW, effective_date=EFFECTIVE)

        assert self.in_force_on(EFFECTIVE) == [agreement]

    @pytest.mark.parametrize(
        "status", [Status.DRAFT, Status.CONSULTATION, Status.AWAITING_SIGNATURES,
                   Status.SUPERSEDED, Status.ENDED],
    )
    def test_agreement_in_any_other_status_is_not_in_force(self, status):
        AgreementFactory(status=status, effective_date=EFFECTIVE)

        assert self.in_force_on(EFFECTIVE + DAY) == []


def visible(user) -> set:
    return set(agreements_visible_to(user))


class TestAgreementsVisibleTo:
    @pytest.mark.parametrize("subject", ["practitioner", "governance_manager"])
    def test_owners_members_see_its_draft(self, roles, subject):
        assert roles.draft in visible(roles.subject(subject))

    @pytest.mark.parametrize("subject", ["spoc", "lead_signatory", "auditor"])
    def test_party_organisations_members_do_not_see_a_draft_they_are_invited_to(self, roles, subject):
        assert roles.draft not in visible(roles.subject(subject))

    @pytest.mark.parametrize("subject", ["spoc", "lead_signatory", "auditor"])
    def test_party_organisations_members_see_the_agreement_once_out_of_draft(self, roles, subject):
        assert visible(roles.subject(subject)) == {roles.agreement}

    @pytest.mark.parametrize(
        "status", [PartyStatus.INVITED, PartyStatus.DECLINED, PartyStatus.WITHDRAWN],
    )
    def test_party_in_any_status_sees_the_agreement(self, roles, status):
        extra = {}
        if status == PartyStatus.WITHDRAWN:
            notified = roles.agreement.effective_date
            extra = {"withdrawal_notified_on": notified,
                     "withdrawal_effective_on": notified + datetime.timedelta(days=31)}
        party = PartyFactory(agreement=roles.agreement, status=status, **extra)

        assert visible(roles.member(party.organisation, Role.PRACTITIONER)) == {roles.agreement}

    def test_unrelated_organisation_sees_only_its_own(self, roles):
        assert visible(roles.unrelated) == {roles.unrelated_agreement}

    def test_member_of_an_organisation_party_to_nothing_sees_nothing(self, roles):
        assert visible(roles.member(roles.host, Role.GOVERNANCE_MANAGER)) == set()

    def test_anonymous_visitor_sees_nothing(self, roles):
        assert visible(AnonymousUser()) == set()

    def test_admin_sees_every_agreement_drafts_included(self, roles):
        assert visible(roles.admin) == {roles.agreement, roles.draft, roles.unrelated_agreement}

    def test_another_organisations_draft_stays_hidden_even_from_its_invitees_governance_manager(
        self, roles,
    ):
        draft = AgreementFactory(owner=roles.unrelated_organisation)
        PartyFactory(agreement=draft, organisation=roles.owner)

        assert draft not in visible(roles.governance_manager)


class TestAgreementsForHome:
    def test_admin_sees_only_their_own_organisations_agreements_at_home(self, roles):
        assert list(agreements_for_home(roles.admin)) == []

    def test_lists_what_the_users_organisation_owns_or_is_party_to(self, roles):
        home = list(agreements_for_home(roles.practitioner))

        assert home == [roles.agreement, roles.draft]
        assert [agreement.party_count for agreement in home] == [2, 2]


class TestAgreementCreate:
    def test_every_member_of_the_owner_may_see_it(self):
        owner = OrganisationFactory()
        members = [member(owner, role) for role in Role.values]

        agreement = agreement_create(title="Borsetshire Anti-social Behaviour Protocol", owner=owner)

        assert [user.has_perm("agreements.view_agreement", agreement) for user in members] == [
            True
        ] * len(Role.values)

    def test_owners_governance_manager_alone_may_manage_it(self):
        owner = OrganisationFactory()
        managers = {role: member(owner, role) for role in Role.values}

        agreement = agreement_create(title="Borsetshire Anti-social Behaviour Protocol", owner=owner)

        assert {role for role, user in managers.items() if can_manage(user, agreement)} == {
            Role.GOVERNANCE_MANAGER
        }

    def test_another_organisations_members_may_not_see_it(self):
        other = member(OrganisationFactory(), Role.GOVERNANCE_MANAGER)

        agreement = agreement_create(title="Borsetshire Anti-social Behaviour Protocol",
                                     owner=OrganisationFactory())

        assert other.has_perm("agreements.view_agreement", agreement) is False


class TestJurisdiction:
    def test_an_agreement_is_under_english_and_welsh_bank_holidays_unless_told_otherwise(self, cast):
        assert cast.agreement.jurisdiction == Jurisdiction.ENGLAND_AND_WALES

    def test_the_details_task_sets_it_and_leaves_it_when_not_given(self, cast):
        draft = cast.draft
        details = {
            "agreement": draft, "by_user": cast.governance_manager, "title": draft.title,
            "reference": draft.reference, "kind": draft.kind, "parent": None,
            "protective_marking": draft.protective_marking,
        }

        services.agreement_details_update(**details, jurisdiction=Jurisdiction.SCOTLAND)
        services.agreement_details_update(**details)

        draft.refresh_from_db()
        assert draft.jurisdiction == Jurisdiction.SCOTLAND
