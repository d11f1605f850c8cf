"""The task list of drafting an agreement (agreements/views/tasks.py). Who may reach it is proven in
tests/test_permission_matrix.py."""

import pytest
from django.utils import timezone

from agreements.models import DataLevel, Dpia, Status
from agreements.services import data_item_save
from tests.agreements.test_drafting_views import url
from tests.factories import AgreementFactory, LegalGatewayFactory, PurposeFactory, SectionFactory

pytestmark = pytest.mark.django_db


class TestTaskList:
    def statuses(self, response) -> dict:
        return {task["title"]: task["status"] for task in response.context["tasks"]}

    def test_a_new_draft_shows_what_is_done_and_what_cannot_start(self, client_gm, roles):
        agreement = AgreementFactory(owner=roles.owner, reference="", retention_months_after_closure=None)
        Dpia.objects.filter(agreement=agreement).delete()  # the factory screens every agreement

        response = client_gm.get(url("tasks", agreement))

        assert self.statuses(response) == {
            "Details": "Incomplete", "Purposes": "Incomplete", "Parties": "Incomplete",
            "Data to be shared": "Cannot start yet", "Legal gateways": "Incomplete",
            "Transfer and security": "Incomplete", "Retention": "Incomplete", "Breaches": "Incomplete",
            "Review": "Completed", "Sections": "Incomplete", "DPIA screening": "Incomplete",
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
        draft.breach_notify_without_undue_delay = True
        draft.save()
        data_item_save(agreement=draft, by_user=None, provider_label="Police", level=DataLevel.MINIMUM,
                       description="Names.")
        Dpia.objects.update_or_create(agreement=draft, defaults={"needed": False, "screening": [],
                                                                 "not_needed_reason": "Names only."})

        response = client_gm.get(url("tasks", draft))

        assert set(self.statuses(response).values()) == {"Completed"}
        assert response.context["completed"] == 11
        assert response.context["tasks"][-1]["hint"] == "Screened: no DPIA needed"

    def test_the_dpia_screening_is_a_task_before_the_status_page_refuses_the_move_into_force(self, client_gm, roles):
        """Every task had read "Completed" while the status page, once the agreement went for
        signature, refused the move into force for want of a DPIA screening (found trying a MARAC
        protocol through the pages)."""
        Dpia.objects.filter(agreement=roles.draft).delete()  # the factory screens every agreement

        response = client_gm.get(url("tasks", roles.draft))

        dpia = response.context["tasks"][-1]
        assert (dpia["title"], dpia["status"]) == ("DPIA screening", "Incomplete")
        assert dpia["href"] == url("dpia", roles.draft)
        assert "needed before it comes into force" in dpia["hint"]

    def test_the_parties_task_links_to_the_parties_pages(self, client_gm, roles):
        response = client_gm.get(url("tasks", roles.draft))

        assert response.context["tasks"][2]["href"] == url("parties", roles.draft)

    def test_an_agreement_that_has_ended_has_no_tasks(self, client_gm, roles):
        roles.agreement.status, roles.agreement.ended_on = Status.ENDED, timezone.localdate()
        roles.agreement.save()

        response = client_gm.get(url("tasks", roles.agreement))

        assert response.context["tasks"] == []
        assert "This agreement is ended, so it can no longer be changed." in response.content.decode()
