"""Response headers every page carries (issue 12, item 3; docs/decisions/0022): a strict
Content-Security-Policy with a per-response nonce, a Permissions-Policy denying the powerful
features the portal never uses, and ``Cache-Control: no-store`` on everything a signed-in
person is sent, so that case-level entries stay out of browser and proxy caches.

Production-only settings (HSTS, the redirect to https, secure cookies) and ``check --deploy``
are tested in ``test_deploy_settings.py``; templates' inline script and style in
``tests/test_templates_csp.py``; a real browser loading pages under the policy in
``tests/browser/test_content_security_policy.py``."""

import re

import pytest
from django.urls import reverse

from tests.auth import sign_in
from tests.factories import DisclosureFactory

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"'nonce-([A-Za-z0-9+/=]+)'")


def directives(response) -> dict[str, list[str]]:
    """The response's Content-Security-Policy as {directive: [sources]}."""
    policy = {}
    for part in response["Content-Security-Policy"].split(";"):
        name, *sources = part.split()
        policy[name] = sources
    return policy


@pytest.fixture
def entry_page(client, roles):
    """The page of one sharing log entry, as its practitioner sees it."""
    entry = DisclosureFactory(
        agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
    )
    return sign_in(client, roles.practitioner).get(reverse("sharing_log:detail", args=[entry.pk]))


class TestContentSecurityPolicy:
    def test_a_public_page_allows_only_the_portals_own_scripts_styles_images_and_fonts(self, client):
        response = client.get(reverse("privacy"))

        policy = directives(response)
        assert response.status_code == 200
        assert {name: sources for name, sources in policy.items() if name != "script-src"} == {
            "default-src": ["'none'"],
            "style-src": ["'self'"],
            "img-src": ["'self'"],
            "font-src": ["'self'"],
            "connect-src": ["'self'"],
            "manifest-src": ["'self'"],
            "form-action": ["'self'"],
            "frame-ancestors": ["'none'"],
            "base-uri": ["'none'"],
            "object-src": ["'none'"],
        }
        assert policy["script-src"][0] == "'self'"

    def test_no_page_allows_inline_script_or_style_or_eval(self, client, roles):
        pages = [client.get(reverse("login")), client.get(reverse("privacy"))]
        pages.append(sign_in(client, roles.practitioner).get(reverse("home")))

        for response in pages:
            policy = response["Content-Security-Policy"]
            assert "'unsafe-inline'" not in policy
            assert "'unsafe-eval'" not in policy
            assert "'unsafe-hashes'" not in policy

    def test_the_sharing_log_entry_page_carries_the_policy_with_a_nonce(self, entry_page):
        policy = directives(entry_page)

        assert entry_page.status_code == 200
        assert policy["script-src"][0] == "'self'"
        assert NONCE.fullmatch(policy["script-src"][1])
        assert policy["frame-ancestors"] == ["'none'"]

    def test_every_script_on_a_page_carries_the_nonce_of_its_own_response(self, entry_page, client, roles):
        nonce = NONCE.search(entry_page["Content-Security-Policy"]).group(1)
        scripts = re.findall(r"<script\b[^>]*>", entry_page.content.decode())
        second = client.get(entry_page.wsgi_request.path)

        assert scripts
        assert all(f'nonce="{nonce}"' in tag for tag in scripts), scripts
        assert NONCE.search(second["Content-Security-Policy"]).group(1) != nonce

    def test_a_page_refused_or_not_found_still_carries_the_policy(self, client, roles):
        response = sign_in(client, roles.practitioner).get("/no-such-page/")

        assert response.status_code == 404
        assert directives(response)["default-src"] == ["'none'"]


class TestPermissionsPolicy:
    DENIED = {"camera", "microphone", "geolocation", "payment", "usb", "serial", "hid",
              "display-capture", "accelerometer", "gyroscope", "magnetometer", "midi", "fullscreen"}

    def test_public_and_signed_in_pages_deny_the_powerful_features(self, client, roles, entry_page):
        for response in (client.get(reverse("privacy")), entry_page):
            features = dict(item.strip().split("=", 1) for item in response["Permissions-Policy"].split(","))
            assert {name for name, allow in features.items() if allow == "()"} >= self.DENIED


class TestCaching:
    def test_the_sharing_log_entry_page_is_never_stored(self, entry_page):
        assert entry_page.status_code == 200
        assert (entry_page["Cache-Control"], entry_page["Pragma"]) == ("no-store", "no-cache")

    @pytest.mark.parametrize("name", ["home", "sharing_log:list", "agreements:list", "privacy", "due"])
    def test_every_page_sent_to_a_signed_in_person_is_never_stored(self, client, roles, name):
        response = sign_in(client, roles.governance_manager).get(reverse(name))

        assert response.status_code == 200
        assert response["Cache-Control"] == "no-store"

    def test_a_redirect_or_refusal_to_a_signed_in_person_is_never_stored(self, client, roles):
        sign_in(client, roles.practitioner)

        for response in (client.get("/no-such-page/"), client.get(reverse("sharing_log:list").rstrip("/"))):
            assert response.status_code in (301, 404)
            assert response["Cache-Control"] == "no-store"

    def test_a_person_half_way_through_signing_in_is_sent_nothing_storable(self, client, roles):
        client.force_login(roles.practitioner)  # a password, no second factor yet

        response = client.get(reverse("home"))

        assert response.status_code == 302
        assert response["Cache-Control"] == "no-store"

    def test_a_public_page_for_anonymous_visitors_may_be_cached(self, client):
        response = client.get(reverse("privacy"))

        assert response.status_code == 200
        assert "no-store" not in response.get("Cache-Control", "")
