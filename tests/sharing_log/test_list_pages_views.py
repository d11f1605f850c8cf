"""The sharing log's lists that grow without bound, a page at a time (issue 15): the inbox,
copies to confirm, requests to pass information on, escalations and cases. Each page keeps the
other query parameters in its links; a page number that is not a number shows the first page,
one past the end the last."""

import datetime

import pytest
from django.db.models.signals import post_init
from django.urls import reverse
from django.utils import timezone

from agreements.models import Agreement
from partners.models import Organisation
from sharing_log.models import Acknowledgement, Disclosure
from tests.auth import sign_in
from tests.factories import DisclosureFactory

pytestmark = pytest.mark.django_db


def receipts(roles, count: int) -> list:
    start = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)
    return [DisclosureFactory(agreement=roles.agreement, disclosing_organisation=roles.owner,
                              recipient_organisation=roles.partner,
                              occurred_at=start + datetime.timedelta(hours=number))
            for number in range(count)]


class TestInbox:
    def test_the_inbox_shows_a_page_at_a_time_oldest_first(self, client, roles, monkeypatch):
        monkeypatch.setattr("sharing_log.views.disclosures.INBOX_PER_PAGE", 3)
        entries = receipts(roles, 5)
        waiting = sorted([*entries, roles.disclosure_to_partner], key=lambda entry: (entry.occurred_at, entry.pk))
        sign_in(client, roles.spoc)

        first = client.get(reverse("sharing_log:inbox"))
        second = client.get(reverse("sharing_log:inbox"), {"page": "2"})

        assert [row.pk for row in first.context["entries"]] == [entry.pk for entry in waiting[:3]]
        assert [row.pk for row in second.context["entries"]] == [entry.pk for entry in waiting[3:]]
        assert "Showing 1 to 3 of 6, oldest first." in first.content.decode()
        assert '<a class="govuk-link govuk-pagination__link" href="?page=2" rel="next">' in first.content.decode()
        assert "<title>Awaiting acknowledgement (page 2 of 2)" in second.content.decode()

    def test_the_inbox_renders_from_plain_values_not_entries(self, client, roles):
        entry = receipts(roles, 1)[0]
        entry.agreement.reference = ""
        entry.agreement.save(update_fields=["reference"])
        sign_in(client, roles.spoc)
        made = []

        def count(sender, **kwargs):
            made.append(sender)

        post_init.connect(count)
        try:
            response = client.get(reverse("sharing_log:inbox"))
        finally:
            post_init.disconnect(count)

        # Before: each row was an entry with its agreement and two organisations (4 instances).
        assert [sender for sender in made if sender in (Disclosure, Agreement, Organisation)] == []
        html = response.content.decode()
        moment = timezone.localtime(entry.occurred_at)
        assert (f'<a class="govuk-link" href="{reverse("sharing_log:detail", args=[entry.pk])}">'
                f'{moment:%-d %b %Y, %H:%M}<span class="govuk-visually-hidden"> – entry {entry.pk}</span></a>') in html
        assert f'<form method="post" action="{reverse("sharing_log:acknowledge", args=[entry.pk])}" novalidate>' in html
        assert f'<td class="govuk-table__cell">{entry.agreement.title}</td>' in html
        assert f'<td class="govuk-table__cell">{roles.owner.name}</td>' in html

    def test_a_page_past_the_end_shows_the_last_and_a_page_that_is_not_a_number_the_first(
        self, client, roles, monkeypatch,
    ):
        monkeypatch.setattr("sharing_log.views.disclosures.INBOX_PER_PAGE", 3)
        receipts(roles, 5)
        sign_in(client, roles.spoc)

        assert client.get(reverse("sharing_log:inbox"), {"page": "9"}).context["page"].number == 2
        assert client.get(reverse("sharing_log:inbox"), {"page": "last"}).context["page"].number == 1

    def test_acknowledging_from_a_later_page_returns_to_that_page(self, client, roles, monkeypatch):
        monkeypatch.setattr("sharing_log.views.disclosures.INBOX_PER_PAGE", 3)
        entry = receipts(roles, 5)[-1]
        sign_in(client, roles.spoc)

        response = client.post(reverse("sharing_log:acknowledge", args=[entry.pk]), {"from": "inbox", "page": "2"})

        assert response["Location"] == reverse("sharing_log:inbox") + "?page=2"
        assert Acknowledgement.objects.get().disclosure == entry
