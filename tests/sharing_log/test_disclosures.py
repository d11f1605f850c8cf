"""Disclosures, the entries of the sharing log (sharing_log/models/disclosures.py,
services/disclosures.py, selectors/disclosures.py): append-only, and the lawful-basis rules the
database holds; every rule of logging a share and acknowledging it; what was made, received and
awaits acknowledgement, and an entry's timeline. The pages are in test_disclosures_views.py.

Each refusal asserts its exact message and that nothing was saved."""

import datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.utils import timezone

from agreements.models import ContactRole, DataLevel, PartyStatus, TransferMethod
from agreements.services import party_contact_add
from partners.models import Notification, Role
from sharing_log.models import (
    Acknowledgement,
    AppendOnlyError,
    ConsentStatus,
    Decision,
    Disclosure,
    OnwardDecision,
    SpecialCategory,
    SubjectInformed,
    SubjectType,
)
from sharing_log.selectors import (
    disclosure_timeline,
    disclosures_awaiting_acknowledgement,
    disclosures_made,
    disclosures_received,
)
from sharing_log.services import (
    disclosure_acknowledge,
    disclosure_amend,
    disclosure_log,
    disclosure_void,
    onward_disclosure_decide,
    onward_disclosure_request,
)
from tests.db import violates
from tests.factories import (
    AgreementFactory,
    ContactFactory,
    DisclosureFactory,
    LegalGatewayFactory,
    OrganisationFactory,
    PartyFactory,
    PurposeFactory,
)
from tests.sharing_log.helpers import day, names
from tests.sharing_log.helpers.disclosures import refused
from tests.sharing_log.helpers.overrides import designated_manager

# A share "half an hour ago" is on another day in the first half hour after midnight: the module
# runs at mid-morning.
PINNED = datetime.datetime(2026, 6, 17, 10, 0, tzinfo=ZoneInfo("Europe/London"))
pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


AMEND_INSTEAD = "The sharing log is append-only: record an amendment instead."


VOID_INSTEAD = "The sharing log is append-only: void the entry with a reason instead."


class TestAppendOnly:
    def test_saving_an_existing_entry_is_refused(self, disclosure):
        disclosure.summary = "Rewritten after the event."

        with pytest.raises(AppendOnlyError, match=f"^{AMEND_INSTEAD}$"):
            disclosure.save()

        disclosure.refresh_from_db()
        assert disclosure.summary == "Address and tenancy status, to plan a joint visit."

    def test_deleting_an_entry_is_refused(self, disclosure):
        with pytest.raises(AppendOnlyError, match=f"^{VOID_INSTEAD}$"):
            disclosure.delete()

        assert Disclosure.objects.filter(pk=disclosure.pk).exists() is True

    def test_updating_entries_in_bulk_is_refused(self, disclosure):
        with pytest.raises(AppendOnlyError, match=f"^{AMEND_INSTEAD}$"):
            Disclosure.objects.filter(pk=disclosure.pk).update(summary="Rewritten.")

        disclosure.refresh_from_db()
        assert disclosure.summary == "Address and tenancy status, to plan a joint visit."

    def test_deleting_entries_in_bulk_is_refused(self, disclosure):
        with pytest.raises(AppendOnlyError, match=f"^{VOID_INSTEAD}$"):
            Disclosure.objects.filter(pk=disclosure.pk).delete()

        assert Disclosure.objects.filter(pk=disclosure.pk).exists() is True

    def test_bulk_update_through_the_manager_is_refused(self, disclosure):
        disclosure.summary = "Rewritten."

        with pytest.raises(AppendOnlyError, match=f"^{AMEND_INSTEAD}$"):
            Disclosure.objects.bulk_update([disclosure], ["summary"])

    def test_retention_due_date_alone_is_refused_outside_its_service(self, disclosure):
        # Issue 12: a save of the due date alone let a date in 2000 through, which the next
        # scheduler run destroyed. Only sharing_log.services.retention.disclosure_retention_set
        # writes it, within the rules (tests/sharing_log/test_ledger_guards.py).
        disclosure.retention_due_on = datetime.date(2000, 1, 1)

        with pytest.raises(AppendOnlyError, match=f"^{AMEND_INSTEAD}$"):
            disclosure.save(update_fields=["retention_due_on"])

        disclosure.refresh_from_db()
        assert disclosure.retention_due_on is None

    @pytest.mark.parametrize("fields", [["retention_due_on", "summary"], ["summary"], None])
    def test_retention_due_date_with_anything_else_is_refused(self, disclosure, fields):
        disclosure.retention_due_on = datetime.date(2028, 2, 29)
        disclosure.summary = "Rewritten after the event."

        with pytest.raises(AppendOnlyError, match=f"^{AMEND_INSTEAD}$"):
            disclosure.save(update_fields=fields)

        disclosure.refresh_from_db()
        assert disclosure.retention_due_on is None

    def test_new_entry_may_be_added(self, between):
        DisclosureFactory(**between)
        DisclosureFactory(**between)

        assert Disclosure.objects.count() == 2


class TestDisclosureConstraints:
    def test_shared_entry_needs_an_article_6_basis(self, between):
        with violates(Disclosure, "disclosure_shared_has_lawful_basis"):
            DisclosureFactory(**between, art6_basis=None)

    def test_shared_entry_may_rest_on_dpa_2018_part_3_instead(self, between):
        entry = DisclosureFactory(**between, art6_basis=None, law_enforcement_basis=LegalGatewayFactory(part3=True))

        assert entry.law_enforcement_basis is not None

    def test_an_entry_rests_on_article_6_or_part_3_not_both(self, between):
        with violates(Disclosure, "disclosure_one_lawful_basis_regime"):
            DisclosureFactory(**between, law_enforcement_basis=LegalGatewayFactory(part3=True))

    def test_decision_not_to_share_needs_no_article_6_basis(self, between):
        entry = DisclosureFactory(
            **between, decision=Decision.NOT_SHARED, decision_reason="Not necessary for the purpose.",
            art6_basis=None,
        )

        assert entry.art6_basis is None

    def test_purged_shared_entry_may_have_lost_its_article_6_basis(self, between):
        entry = DisclosureFactory(**between, art6_basis=None, purged_at=timezone.now())

        assert entry.purged_at is not None


    def test_criminal_offence_data_needs_a_schedule_1_condition(self, between):
        with violates(Disclosure, "disclosure_criminal_offence_has_condition"):
            DisclosureFactory(**between, criminal_offence_data=True, criminal_offence_condition=None)

    def test_criminal_offence_data_with_a_schedule_1_condition_is_accepted(self, between):
        entry = DisclosureFactory(
            **between, criminal_offence_data=True,
            criminal_offence_condition=LegalGatewayFactory(schedule1=True),
        )

        assert entry.criminal_offence_data is True

    @pytest.mark.parametrize("decision", [Decision.NOT_SHARED, Decision.REQUEST_REFUSED])
    def test_decision_not_to_share_needs_a_reason(self, between, decision):
        with violates(Disclosure, "disclosure_refusal_has_reason"):
            DisclosureFactory(**between, decision=decision, decision_reason="")

    @pytest.mark.parametrize("consent", [ConsentStatus.NOT_SOUGHT, ConsentStatus.REFUSED_OVERRIDDEN])
    def test_consent_not_sought_or_overridden_needs_a_reason(self, between, consent):
        with violates(Disclosure, "disclosure_consent_decision_has_reason"):
            DisclosureFactory(
                **between, consent_status=consent, consent_reason="",
                authorised_by="Sam Example, designated manager",
            )

    def test_consent_not_sought_with_a_reason_is_accepted(self, between):
        entry = DisclosureFactory(
            **between, consent_status=ConsentStatus.NOT_SOUGHT,
            consent_reason="Seeking consent would put a child at risk of harm.",
        )

        assert entry.consent_status == ConsentStatus.NOT_SOUGHT

    def test_overriding_a_refusal_needs_the_designated_managers_authorisation(self, between):
        with violates(Disclosure, "disclosure_override_is_authorised"):
            DisclosureFactory(
                **between, consent_status=ConsentStatus.REFUSED_OVERRIDDEN,
                consent_reason="Risk of serious harm to others.", authorised_by="",
            )

    def test_breaching_confidentiality_needs_the_designated_managers_authorisation(self, between):
        with violates(Disclosure, "disclosure_override_is_authorised"):
            DisclosureFactory(**between, confidentiality_breached=True, authorised_by="")

    def test_authorised_override_is_accepted(self, between):
        entry = DisclosureFactory(
            **between, consent_status=ConsentStatus.REFUSED_OVERRIDDEN,
            consent_reason="Risk of serious harm to others.", confidentiality_breached=True,
            authorised_by="Sam Example, designated manager",
        )

        assert entry.authorised_by == "Sam Example, designated manager"

    def test_organisation_cannot_disclose_to_itself(self, between):
        with violates(Disclosure, "disclosure_to_another_organisation"):
            DisclosureFactory(
                **{**between, "recipient_organisation": between["disclosing_organisation"]},
            )


def test_entries_are_listed_newest_first(between):
    older = DisclosureFactory(**between, occurred_at=timezone.now() - datetime.timedelta(days=1))
    newer = DisclosureFactory(**between)

    assert list(Disclosure.objects.all()) == [newer, older]


def test_made_is_what_the_users_organisations_shared(roles, entries):
    assert names(disclosures_made(roles.practitioner), entries) == {"owner_to_fire"}


def test_received_is_what_was_shared_with_the_users_organisations(roles, entries):
    assert names(disclosures_received(roles.practitioner), entries) == {"partner_to_owner"}


def test_auditors_made_list_is_everything_under_the_agreements_it_audits(roles, entries):
    assert names(disclosures_made(roles.auditor), entries) == {"partner_to_owner", "owner_to_fire"}


def test_inbox_holds_what_was_shared_with_the_spocs_organisation_until_acknowledged(roles, entries):
    entry = roles.disclosure_to_partner
    refused = DisclosureFactory(
        agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
        disclosed_by=roles.practitioner, decision=Decision.NOT_SHARED, decision_reason="Not necessary.",
    )
    voided = DisclosureFactory(
        agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
        disclosed_by=roles.practitioner,
    )
    disclosure_void(disclosure=voided, by_user=roles.practitioner, reason="Logged twice.")
    before = list(disclosures_awaiting_acknowledgement(roles.spoc))

    disclosure_acknowledge(disclosure=entry, by_user=roles.spoc)

    assert (before, refused in before) == ([entry], False)
    assert list(disclosures_awaiting_acknowledgement(roles.spoc)) == []


def test_timeline_says_who_did_what_and_when_without_the_values(roles):
    entry = roles.disclosure_to_partner
    disclosure_amend(disclosure=entry, by_user=roles.practitioner, field="summary",
                       value="Tenancy status only.", reason="Summary overstated what was shared.")
    disclosure_acknowledge(disclosure=entry, by_user=roles.spoc)

    timeline = disclosure_timeline(entry)

    assert [event.title for event in timeline] == ["Entry logged", "Amended: summary", "Receipt acknowledged"]
    assert [event.by for event in timeline] == [
        roles.practitioner.get_full_name(), roles.practitioner.get_full_name(), roles.spoc.get_full_name(),
    ]
    assert not any("Tenancy" in event.title for event in timeline)


@pytest.fixture
def law(roles):
    """Gateways: the agreement in force relies on public task (Art 6) and s115."""
    gateways = SimpleNamespace(
        art6=LegalGatewayFactory(art6=True), art9=LegalGatewayFactory(art9=True),
        schedule1=LegalGatewayFactory(schedule1=True), s115=LegalGatewayFactory(),
        other_statute=LegalGatewayFactory(instrument="Children Act 2004", provision="s11"),
    )
    roles.agreement.gateways.add(gateways.art6, gateways.s115)
    return gateways


@pytest.fixture
def share(roles, law):
    """``share(**changes)``: the keyword arguments of a valid routine share, the owner's
    practitioner to the partner, with ``changes`` applied."""

    def make(**changes):
        kwargs = {
            "by_user": roles.practitioner, "organisation": roles.owner, "agreement": roles.agreement,
            "recipient_organisation": roles.partner,
            "occurred_at": timezone.now() - datetime.timedelta(minutes=30),
            "decision": Decision.SHARED, "case_reference": "ASB-2026-0042", "subject_type": SubjectType.ADULT,
            "data_level": DataLevel.MINIMUM, "data_categories": ["asb", "housing"],
            "purpose": roles.agreement.purposes.get(), "art6_basis": law.art6, "gateways": [law.s115],
            "consent_status": ConsentStatus.EXPLICIT, "subject_informed": SubjectInformed.YES,
            "summary": "Tenancy status and ASB history, to plan a joint visit.",
            "necessity_reason": "The joint visit cannot be planned safely without them.",
        }
        kwargs.update(changes)
        return kwargs

    return make


def withdrawn_party(agreement, name: str, *, status: str, effective: datetime.date) -> object:
    return PartyFactory(
        agreement=agreement, organisation=OrganisationFactory(name=name), status=status,
        joined_on=effective - datetime.timedelta(days=300),
        withdrawal_notified_on=effective - datetime.timedelta(days=40), withdrawal_effective_on=effective,
    )


class TestLogAShare:
    def test_a_routine_share_is_logged_as_given(self, roles, share, law):
        disclosure = disclosure_log(**share())

        disclosure.refresh_from_db()
        assert (disclosure.disclosing_organisation, disclosure.recipient_organisation, disclosure.disclosed_by) == (
            roles.owner, roles.partner, roles.practitioner,
        )
        assert (disclosure.case_reference, disclosure.art6_basis, list(disclosure.gateways.all())) == (
            "ASB-2026-0042", law.art6, [law.s115],
        )
        assert disclosure.data_categories == ["asb", "housing"]

    def test_a_decision_not_to_share_needs_no_lawful_basis(self, share):
        disclosure = disclosure_log(**share(
            decision=Decision.NOT_SHARED, decision_reason="Not necessary: the police already hold it.",
            art6_basis=None, gateways=[],
        ))

        assert (disclosure.decision, disclosure.art6_basis) == (Decision.NOT_SHARED, None)

    @pytest.mark.parametrize("decision", [Decision.NOT_SHARED, Decision.REQUEST_REFUSED])
    def test_a_decision_not_to_share_keeps_no_lawful_basis_or_way_sent_it_was_given(self, share, law, decision):
        """The log form sends its defaults, hidden, whatever was decided: a refusal had been kept
        with "Public task" as its lawful basis and "secure e-mail" as how it went (found trying
        a MARAC protocol through the pages). Nothing was sent."""
        disclosure = disclosure_log(**share(
            decision=decision, decision_reason="Not necessary: the police already hold it.",
            art6_basis=law.art6, transfer_method=TransferMethod.SECURE_EMAIL,
            request_received_on=timezone.localdate() if decision == Decision.REQUEST_REFUSED else None,
        ))

        assert (disclosure.art6_basis, disclosure.transfer_method) == (None, "")

    def test_every_problem_is_raised_at_once(self, roles, share):
        problems = refused(**share(
            recipient_organisation=roles.owner, art6_basis=None, consent_status=ConsentStatus.NOT_SOUGHT,
            case_reference="CB1 2AB",
        ))

        assert set(problems) == {"recipient_organisation", "art6_basis", "consent_reason", "case_reference"}


class TestRule1AgreementInForce:
    def test_agreement_not_yet_in_force_that_day_is_refused(self, roles, share):
        before = timezone.now() - datetime.timedelta(days=400)

        problems = refused(**share(occurred_at=before))

        assert problems["agreement"] == [
            f"{roles.agreement} was not in force on {day(timezone.localdate(before))}. "
            "Choose an agreement that was in force on the day."
        ]

    def test_draft_agreement_is_refused(self, roles, share):
        purpose = PurposeFactory(agreement=roles.draft)

        problems = refused(**share(agreement=roles.draft, purpose=purpose, gateways=[]))

        assert problems["agreement"] == [
            f"{roles.draft} was not in force on {day(timezone.localdate())}. "
            "Choose an agreement that was in force on the day."
        ]

    def test_ended_agreement_is_refused(self, roles, share):
        ended = AgreementFactory(in_force=True, ended_on=timezone.localdate() - datetime.timedelta(days=1))
        for organisation in (roles.owner, roles.partner):
            PartyFactory(agreement=ended, organisation=organisation, signed=True)

        problems = refused(**share(agreement=ended, purpose=PurposeFactory(agreement=ended), gateways=[]))

        assert problems["agreement"] == [
            f"{ended} was not in force on {day(timezone.localdate())}. "
            "Choose an agreement that was in force on the day."
        ]

    def test_a_date_in_the_future_is_refused(self, share):
        problems = refused(**share(occurred_at=timezone.now() + datetime.timedelta(minutes=5)))

        assert problems["occurred_at"] == ["The date and time it happened must be now or in the past."]


class TestRule1WhoMayLog:
    def test_member_of_another_organisation_may_not_log_for_it(self, roles, share):
        problems = refused(**share(by_user=roles.spoc))

        assert problems["organisation"] == [
            "You are not a practitioner, SPOC or governance manager at Borsetshire County Council: "
            "log only for an organisation you work for."
        ]

    @pytest.mark.parametrize("subject", ["auditor", "lead_signatory"])
    def test_auditor_and_lead_signatory_may_not_log(self, roles, share, subject):
        problems = refused(**share(
            by_user=roles.subject(subject), organisation=roles.partner, recipient_organisation=roles.owner,
        ))

        assert problems["organisation"] == [
            "You are not a practitioner, SPOC or governance manager at Borsetshire Police: "
            "log only for an organisation you work for."
        ]

    @pytest.mark.parametrize("role", [Role.PRACTITIONER, Role.SPOC, Role.GOVERNANCE_MANAGER])
    def test_practitioner_spoc_and_governance_manager_may_log(self, roles, share, role):
        user = roles.member(roles.partner, role)

        disclosure = disclosure_log(**share(
            by_user=user, organisation=roles.partner, recipient_organisation=roles.owner,
        ))

        assert disclosure.disclosed_by == user

    def test_organisation_not_a_signed_party_may_not_log(self, roles, share):
        invited = PartyFactory(agreement=roles.agreement, status=PartyStatus.INVITED,
                               organisation=OrganisationFactory(name="Felpersham Homes"))
        user = roles.member(invited.organisation, Role.PRACTITIONER)

        problems = refused(**share(by_user=user, organisation=invited.organisation))

        assert problems["organisation"] == [
            f"Felpersham Homes was not a signed party to {roles.agreement} on {day(timezone.localdate())}, "
            "so it could not share under it. Choose an agreement your organisation had signed."
        ]

    def test_withdrawn_organisation_may_not_log(self, roles, share):
        effective = timezone.localdate() - datetime.timedelta(days=30)
        party = withdrawn_party(roles.agreement, "Felpersham Homes", status=PartyStatus.WITHDRAWN, effective=effective)
        user = roles.member(party.organisation, Role.SPOC)

        problems = refused(**share(by_user=user, organisation=party.organisation))

        assert problems["organisation"] == [
            f"Felpersham Homes withdrew from this agreement on {day(effective)}: "
            "it may not share anything new under it."
        ]


class TestRule1Recipient:
    def test_own_organisation_cannot_receive(self, roles, share):
        problems = refused(**share(recipient_organisation=roles.owner))

        assert problems["recipient_organisation"] == [
            "Choose the organisation that received the information or asked for it: it cannot be your own."
        ]

    def test_organisation_not_party_to_the_agreement_cannot_receive(self, roles, share):
        problems = refused(**share(recipient_organisation=roles.unrelated_organisation))

        assert problems["recipient_organisation"] == [
            f"Felpersham Housing Association was not a signed party to {roles.agreement} on "
            f"{day(timezone.localdate())}. Choose a partner that was."
        ]

    @pytest.mark.parametrize("status", [PartyStatus.INVITED, PartyStatus.AWAITING_DETAILS, PartyStatus.AWAIT_CASE,
                                        PartyStatus.DECLINED])
    def test_party_that_has_not_signed_cannot_receive(self, roles, share, status):
        party = PartyFactory(agreement=roles.agreement, status=status,
                             organisation=OrganisationFactory(name="Felpersham Homes"))

        problems = refused(**share(recipient_organisation=party.organisation))

        assert problems["recipient_organisation"] == [
            f"Felpersham Homes was not a signed party to {roles.agreement} on {day(timezone.localdate())}. "
            "Choose a partner that was."
        ]

    def test_partner_that_has_ceased_to_exist_cannot_receive(self, roles, share):
        successor = OrganisationFactory(name="Felpersham Integrated Care Board")
        pct = OrganisationFactory(
            name="Felpersham Primary Care Trust", ceased_on=datetime.date(2013, 3, 31), successor=successor,
        )
        PartyFactory(agreement=roles.agreement, organisation=pct, signed=True)

        problems = refused(**share(recipient_organisation=pct))

        assert problems["recipient_organisation"] == [
            "Felpersham Primary Care Trust ceased to exist on 31 March 2013: nothing new may be shared with it. "
            "Its work passed to Felpersham Integrated Care Board; choose that organisation if it is a party."
        ]

    def test_repealed_law_cannot_be_the_legal_gateway(self, roles, share, law):
        dpa_2018 = LegalGatewayFactory(instrument="Data Protection Act 2018", provision="s8", title="Public interest")
        dpa_1998 = LegalGatewayFactory(repealed=True, replaced_by=dpa_2018)
        roles.agreement.gateways.add(dpa_1998)

        problems = refused(**share(gateways=[law.s115, dpa_1998]))

        assert problems["gateways"] == [
            "Data Protection Act 1998 s29 has been repealed: it cannot be a legal gateway for a disclosure made now. "
            "It is replaced by Data Protection Act 2018 s8. Cite the law in force."
        ]

    def test_withdrawn_partner_cannot_receive(self, roles, share):
        effective = timezone.localdate() - datetime.timedelta(days=30)
        party = withdrawn_party(roles.agreement, "Felpersham Homes", status=PartyStatus.WITHDRAWN, effective=effective)

        problems = refused(**share(recipient_organisation=party.organisation))

        assert problems["recipient_organisation"] == [
            f"Felpersham Homes withdrew from this agreement on {day(effective)}: "
            "nothing new may be shared with it under this agreement."
        ]

    def test_partner_whose_notice_has_run_out_cannot_receive(self, roles, share):
        effective = timezone.localdate()
        party = withdrawn_party(roles.agreement, "Felpersham Homes", status=PartyStatus.WITHDRAWAL_NOTIFIED,
                                effective=effective)

        problems = refused(**share(recipient_organisation=party.organisation))

        assert problems["recipient_organisation"] == [
            f"Felpersham Homes withdrew from this agreement on {day(effective)}: "
            "nothing new may be shared with it under this agreement."
        ]

    def test_partner_still_serving_its_notice_may_receive(self, roles, share):
        party = withdrawn_party(roles.agreement, "Felpersham Homes", status=PartyStatus.WITHDRAWAL_NOTIFIED,
                                effective=timezone.localdate() + datetime.timedelta(days=1))

        disclosure = disclosure_log(**share(recipient_organisation=party.organisation))

        assert disclosure.recipient_organisation == party.organisation


class TestAgreementsTerms:
    def test_purpose_of_another_agreement_is_refused(self, roles, share):
        problems = refused(**share(purpose=PurposeFactory(agreement=roles.unrelated_agreement)))

        assert problems["purpose"] == [f"Choose one of the purposes of {roles.agreement}."]

    def test_gateway_the_agreement_does_not_rely_on_is_refused(self, roles, share, law):
        problems = refused(**share(gateways=[law.s115, law.other_statute]))

        assert problems["gateways"] == [
            f"Choose legal gateways {roles.agreement} relies on: Children Act 2004 s11 is not one of them."
        ]

    def test_transfer_method_the_agreement_does_not_permit_is_refused(self, roles, share):
        type(roles.agreement).objects.filter(pk=roles.agreement.pk).update(
            transfer_methods=[TransferMethod.SECURE_EMAIL],
        )
        roles.agreement.refresh_from_db()

        problems = refused(**share(transfer_method=TransferMethod.FAX))

        assert problems["transfer_method"] == [f"Choose a transfer method {roles.agreement} permits."]

    def test_transfer_method_the_agreement_permits_is_kept(self, roles, share):
        type(roles.agreement).objects.filter(pk=roles.agreement.pk).update(
            transfer_methods=[TransferMethod.SECURE_EMAIL],
        )
        roles.agreement.refresh_from_db()

        disclosure = disclosure_log(**share(transfer_method=TransferMethod.SECURE_EMAIL))

        assert disclosure.transfer_method == TransferMethod.SECURE_EMAIL

    def test_unknown_data_category_is_refused(self, share):
        problems = refused(**share(data_categories=["asb", "shoe_size"]))

        assert problems["data_categories"] == ["Choose data categories from the list."]

    def test_unknown_special_category_is_refused(self, share, law):
        problems = refused(**share(special_categories=["astrology"], art9_conditions=[law.art9]))

        assert problems["special_categories"] == ["Choose special categories from the list."]


class TestRule2LawfulBasis:
    def test_share_without_an_article_6_basis_is_refused(self, share):
        problems = refused(**share(art6_basis=None))

        assert problems["art6_basis"] == [
            "Choose the UK GDPR Article 6 lawful basis: you have said information was shared."
        ]

    def test_article_6_basis_must_be_an_article_6_basis(self, share, law):
        problems = refused(**share(art6_basis=law.s115))

        assert problems["art6_basis"] == [f"Choose a UK GDPR Article 6 lawful basis: {law.s115} is not one."]

    def test_special_category_data_needs_an_article_9_condition(self, share):
        problems = refused(**share(special_categories=[SpecialCategory.HEALTH]))

        assert problems["art9_conditions"] == [
            "Choose an Article 9 condition: you have said special category data was shared."
        ]

    def test_a_schedule_1_condition_alone_is_not_an_article_9_condition(self, share, law):
        problems = refused(**share(special_categories=[SpecialCategory.HEALTH], art9_conditions=[law.schedule1]))

        assert problems["art9_conditions"] == [
            "Choose an Article 9 condition: you have said special category data was shared."
        ]

    def test_article_9_condition_must_be_one(self, share, law):
        problems = refused(**share(special_categories=[SpecialCategory.HEALTH], art9_conditions=[law.s115]))

        assert problems["art9_conditions"] == [f"Choose an Article 9 condition: {law.s115} is not one."]

    def test_special_category_data_with_its_condition_is_logged(self, share, law):
        disclosure = disclosure_log(**share(
            special_categories=[SpecialCategory.HEALTH], art9_conditions=[law.art9],
        ))

        assert (disclosure.special_categories, list(disclosure.art9_conditions.all())) == (["health"], [law.art9])

    def test_criminal_offence_data_needs_a_schedule_1_condition(self, share):
        problems = refused(**share(criminal_offence_data=True))

        assert problems["criminal_offence_condition"] == [
            "Choose a DPA 2018 Schedule 1 condition: you have said criminal-offence data was shared."
        ]

    def test_schedule_1_condition_must_be_one(self, share, law):
        problems = refused(**share(criminal_offence_data=True, criminal_offence_condition=law.art9))

        assert problems["criminal_offence_condition"] == [
            f"Choose a DPA 2018 Schedule 1 condition: {law.art9} is not one."
        ]

    def test_criminal_offence_data_with_its_condition_is_logged(self, share, law):
        disclosure = disclosure_log(**share(criminal_offence_data=True, criminal_offence_condition=law.schedule1))

        assert disclosure.criminal_offence_condition == law.schedule1

    def test_a_decision_not_to_share_special_category_data_needs_no_condition(self, share):
        disclosure = disclosure_log(**share(
            decision=Decision.NOT_SHARED, decision_reason="Not proportionate.", art6_basis=None,
            special_categories=[SpecialCategory.HEALTH], criminal_offence_data=True,
        ))

        assert list(disclosure.art9_conditions.all()) == []

    def test_sharing_when_consent_was_refused_must_be_an_override(self, share):
        problems = refused(**share(consent_status=ConsentStatus.REFUSED))

        assert problems["consent_status"] == [
            "You have said consent was refused and the information was shared: choose "
            "“Consent refused but overridden” and record who authorised it."
        ]


class TestRule2ReasonsAndAuthorisation:
    def test_decision_not_to_share_needs_a_reason(self, share):
        problems = refused(**share(decision=Decision.NOT_SHARED, art6_basis=None, decision_reason="  "))

        assert problems["decision_reason"] == ["Give the reason for deciding not to share."]

    def test_refused_request_needs_a_reason(self, share):
        problems = refused(**share(decision=Decision.REQUEST_REFUSED, art6_basis=None))

        assert problems["decision_reason"] == ["Give the reason the request was refused."]

    def test_consent_not_sought_needs_a_reason(self, share):
        problems = refused(**share(consent_status=ConsentStatus.NOT_SOUGHT))

        assert problems["consent_reason"] == ["Give the reason consent was not sought."]

    def test_consent_not_sought_with_a_reason_is_logged(self, share):
        disclosure = disclosure_log(**share(
            consent_status=ConsentStatus.NOT_SOUGHT, consent_reason="Seeking it would put a child at risk.",
        ))

        assert disclosure.consent_reason == "Seeking it would put a child at risk."

    def test_overriding_a_refusal_needs_a_reason_and_the_designated_managers_authorisation(self, share, roles):
        designated_manager(roles.owner_party)

        problems = refused(**share(consent_status=ConsentStatus.REFUSED_OVERRIDDEN))

        assert (problems["consent_reason"], problems["designated_manager"]) == (
            ["Give the reason for overriding the refusal of consent."],
            ["Choose the designated manager who authorised overriding the refusal of consent."],
        )

    def test_override_with_reason_and_authorisation_is_logged(self, share, roles):
        manager = designated_manager(roles.owner_party)

        disclosure = disclosure_log(**share(
            consent_status=ConsentStatus.REFUSED_OVERRIDDEN, consent_reason="Serious risk of harm to a child.",
            designated_manager=manager,
        ))

        assert disclosure.authorised_by == "Alex Example, Head of Safeguarding"
        assert disclosure.override_authorisation.designated_manager == manager

    def test_breaching_confidentiality_needs_the_designated_managers_authorisation(self, share, roles):
        designated_manager(roles.owner_party)

        problems = refused(**share(confidentiality_breached=True))

        assert problems["designated_manager"] == [
            "Choose the designated manager who authorised sharing confidential information without consent."
        ]

    def test_person_not_told_needs_a_reason(self, share):
        problems = refused(**share(subject_informed=SubjectInformed.NO))

        assert problems["subject_not_informed_reason"] == ["Give the reason the person was not told."]

    def test_person_not_yet_told_needs_no_reason_but_a_date(self, share):
        told_by = timezone.localdate() + datetime.timedelta(days=3)

        disclosure = disclosure_log(**share(subject_informed=SubjectInformed.NOT_YET, subject_told_by=told_by))

        disclosure.refresh_from_db()
        assert (disclosure.subject_informed, disclosure.subject_told_by) == (SubjectInformed.NOT_YET, told_by)


class TestPrivacy:
    @pytest.mark.parametrize(("reference", "found"), [
        ("943 476 5919", "an NHS number"),
        ("DOB 12/03/2014", "a date of birth"),
        ("CB1 2AB", "a postcode"),
        ("pat@borsetshire.gov.uk", "an e-mail address"),
        ("07700 900123", "a phone number"),
    ])
    def test_case_reference_that_identifies_someone_is_refused(self, share, reference, found):
        problems = refused(**share(case_reference=reference))

        assert problems["case_reference"] == [
            f"The case reference must not identify anyone, and this looks like it holds {found}. "
            "Enter your organisation's pseudonymous case reference instead."
        ]

    def test_blank_case_reference_is_refused(self, share):
        problems = refused(**share(case_reference="  "))

        assert problems["case_reference"] == ["Enter the case reference."]

    def test_summary_that_looks_identifying_is_refused_until_checked(self, share):
        problems = refused(**share(summary="Moved to CB1 2AB, phone 07700 900123."))

        assert problems["summary_checked"] == [
            "The summary may identify someone: it looks like it holds a postcode and a phone number. "
            "Take out anything that identifies a person, or tick the box to confirm it holds nothing identifying."
        ]

    def test_summary_that_looks_identifying_is_logged_once_checked(self, share):
        disclosure = disclosure_log(**share(summary="Flat 2 at block CB1 2AB is a council store.",
                                            summary_checked=True))

        assert disclosure.summary == "Flat 2 at block CB1 2AB is a council store."


class TestRecipientIsTold:
    def test_recipients_spocs_for_the_agreement_are_told_of_a_share(
        self, roles, share, django_capture_on_commit_callbacks,
    ):
        spoc = ContactFactory(organisation=roles.partner, name="Sam Example", email="sam@police.example")
        party_contact_add(party=roles.partner_party, contact=spoc, role=ContactRole.SPOC)

        with django_capture_on_commit_callbacks(execute=True):
            disclosure = disclosure_log(**share())

        notification = Notification.objects.get(recipient=spoc)
        assert notification.subject == "Borsetshire County Council shared information with you"
        assert notification.body == (
            f"Borsetshire County Council has logged information it shared with Borsetshire Police on "
            f"{day(timezone.localdate(disclosure.occurred_at))} under {roles.agreement}.\n\n"
            "Please check it has arrived and acknowledge receipt in your sharing log inbox today. "
            "If it has not arrived, contact the sender's single point of contact."
        )
        assert [message.to for message in mail.outbox] == [["sam@police.example"]]
        assert "ASB-2026-0042" not in notification.body + mail.outbox[0].body

    def test_nobody_is_told_of_a_decision_not_to_share(self, roles, share):
        spoc = ContactFactory(organisation=roles.partner)
        party_contact_add(party=roles.partner_party, contact=spoc, role=ContactRole.SPOC)

        disclosure_log(**share(decision=Decision.NOT_SHARED, decision_reason="Not necessary.", art6_basis=None))

        assert Notification.objects.exists() is False


class TestAcknowledge:
    def test_recipients_spoc_acknowledges_receipt(self, roles, entry):
        acknowledgement = disclosure_acknowledge(disclosure=entry, by_user=roles.spoc)

        assert (acknowledgement.disclosure, acknowledgement.acknowledged_by) == (entry, roles.spoc)

    def test_receipt_is_acknowledged_once(self, roles, entry):
        disclosure_acknowledge(disclosure=entry, by_user=roles.spoc)

        with pytest.raises(ValidationError) as excinfo:
            disclosure_acknowledge(disclosure=entry, by_user=roles.member(roles.partner, Role.SPOC))

        assert excinfo.value.message_dict[NON_FIELD_ERRORS] == [
            f"Receipt was acknowledged by {roles.spoc.get_full_name()} on {day(timezone.localdate())}."
        ]
        assert Acknowledgement.objects.count() == 1

    @pytest.mark.parametrize(
        "who", ["practitioner", "governance_manager", "auditor", "lead_signatory", "partner_practitioner"],
    )
    def test_only_the_recipients_spoc_may_acknowledge(self, roles, entry, who):
        user = roles.member(roles.partner, Role.PRACTITIONER) if who == "partner_practitioner" else roles.subject(who)

        with pytest.raises(PermissionDenied):
            disclosure_acknowledge(disclosure=entry, by_user=user)

        assert Acknowledgement.objects.exists() is False

    def test_decision_not_to_share_cannot_be_acknowledged(self, roles):
        decision = DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
            disclosed_by=roles.practitioner, decision=Decision.NOT_SHARED, decision_reason="Not necessary.",
        )

        with pytest.raises(ValidationError) as excinfo:
            disclosure_acknowledge(disclosure=decision, by_user=roles.spoc)

        assert excinfo.value.message_dict[NON_FIELD_ERRORS] == [
            "This entry records a decision not to share: there is nothing to acknowledge."
        ]
        assert Acknowledgement.objects.exists() is False

    def test_voided_entry_cannot_be_acknowledged(self, roles, entry):
        disclosure_void(disclosure=entry, by_user=roles.practitioner, reason="Logged twice.")

        with pytest.raises(ValidationError) as excinfo:
            disclosure_acknowledge(disclosure=entry, by_user=roles.spoc)

        assert excinfo.value.message_dict[NON_FIELD_ERRORS] == [
            f"This entry was voided on {day(timezone.localdate())}: it cannot be acknowledged."
        ]
        assert Acknowledgement.objects.exists() is False


class TestRule3OnwardDisclosure:
    """DOMAIN.md rule 3 (001 §5.7): the owner passing on what the partner shared with it
    (``roles.disclosure``) to a third party needs the partner's consent, a granted onward
    request, which the new entry links to."""

    @pytest.fixture
    def onward_share(self, roles, share, third_party):
        def make(**changes):
            return share(recipient_organisation=third_party, received_disclosure=roles.disclosure, **changes)
        return make

    @staticmethod
    def decided(roles, decision: str, reason: str):
        onward = onward_disclosure_request(
            disclosure=roles.disclosure, by_user=roles.practitioner,
            purpose="To plan a joint visit with children's services.",
            third_party_name="Felpersham Children's Services",
        )
        if decision == OnwardDecision.PENDING:
            return onward
        return onward_disclosure_decide(onward_request=onward, by_user=roles.spoc, decision=decision, reason=reason)

    def test_finding_a_share_to_a_third_party_after_the_originating_spoc_refused_is_refused(
        self, roles, onward_share, third_party,
    ):
        onward = self.decided(roles, OnwardDecision.REFUSED, "The investigation is still open.")

        assert refused(**onward_share(occurred_at=timezone.now())) == {"recipient_organisation": [
            f"Borsetshire Police refused consent to pass this information on to Felpersham Children's Services "
            f"on {day(timezone.localdate(onward.decided_at))}. Their reason: “The investigation is still "
            "open.” Do not pass it on."
        ]}

    def test_a_pending_request_stops_it_awaiting_a_decision(self, roles, onward_share):
        self.decided(roles, OnwardDecision.PENDING, "")

        assert refused(**onward_share()) == {"recipient_organisation": [
            "Your request to pass this information on to Felpersham Children's Services is awaiting "
            "Borsetshire Police's decision: you may pass it on only once consent is given."
        ]}

    def test_no_request_stops_it_pointing_to_where_to_ask(self, roles, onward_share):
        assert refused(**onward_share()) == {"recipient_organisation": [
            "Borsetshire Police shared this information with Borsetshire County Council: ask its consent to pass "
            "it on to Felpersham Children's Services first, with “Ask to pass this on” on the entry's page."
        ]}

    def test_a_request_for_another_third_party_is_no_consent(self, roles, onward_share, yos):
        onward = onward_disclosure_request(
            disclosure=roles.disclosure, by_user=roles.practitioner, purpose="A joint visit.",
            third_party_organisation=yos,
        )
        onward_disclosure_decide(onward_request=onward, by_user=roles.spoc, decision=OnwardDecision.GRANTED,
                                 reason="Necessary.")

        assert list(refused(**onward_share())) == ["recipient_organisation"]

    def test_a_granted_request_lets_it_through_and_the_entry_links_to_it(self, roles, onward_share, third_party):
        onward = self.decided(roles, OnwardDecision.GRANTED, "Necessary for the joint visit.")

        disclosure = disclosure_log(**onward_share(occurred_at=timezone.now()))

        disclosure.refresh_from_db()
        assert (disclosure.recipient_organisation, disclosure.onward_request) == (third_party, onward)
        assert list(onward.onward_disclosures.all()) == [disclosure]

    def test_it_cannot_have_been_passed_on_before_consent_was_given(self, roles, onward_share):
        onward = self.decided(roles, OnwardDecision.GRANTED, "Necessary for the joint visit.")

        assert refused(**onward_share(occurred_at=onward.decided_at - datetime.timedelta(minutes=1))) == {
            "occurred_at": [
                "Borsetshire Police gave consent to pass this information on to Felpersham Children's Services "
                f"on {day(timezone.localdate(onward.decided_at))}: it cannot have been passed on before then."
            ],
        }

    def test_a_decision_not_to_share_needs_no_consent(self, roles, onward_share):
        disclosure = disclosure_log(**onward_share(
            decision=Decision.NOT_SHARED, decision_reason="Not necessary.", art6_basis=None, gateways=[],
        ))

        assert disclosure.onward_request is None

    def test_giving_it_back_to_the_organisation_that_shared_it_needs_no_consent(self, roles, share):
        disclosure = disclosure_log(**share(received_disclosure=roles.disclosure))

        assert (disclosure.recipient_organisation, disclosure.onward_request) == (roles.partner, None)

    def test_the_entry_must_be_one_shared_with_the_organisation_passing_it_on(self, roles, share, third_party):
        assert refused(**share(recipient_organisation=third_party,
                               received_disclosure=roles.disclosure_to_partner)) == {"received_disclosure": [
            "Choose an entry of information shared with Borsetshire County Council: it is the one passing it on.",
        ]}
