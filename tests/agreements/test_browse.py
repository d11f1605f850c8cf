"""Reads behind the agreement pages (agreements/selectors/browse.py): the list's filters, review
dates, the detail page's parts, roles in agreements, and the history timeline."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from agreements import services
from agreements.history import DEMO_AUTHOR, DEMO_CHANGE_REASON, NOTHING, SYSTEM_AUTHOR, HistoryKind
from agreements.models import (
    Agreement,
    ContactRole,
    DataLevel,
    GatewayStatus,
    Kind,
    PartyStatus,
    ReviewTrigger,
    Section,
    Status,
)
from agreements.selectors import (
    REVIEW_DUE_SOON,
    REVIEW_OVERDUE,
    agreement_children_visible_to,
    agreement_data_items_by_provider,
    agreement_history,
    agreement_owners,
    agreement_parent_visible_to,
    agreement_party_rows,
    agreements_filtered,
    agreements_listed,
    agreements_visible_to,
    organisation_roles_visible_to,
    review_state,
)
from govuk_blocks.dates import long_date
from tests.factories import (
    AgreementFactory,
    AgreementVersionFactory,
    ContactFactory,
    LegalGatewayFactory,
    OrganisationFactory,
    PartyFactory,
    PurposeFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 5)


def filtered(user, **filters) -> set:
    return set(agreements_filtered(agreements_visible_to(user), on=TODAY, **filters))


class TestAgreementsFiltered:
    def test_no_filter_keeps_every_visible_agreement(self, roles):
        assert filtered(roles.governance_manager) == {roles.agreement, roles.draft}

    def test_never_widens_what_the_user_may_see(self, roles):
        assert filtered(roles.unrelated, owner=roles.owner) == set()

    def test_by_status(self, roles):
        assert filtered(roles.governance_manager, status=Status.DRAFT) == {roles.draft}

    def test_by_kind(self, roles):
        framework = AgreementFactory(owner=roles.owner, kind=Kind.FRAMEWORK)

        assert filtered(roles.governance_manager, kind=Kind.FRAMEWORK) == {framework}

    def test_by_owner(self, roles):
        PartyFactory(agreement=roles.unrelated_agreement, organisation=roles.owner, signed=True)

        assert filtered(roles.governance_manager, owner=roles.unrelated_organisation) == {
            roles.unrelated_agreement,
        }

    @pytest.mark.parametrize("search", ["community safety", "bcsp isa", "  Community   Safety "])
    def test_by_title_or_reference_ignoring_case_and_spacing(self, roles, search):
        assert filtered(roles.governance_manager, search=search) == {roles.agreement}

    def test_review_overdue_is_a_next_review_before_today(self, roles):
        Agreement.objects.filter(pk=roles.agreement.pk).update(next_review_due=TODAY - datetime.timedelta(days=1))
        Agreement.objects.filter(pk=roles.draft.pk).update(next_review_due=TODAY)

        assert filtered(roles.governance_manager, review=REVIEW_OVERDUE) == {roles.agreement}

    def test_review_due_soon_is_today_to_90_days_ahead(self, roles):
        Agreement.objects.filter(pk=roles.agreement.pk).update(next_review_due=TODAY + datetime.timedelta(days=90))
        Agreement.objects.filter(pk=roles.draft.pk).update(next_review_due=TODAY + datetime.timedelta(days=91))

        assert filtered(roles.governance_manager, review=REVIEW_DUE_SOON) == {roles.agreement}

    def test_an_ended_agreement_is_never_due_for_review(self, roles):
        Agreement.objects.filter(pk=roles.agreement.pk).update(
            status=Status.ENDED, next_review_due=TODAY - datetime.timedelta(days=1),
        )

        assert filtered(roles.governance_manager, review=REVIEW_OVERDUE) == set()

    @pytest.mark.parametrize("status", [GatewayStatus.REPEALED, GatewayStatus.SUPERSEDED])
    def test_cites_repealed_or_superseded_law(self, roles, status):
        roles.agreement.gateways.add(LegalGatewayFactory(status=status), LegalGatewayFactory())
        roles.draft.gateways.add(LegalGatewayFactory())

        assert filtered(roles.governance_manager, cites_repealed_law=True) == {roles.agreement}

    def test_filters_combine(self, roles):
        roles.agreement.gateways.add(LegalGatewayFactory(repealed=True))
        roles.draft.gateways.add(LegalGatewayFactory(repealed=True))

        assert filtered(roles.governance_manager, cites_repealed_law=True, status=Status.DRAFT) == {roles.draft}


class TestAgreementsListed:
    def test_marks_those_citing_repealed_law_once_each(self, roles):
        roles.agreement.gateways.add(LegalGatewayFactory(repealed=True), LegalGatewayFactory(repealed=True))

        listed = {a: a.cites_repealed for a in agreements_listed(agreements_visible_to(roles.governance_manager))}

        assert listed == {roles.agreement: True, roles.draft: False}


def test_owner_choices_are_the_owners_of_what_the_user_sees(roles):
    PartyFactory(agreement=roles.unrelated_agreement, organisation=roles.partner, signed=True)

    assert list(agreement_owners(agreements_visible_to(roles.spoc))) == [
        roles.owner, roles.unrelated_organisation,
    ]


class TestReviewState:
    @pytest.mark.parametrize(("days", "expected"), [
        (-1, REVIEW_OVERDUE), (0, REVIEW_DUE_SOON), (90, REVIEW_DUE_SOON), (91, ""),
    ])
    def test_by_days_to_the_next_review(self, roles, days, expected):
        roles.agreement.next_review_due = TODAY + datetime.timedelta(days=days)

        assert review_state(roles.agreement, on=TODAY) == expected

    def test_no_next_review_is_not_due(self, roles):
        roles.agreement.next_review_due = None

        assert review_state(roles.agreement, on=TODAY) == ""

    @pytest.mark.parametrize("status", [Status.SUPERSEDED, Status.ENDED])
    def test_finished_agreement_is_not_due(self, roles, status):
        roles.agreement.status, roles.agreement.next_review_due = status, TODAY - datetime.timedelta(days=5)

        assert review_state(roles.agreement, on=TODAY) == ""


class TestParentAndChildren:
    def test_children_are_those_the_user_may_see(self, roles):
        framework = AgreementFactory(owner=roles.owner, kind=Kind.FRAMEWORK, in_force=True)
        PartyFactory(agreement=framework, organisation=roles.partner, signed=True)
        Agreement.objects.filter(pk__in=[roles.agreement.pk, roles.draft.pk]).update(parent=framework)

        assert list(agreement_children_visible_to(roles.spoc, framework)) == [roles.agreement]
        assert set(agreement_children_visible_to(roles.governance_manager, framework)) == {
            roles.agreement, roles.draft,
        }

    def test_parent_is_shown_only_to_those_who_may_see_it(self, roles):
        framework = AgreementFactory(owner=roles.owner, kind=Kind.FRAMEWORK)  # a draft
        Agreement.objects.filter(pk=roles.agreement.pk).update(parent=framework)
        roles.agreement.refresh_from_db()

        assert agreement_parent_visible_to(roles.governance_manager, roles.agreement) == framework
        assert agreement_parent_visible_to(roles.spoc, roles.agreement) is None


def test_data_items_are_grouped_by_provider_in_the_agreements_order(roles):
    first = services.data_item_create(
        agreement=roles.agreement, provider_label="Police", level=DataLevel.DETAILED, description="Crime reports",
    )
    second = services.data_item_create(
        agreement=roles.agreement, provider_label="Councils", level=DataLevel.MINIMUM, description="Tenancy",
    )
    third = services.data_item_create(
        agreement=roles.agreement, provider_label="Police", level=DataLevel.SENSITIVE, description="Intelligence",
    )

    assert agreement_data_items_by_provider(roles.agreement) == [("Police", [first, third]), ("Councils", [second])]


def test_party_rows_carry_the_lead_signatory_spocs_and_latest_signature(roles):
    signatory = ContactFactory(organisation=roles.partner, name="Morgan Hale")
    spoc = ContactFactory(organisation=roles.partner, name="Ali Brook")
    services.party_contact_add(party=roles.partner_party, contact=signatory, role=ContactRole.LEAD_SIGNATORY)
    services.party_contact_add(party=roles.partner_party, contact=spoc, role=ContactRole.SPOC)
    first = AgreementVersionFactory(agreement=roles.agreement, label="1.0")
    second = AgreementVersionFactory(agreement=roles.agreement, label="2.0")
    services.signature_record_paper(party=roles.partner_party, version=first, signatory_name="Morgan Hale")
    latest = services.signature_record_paper(party=roles.partner_party, version=second, signatory_name="Morgan Hale")

    rows = {row.organisation: row for row in agreement_party_rows(roles.agreement)}
    partner = rows[roles.partner]

    assert (partner.lead_signatory.contact, partner.spocs, partner.latest_signature) == (signatory, [spoc], latest)
    assert (rows[roles.owner].lead_signatory, rows[roles.owner].spocs, rows[roles.owner].latest_signature) == (
        None, [], None,
    )


class TestOrganisationRoles:
    def test_lists_roles_only_in_agreements_the_user_may_see(self, roles):
        person = ContactFactory(organisation=roles.partner, name="Ali Brook")
        seen = services.party_contact_add(party=roles.partner_party, contact=person, role=ContactRole.SPOC)
        draft_party = roles.draft.parties.get(organisation=roles.partner)
        hidden = services.party_contact_add(party=draft_party, contact=person, role=ContactRole.SPOC)

        assert list(organisation_roles_visible_to(roles.spoc, roles.partner)) == [seen]
        assert set(organisation_roles_visible_to(roles.governance_manager, roles.partner)) == {seen, hidden}

    def test_anonymous_visitor_sees_no_roles(self, roles):
        person = ContactFactory(organisation=roles.partner)
        services.party_contact_add(party=roles.partner_party, contact=person, role=ContactRole.SPOC)

        assert list(organisation_roles_visible_to(AnonymousUser(), roles.partner)) == []


# History ------------------------------------------------------------------------------------


def made_by(user, instance):
    """``instance``'s next save is recorded as made by ``user``, as a signed-in request would."""
    instance._history_user = user
    return instance


def titles(entries) -> list[str]:
    return [entry.title for entry in entries]


class TestAgreementHistory:
    def test_newest_first_with_who_and_what(self, roles):
        agreement = AgreementFactory(title="Felpersham Youth Offending ISA", owner=roles.owner)
        section = SectionFactory(agreement=agreement, number="1", heading="Purpose")
        made_by(roles.governance_manager, section)
        section.heading = "Purpose and scope"
        section.save()

        entries = agreement_history(agreement)

        assert titles(entries) == [
            "Section 1. Purpose and scope changed", "Section 1. Purpose created", "Agreement created",
        ]
        assert entries[0].who == roles.governance_manager.get_full_name()
        assert [(c.label, c.old, c.new) for c in entries[0].changes] == [("Heading", "Purpose", "Purpose and scope")]
        assert [str(c) for c in entries[0].changes] == ["Heading changed from “Purpose” to “Purpose and scope”"]

    def test_created_entries_list_no_changes(self, roles):
        agreement = AgreementFactory(owner=roles.owner)

        assert agreement_history(agreement)[0].changes == []

    def test_covers_purposes_parties_contacts_data_items_versions_and_signatures(self, roles):
        agreement = AgreementFactory(owner=roles.owner, reference="", in_force=True)
        PurposeFactory(agreement=agreement, text="To safeguard children")
        party = PartyFactory(agreement=agreement, organisation=roles.partner)
        person = ContactFactory(organisation=roles.partner, name="Ali Brook")
        services.party_contact_add(party=party, contact=person, role=ContactRole.SPOC)
        services.data_item_create(
            agreement=agreement, provider_label="Borsetshire Police", level=DataLevel.MINIMUM, description="Names",
        )
        version = AgreementVersionFactory(agreement=agreement, label="1.0")
        services.signature_record_paper(party=party, version=version, signatory_name="Morgan Hale")

        assert set(titles(agreement_history(agreement))) >= {
            "Purpose “To safeguard children” created",
            "Party Borsetshire Police created",
            "Single point of contact (SPOC) of Borsetshire Police: Ali Brook created",
            "Data shared by Borsetshire Police created",
            "Version 1.0 created",
            "Signature of Borsetshire Police on version 1.0 created",
            "Party Borsetshire Police changed",
        }

    def test_a_signature_changes_the_partys_status_from_old_to_new(self, roles):
        party = PartyFactory(agreement=AgreementFactory(owner=roles.owner, in_force=True), organisation=roles.partner)
        version = AgreementVersionFactory(agreement=party.agreement, label="1.0")
        services.signature_record_paper(
            party=party, version=version, signatory_name="Morgan Hale", signed_on=TODAY,
        )

        change = next(e for e in agreement_history(party.agreement) if e.title == "Party Borsetshire Police changed")

        assert {(c.label, c.old, c.new) for c in change.changes} == {
            ("Status", "Invited", "Signed"), ("Joined on", NOTHING, "5 May 2026"),
        }
        assert {str(c) for c in change.changes} == {
            "Status changed from Invited to Signed", "Joined on set to 5 May 2026 (was not set)",
        }

    def test_deleted_records_stay_in_the_history(self, roles):
        agreement = AgreementFactory(owner=roles.owner)
        SectionFactory(agreement=agreement, number="4", heading="Retention")
        Section.objects.filter(agreement=agreement).get().delete()

        assert titles(agreement_history(agreement))[0] == "Section 4. Retention deleted"

    def test_other_agreements_changes_are_left_out(self, roles):
        SectionFactory(agreement=roles.draft, number="9", heading="Elsewhere")

        assert "Section 9. Elsewhere created" not in titles(agreement_history(roles.agreement))

    def test_gateway_changes_are_named(self, roles):
        agreement = AgreementFactory(owner=roles.owner)
        gateway = LegalGatewayFactory(repealed=True)
        agreement.gateways.add(gateway)

        change = agreement_history(agreement)[0]

        assert (change.title, [(c.label, c.old, c.new) for c in change.changes]) == (
            "Agreement changed", [("Legal gateways", NOTHING, "Data Protection Act 1998 s29")],
        )
        assert str(change.changes[0]) == "Legal gateways set to Data Protection Act 1998 s29 (was not set)"

    def test_choices_show_their_labels_and_unchanged_saves_are_left_out(self, roles):
        agreement = AgreementFactory(owner=roles.owner)
        agreement.save()  # nothing changed
        agreement.status = Status.CONSULTATION
        agreement.save()

        entries = agreement_history(agreement)

        assert titles(entries) == ["Agreement changed", "Agreement created"]
        assert [(c.label, c.old, c.new) for c in entries[0].changes] == [("Status", "Draft", "Consultation")]

    def test_long_text_changes_show_an_excerpt_around_the_change(self, roles):
        before = "The partners agree to share information. " * 10 + "Records are kept for six years."
        after = "The partners agree to share information. " * 10 + "Records are kept for eighteen months."
        section = SectionFactory(agreement=roles.agreement, number="7", heading="Retention", body=before)
        section.body = after
        section.save()

        change = agreement_history(roles.agreement)[0].changes[0]

        assert change.label == "Text"
        assert change.old.startswith("…") and change.new.startswith("…")
        assert "kept for six years." in change.old and "kept for eighteen months." in change.new
        assert len(change.old) < 130 and len(change.new) < 130

    def test_frozen_version_text_is_not_printed(self, roles):
        version = AgreementVersionFactory(agreement=roles.agreement, label="1.0")
        version.content = {**version.content, "title": "Renamed"}
        version.save()

        change = agreement_history(roles.agreement)[0]

        assert [str(c) for c in change.changes] == ["Text and terms changed (compare the versions to see how)"]

    def test_who_is_demo_data_or_system_when_nobody_signed_in(self, roles):
        agreement = AgreementFactory(owner=roles.owner)
        section = SectionFactory(agreement=agreement, heading="Scope")
        section.heading = "Scope and definitions"
        section.save()
        row = Section.history.filter(id=section.pk).order_by("history_date").first()
        row.history_change_reason = DEMO_CHANGE_REASON
        row.save()

        who = {entry.title: entry.who for entry in agreement_history(agreement)}

        assert who[f"Section {section.number}. Scope created"] == DEMO_AUTHOR
        assert who[f"Section {section.number}. Scope and definitions changed"] == SYSTEM_AUTHOR

    def test_a_removed_partys_records_are_still_named(self, roles):
        party = PartyFactory(agreement=AgreementFactory(owner=roles.owner), organisation=roles.partner)
        agreement = party.agreement
        party.delete()

        assert titles(agreement_history(agreement))[0] == "Party Borsetshire Police deleted"


class TestAgreementHistoryByKind:
    def test_one_kind_leaves_the_others_out(self, roles):
        agreement = AgreementFactory(owner=roles.owner)
        SectionFactory(agreement=agreement, number="2", heading="Definitions")
        PurposeFactory(agreement=agreement, text="To prevent crime")

        entries = agreement_history(agreement, kind=HistoryKind.SECTIONS)

        assert titles(entries) == ["Section 2. Definitions created"]
        assert [entry.kind for entry in entries] == [HistoryKind.SECTIONS]

    def test_every_kind_when_none_is_given(self, roles):
        agreement = AgreementFactory(owner=roles.owner)
        SectionFactory(agreement=agreement, number="2", heading="Definitions")

        assert {entry.kind for entry in agreement_history(agreement)} == {HistoryKind.AGREEMENT, HistoryKind.SECTIONS}

    def test_reviews_and_their_actions_name_people_by_name(self, roles):
        review = services.review_start(
            agreement=roles.agreement, by_user=roles.governance_manager, why=ReviewTrigger.CHAIR_REQUEST,
            reason="The chair asked after the audit.",
        )
        ali = ContactFactory(organisation=roles.owner, name="Ali Brook")
        sam = ContactFactory(organisation=roles.owner, name="Sam Lee")
        action = services.review_action_add(
            review=review, description="Write to the police", owner=ali,
            due_on=timezone.localdate(review.created_at) + datetime.timedelta(days=7),
        )
        action.owner = sam
        action.save()

        entries = agreement_history(roles.agreement, kind=HistoryKind.REVIEWS)

        assert titles(entries) == [
            "Review action “Write to the police” changed", "Review action “Write to the police” created",
            f"Chair's request due {long_date(review.due_on)} created",
        ]
        assert [str(change) for change in entries[0].changes] == ["Owner changed from Ali Brook to Sam Lee"]

    def test_fields_are_named_in_words_not_by_their_column(self, roles):
        agreement = AgreementFactory(owner=roles.owner, review_first_after_months=None, review_every_months=None)
        agreement.review_first_after_months, agreement.review_every_months = 12, 24
        agreement.save()

        change = agreement_history(agreement, kind=HistoryKind.AGREEMENT)[0]

        assert sorted(str(c) for c in change.changes) == [
            "First review after (months) set to 12 (was not set)", "Review every (months) set to 24 (was not set)",
        ]

    def test_a_date_taken_away_says_what_it_was(self, roles):
        party = roles.partner_party
        party.withdrawal_notified_on = TODAY
        party.save()
        party.withdrawal_notified_on = None
        party.save()

        change = agreement_history(roles.agreement, kind=HistoryKind.PARTIES)[0]

        assert [str(c) for c in change.changes] == ["Withdrawal notified on removed (was 5 May 2026)"]


def test_withdrawal_dates_show_as_dates(roles):
    party = roles.partner_party
    made_by(roles.governance_manager, party)
    party.status = PartyStatus.WITHDRAWAL_NOTIFIED
    party.withdrawal_notified_on = TODAY
    party.withdrawal_effective_on = TODAY + datetime.timedelta(days=31)
    party.save()

    change = agreement_history(roles.agreement)[0]

    assert {(c.label, c.new) for c in change.changes} == {
        ("Status", "Withdrawal notified"), ("Withdrawal notified on", "5 May 2026"),
        ("Withdrawal effective on", "5 June 2026"),
    }
    assert change.when <= timezone.now()


def test_demo_loader_labels_what_it_wrote_as_demo_data(roles):
    from isa_portal.demo import label_history_as_demo

    started = timezone.now()
    agreement = AgreementFactory(owner=OrganisationFactory())
    by_someone = made_by(roles.governance_manager, agreement)
    by_someone.title = "Changed by a person"
    by_someone.save()

    label_history_as_demo(since=started)

    assert [entry.who for entry in agreement_history(agreement)] == [
        roles.governance_manager.get_full_name(), DEMO_AUTHOR,
    ]
