"""Drafting pages (agreements/views/drafting.py): starting an agreement, its task list, a page per
task, and its status. Who may reach each page is proven in tests/test_permission_matrix.py."""

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement, DataLevel, Kind, LegalGateway, Status
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
    PurposeFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def client_gm(client, roles, sign_in):
    return sign_in(client, roles.governance_manager)


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
        ({"mode": "template"}, [
            "Select the framework or general protocol to start from.", "Enter the agreement's title.",
        ]),
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

    def test_an_agreement_is_not_offered_as_a_framework(self, client_gm, roles):
        response = client_gm.post(reverse("agreements:create"), {
            "mode": "template", "template_source": roles.agreement.pk, "title": "Borsetshire Youth ISA",
        })

        assert summary(response) == ["Select a framework or general protocol from the list."]


class TestTaskList:
    def statuses(self, response) -> dict:
        return {task["title"]: task["status"] for task in response.context["tasks"]}

    def test_a_new_draft_shows_what_is_done_and_what_cannot_start(self, client_gm, roles):
        agreement = AgreementFactory(owner=roles.owner, reference="")

        response = client_gm.get(url("tasks", agreement))

        assert self.statuses(response) == {
            "Details": "Incomplete", "Purposes": "Incomplete", "Parties": "Incomplete",
            "Data to be shared": "Cannot start yet", "Legal gateways": "Incomplete",
            "Transfer and security": "Incomplete", "Retention": "Incomplete", "Review": "Completed",
            "Sections": "Incomplete",
        }
        assert b"govuk-task-list__status--cannot-start-yet" in response.content
        assert "There is a problem" not in response.content.decode()

    def test_tasks_done_are_completed(self, client_gm, roles):
        draft = roles.draft  # the partner is invited
        SectionFactory(agreement=draft)
        PurposeFactory(agreement=draft)
        draft.gateways.add(LegalGatewayFactory())
        draft.transfer_methods, draft.consent_position = ["meeting"], "Sought first."
        draft.retention_months_after_closure = 18
        draft.save()
        data_item_save(agreement=draft, by_user=None, provider_label="Police", level=DataLevel.MINIMUM,
                       description="Names.")

        response = client_gm.get(url("tasks", draft))

        assert set(self.statuses(response).values()) == {"Completed"}
        assert response.context["completed"] == 9

    def test_the_parties_task_links_to_the_parties_pages(self, client_gm, roles):
        response = client_gm.get(url("tasks", roles.draft))

        assert response.context["tasks"][2]["href"] == url("parties", roles.draft)

    def test_an_agreement_that_has_ended_has_no_tasks(self, client_gm, roles):
        roles.agreement.status, roles.agreement.ended_on = Status.ENDED, timezone.localdate()
        roles.agreement.save()

        response = client_gm.get(url("tasks", roles.agreement))

        assert response.context["tasks"] == []
        assert "This agreement is ended, so it can no longer be changed." in response.content.decode()


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
        response = client_gm.post(url("task_retention", roles.draft), {"retention_months_after_closure": months})

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
            "Days logging may go on while a review is overdue must be 0 or more.",
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


class TestDataAndSections:
    def test_a_data_row_is_added_and_listed(self, client_gm, roles):
        partner = roles.draft.parties.get(organisation=roles.partner)

        response = client_gm.post(url("data_item_add", roles.draft), {
            "provider_label": "Police", "providers": [partner.pk], "level": DataLevel.MINIMUM,
            "description": "Names and addresses.",
        }, follow=True)

        assert response.redirect_chain == [(url("task_data", roles.draft), 302)]
        assert "Names and addresses." in response.content.decode()
        assert list(roles.draft.data_items.get().providers.all()) == [partner]

    def test_a_data_row_needs_its_fields(self, client_gm, roles):
        response = client_gm.post(url("data_item_add", roles.draft), {})

        assert summary(response) == [
            "Enter who provides this information.", "Select the level of data shared.",
            "Enter what information is shared.",
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
        })

        item.refresh_from_db()
        assert (item.level, item.description) == (DataLevel.DETAILED, "Names and dates of birth.")

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

    def test_a_possible_move_is_made(self, client_gm, roles):
        response = client_gm.post(url("status", roles.agreement), {"to": Status.UNDER_REVIEW}, follow=True)

        roles.agreement.refresh_from_db()
        assert roles.agreement.status == Status.UNDER_REVIEW
        assert success(response) == [f"“{roles.agreement.title}” is now under review."]

    def test_a_refused_move_is_explained_in_the_error_summary_and_nothing_changes(self, client_gm, roles):
        roles.agreement.status = Status.AWAITING_SIGNATURES
        roles.agreement.save()
        agreement_version_create(agreement=roles.agreement, label="1.0")

        response = client_gm.post(url("status", roles.agreement), {"to": Status.IN_FORCE})

        assert summary(response) == [
            "Cannot come into force: the owner has not signed version 1.0.",
            "Cannot come into force: no partner has signed version 1.0.",
        ]
        assert "There is a problem" in response.content.decode()
        roles.agreement.refresh_from_db()
        assert roles.agreement.status == Status.AWAITING_SIGNATURES

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
