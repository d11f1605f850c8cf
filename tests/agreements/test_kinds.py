"""The kinds of agreement beyond the protocols (issue 17 item 3, decision 0065): each kind's terms,
the checks before it goes for signature, a template per kind, and the terms in the frozen content."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from agreements.kind_templates import TEMPLATES, WASPI_ISP
from agreements.models import Article28Term, Kind, KindTerms, Status, SubProcessor
from agreements.selectors.kinds import kind_problems
from agreements.selectors.versions import agreement_content
from agreements.services import drafting
from agreements.services.kinds import (
    disclosure_terms_update,
    joint_controller_essence_update,
    processing_terms_update,
    sub_processor_save,
)
from agreements.services.lifecycle import move_problems
from tests.db import violates

pytestmark = pytest.mark.django_db

ESSENCE = {
    "rights_allocation": "The council answers access requests; the board answers rectification.",
    "contact_point": "dataprotection@example.gov.uk",
    "ico_breach_notifier": "The council",
    "subject_breach_notifier": "The party whose system was breached",
}


def as_kind(draft, kind):
    draft.kind = kind
    draft.save()
    return draft


def signature_problems_of(draft):
    return move_problems(draft, Status.AWAITING_SIGNATURES)


class TestJointControllerArrangement:
    def test_cannot_go_for_signature_until_its_essence_is_complete(self, ready_draft, manager):
        draft = as_kind(ready_draft, Kind.JOINT_CONTROLLER)
        assert signature_problems_of(draft) == [
            "Cannot go for signature: complete the essence of the arrangement (Article 26): which party "
            "answers which data subject rights, the contact point for data subjects, who notifies a breach "
            "to the ICO, who tells the people affected by a breach."
        ]
        joint_controller_essence_update(agreement=draft, by_user=manager, **{**ESSENCE, "contact_point": " "})
        assert len(signature_problems_of(draft)) == 1
        assert "the contact point for data subjects" in signature_problems_of(draft)[0]

        joint_controller_essence_update(agreement=draft, by_user=manager, **ESSENCE)

        assert signature_problems_of(draft) == []
        assert agreement_content(draft)["kind_terms"] == ESSENCE

    def test_the_essence_belongs_to_joint_controller_arrangements_only(self, ready_draft, manager):
        with pytest.raises(ValidationError, match="not a joint controller arrangement"):
            joint_controller_essence_update(agreement=ready_draft, by_user=manager, **ESSENCE)
        assert not KindTerms.objects.exists()


class TestProcessingContract:
    def test_every_article_28_term_and_every_sub_processor_approved(self, ready_draft, manager):
        draft = as_kind(ready_draft, Kind.PROCESSING_CONTRACT)
        problems = signature_problems_of(draft)
        assert problems[0] == "Cannot go for signature: name the controller and the processor."
        assert "(h) The processor gives the information needed for audits" in problems[1]

        processing_terms_update(
            agreement=draft, by_user=manager, controller="Example Council", processor="Example Hosting Ltd",
            article_28_terms=Article28Term.values[:-1],
        )
        assert signature_problems_of(draft) == [
            "Cannot go for signature: mark every Article 28(3) term present: "
            "(h) The processor gives the information needed for audits and inspections."
        ]
        processing_terms_update(
            agreement=draft, by_user=manager, controller="Example Council", processor="Example Hosting Ltd",
            article_28_terms=list(reversed(Article28Term.values)),
        )
        assert signature_problems_of(draft) == []

        backup = sub_processor_save(agreement=draft, by_user=manager, name="Example Backup Ltd", activity="Backups")
        assert signature_problems_of(draft) == [
            "Cannot go for signature: record the controller's approval of every sub-processor: Example Backup Ltd."
        ]
        sub_processor_save(
            agreement=draft, by_user=manager, item=backup, name="Example Backup Ltd", activity="Backups",
            approved_by="Head of Information Governance", approved_on=datetime.date(2026, 11, 2),
        )
        assert signature_problems_of(draft) == []
        content = agreement_content(draft)["kind_terms"]
        assert content["article_28_terms"][0].startswith("(a)") and len(content["article_28_terms"]) == 8
        assert content["sub_processors"][0]["approved_on"] == "2026-11-02"

    def test_a_withdrawn_unapproved_sub_processor_does_not_block(self, ready_draft, manager):
        draft = as_kind(ready_draft, Kind.PROCESSING_CONTRACT)
        sub_processor_save(
            agreement=draft, by_user=manager, name="Old Ltd", activity="Printing",
            withdrawn_on=datetime.date(2026, 1, 1),
        )
        assert not any("sub-processor" in problem for problem in kind_problems(draft))

    @pytest.mark.parametrize(("fields", "error"), [
        ({"approved_by": "Head of IG"}, "Enter both who approved"),
        ({"approved_on": datetime.date(2026, 1, 2)}, "Enter both who approved"),
        ({"approved_by": "Head of IG", "approved_on": datetime.date(2026, 1, 2),
          "withdrawn_on": datetime.date(2026, 1, 1)}, "on or after the date it was approved"),
    ])
    def test_an_approval_is_whole_and_withdrawal_follows_it(self, ready_draft, manager, fields, error):
        draft = as_kind(ready_draft, Kind.PROCESSING_CONTRACT)
        with pytest.raises(ValidationError, match=error):
            sub_processor_save(agreement=draft, by_user=manager, name="X Ltd", activity="Hosting", **fields)
        assert not SubProcessor.objects.exists()

    def test_unknown_terms_are_refused(self, ready_draft, manager):
        draft = as_kind(ready_draft, Kind.PROCESSING_CONTRACT)
        with pytest.raises(ValidationError):
            processing_terms_update(agreement=draft, by_user=manager, controller="A", processor="B",
                                    article_28_terms=["z_nonsense"])


class TestDataDisclosureAgreement:
    def test_names_exactly_one_discloser_and_a_different_recipient(self, ready_draft, manager, roles):
        draft = as_kind(ready_draft, Kind.DATA_DISCLOSURE)
        assert signature_problems_of(draft) == [
            "Cannot go for signature: name the one discloser and the recipient.",
            "Cannot go for signature: describe the disclosure or the bounded set of disclosures.",
        ]
        owner_party = draft.parties.get(organisation=roles.owner)
        partner_party = draft.parties.get(organisation=roles.partner)
        with pytest.raises(ValidationError, match="different party"):
            disclosure_terms_update(agreement=draft, by_user=manager, discloser=owner_party,
                                    recipient=owner_party, disclosures="One extract")
        with pytest.raises(ValidationError, match="not a party"):
            disclosure_terms_update(agreement=draft, by_user=manager, discloser=roles.owner_party,
                                    recipient=partner_party, disclosures="One extract")

        disclosure_terms_update(agreement=draft, by_user=manager, discloser=owner_party,
                                recipient=partner_party, disclosures="One extract on 1 March")

        assert signature_problems_of(draft) == []
        assert agreement_content(draft)["kind_terms"]["discloser"] == roles.owner.name


class TestTemplates:
    def test_every_new_kind_and_the_isp_have_a_template(self):
        assert {template.kind for template in TEMPLATES.values()} == {
            Kind.AGREEMENT, Kind.JOINT_CONTROLLER, Kind.PROCESSING_CONTRACT, Kind.DATA_DISCLOSURE,
        }

    def test_the_isp_template_has_waspis_sections(self):
        assert [heading for _, heading, _ in WASPI_ISP.sections] == [
            "Introduction", "Partner organisations", "Obligations of the partners", "Legal powers and bases",
            "Information to be shared", "Data subjects' rights", "Security", "Review",
            "Information reference table",
        ]

    @pytest.mark.parametrize("key", list(TEMPLATES))
    def test_starting_from_a_template_gives_its_kind_and_sections(self, roles, key):
        agreement = drafting.agreement_start(
            by_user=roles.governance_manager, owner=roles.owner, title="From a template",
            mode=drafting.StartMode.KIND_TEMPLATE, template=key,
        )
        template = TEMPLATES[key]
        assert agreement.kind == template.kind
        assert [(s.number, s.heading, s.body) for s in agreement.sections.all()] == list(template.sections)
        assert agreement.parties.get().organisation == roles.owner

    def test_an_unknown_template_is_refused(self, roles):
        with pytest.raises(ValidationError, match="Select the template"):
            drafting.agreement_start(
                by_user=roles.governance_manager, owner=roles.owner, title="X",
                mode=drafting.StartMode.KIND_TEMPLATE, template="nonsense",
            )


def test_the_older_kinds_freeze_no_kind_terms(ready_draft):
    assert "kind_terms" not in agreement_content(ready_draft)


class TestConstraints:
    """What the database refuses whatever the services say."""

    def test_the_discloser_is_not_the_recipient(self, roles):
        party = roles.draft.parties.first()
        with violates(KindTerms, "kind_terms_discloser_not_recipient"):
            KindTerms.objects.create(agreement=roles.draft, discloser=party, recipient=party)

    @pytest.mark.parametrize("fields", [
        {"approved_by": "Head of IG"}, {"approved_on": datetime.date(2026, 1, 2)},
    ])
    def test_an_approval_is_who_and_when_or_neither(self, roles, fields):
        with violates(SubProcessor, "sub_processor_approval_whole_or_unset"):
            SubProcessor.objects.create(agreement=roles.draft, name="X Ltd", activity="Hosting", **fields)

    def test_withdrawal_is_not_before_approval(self, roles):
        with violates(SubProcessor, "sub_processor_withdrawn_after_approval"):
            SubProcessor.objects.create(
                agreement=roles.draft, name="X Ltd", activity="Hosting", approved_by="Head of IG",
                approved_on=datetime.date(2026, 1, 2), withdrawn_on=datetime.date(2026, 1, 1),
            )


def test_a_change_to_the_essence_shows_in_the_version_diff(ready_draft, manager):
    from agreements.diff import content_diff

    draft = as_kind(ready_draft, Kind.JOINT_CONTROLLER)
    joint_controller_essence_update(agreement=draft, by_user=manager, **ESSENCE)
    before = agreement_content(draft)
    joint_controller_essence_update(agreement=draft, by_user=manager, **{**ESSENCE, "contact_point": "A new mailbox"})
    diff = content_diff(before, agreement_content(draft))
    assert [(change.label, change.new) for change in diff.details] == [
        ("Contact point for data subjects", "A new mailbox"),
    ]


@pytest.mark.parametrize("model", [KindTerms, SubProcessor])
def test_the_admin_shows_the_terms_but_changes_nothing(rf, model):
    from django.contrib import admin

    model_admin = admin.site._registry[model]
    request = rf.get("/admin/")
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request)
    assert not model_admin.has_delete_permission(request)


def test_a_copy_keeps_the_kinds_terms_and_sub_processors_but_not_parties(ready_draft, manager, roles):
    draft = as_kind(ready_draft, Kind.PROCESSING_CONTRACT)
    processing_terms_update(agreement=draft, by_user=manager, controller="Example Council",
                            processor="Example Hosting Ltd", article_28_terms=Article28Term.values)
    sub_processor_save(agreement=draft, by_user=manager, name="Example Backup Ltd", activity="Backups",
                       approved_by="Head of IG", approved_on=datetime.date(2026, 11, 2))
    copy = drafting.agreement_start(by_user=manager, owner=roles.owner, title="", mode=drafting.StartMode.CLONE,
                                    source=draft)
    assert copy.kind == Kind.PROCESSING_CONTRACT
    assert agreement_content(copy)["kind_terms"] == agreement_content(draft)["kind_terms"]
    assert copy.sub_processors.get().approved_by == "Head of IG"
