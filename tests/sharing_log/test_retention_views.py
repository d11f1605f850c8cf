"""What the pages show of an entry whose personal parts retention destroyed
(sharing_log/views/disclosures.py, views/quality.py); the case is test_retention.py's.

Who may reach each page is the permission matrix's business (tests/test_permission_matrix.py)."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from sharing_log.models import (
    CaseClosure,
    Destruction,
    RecipientDestructionConfirmation,
)
from sharing_log.services import (
    disclosures_destroy_due,
)
from tests.auth import sign_in
from tests.sharing_log.helpers import Outcome
from tests.sharing_log.helpers.retention import PINNED, SECRETS, Reason, today

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


class TestPages:
    """Every page that shows a destroyed entry says so, shows the stub, and never fails."""

    @pytest.fixture
    def destroyed(self, roles, case):
        disclosures_destroy_due(on=today())
        return case

    def test_the_entry_page_says_when_and_why_and_shows_the_stub(self, client, roles, destroyed):
        shared, _ = destroyed
        when = timezone.localtime(Destruction.objects.get(disclosure=shared).destroyed_at)

        response = sign_in(client, roles.governance_manager).get(reverse("sharing_log:detail", args=[shared.pk]))

        html = response.content.decode()
        assert response.status_code == 200
        assert f"Destroyed on {when.day} {when:%B %Y} under the retention rule" in html
        assert "What remains of the entry" in html
        assert "The entry as logged" not in html
        assert "Amend this entry" not in html
        assert "Borsetshire Youth Offending Service" in html

    @pytest.mark.parametrize("route", ["list", "received", "export", "inbox", "copies", "cases", "escalations"])
    def test_the_log_pages_still_open(self, client, roles, destroyed, route):
        user = roles.spoc if route in ("received", "inbox", "copies", "escalations") else roles.governance_manager

        response = sign_in(client, user).get(reverse(f"sharing_log:{route}"))

        assert response.status_code == 200

    def test_the_case_and_escalation_pages_still_open(self, client, roles, destroyed):
        _, refusal = destroyed
        sign_in(client, roles.governance_manager)

        assert client.get(CaseClosure.objects.get().get_absolute_url()).status_code == 200
        assert client.get(refusal.escalations.get().get_absolute_url()).status_code == 200
        assert client.get(reverse("sharing_log:detail", args=[refusal.pk])).status_code == 200

    def test_the_recipients_spoc_confirms_on_its_page(self, client, roles, destroyed):
        confirmation = RecipientDestructionConfirmation.objects.get(reason=Reason.RETENTION, organisation=roles.partner)
        url = reverse("sharing_log:copy_confirm", args=[confirmation.pk])
        sign_in(client, roles.spoc)

        page = client.get(url)
        empty = client.post(url, {})
        done = client.post(url, {"destroyed": "on"})

        assert page.status_code == 200
        assert "Destroy your copy of information from Borsetshire County Council" in page.content.decode()
        assert empty.status_code == 200
        assert "Confirm that your organisation destroyed its copy" in empty.content.decode()
        assert 'class="govuk-error-summary"' in empty.content.decode()
        assert done.status_code == 302
        assert RecipientDestructionConfirmation.objects.get(pk=confirmation.pk).outcome == Outcome.DESTROYED

    def test_the_onward_recipient_confirms_without_seeing_the_entry(self, client, roles, destroyed, yos):
        from partners.models import Role

        yos_spoc = roles.member(yos, Role.SPOC)
        confirmation = RecipientDestructionConfirmation.objects.get(reason=Reason.RETENTION, organisation=yos)

        response = sign_in(client, yos_spoc).get(reverse("sharing_log:copy_confirm", args=[confirmation.pk]))

        assert response.status_code == 200
        assert reverse("sharing_log:detail", args=[confirmation.disclosure_id]) not in response.content.decode()


@pytest.mark.parametrize("route", ["export", "export_xlsx"])
def test_the_export_of_a_destroyed_case_holds_none_of_its_secrets(client, roles, case, route):
    """Issue 16: the export carries the free text of an entry, so destruction must take it from
    there too — in both formats, read back as text."""
    disclosures_destroy_due(on=today())
    sign_in(client, roles.governance_manager)

    body = b"".join(client.get(reverse(f"sharing_log:{route}")).streaming_content)
    text = body.decode("utf-8-sig") if route == "export" else "\n".join(
        str(cell.value) for row in load_workbook(io.BytesIO(body)).active.iter_rows() for cell in row
    )

    assert str(case[0].pk) in text  # the stub is there
    assert [name for name, secret in SECRETS.items() if secret in text] == []
