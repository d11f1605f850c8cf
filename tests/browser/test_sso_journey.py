"""Issue 17, item 1, in real Chromium: a person of an organisation configured for single sign-on
signs in through the local OpenID Connect provider (its own login form, on 127.0.0.1) and lands
in their membership; where the organisation's provider signs out too, signing out of the portal
signs them out there and brings them back signed out (decision 0060, amendment of 2026-12-07).
axe on every portal page of the way, error states included."""

import re

import pytest
from playwright.sync_api import expect

from partners.models import Membership, Role
from partners.services import invitation_send
from sso.models import IdentityProvider
from tests.auth import current_code, device_of
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory
from tests.oidc_provider import (
    oidc_provider,  # noqa: F401  (the real provider, session-scoped)
    unique,
)

from .helpers import check_page

PROVIDER_PASSWORD = "correct horse battery"  # noqa: S105  (the test provider's, for a fictional person)


@pytest.fixture
def organisation_with_sso(oidc_provider, live_server, transactional_db, monkeypatch):  # noqa: F811
    client_id, secret = oidc_provider.register_client(f"{live_server.url}/sign-in/organisation/callback/",
                                                      post_logout_redirect_uri=f"{live_server.url}/sign-out/done/")
    monkeypatch.setenv("SSO_SECRET_AMBRIDGE", secret)
    organisation = OrganisationFactory(name="Ambridge Primary Care Network")
    return IdentityProvider.objects.create(
        organisation=organisation, email_domains="ambridge-pcn.example", issuer=oidc_provider.issuer,
        client_id=client_id, client_secret_variable="SSO_SECRET_AMBRIDGE",
    )


def start(page, live_server, email: str) -> None:
    page.goto(f"{live_server.url}/sign-in/")
    page.get_by_role("link", name="Sign in with your organisation's account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in with your organisation's account")
    page.get_by_label("Your work e-mail address").fill(email)
    page.get_by_role("button", name="Continue").click()


def at_the_provider(page, oidc_provider, login: str, password: str = PROVIDER_PASSWORD) -> None:  # noqa: F811
    expect(page).to_have_url(re.compile(rf"^{re.escape(oidc_provider.issuer)}/interaction/"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Test identity provider: sign in")
    page.get_by_label("Username").fill(login)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def test_an_invited_person_signs_in_with_their_organisations_account_and_lands_in_their_membership(
    page, live_server, oidc_provider, organisation_with_sso,  # noqa: F811
):
    organisation = organisation_with_sso.organisation
    inviter = MembershipFactory(organisation=organisation, role=Role.GOVERNANCE_MANAGER).user
    invitation_send(organisation=organisation, name="Alice Carter", email="alice.carter@ambridge-pcn.example",
                    role=Role.SPOC, by_user=inviter)
    login = oidc_provider.add_account(login=unique("alice"), password=PROVIDER_PASSWORD,
                                      email="alice.carter@ambridge-pcn.example", name="Alice Carter",
                                      amr=["pwd", "mfa"])

    # The portal's own sign-in page offers the organisation's account.
    page.goto(f"{live_server.url}/sign-in/")
    check_page(page)
    page.get_by_role("link", name="Sign in with your organisation's account").click()
    check_page(page, heading="Sign in with your organisation's account")
    page.set_viewport_size({"width": 320, "height": 900})  # no sideways scrolling at 320 px
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    page.set_viewport_size({"width": 1280, "height": 900})

    # Nothing typed: the GOV.UK error summary.
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_title(re.compile("^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter your work e-mail address.")
    check_page(page)

    # The address: off to the organisation's provider, its own login form, and back.
    page.get_by_label("Your work e-mail address").fill("alice.carter@ambridge-pcn.example")
    page.get_by_role("button", name="Continue").click()
    at_the_provider(page, oidc_provider, login, password="wrong password")
    expect(page.locator("#error")).to_have_text("Wrong username or password.")
    at_the_provider(page, oidc_provider, login)

    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Single point of contact (SPOC), Ambridge Primary Care Network")
    check_page(page)
    membership = Membership.objects.get(user__email="alice.carter@ambridge-pcn.example")
    assert (membership.organisation, membership.role) == (organisation, Role.SPOC)


def test_without_mfa_at_the_provider_the_portal_asks_its_own_code_and_a_stranger_is_refused(
    page, live_server, oidc_provider, organisation_with_sso,  # noqa: F811
):
    user = UserFactory(username="eddie.grundy", email="eddie.grundy@ambridge-pcn.example")
    MembershipFactory(user=user, organisation=organisation_with_sso.organisation, role=Role.PRACTITIONER)
    eddie = oidc_provider.add_account(login=unique("eddie"), password=PROVIDER_PASSWORD,
                                      email="eddie.grundy@ambridge-pcn.example", amr=["pwd"])
    start(page, live_server, "eddie.grundy@ambridge-pcn.example")
    at_the_provider(page, oidc_provider, eddie)
    expect(page).to_have_url(f"{live_server.url}/sign-in/organisation/code/")
    check_page(page, heading="Enter your security code")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    check_page(page)
    page.get_by_label("Security code").fill(current_code(device_of(user)))
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Practitioner, Ambridge Primary Care Network")

    # Someone the organisation never invited or listed: a clear refusal, no account.
    page.context.clear_cookies()
    stranger = oidc_provider.add_account(login=unique("stranger"), password=PROVIDER_PASSWORD,
                                         email="clarrie@ambridge-pcn.example", amr=["mfa"])
    start(page, live_server, "clarrie@ambridge-pcn.example")
    at_the_provider(page, oidc_provider, stranger)
    check_page(page, heading="You cannot sign in with your organisation's account")
    expect(page.locator("#problem")).to_contain_text("not linked to ISA Portal yet")
    assert not Membership.objects.filter(user__email="clarrie@ambridge-pcn.example").exists()


def test_signing_out_signs_out_at_the_provider_too_and_lands_back_signed_out(
    page, live_server, oidc_provider, organisation_with_sso,  # noqa: F811
):
    organisation_with_sso.sign_out_at_provider = True
    organisation_with_sso.save()
    user = UserFactory(username="shula.hebden", email="shula.hebden@ambridge-pcn.example")
    MembershipFactory(user=user, organisation=organisation_with_sso.organisation, role=Role.SPOC)
    shula = oidc_provider.add_account(login=unique("shula"), password=PROVIDER_PASSWORD,
                                      email="shula.hebden@ambridge-pcn.example", amr=["pwd", "mfa"])
    start(page, live_server, "shula.hebden@ambridge-pcn.example")
    at_the_provider(page, oidc_provider, shula)
    expect(page).to_have_url(f"{live_server.url}/")

    # The header's sign-out form: the portal's session ends, then the provider asks to sign out.
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(oidc_provider.issuer)}/session/end"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Test identity provider: sign out")
    page.get_by_role("button", name="Yes, sign me out").click()

    # Back on the portal, signed out.
    expect(page).to_have_url(f"{live_server.url}/sign-out/done/")
    check_page(page, heading="You have signed out")
    expect(page.get_by_role("button", name="Sign out")).to_have_count(0)
    page.goto(f"{live_server.url}/")
    expect(page).to_have_url(re.compile(rf"^{re.escape(live_server.url)}/sign-in/"))

    # The provider's own session has ended too: signing in again asks for its login.
    start(page, live_server, "shula.hebden@ambridge-pcn.example")
    at_the_provider(page, oidc_provider, shula)
    expect(page).to_have_url(f"{live_server.url}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ambridge Primary Care Network")
