"""The header and service navigation (templates/base.html, isa_portal.context_processors.navigation):
the menu fits one row at 1280 px and folds behind "Menu" on a narrow screen (issue 14, item 4;
decision 0044). The browser check of both widths is tests/browser/test_narrow_screens.py."""

import pytest

pytestmark = pytest.mark.django_db


def header(body: str) -> str:
    return body[body.index('<header class="govuk-template__header">'):body.index("</header>")]


def test_the_menu_has_no_home_item_the_service_name_links_home(client, sign_in, roles):
    sign_in(client, roles.governance_manager)
    response = client.get("/")
    assert [item["text"] for item in response.context["nav_items"]] == [
        "What's due", "Agreements", "Partners", "Sharing log", "Breaches", "Requests", "Reports", "Notifications",
    ]
    assert '<a href="/" class="govuk-generic-header__homepage-link" aria-current="page">' in header(
        response.content.decode())


def test_the_service_name_is_the_current_page_only_on_the_home_page(client, sign_in, roles):
    sign_in(client, roles.governance_manager)
    body = client.get("/agreements/").content.decode()
    assert '<a href="/" class="govuk-generic-header__homepage-link">' in header(body)
    assert '<a class="govuk-service-navigation__link" href="/agreements/" aria-current="true">' in body


def test_the_signed_in_person_and_sign_out_are_in_the_header_bar_not_the_menu(client, sign_in, roles):
    sign_in(client, roles.practitioner)
    body = client.get("/").content.decode()
    bar = body[body.index('<div class="govuk-generic-header">'):body.index('<section aria-label="Service information"')]
    name = roles.practitioner.get_full_name()
    assert f'<span class="govuk-visually-hidden">Signed in as</span>\n              {name}' in bar
    assert '<button type="submit" class="app-link-button app-link-button--inverse">Sign out</button>' in bar
    menu = body[body.index('<section aria-label="Service information"'):body.index("</section>")]
    assert "Sign out" not in menu
    assert name not in menu


def test_signed_out_there_is_no_menu_and_no_sign_out(client):
    body = client.get("/sign-in/").content.decode()
    assert "govuk-service-navigation" not in body
    assert "Sign out" not in header(body)


def test_the_accessibility_statement_says_how_pages_fit_a_narrow_screen(client):
    body = client.get("/accessibility/").content.decode()
    assert ("Our automated tests open every page each kind of user can reach at 320 pixels wide, the width "
            "of a small phone or of a desktop screen zoomed to 400%, and check that none of them has to be "
            "scrolled sideways.") in body
    assert "If JavaScript is turned off in your browser, a wide table scrolls sideways within itself instead." in body


def test_the_menu_says_notifications_unread_in_full_to_screen_readers_and_shows_the_number(client, sign_in, roles):
    # "Notifications (26)" on screen, "Notifications (26 unread)" read out: the menu keeps one row at 1280 px with
    # Reports in it (decision 0057).
    from partners.models import Notification
    from tests.factories import ContactFactory

    contact = ContactFactory(organisation=roles.owner, user=roles.governance_manager)
    for number in range(2):
        Notification.objects.create(recipient=contact, subject=f"Notice {number}", body="A test.")
    sign_in(client, roles.governance_manager)

    body = client.get("/").content.decode()

    assert ('<span aria-hidden="true">Notifications (2)</span>'
            '<span class="govuk-visually-hidden">Notifications (2 unread)</span>') in header(body)
