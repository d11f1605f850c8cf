"""Data-quality correction (001 §5.6; DOMAIN.md rule 9): the originator marks an entry inaccurate,
every recipient is told, and each recipient's SPOC confirms its copy corrected or destroyed, once.

``roles.disclosure_to_partner``: the owner's practitioner shared with the partner, so the
practitioner (its author) marks it and the partner's SPOC confirms. Each refusal asserts its exact
message and that nothing was saved.
"""

import datetime

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from partners.models import Notification, Role, Sector
from sharing_log.models import (
    Amendment,
    AmendmentKind,
    ConfirmationOutcome,
    Decision,
    OnwardDecision,
    RecipientDestructionConfirmation,
)
from sharing_log.selectors import disclosure_timeline, entries_of_the_same_case
from sharing_log.services import (
    disclosure_amend,
    disclosure_mark_inaccurate,
    disclosure_void,
    onward_disclosure_decide,
    onward_disclosure_request,
    recipient_copy_confirm,
)
from tests.auth import sign_in
from tests.factories import ContactFactory, DisclosureFactory, OrganisationFactory, PartyFactory

pytestmark = pytest.mark.django_db

Outcome = ConfirmationOutcome
WRONG = "The tenancy end date was wrong: the tenancy continues."


def day(value: datetime.date) -> str:
    return date_format(value, "j F Y")


@pytest.fixture
def entry(roles):
    return roles.disclosure_to_partner


@pytest.fixture
def yos():
    return OrganisationFactory(name="Borsetshire Youth Offending Service", sector=Sector.OTHER)


def passed_on(roles, entry, *, decision=OnwardDecision.GRANTED, organisation=None, name=""):
    """``entry`` (owner to partner) asked to be passed on by the partner, and decided by the owner."""
    onward = onward_disclosure_request(
        disclosure=entry, by_user=roles.spoc, purpose="Joint visit.",
        third_party_organisation=organisation, third_party_name=name,
    )
    if decision != OnwardDecision.PENDING:
        onward_disclosure_decide(onward_request=onward, by_user=roles.governance_manager, decision=decision,
                                 reason="Decided.")
    return onward


def same_case(roles, **changes):
    """Another entry the owner shared under the entry's case reference."""
    kwargs = {"agreement": roles.agreement, "disclosing_organisation": roles.owner,
              "recipient_organisation": roles.partner, "disclosed_by": roles.practitioner,
              "case_reference": roles.disclosure_to_partner.case_reference}
    kwargs.update(changes)
    return DisclosureFactory(**kwargs)


def mark(entry, by_user, **changes) -> Amendment:
    kwargs = {"what_is_wrong": WRONG}
    kwargs.update(changes)
    return disclosure_mark_inaccurate(disclosure=entry, by_user=by_user, **kwargs)


def refused(entry, by_user, **changes) -> dict:
    with pytest.raises(ValidationError) as excinfo:
        mark(entry, by_user, **changes)
    assert Amendment.objects.filter(kind=AmendmentKind.INACCURATE).exists() is False
    assert RecipientDestructionConfirmation.objects.exists() is False
    return excinfo.value.message_dict


def detail(entry) -> str:
    return reverse("sharing_log:detail", args=[entry.pk])


def error_summary(response) -> str:
    html = response.content.decode()
    start = html.index('<div class="govuk-error-summary"')
    return html[start:html.index("</ul>", start)]


def confirmations() -> set:
    return {(confirmation.disclosure_id, confirmation.organisation.name, confirmation.outcome)
            for confirmation in RecipientDestructionConfirmation.objects.select_related("organisation")}


class TestMark:
    def test_the_author_marks_an_entry_inaccurate_and_its_recipient_is_asked(self, roles, entry):
        notice = mark(entry, roles.practitioner, what_is_wrong=f"  {WRONG}  ")

        assert (notice.kind, notice.reason, notice.made_by, notice.disclosure) == (
            AmendmentKind.INACCURATE, WRONG, roles.practitioner, entry,
        )
        assert confirmations() == {(entry.pk, "Borsetshire Police", Outcome.PENDING)}

    @pytest.mark.parametrize("role", [Role.SPOC, Role.GOVERNANCE_MANAGER])
    def test_the_disclosing_organisations_spoc_or_governance_manager_may_mark(self, roles, entry, role):
        assert mark(entry, roles.member(roles.owner, role)).kind == AmendmentKind.INACCURATE

    @pytest.mark.parametrize("who", ["spoc", "auditor", "unrelated", "another_practitioner"])
    def test_only_the_originator_side_marks(self, roles, entry, who):
        user = roles.member(roles.owner, Role.PRACTITIONER) if who == "another_practitioner" else roles.subject(who)

        with pytest.raises(PermissionDenied) as excinfo:
            mark(entry, user)

        assert str(excinfo.value) == (
            "Only the person who logged the entry, or a SPOC or governance manager of the organisation that made "
            "it, may mark it inaccurate."
        )
        assert Amendment.objects.exists() is False

    def test_every_directory_organisation_it_was_passed_on_to_with_consent_is_asked(self, roles, entry, yos):
        passed_on(roles, entry, organisation=yos)
        refused_to = OrganisationFactory(name="Ambridge Academy", sector=Sector.EDUCATION)
        passed_on(roles, entry, organisation=refused_to, decision=OnwardDecision.REFUSED)
        pending = OrganisationFactory(name="Felpersham College", sector=Sector.EDUCATION)
        passed_on(roles, entry, organisation=pending, decision=OnwardDecision.PENDING)
        passed_on(roles, entry, name="Ambridge Youth Club")  # granted, but not in the directory

        mark(entry, roles.practitioner)

        assert confirmations() == {
            (entry.pk, "Borsetshire Police", Outcome.PENDING),
            (entry.pk, "Borsetshire Youth Offending Service", Outcome.PENDING),
        }

    def test_ticked_entries_of_the_same_case_are_marked_and_their_recipients_asked(self, roles, entry):
        other_partner = PartyFactory(
            agreement=roles.agreement, signed=True, organisation=OrganisationFactory(name="Borsetshire Fire"),
        ).organisation
        ticked = same_case(roles, recipient_organisation=other_partner)
        untouched = same_case(roles)

        notice = mark(entry, roles.practitioner, also_entries=[ticked])

        assert notice.changes == {"also_entries": [ticked.pk]}
        assert Amendment.objects.get(disclosure=ticked, kind=AmendmentKind.INACCURATE).changes == {
            "same_as_entry": entry.pk,
        }
        assert Amendment.objects.filter(disclosure=untouched).exists() is False
        assert confirmations() == {
            (entry.pk, "Borsetshire Police", Outcome.PENDING),
            (ticked.pk, "Borsetshire Fire", Outcome.PENDING),
        }

    def test_only_entries_of_the_same_case_may_be_ticked(self, roles, entry):
        another_case = same_case(roles, case_reference="ASB-2026-9999")

        assert refused(entry, roles.practitioner, also_entries=[another_case]) == {
            "also_entries": [
                "Choose only other entries your organisation shared under the same case reference that have not "
                "been voided or marked inaccurate already."
            ],
        }

    def test_each_recipient_is_told_without_case_detail(
        self, roles, entry, yos, mailoutbox, django_capture_on_commit_callbacks,
    ):
        passed_on(roles, entry, organisation=yos)
        partners_spoc = ContactFactory(organisation=roles.partner, name="Sam Example", user=roles.spoc)
        yos_spoc = ContactFactory(organisation=yos, name="Alex Example",
                                  user=roles.member(yos, Role.SPOC))

        with django_capture_on_commit_callbacks(execute=True):
            mark(entry, roles.practitioner)

        told = Notification.objects.filter(event_key__startswith="inaccuracy-confirmation-")
        assert {notification.recipient for notification in told} == {partners_spoc, yos_spoc}
        for notification in told:
            organisation = notification.recipient.organisation
            confirmation = RecipientDestructionConfirmation.objects.get(organisation=organisation)
            assert notification.url == reverse("sharing_log:copy_confirm", args=[confirmation.pk])
            assert notification.subject == "Borsetshire County Council says information it shared was inaccurate"
            assert WRONG not in notification.body and entry.case_reference not in notification.body
        assert len(mailoutbox) == 2

    def test_a_voided_entry_cannot_be_marked(self, roles, entry):
        disclosure_void(disclosure=entry, by_user=roles.practitioner, reason="Logged twice.")

        assert refused(entry, roles.practitioner)[NON_FIELD_ERRORS] == [
            f"This entry was voided on {day(timezone.localdate())}: it cannot be marked inaccurate."
        ]

    def test_a_decision_not_to_share_cannot_be_marked(self, roles):
        not_shared = same_case(roles, decision=Decision.NOT_SHARED, decision_reason="Not necessary.")

        assert refused(not_shared, roles.practitioner)[NON_FIELD_ERRORS] == [
            "This entry records a decision not to share: no partner received information from it. "
            "Correct the entry instead."
        ]

    def test_a_purged_entry_cannot_be_marked(self, roles):
        purged = same_case(roles, purged_at=timezone.now())

        assert refused(purged, roles.practitioner)[NON_FIELD_ERRORS] == [
            "This entry's personal details were destroyed under the retention rule: it cannot be marked inaccurate."
        ]

    def test_an_entry_is_marked_once(self, roles, entry):
        mark(entry, roles.practitioner)

        with pytest.raises(ValidationError) as excinfo:
            mark(entry, roles.governance_manager, what_is_wrong="Also the date.")

        assert excinfo.value.message_dict[NON_FIELD_ERRORS] == [
            f"This entry was marked inaccurate on {day(timezone.localdate())} by {roles.practitioner.get_full_name()}."
        ]
        assert Amendment.objects.filter(kind=AmendmentKind.INACCURATE).count() == 1
        assert RecipientDestructionConfirmation.objects.count() == 1

    def test_what_is_wrong_is_needed(self, roles, entry):
        assert refused(entry, roles.practitioner, what_is_wrong="  ") == {
            "what_is_wrong": ["Say what is wrong with the information that was shared."],
        }

    def test_identifiers_in_what_is_wrong_are_refused_until_checked(self, roles, entry):
        text = "The postcode was wrong: it is BS1 4DJ."

        assert refused(entry, roles.practitioner, what_is_wrong=text) == {
            "text_checked": [
                "What you have written may identify someone: it looks like it holds a postcode. Say what is wrong "
                "without identifying anyone, or tick the box to confirm it holds nothing identifying."
            ],
        }
        assert mark(entry, roles.practitioner, what_is_wrong=text, text_checked=True).reason == text


class TestEntriesOfTheSameCase:
    def test_offers_only_other_live_shared_entries_of_the_case(self, roles, entry):
        offered = same_case(roles)
        same_case(roles, case_reference="ASB-2026-9999")
        same_case(roles, decision=Decision.NOT_SHARED, decision_reason="Not necessary.")
        voided = same_case(roles)
        disclosure_void(disclosure=voided, by_user=roles.practitioner, reason="Logged twice.")
        already = same_case(roles)
        mark(already, roles.practitioner)
        same_case(roles, purged_at=timezone.now())
        # The partner's entry under the same reference is another organisation's case.
        DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.partner,
                          recipient_organisation=roles.owner, disclosed_by=roles.spoc,
                          case_reference=entry.case_reference)

        assert entries_of_the_same_case(entry) == [offered]

    def test_follows_corrections_of_the_case_reference(self, roles, entry):
        corrected_in = same_case(roles, case_reference="ASB-OLD-1")
        disclosure_amend(disclosure=corrected_in, by_user=roles.practitioner, field="case_reference",
                           value=entry.case_reference, reason="Typed wrongly.")
        corrected_away = same_case(roles)
        disclosure_amend(disclosure=corrected_away, by_user=roles.practitioner, field="case_reference",
                           value="ASB-OTHER-2", reason="Another case.")

        assert entries_of_the_same_case(entry) == [corrected_in]


@pytest.fixture
def asked(roles, entry):
    """The partner's confirmation, asked for by the entry being marked inaccurate."""
    mark(entry, roles.practitioner)
    return RecipientDestructionConfirmation.objects.get()


class TestConfirm:
    @pytest.mark.parametrize("outcome", [Outcome.CORRECTED, Outcome.DESTROYED])
    def test_the_recipients_spoc_confirms(self, roles, asked, outcome):
        confirmed = recipient_copy_confirm(confirmation=asked, by_user=roles.spoc, outcome=outcome)

        confirmed.refresh_from_db()
        assert (confirmed.outcome, confirmed.confirmed_by) == (outcome, roles.spoc)
        assert confirmed.confirmed_at is not None

    def test_a_recipient_confirms_once(self, roles, asked):
        recipient_copy_confirm(confirmation=asked, by_user=roles.spoc, outcome=Outcome.CORRECTED)
        another_spoc = roles.member(roles.partner, Role.SPOC)

        with pytest.raises(ValidationError) as excinfo:
            recipient_copy_confirm(confirmation=asked, by_user=another_spoc, outcome=Outcome.DESTROYED)

        assert excinfo.value.message_dict[NON_FIELD_ERRORS] == [
            f"Borsetshire Police already confirmed its copy corrected: {roles.spoc.get_full_name()}, "
            f"{day(timezone.localdate())}."
        ]
        asked.refresh_from_db()
        assert (asked.outcome, asked.confirmed_by) == (Outcome.CORRECTED, roles.spoc)

    @pytest.mark.parametrize(
        "who", ["owners_spoc", "practitioner", "auditor", "lead_signatory", "partners_practitioner"],
    )
    def test_only_a_spoc_of_that_recipient_confirms(self, roles, asked, who):
        user = {
            "owners_spoc": lambda: roles.member(roles.owner, Role.SPOC),
            "partners_practitioner": lambda: roles.member(roles.partner, Role.PRACTITIONER),
        }.get(who, lambda: roles.subject(who))()

        with pytest.raises(PermissionDenied) as excinfo:
            recipient_copy_confirm(confirmation=asked, by_user=user, outcome=Outcome.DESTROYED)

        assert str(excinfo.value) == "Only a SPOC of Borsetshire Police may confirm what it did with its copy."
        asked.refresh_from_db()
        assert asked.outcome == Outcome.PENDING

    def test_the_outcome_is_corrected_or_destroyed(self, roles, asked):
        with pytest.raises(ValidationError) as excinfo:
            recipient_copy_confirm(confirmation=asked, by_user=roles.spoc, outcome=Outcome.PENDING)

        assert excinfo.value.message_dict == {
            "outcome": ["Select whether your organisation corrected or destroyed its copy."],
        }

    def test_an_onward_recipients_spoc_confirms_its_own_copy_only(self, roles, entry, yos):
        passed_on(roles, entry, organisation=yos)
        mark(entry, roles.practitioner)
        yos_spoc = roles.member(yos, Role.SPOC)
        police, youth = (RecipientDestructionConfirmation.objects.get(organisation=organisation)
                         for organisation in (roles.partner, yos))

        recipient_copy_confirm(confirmation=youth, by_user=yos_spoc, outcome=Outcome.DESTROYED)
        with pytest.raises(PermissionDenied):
            recipient_copy_confirm(confirmation=police, by_user=yos_spoc, outcome=Outcome.DESTROYED)

        assert confirmations() == {
            (entry.pk, "Borsetshire Police", Outcome.PENDING),
            (entry.pk, "Borsetshire Youth Offending Service", Outcome.DESTROYED),
        }

    def test_the_timeline_shows_the_notice_and_the_confirmation(self, roles, entry, asked):
        recipient_copy_confirm(confirmation=asked, by_user=roles.spoc, outcome=Outcome.DESTROYED)

        titles = [event.title for event in disclosure_timeline(entry)]

        assert titles[-2:] == ["Marked inaccurate", "Borsetshire Police confirmed its copy destroyed"]


class TestPages:
    def test_the_author_sees_the_link_to_mark_and_the_recipient_does_not(self, client, roles, entry):
        link = reverse("sharing_log:inaccurate", args=[entry.pk])

        assert link in sign_in(client, roles.practitioner).get(detail(entry)).content.decode()
        assert link not in sign_in(client, roles.spoc).get(detail(entry)).content.decode()

    def test_the_page_names_every_recipient_and_offers_entries_of_the_same_case(self, client, roles, entry, yos):
        passed_on(roles, entry, organisation=yos)
        other = same_case(roles)

        url = reverse("sharing_log:inaccurate", args=[entry.pk])
        html = sign_in(client, roles.practitioner).get(url).content.decode()

        assert "Borsetshire Police, which it was shared with" in html
        assert "Borsetshire Youth Offending Service, which it was passed on to with your consent" in html
        assert f'value="{other.pk}"' in html and f"Entry {other.pk}: shared with Borsetshire Police" in html

    def test_an_empty_notice_shows_the_error_summary_and_saves_nothing(self, client, roles, entry):
        response = sign_in(client, roles.practitioner).post(reverse("sharing_log:inaccurate", args=[entry.pk]), {})

        assert response.status_code == 200
        assert "Say what is wrong with the information that was shared" in error_summary(response)
        assert Amendment.objects.exists() is False

    def test_identifiers_are_warned_of_and_the_check_box_offered(self, client, roles, entry):
        url = reverse("sharing_log:inaccurate", args=[entry.pk])
        client = sign_in(client, roles.practitioner)
        text = "The contact was wrong: it is 07700 900123."

        response = client.post(url, {"what_is_wrong": text})
        assert "it looks like it holds a phone number" in error_summary(response)
        assert 'name="text_checked"' in response.content.decode()
        assert Amendment.objects.exists() is False

        response = client.post(url, {"what_is_wrong": text, "text_checked": "on"})
        assert response["Location"] == detail(entry)

    def test_a_voided_entry_offers_no_marking(self, client, roles, entry):
        disclosure_void(disclosure=entry, by_user=roles.practitioner, reason="Logged twice.")
        client = sign_in(client, roles.practitioner)

        assert reverse("sharing_log:inaccurate", args=[entry.pk]) not in client.get(detail(entry)).content.decode()
        html = client.get(reverse("sharing_log:inaccurate", args=[entry.pk])).content.decode()
        assert "it cannot be marked inaccurate" in html and "Mark as inaccurate and tell recipients" not in html

        response = client.post(reverse("sharing_log:inaccurate", args=[entry.pk]), {"what_is_wrong": WRONG})
        assert "it cannot be marked inaccurate" in error_summary(response)
        assert Amendment.objects.filter(kind=AmendmentKind.INACCURATE).exists() is False

    def test_marking_shows_the_notice_and_each_recipients_status_on_the_entry(self, client, roles, entry, yos):
        passed_on(roles, entry, organisation=yos)
        ticked = same_case(roles)

        response = sign_in(client, roles.practitioner).post(
            reverse("sharing_log:inaccurate", args=[entry.pk]), {"what_is_wrong": WRONG, "also_entries": [ticked.pk]},
        )
        assert response["Location"] == detail(entry)

        html = client.get(detail(entry)).content.decode()
        assert "Entry marked inaccurate: 3 recipients asked to correct or destroy their copy" in html
        assert f"Marked inaccurate on {day(timezone.localdate())}" in html and WRONG in html
        assert "Recipients’ copies" in html
        assert html.count("Awaiting confirmation") == 3
        assert "Passed on to it with consent" in html
        assert "It carries the same inaccurate information as" in client.get(detail(ticked)).content.decode()

    def test_the_recipients_spoc_confirms_from_the_entry(self, client, roles, entry, asked):
        client = sign_in(client, roles.spoc)
        confirm = reverse("sharing_log:copy_confirm", args=[asked.pk])
        assert confirm in client.get(detail(entry)).content.decode()
        assert confirm in client.get(reverse("sharing_log:copies")).content.decode()

        html = client.get(confirm).content.decode()
        assert WRONG in html and entry.case_reference in html

        response = client.post(confirm, {})
        assert "Select whether your organisation corrected or destroyed its copy" in error_summary(response)
        asked.refresh_from_db()
        assert asked.outcome == Outcome.PENDING

        response = client.post(confirm, {"outcome": "destroyed"})
        assert response["Location"] == reverse("sharing_log:copies")
        html = client.get(detail(entry)).content.decode()
        assert "Borsetshire Police&#x27;s copy confirmed destroyed" in html
        assert "Awaiting confirmation" not in html and confirm not in html
        assert "Nothing is waiting for confirmation." in client.get(reverse("sharing_log:copies")).content.decode()

    def test_a_confirmed_copy_shows_its_outcome_and_refuses_a_second_answer(self, client, roles, asked):
        recipient_copy_confirm(confirmation=asked, by_user=roles.spoc, outcome=Outcome.CORRECTED)
        client = sign_in(client, roles.spoc)
        confirm = reverse("sharing_log:copy_confirm", args=[asked.pk])

        assert "Borsetshire Police confirmed its copy corrected" in client.get(confirm).content.decode()
        response = client.post(confirm, {"outcome": "destroyed"})
        assert "Borsetshire Police already confirmed its copy corrected" in error_summary(response)
        asked.refresh_from_db()
        assert asked.outcome == Outcome.CORRECTED

    def test_an_onward_recipient_confirms_without_seeing_the_entry(self, client, roles, entry, yos):
        passed_on(roles, entry, organisation=yos)
        mark(entry, roles.practitioner)
        youth = RecipientDestructionConfirmation.objects.get(organisation=yos)
        client = sign_in(client, roles.member(yos, Role.SPOC))

        assert client.get(detail(entry)).status_code == 404
        html = client.get(reverse("sharing_log:copy_confirm", args=[youth.pk])).content.decode()
        assert WRONG in html and "Passed on to you" in html
        assert detail(entry) not in html

        client.post(reverse("sharing_log:copy_confirm", args=[youth.pk]), {"outcome": "corrected"})
        youth.refresh_from_db()
        assert youth.outcome == Outcome.CORRECTED
