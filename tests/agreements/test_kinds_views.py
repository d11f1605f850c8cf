"""The pages of the kinds of agreement (decision 0065): starting from a template, the kind's own
task, sub-processors, and the terms on the agreement's page and in its PDF. Who may reach each page
is proven in tests/test_permission_matrix.py."""

import pytest
from django.urls import reverse

from agreements.kind_templates import JOINT_CONTROLLER
from agreements.models import Agreement, Article28Term, Kind, KindTerms, Status, SubProcessor

pytestmark = pytest.mark.django_db

ESSENCE = {
    "rights_allocation": "The council answers access requests.",
    "contact_point": "Write to the Data Protection Officer, Example Council.",
    "ico_breach_notifier": "Example Council",
    "subject_breach_notifier": "The party whose system was breached",
}


def url(name, agreement, **kwargs):
    return reverse(f"agreements:{name}", kwargs={"pk": agreement.pk, **kwargs})


def errors(response) -> list[str]:
    form = response.context["form"]
    return [*form.non_field_errors(), *(e for name in form.fields for e in form.errors.get(name, []))]


def of_kind(agreement, kind):
    Agreement.objects.filter(pk=agreement.pk).update(kind=kind)
    agreement.refresh_from_db()
    return agreement


def test_start_from_a_template(client_gm):
    response = client_gm.post(reverse("agreements:create"), {
        "mode": "kind_template", "template": "joint_controller", "title": "Joint safeguarding hub",
    })
    agreement = Agreement.objects.get(title="Joint safeguarding hub")
    assert response.status_code == 302 and response.url == url("tasks", agreement)
    assert agreement.kind == Kind.JOINT_CONTROLLER
    assert list(agreement.sections.values_list("heading", flat=True)) == [h for _, h, _ in JOINT_CONTROLLER.sections]
    tasks = client_gm.get(url("tasks", agreement)).content.decode()
    assert "Essence of the arrangement" in tasks


def test_start_from_a_template_without_choosing_one_is_an_error(client_gm):
    response = client_gm.post(reverse("agreements:create"), {"mode": "kind_template", "title": "X"})
    assert response.status_code == 200
    assert errors(response) == ["Select the template to start from."]
    assert "govuk-error-summary" in response.content.decode()
    assert not Agreement.objects.filter(title="X").exists()


class TestJointControllerEssence:
    def test_filled_in_and_shown_on_the_page_and_in_the_pdf(self, client_gm, roles):
        draft = of_kind(roles.draft, Kind.JOINT_CONTROLLER)
        response = client_gm.post(url("task_kind", draft), ESSENCE)
        assert response.status_code == 302 and response.url == url("tasks", draft)
        assert KindTerms.objects.get(agreement=draft).essence_complete

        page = client_gm.get(url("detail", draft)).content.decode()
        assert "Essence of the joint controller arrangement" in page
        assert "Write to the Data Protection Officer, Example Council." in page

    def test_an_incomplete_essence_is_refused_with_the_error_summary(self, client_gm, roles):
        draft = of_kind(roles.draft, Kind.JOINT_CONTROLLER)
        response = client_gm.post(url("task_kind", draft), {**ESSENCE, "contact_point": ""})
        assert response.status_code == 200
        assert errors(response) == ["Enter the contact point for data subjects."]
        assert "govuk-error-summary" in response.content.decode()
        assert not KindTerms.objects.exists()

    def test_going_for_signature_is_refused_until_complete(self, client_gm, ready_draft):
        draft = of_kind(ready_draft, Kind.JOINT_CONTROLLER)
        response = client_gm.post(url("status", draft), {"to": Status.AWAITING_SIGNATURES})
        assert response.status_code == 200
        assert any("essence of the arrangement" in error for error in errors(response))
        draft.refresh_from_db()
        assert draft.status == Status.DRAFT


def test_an_information_sharing_agreement_has_no_kind_task(client_gm, roles):
    assert client_gm.get(url("task_kind", roles.draft)).status_code == 404


class TestProcessingContract:
    def test_terms_and_a_sub_processor_with_its_approval(self, client_gm, roles):
        draft = of_kind(roles.draft, Kind.PROCESSING_CONTRACT)
        response = client_gm.post(url("task_kind", draft), {
            "controller": "Example Council", "processor": "Example Hosting Ltd",
            "article_28_terms": Article28Term.values,
        })
        assert response.status_code == 302
        response = client_gm.post(url("sub_processor_add", draft), {
            "name": "Example Backup Ltd", "activity": "Nightly backups",
            "approved_by": "Head of IG", "approved_on-day": "2", "approved_on-month": "11", "approved_on-year": "2026",
        })
        assert response.status_code == 302 and response.url == url("task_kind", draft)
        sub = SubProcessor.objects.get()
        assert sub.approved and str(sub.approved_on) == "2026-11-02"
        page = client_gm.get(url("task_kind", draft)).content.decode()
        assert "Approved by Head of IG on 2 November 2026" in page

    def test_an_approval_without_its_date_is_refused(self, client_gm, roles):
        draft = of_kind(roles.draft, Kind.PROCESSING_CONTRACT)
        response = client_gm.post(url("sub_processor_add", draft), {
            "name": "Example Backup Ltd", "activity": "Backups", "approved_by": "Head of IG",
        })
        assert response.status_code == 200
        assert errors(response) == ["Enter the date it was approved"]
        assert not SubProcessor.objects.exists()

    def test_sub_processors_belong_to_processing_contracts_only(self, client_gm, roles):
        assert client_gm.get(url("sub_processor_add", roles.draft)).status_code == 404


def test_data_disclosure_discloser_and_recipient(client_gm, roles):
    draft = of_kind(roles.draft, Kind.DATA_DISCLOSURE)
    owner_party = draft.parties.get(organisation=roles.owner)
    partner_party = draft.parties.get(organisation=roles.partner)
    response = client_gm.post(url("task_kind", draft), {
        "discloser": owner_party.pk, "recipient": owner_party.pk, "disclosures": "One extract",
    })
    assert errors(response) == ["The recipient must be a different party from the discloser."]
    response = client_gm.post(url("task_kind", draft), {
        "discloser": owner_party.pk, "recipient": partner_party.pk, "disclosures": "One extract",
    })
    assert response.status_code == 302
    assert KindTerms.objects.get().recipient == partner_party
