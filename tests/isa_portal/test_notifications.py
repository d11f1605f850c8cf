"""The notifications inbox at /notifications/ and the unread count in the service navigation."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from isa_portal.context_processors import _notifications_text as notifications_label
from partners.models import Notification
from tests.factories import ContactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def spocs_contact(roles):
    return ContactFactory(organisation=roles.partner, user=roles.spoc, name="Riley Example")


def notify(contact, subject, url=""):
    return Notification.objects.create(recipient=contact, subject=subject, body=f"{subject}.", url=url)


def nav_text(response) -> list[str]:
    return [item["text"] for item in response.context["nav_items"]]


class TestInbox:
    def test_lists_the_persons_notifications_newest_first_unread_marked(self, client, roles, sign_in, spocs_contact):
        older = notify(spocs_contact, "Borsetshire Probation is joining")
        newer = notify(spocs_contact, "Borsetshire Fire and Rescue Service is withdrawing")
        Notification.objects.filter(pk=older.pk).update(read_at=older.created_at)

        response = sign_in(client, roles.spoc).get(reverse("notifications"))

        assert list(response.context["notifications"]) == [newer, older]
        content = response.content.decode()
        assert content.count("govuk-tag--blue\">Unread</strong>") == 1
        assert content.index("Unread") < content.index(newer.subject)

    def test_shows_nobody_elses_notifications(self, client, roles, sign_in, spocs_contact):
        notify(spocs_contact, "Borsetshire Probation is joining")

        response = sign_in(client, roles.governance_manager).get(reverse("notifications"))

        assert list(response.context["notifications"]) == []
        assert "You have no notifications." in response.content.decode()


class TestOpening:
    def test_opening_marks_it_read_and_goes_where_it_points(self, client, roles, sign_in, spocs_contact):
        target = reverse("agreements:parties", args=[roles.agreement.pk])
        notification = notify(spocs_contact, "Borsetshire Probation is joining", url=target)

        response = sign_in(client, roles.spoc).get(reverse("notification_open", args=[notification.pk]))

        assert response["Location"] == target
        notification.refresh_from_db()
        assert notification.read_at is not None

    def test_opening_by_post_works_too(self, client, roles, sign_in, spocs_contact):
        notification = notify(spocs_contact, "Borsetshire Probation is joining")

        response = sign_in(client, roles.spoc).post(reverse("notification_open", args=[notification.pk]))

        assert response["Location"] == reverse("notifications")
        notification.refresh_from_db()
        assert notification.read_at is not None

    def test_another_persons_notification_is_not_found_and_stays_unread(self, client, roles, sign_in, spocs_contact):
        notification = notify(spocs_contact, "Borsetshire Probation is joining")

        response = sign_in(client, roles.governance_manager).get(reverse("notification_open", args=[notification.pk]))

        assert response.status_code == 404
        notification.refresh_from_db()
        assert notification.read_at is None

    def test_a_link_off_the_portal_is_not_followed(self, client, roles, sign_in, spocs_contact):
        notification = notify(spocs_contact, "Borsetshire Probation is joining", url="https://example.com/")

        response = sign_in(client, roles.spoc).get(reverse("notification_open", args=[notification.pk]))

        assert response["Location"] == reverse("notifications")


class TestNavigation:
    def test_says_how_many_are_unread(self, client, roles, sign_in, spocs_contact):
        notify(spocs_contact, "One")
        notify(spocs_contact, "Two")
        read = notify(spocs_contact, "Three")
        Notification.objects.filter(pk=read.pk).update(read_at=read.created_at)

        response = sign_in(client, roles.spoc).get(reverse("home"))

        assert "Notifications (2 unread)" in nav_text(response)

    def test_says_notifications_alone_when_none_are_unread(self, client, roles, sign_in):
        response = sign_in(client, roles.governance_manager).get(reverse("home"))

        assert "Notifications" in nav_text(response)

    def test_counts_in_one_query(self, roles, spocs_contact):
        notify(spocs_contact, "One")

        with CaptureQueriesContext(connection) as queries:
            label = notifications_label(roles.spoc)

        assert (label, len(queries)) == ("Notifications (1 unread)", 1)
