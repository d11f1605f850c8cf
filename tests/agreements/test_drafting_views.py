"""Drafting pages (agreements/views/drafting.py): starting an agreement, a page per task, and its
status (the task list: test_tasks_views.py). Who may reach each page is proven in tests/test_permission_matrix.py."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, DataLevel, GatewayStatus, Kind, LegalGateway, Status
from agreements.services import (
    agreement_version_create,
    data_item_save,
    section_save,
    signature_record_paper,
)
from partners.models import Role
from tests.factories import (
    AgreementFactory,
    DisclosureFactory,
    LegalGatewayFactory,
    MembershipFactory,
    OrganisationFactory,
)

pytestmark = pytest.mark.django_db


def url(name, agreement, **kwargs):
    return reverse(f"agreements:{name}", kwargs={"pk": agreement.pk, **kwargs})


def summary(response) -> list[str]:
    """The error summary's messages, in order."""
    form = response.context["form"]
    return [*form.non_field_errors(), *(e for name in form.fields for e in form.errors.get(name, []))]


def success(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def sign_version_1(agreement):
    """Send ``agreement`` out as version 1.0 and have its owner sign it."""
    version = agreement_version_create(agreement=agreement, label="1.0")
    signature_record_paper(
        party=agreement.parties.get(organisation=agreement.owner), version=version,
        signatory_name="Alex Fenwick",
    )
    return version


class TestStart:
    def test_a_governance_manager_starts_a_blank_draft_and_goes_to_its_tasks(self, client_gm, roles):
        response = client_gm.post(reverse("agreements:create"), {
            "mode": "blank", "title": "Borsetshire Hate Crime ISA",
        })

        agreement = Agreement.objects.get(title="Borsetshire Hate Crime ISA")
        assert response.status_code == 302
        assert response["Location"] == url("tasks", agreement)
        assert agreement.owner == roles.owner

    def test_the_owner_question_is_asked_only_of_a_manager_for_several_organisations(self, client_gm, roles):
        assert "owner" not in client_gm.get(reverse("agreements:create")).context["form"].fields

        other = OrganisationFactory(name="Borsetshire District Council")
        MembershipFactory(user=roles.governance_manager, organisation=other, role=Role.GOVERNANCE_MANAGER)
        response = client_gm.post(reverse("agreements:create"), {"mode": "blank", "title": "District ISA"})

        assert summary(response) == ["Select the organisation that will own the agreement."]
        assert not Agreement.objects.filter(title="District ISA").exists()

    def test_a_manager_for_several_organisations_chooses_the_owner(self, client_gm, roles):
        other = OrganisationFactory(name="Borsetshire District Council")
        MembershipFactory(user=roles.governance_manager, organisation=other, role=Role.GOVERNANCE_MANAGER)

        client_gm.post(reverse("agreements:create"), {"owner": other.pk, "mode": "blank", "title": "District ISA"})

        assert Agreement.objects.get(title="District ISA").owner == other

    def test_an_organisation_the_user_does_not_manage_for_is_not_offered(self, client_gm, roles):
        other = OrganisationFactory(name="Borsetshire District Council")
        MembershipFactory(user=roles.governance_manager, organisation=other, role=Role.GOVERNANCE_MANAGER)

        response = client_gm.post(reverse("agreements:create"), {
            "owner": roles.partner.pk, "mode": "blank", "title": "Police ISA",
        })

        assert summary(response) == ["Select the organisation that will own the agreement."]
        assert not Agreement.objects.filter(title="Police ISA").exists()

    @pytest.mark.parametrize(("data", "errors"), [
        ({}, ["Select how you want to start the agreement."]),
        ({"mode": "blank"}, ["Enter the agreement's title."]),
        ({"mode": "clone"}, ["Select the agreement to copy."]),
        # No framework or general protocol to start from: the way is not offered at all.
        ({"mode": "template"}, ["Select how you want to start the agreement."]),
        ({"mode": "blank", "title": "x" * 256}, ["The title must be 255 characters or fewer."]),
    ])
    def test_bad_input_gets_a_govuk_error_and_saves_nothing(self, client_gm, data, errors):
        before = Agreement.objects.count()

        response = client_gm.post(reverse("agreements:create"), data)

        assert response.status_code == 200
        assert summary(response) == errors
        assert Agreement.objects.count() == before
        assert b"There is a problem" in response.content

    def test_another_organisations_agreement_cannot_be_copied(self, client_gm, roles):
        response = client_gm.post(reverse("agreements:create"), {
            "mode": "clone", "clone_source": roles.unrelated_agreement.pk,
        })

        assert summary(response) == ["Select an agreement from the list."]

    def test_copies_an_agreement(self, client_gm, roles):
        client_gm.post(reverse("agreements:create"), {"mode": "clone", "clone_source": roles.agreement.pk})

        copy = Agreement.objects.get(title=f"Copy of {roles.agreement.title}")
        assert [p.text for p in copy.purposes.all()] == ["To reduce crime, disorder and anti-social behaviour"]

    def test_starts_from_a_framework(self, client_gm, roles):
        framework = AgreementFactory(owner=roles.owner, kind=Kind.FRAMEWORK, title="Borsetshire Framework")

        client_gm.post(reverse("agreements:create"), {
            "mode": "template", "template_source": framework.pk, "title": "Borsetshire Youth ISA",
        })

        assert Agreement.objects.get(title="Borsetshire Youth ISA").parent == framework

    def test_starting_from_a_framework_is_offered_only_when_there_is_one(self, client_gm, roles):
        # The Safe and Well trial (P2): offered with an empty list, and refused when chosen.
        none = client_gm.get(reverse("agreements:create")).content.decode()
        AgreementFactory(owner=roles.owner, kind=Kind.FRAMEWORK, title="Borsetshire Framework")
        one = client_gm.get(reverse("agreements:create")).content.decode()

        assert 'value="template"' not in none and "id_template_source" not in none
        assert 'value="template"' in one and "Borsetshire Framework" in one
        response = client_gm.post(reverse("agreements:create"), {"mode": "template"})
        assert summary(response) == [
            "Select the framework or general protocol to start from.", "Enter the agreement's title."]

    def test_an_agreement_is_not_offered_as_a_framework(self, client_gm, roles):
        AgreementFactory(owner=roles.owner, kind=Kind.FRAMEWORK, title="Borsetshire Framework")
        response = client_gm.post(reverse("agreements:create"), {
            "mode": "template", "template_source": roles.agreement.pk, "title": "Borsetshire Youth ISA",
        })

        assert summary(response) == ["Select a framework or general protocol from the list."]


class TestTaskPages:
    def test_details_are_saved_and_the_task_list_says_so(self, client_gm, roles):
        response = client_gm.post(url("task_details", roles.draft), {
            "title": "Borsetshire DA Protocol", "reference": "BDAP", "kind": Kind.AGREEMENT,
            "protective_marking": "official",
        }, follow=True)

        roles.draft.refresh_from_db()
        assert roles.draft.title == "Borsetshire DA Protocol"
        assert success(response) == ["Details saved."]
        assert response.redirect_chain == [(url("tasks", roles.draft), 302)]

    def test_details_with_errors_save_nothing(self, client_gm, roles):
        response = client_gm.post(url("task_details", roles.draft), {"title": "", "kind": "charter"})

        assert summary(response) == [
            "Enter the agreement's title.", "Select what kind of document it is.",
            "Select the agreement's protective marking.",
        ]
        roles.draft.refresh_from_db()
        assert roles.draft.title == "Borsetshire Domestic Abuse Protocol"

    def test_a_services_refusal_is_shown_in_the_error_summary(self, client_gm, roles):
        framework = AgreementFactory(owner=roles.owner, kind=Kind.FRAMEWORK, title="Borsetshire Framework")
        framework.parent = roles.draft
        framework.save()
        roles.draft.kind = Kind.FRAMEWORK
        roles.draft.save()

        response = client_gm.post(url("task_details", roles.draft), {
            "title": "Borsetshire DA Protocol", "kind": Kind.FRAMEWORK, "parent": framework.pk,
            "protective_marking": "official",
        })

        assert summary(response) == ["An agreement cannot sit under itself or under one of its own children."]
        roles.draft.refresh_from_db()
        assert (roles.draft.title, roles.draft.parent) == ("Borsetshire Domestic Abuse Protocol", None)
        assert response.context["agreement"].title == "Borsetshire Domestic Abuse Protocol"

    def test_purposes_one_a_line(self, client_gm, roles):
        client_gm.post(url("task_purposes", roles.draft), {
            "purposes": "To keep children safe\n\n  To reduce crime  \n",
        })

        assert [p.text for p in roles.draft.purposes.all()] == ["To keep children safe", "To reduce crime"]

    @pytest.mark.parametrize(("text", "error"), [
        ("", "Enter at least one purpose, each on its own line."),
        ("\n  \n", "Enter at least one purpose, each on its own line."),
        ("To keep children safe\nTo keep children safe",
         "“To keep children safe” is listed more than once. Enter each purpose once."),
        ("x" * 501, "Each purpose must be 500 characters or fewer: shorten “" + "x" * 40 + "…”."),
    ])
    def test_purposes_refused(self, client_gm, roles, text, error):
        response = client_gm.post(url("task_purposes", roles.draft), {"purposes": text})

        assert summary(response) == [error]
        assert roles.draft.purposes.count() == 0

    def test_removing_a_purpose_disclosures_name_is_refused_on_the_page(self, client_gm, roles):
        DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                          recipient_organisation=roles.partner, purpose=roles.agreement.purposes.get())

        response = client_gm.post(url("task_purposes", roles.agreement), {"purposes": "To keep children safe"})

        assert summary(response) == [
            "You cannot remove “To reduce crime, disorder and anti-social behaviour”: disclosures "
            "have been logged for that purpose."
        ]
        assert roles.agreement.purposes.count() == 1

    def test_gateways_are_grouped_by_category_and_repealed_law_cannot_be_newly_chosen(self, client_gm, roles):
        art6 = LegalGatewayFactory(art6=True)
        replacement = LegalGatewayFactory(instrument="Data Protection Act 2018", provision="Sch 2 Pt 1 para 2")
        repealed = LegalGatewayFactory(repealed=True, replaced_by=replacement)

        page = client_gm.get(url("task_gateways", roles.draft)).content.decode()
        response = client_gm.post(url("task_gateways", roles.draft), {
            "gateways_art6": [art6.pk], "gateways_statute": [repealed.pk],
        })

        assert "UK GDPR Article 6 lawful basis" in page and "Statutory power or duty" in page
        assert (
            "Data Protection Act 1998 s29: Crime and taxation (repealed, replaced by Data Protection "
            "Act 2018 Sch 2 Pt 1 para 2)"
        ) in page
        assert f'value="{repealed.pk}" disabled' in page
        assert summary(response) == [
            "Data Protection Act 1998 s29 is repealed: cite Data Protection Act 2018 Sch 2 Pt 1 para 2 instead."
        ]
        assert roles.draft.gateways.count() == 0

    def test_repealed_law_already_cited_can_be_kept_or_unticked(self, client_gm, roles):
        repealed = LegalGatewayFactory(repealed=True)
        art6 = LegalGatewayFactory(art6=True)
        roles.draft.gateways.add(repealed)

        page = client_gm.get(url("task_gateways", roles.draft)).content.decode()
        client_gm.post(url("task_gateways", roles.draft), {"gateways_art6": [art6.pk]})

        assert f'value="{repealed.pk}" checked' in page
        assert list(roles.draft.gateways.all()) == [art6]

    def test_no_gateway_chosen(self, client_gm, roles):
        LegalGatewayFactory(art6=True)

        response = client_gm.post(url("task_gateways", roles.draft), {})

        assert summary(response) == ["Select at least one legal gateway."]

    def test_transfer_needs_a_method_and_the_consent_position(self, client_gm, roles):
        response = client_gm.post(url("task_transfer", roles.draft), {})

        assert summary(response) == [
            "Select at least one way partners may send information.",
            "Enter when partners seek consent before sharing.",
        ]

    @pytest.mark.parametrize(("months", "error"), [
        ("", "Enter how many months after the case is closed shared records are destroyed."),
        ("eighteen", "Enter the number of months as a whole number, like 18."),
        ("0", "Months after the case is closed must be at least 1 month."),
        ("601", "Months after the case is closed must be 600 months or fewer."),
    ])
    def test_retention_refused(self, client_gm, roles, months, error):
        without_rule(roles.draft)
        response = client_gm.post(url("task_retention", roles.draft), {
            "retention_basis": "after_closure", "retention_months_after_closure": months,
            "case_open_limit_months": "12",
        })

        assert summary(response) == [error]
        roles.draft.refresh_from_db()
        assert roles.draft.retention_months_after_closure is None

    def test_review_saved(self, client_gm, roles):
        client_gm.post(url("task_review", roles.draft), {
            "review_first_after_months": "6", "review_every_months": "24", "review_after_breach": "no",
        })

        roles.draft.refresh_from_db()
        assert (roles.draft.review_every_months, roles.draft.review_after_breach) == (24, False)

    def test_review_refused(self, client_gm, roles):
        response = client_gm.post(url("task_review", roles.draft), {})

        assert summary(response) == [
            "Enter how many months after it comes into force the first review is due.",
            "Enter how many months apart reviews are.",
            "Select yes if the agreement is reviewed after any breach.",
        ]

    def test_review_sets_the_grace_periods_of_a_stale_agreement(self, client_gm, roles):
        client_gm.post(url("task_review", roles.draft), {
            "review_first_after_months": "6", "review_every_months": "12", "review_after_breach": "yes",
            "review_overdue_grace_days": "30", "resigning_grace_days": "45",
        })

        roles.draft.refresh_from_db()
        assert (roles.draft.review_overdue_grace_days, roles.draft.resigning_grace_days) == (30, 45)

    def test_review_refuses_a_negative_grace_period_and_saves_nothing(self, client_gm, roles):
        before = (roles.draft.review_overdue_grace_days, roles.draft.resigning_grace_days)

        response = client_gm.post(url("task_review", roles.draft), {
            "review_first_after_months": "6", "review_every_months": "12", "review_after_breach": "yes",
            "review_overdue_grace_days": "-1", "resigning_grace_days": "ninety",
        })

        assert summary(response) == [
            "Days sharing may go on while a review is overdue must be 0 or more.",
            "Days a party has to sign a changed version must be a whole number, like 90.",
        ]
        roles.draft.refresh_from_db()
        assert (roles.draft.review_overdue_grace_days, roles.draft.resigning_grace_days) == before

    def test_a_page_of_an_agreement_that_has_ended_is_forbidden(self, client_gm, roles):
        roles.agreement.status, roles.agreement.ended_on = Status.ENDED, timezone.localdate()
        roles.agreement.save()

        assert client_gm.get(url("task_details", roles.agreement)).status_code == 403


class TestChangesInForce:
    def test_the_page_says_a_new_version_will_be_made_before_saving(self, client_gm, roles):
        sign_version_1(roles.agreement)

        page = client_gm.get(url("task_purposes", roles.agreement)).content.decode()

        assert (
            "This agreement is in force. Saving a change to its substance creates version 2.0 and "
            "every party must sign again."
        ) in page

    def test_saving_makes_the_new_version_and_says_so(self, client_gm, roles):
        sign_version_1(roles.agreement)

        response = client_gm.post(url("task_purposes", roles.agreement), {
            "purposes": "To reduce crime, disorder and anti-social behaviour\nTo keep children safe",
        }, follow=True)

        assert success(response) == [
            "Purposes saved. The agreement is now version 2.0: every party must sign it again."
        ]
        assert [v.label for v in roles.agreement.versions.all()] == ["1.0", "2.0"]

    def test_awaiting_signatures_with_no_signature_the_version_is_changed_not_replaced(self, client_gm, roles):
        roles.agreement.status = Status.AWAITING_SIGNATURES
        roles.agreement.save()
        agreement_version_create(agreement=roles.agreement, label="1.0")

        page = client_gm.get(url("task_details", roles.agreement)).content.decode()

        assert (
            "This agreement is awaiting signatures. Saving a change to its substance changes version "
            "1.0, which no party has signed yet."
        ) in page

    def test_a_draft_page_has_no_warning(self, client_gm, roles):
        assert "Saving a change" not in client_gm.get(url("task_details", roles.draft)).content.decode()


class TestBreachesTask:
    """The agreement's own breach clocks (issue 13 item 11): none is set unless the agreement says."""

    def test_seed_002s_clocks_are_set_in_working_days(self, client_gm, roles):
        response = client_gm.post(url("task_breaches", roles.draft), {
            "breach_notice": "working_days", "breach_notify_working_days": "5",
            "breach_report_working_days": "10", "breach_meeting_working_days": "20",
            "breach_minutes_working_days": "5",
        })

        assert response.status_code == 302
        roles.draft.refresh_from_db()
        assert (roles.draft.breach_notify_working_days, roles.draft.breach_report_working_days,
                roles.draft.breach_meeting_working_days, roles.draft.breach_minutes_working_days,
                roles.draft.breach_notify_without_undue_delay) == (5, 10, 20, 5, False)

    def test_without_undue_delay_sets_no_days(self, client_gm, roles):
        client_gm.post(url("task_breaches", roles.draft), {"breach_notice": "undue_delay"})

        roles.draft.refresh_from_db()
        assert (roles.draft.breach_notify_without_undue_delay, roles.draft.breach_notify_working_days,
                roles.draft.breach_report_working_days) == (True, None, None)
        assert roles.draft.breach_notice_text == "Without undue delay"

    def test_the_question_must_be_answered_and_nothing_is_saved(self, client_gm, roles):
        response = client_gm.post(url("task_breaches", roles.draft), {"breach_report_working_days": "10"})

        assert summary(response) == ["Select how soon the agreement says the other partners are told of a breach."]
        roles.draft.refresh_from_db()
        assert roles.draft.breach_report_working_days is None

    def test_working_days_need_a_number_and_nothing_is_saved(self, client_gm, roles):
        response = client_gm.post(url("task_breaches", roles.draft), {
            "breach_notice": "working_days", "breach_report_working_days": "10",
        })

        assert summary(response) == ["Enter within how many working days the other partners are told."]
        roles.draft.refresh_from_db()
        assert (roles.draft.breach_notify_working_days, roles.draft.breach_report_working_days) == (None, None)

    def test_days_with_undue_delay_are_refused_and_nothing_is_saved(self, client_gm, roles):
        response = client_gm.post(url("task_breaches", roles.draft), {
            "breach_notice": "undue_delay", "breach_notify_working_days": "5",
        })

        assert summary(response) == ["Leave the working days blank, or select “Within a number of working days”."]
        roles.draft.refresh_from_db()
        assert roles.draft.breach_notify_without_undue_delay is False

    def test_days_out_of_range_are_refused_and_nothing_is_saved(self, client_gm, roles):
        response = client_gm.post(url("task_breaches", roles.draft), {
            "breach_notice": "working_days", "breach_notify_working_days": "0",
            "breach_meeting_working_days": "61", "breach_minutes_working_days": "five",
        })

        assert summary(response) == [
            "Other partners told within must be at least 1 working day.",
            "Partners' meeting within must be 60 working days or fewer.",
            "Minutes circulated, after the meeting, within must be a whole number of working days, like 5.",
        ]
        roles.draft.refresh_from_db()
        assert (roles.draft.breach_notify_working_days, roles.draft.breach_meeting_working_days) == (None, None)


class TestDataAndSections:
    def test_a_data_row_is_added_and_listed(self, client_gm, roles):
        partner = roles.draft.parties.get(organisation=roles.partner)

        response = client_gm.post(url("data_item_add", roles.draft), {
            "provider_label": "Police", "providers": [partner.pk], "level": DataLevel.MINIMUM,
            "description": "Names and addresses.", "special_category": "no", "criminal_offence": "no",
        }, follow=True)

        assert response.redirect_chain == [(url("task_data", roles.draft), 302)]
        assert "Names and addresses." in response.content.decode()
        assert list(roles.draft.data_items.get().providers.all()) == [partner]
        assert roles.draft.data_items.get().special_category is False

    def test_a_data_row_says_whether_it_is_special_category_data(self, client_gm, roles):
        # Issue 13 item 11: seed 002's "ethnic origin" is special category data (Art 9(1)).
        response = client_gm.post(url("data_item_add", roles.draft), {
            "provider_label": "All partners", "level": DataLevel.MINIMUM, "description": "Ethnic origin.",
            "special_category": "yes", "criminal_offence": "no",
        }, follow=True)

        assert roles.draft.data_items.get().special_category is True
        assert " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split()).count(
            "Ethnic origin. Yes") == 1

    def test_a_data_row_without_its_special_category_answer_saves_nothing(self, client_gm, roles):
        response = client_gm.post(url("data_item_add", roles.draft), {
            "provider_label": "All partners", "level": DataLevel.MINIMUM, "description": "Ethnic origin.",
        })

        assert summary(response) == ["Select yes if this is special category data.",
                                     "Select yes if this is criminal offence data."]
        assert roles.draft.data_items.count() == 0

    def test_a_data_row_says_whether_it_holds_special_category_or_criminal_offence_data(self, client_gm, roles):
        client_gm.post(url("data_item_add", roles.draft), {
            "provider_label": "Police", "level": DataLevel.DETAILED, "description": "Offending history.",
            "special_category": "no", "criminal_offence": "yes",
        })

        item = roles.draft.data_items.get()
        assert (item.special_category, item.criminal_offence) == (False, True)

    def test_a_data_row_needs_its_fields(self, client_gm, roles):
        response = client_gm.post(url("data_item_add", roles.draft), {})

        assert summary(response) == [
            "Enter who provides this information.", "Select the level of data shared.",
            "Enter what information is shared.", "Select yes if this is special category data.",
            "Select yes if this is criminal offence data.",
        ]

    def test_a_data_row_of_another_agreement_is_not_found(self, client_gm, roles):
        item = data_item_save(agreement=roles.agreement, by_user=None, provider_label="Police",
                              level=DataLevel.MINIMUM, description="Names.")

        assert client_gm.get(url("data_item_edit", roles.draft, item_pk=item.pk)).status_code == 404

    def test_a_data_row_is_changed(self, client_gm, roles):
        item = data_item_save(agreement=roles.draft, by_user=None, provider_label="Police",
                              level=DataLevel.MINIMUM, description="Names.")

        client_gm.post(url("data_item_edit", roles.draft, item_pk=item.pk), {
            "provider_label": "Police", "level": DataLevel.DETAILED, "description": "Names and dates of birth.",
            "special_category": "yes", "criminal_offence": "no",
        })

        item.refresh_from_db()
        assert (item.level, item.description, item.special_category) == (
            DataLevel.DETAILED, "Names and dates of birth.", True)

    def test_a_data_row_is_removed_after_confirming(self, client_gm, roles):
        item = data_item_save(agreement=roles.draft, by_user=None, provider_label="Police",
                              level=DataLevel.MINIMUM, description="Names.")

        confirm = client_gm.get(url("data_item_remove", roles.draft, item_pk=item.pk))
        assert roles.draft.data_items.count() == 1
        response = client_gm.post(url("data_item_remove", roles.draft, item_pk=item.pk), follow=True)

        assert "Are you sure you want to remove this?" in confirm.content.decode()
        assert success(response) == ["Data to be shared “Names.” removed."]
        assert roles.draft.data_items.count() == 0

    def test_a_section_is_added_at_the_end(self, client_gm, roles):
        response = client_gm.post(url("section_add", roles.agreement), {
            "number": "2", "heading": "Partners", "body": "Who shares.",
        }, follow=True)

        assert [s.heading for s in roles.agreement.sections.all()] == ["Purpose", "Partners"]
        assert response.redirect_chain == [(url("task_sections", roles.agreement), 302)]

    def test_a_section_needs_a_heading_and_text(self, client_gm, roles):
        response = client_gm.post(url("section_add", roles.draft), {"number": "x" * 21})

        assert summary(response) == [
            "The number must be 20 characters or fewer.", "Enter the section's heading.", "Enter the section's text.",
        ]
        assert roles.draft.sections.count() == 0

    def test_a_section_is_changed(self, client_gm, roles):
        section = roles.agreement.sections.get()

        client_gm.post(url("section_edit", roles.agreement, item_pk=section.pk), {
            "number": "1", "heading": "Purposes", "body": "Why we share.",
        })

        section.refresh_from_db()
        assert (section.heading, section.body) == ("Purposes", "Why we share.")

    def test_sections_move_up_and_down(self, client_gm, roles):
        for heading in ("Partners", "Review"):
            section_save(agreement=roles.draft, by_user=None, number="", heading=heading, body="")
        review = roles.draft.sections.get(heading="Review")

        response = client_gm.post(url("task_sections", roles.draft), {"section": review.pk, "direction": "up"},
                                  follow=True)

        assert [s.heading for s in roles.draft.sections.all()] == ["Review", "Partners"]
        assert success(response) == ["Section Review moved up."]

    def test_a_section_is_removed_after_confirming(self, client_gm, roles):
        section = roles.agreement.sections.get()

        client_gm.post(url("section_remove", roles.agreement, item_pk=section.pk))

        assert roles.agreement.sections.count() == 0


class TestStatus:
    def test_shows_the_moves_possible_and_why_the_others_are_refused(self, client_gm, roles):
        response = client_gm.get(url("status", roles.draft))

        assert [move["label"] for move in response.context["possible"]] == ["End the agreement"]
        assert {move["label"]: move["problems"] for move in response.context["refused"]} == {
            "Send for consultation": [
                "Cannot go to consultation: add at least one purpose.",
                "Cannot go to consultation: add the agreement's sections.",
                "Cannot go to consultation: choose the legal gateways it relies on.",
            ],
            "Send for signature": [
                "Cannot go for signature: add at least one purpose.",
                "Cannot go for signature: add the agreement's sections.",
                "Cannot go for signature: choose the legal gateways it relies on.",
            ],
        }
        assert "Cannot go for signature: add at least one purpose." in response.content.decode()
        # The MARAC trial (P10): "No version yet" beside the agreement page's "Version 0.1".
        assert "Draft 0.1: nothing frozen to sign yet" in response.content.decode()

    def test_a_possible_move_is_made(self, client_gm, roles):
        response = client_gm.post(url("status", roles.agreement), {"to": Status.UNDER_REVIEW}, follow=True)

        roles.agreement.refresh_from_db()
        assert roles.agreement.status == Status.UNDER_REVIEW
        assert success(response) == [f"“{roles.agreement.title}” is now under review."]

    def test_the_move_made_is_told_as_a_state_the_agreement_is_in(self, client_gm, ready_draft):
        response = client_gm.post(url("status", ready_draft), {"to": Status.CONSULTATION}, follow=True)

        # Not "is now consultation": the status's label is a name, not a state.
        assert success(response) == [f"“{ready_draft.title}” is now out for consultation."]

    def test_a_refused_move_is_explained_in_the_error_summary_and_nothing_changes(self, client_gm, roles):
        roles.agreement.status = Status.AWAITING_SIGNATURES
        roles.agreement.save()
        agreement_version_create(agreement=roles.agreement, label="1.0")
        roles.agreement.gateways.add(LegalGatewayFactory(art6=True))

        response = client_gm.post(url("status", roles.agreement), {"to": Status.IN_FORCE})

        assert summary(response) == [
            "Cannot come into force: the owner has not signed version 1.0.",
            "Cannot come into force: no partner has signed version 1.0.",
        ]
        assert "There is a problem" in response.content.decode()
        roles.agreement.refresh_from_db()
        assert roles.agreement.status == Status.AWAITING_SIGNATURES

    def test_coming_back_into_force_on_the_dpa_1998_alone_is_refused_with_its_replacement(self, client_gm, roles):
        dpa_2018 = LegalGatewayFactory(instrument="Data Protection Act 2018", provision="")
        roles.agreement.gateways.add(LegalGatewayFactory(
            instrument="Data Protection Act 1998", provision="", status=GatewayStatus.REPEALED,
            replaced_by=dpa_2018, repealed_on=datetime.date(2018, 5, 25),
        ))
        roles.agreement.status = Status.UNDER_REVIEW
        roles.agreement.save()

        response = client_gm.post(url("status", roles.agreement), {"to": Status.IN_FORCE})

        assert summary(response) == [
            "Cannot come into force: cite a UK GDPR Article 6 lawful basis among its legal gateways.",
            "Cannot come into force: the Data Protection Act 1998 was repealed on 25 May 2018: cite the Data "
            "Protection Act 2018 instead.",
        ]
        roles.agreement.refresh_from_db()
        assert roles.agreement.status == Status.UNDER_REVIEW

    def test_a_move_not_in_the_table_is_refused(self, client_gm, roles):
        response = client_gm.post(url("status", roles.agreement), {"to": Status.DRAFT})

        assert summary(response) == ["An agreement that is in force cannot return to draft."]

    def test_an_empty_post_is_refused(self, client_gm, roles):
        response = client_gm.post(url("status", roles.agreement), {})

        assert summary(response) == ["Choose what should happen to the agreement."]

    def test_nonsense_is_refused(self, client_gm, roles):
        response = client_gm.post(url("status", roles.agreement), {"to": "archived"})

        assert summary(response) == ["Choose what should happen to the agreement."]

    def test_ending_asks_first(self, client_gm, roles):
        confirm = client_gm.post(url("status", roles.agreement), {"to": Status.ENDED})
        roles.agreement.refresh_from_db()
        assert roles.agreement.status == Status.IN_FORCE

        client_gm.post(url("status", roles.agreement), {"to": Status.ENDED, "confirm": "yes"})

        roles.agreement.refresh_from_db()
        assert "Are you sure you want to end this agreement?" in confirm.content.decode()
        assert roles.agreement.status == Status.ENDED


def test_no_gateways_in_the_catalogue_is_explained(client_gm, roles):
    LegalGateway.objects.all().delete()

    response = client_gm.post(url("task_gateways", roles.draft), {})

    assert summary(response) == [
        "There are no legal gateways to choose from yet. Ask a portal administrator to add the ones "
        "this agreement relies on."
    ]


class TestJurisdiction:
    def test_the_details_page_offers_it(self, client, cast, sign_in):
        sign_in(client, cast.governance_manager)

        content = client.get(reverse("agreements:task_details", args=[cast.draft.pk])).content.decode()

        assert "Whose law and bank holidays apply?" in content
        assert 'value="northern_ireland"' in content


def without_rule(agreement):
    """``agreement`` as a draft is before its retention rule is set (the factory sets one)."""
    agreement.retention_months_after_closure = None
    agreement.save(update_fields=["retention_months_after_closure"])
    return agreement


class TestRetentionTask:
    """Issue 13 item 7: the governance manager sets the rule with GOV.UK radios, each revealing
    its months; every refusal saves nothing."""

    @pytest.fixture(autouse=True)
    def _draft_without_rule(self, roles):
        without_rule(roles.draft)

    def post(self, client, agreement, **data):
        return client.post(url("task_retention", agreement), {"case_open_limit_months": "12", **data})

    def test_the_page_shows_radios_that_reveal_the_months_and_says_there_is_no_rule(self, client_gm, roles):
        page = client_gm.get(url("task_retention", roles.draft)).content.decode()

        assert 'data-aria-controls="conditional-id_retention_basis_0"' in page
        assert 'id="conditional-id_retention_basis_1"' in page
        assert "govuk-radios__conditional--hidden" in page
        assert ("No retention rule: entries will not be destroyed until one is set. The agreement cannot come "
                "into force without one.") in page

    @pytest.mark.parametrize(("data", "error"), [
        ({}, "Select when shared records are destroyed."),
        ({"retention_basis": "for_ever"}, "Select when shared records are destroyed."),
        ({"retention_basis": "after_closure", "retention_months_from_disclosure": "72"},
         "Enter how many months after the case is closed shared records are destroyed."),
        ({"retention_basis": "from_disclosure"},
         "Enter how many months after the disclosure shared records are destroyed."),
        ({"retention_basis": "from_disclosure", "retention_months_from_disclosure": "six years"},
         "Enter the number of months as a whole number, like 72."),
        ({"retention_basis": "from_disclosure", "retention_months_from_disclosure": "0"},
         "Months after the disclosure must be at least 1 month."),
        ({"retention_basis": "after_closure", "retention_months_after_closure": "18", "case_open_limit_months": ""},
         "Enter after how many months a case still open is flagged."),
    ])
    def test_refused(self, client_gm, roles, data, error):
        response = self.post(client_gm, roles.draft, **data)

        assert summary(response) == [error]
        roles.draft.refresh_from_db()
        assert (roles.draft.retention_months_after_closure, roles.draft.retention_months_from_disclosure,
                roles.draft.case_open_limit_months) == (None, None, 12)

    def test_a_fixed_period_is_saved_and_the_other_months_ignored(self, client_gm, roles):
        response = self.post(client_gm, roles.draft, retention_basis="from_disclosure",
                             retention_months_from_disclosure="72", retention_months_after_closure="18",
                             case_open_limit_months="6")

        assert response.status_code == 302
        roles.draft.refresh_from_db()
        assert (roles.draft.retention_months_after_closure, roles.draft.retention_months_from_disclosure,
                roles.draft.case_open_limit_months) == (None, 72, 6)
        tasks = client_gm.get(url("tasks", roles.draft)).content.decode()
        assert "Destroyed 72 months after the disclosure" in tasks

    def test_months_after_closure_are_saved(self, client_gm, roles):
        self.post(client_gm, roles.draft, retention_basis="after_closure", retention_months_after_closure="18")

        roles.draft.refresh_from_db()
        assert (roles.draft.retention_basis, roles.draft.retention_months_after_closure) == ("after_closure", 18)


class TestRetentionOnTheAgreementPage:
    def test_an_agreement_without_a_rule_says_its_entries_will_not_be_destroyed(self, client_gm, roles):
        without_rule(roles.draft)
        page = client_gm.get(reverse("agreements:detail", args=[roles.draft.pk])).content.decode()

        assert "No retention rule: entries will not be destroyed until one is set" in page

    def test_an_agreement_with_a_rule_shows_it_and_the_case_open_limit(self, client_gm, roles):
        page = client_gm.get(reverse("agreements:detail", args=[roles.agreement.pk])).content.decode()

        assert ("Shared records are destroyed 18 months after the case is closed. A case still open after "
                "12 months is flagged.") in page
        assert "No retention rule" not in page
