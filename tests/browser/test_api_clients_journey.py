"""The API's clients in Chromium (docs/decisions/0051): a governance manager issues a token for a
case system on GOV.UK pages (axe clean), sees it once and revokes it; the API's docs page works
under the portal's Content-Security-Policy, with every asset served by the portal itself."""

from urllib.parse import urlparse

from django.urls import reverse
from playwright.sync_api import expect

from api.models import ApiToken

from .helpers import check_page, sign_in_browser


def test_a_governance_manager_issues_a_token_sees_it_once_and_revokes_it(page, live_server, roles):
    clients = reverse("api_clients:list", args=[roles.owner.pk])
    sign_in_browser(page, live_server, roles.governance_manager, next_path=clients)
    check_page(page, heading="API clients")

    page.get_by_role("button", name="Issue a token").click()
    check_page(page, heading="Issue an API token")
    page.get_by_role("button", name="Issue token").click()
    check_page(page, heading="Issue an API token")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the name of the case system.")

    page.get_by_label("Name of the case system").fill("Mosaic")
    page.get_by_role("button", name="Issue token").click()
    check_page(page, heading="Token issued")
    secret = page.locator("#api-token").inner_text()
    token = ApiToken.objects.get()
    assert secret.startswith(f"isa_{token.prefix}_")

    page.get_by_role("link", name="Back to API clients").click()
    check_page(page, heading="API clients")
    assert secret not in page.content()
    page.get_by_role("button", name="Revoke the token for Mosaic").click()
    check_page(page, heading="API clients")
    expect(page.get_by_text("The token for Mosaic is revoked: it no longer works.")).to_be_visible()
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_the_api_docs_work_under_the_policy_with_assets_of_the_portal_only(page, live_server, policy_violations):
    origins = set()
    page.on("request", lambda request: origins.add(urlparse(request.url).netloc))

    response = page.goto(f"{live_server.url}{reverse('api:openapi-view')}")

    assert response.status == 200
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("ISA Portal API")
    expect(page.get_by_text("/api/entries/").first).to_be_visible()
    page.wait_for_function("() => true")
    assert policy_violations == []
    assert origins == {urlparse(live_server.url).netloc}
