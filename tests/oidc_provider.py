"""A real OpenID Connect provider on 127.0.0.1 for the single sign-on tests (docs/decisions/0060).

``oidc_provider`` (session-scoped) starts ``tests/sso/provider.mjs`` (the Node.js ``oidc-provider``
package, installed by ``npm ci``) on a free port and stops it after the run. Tests choose the
people it knows (``add_account``: password, e-mail, and the ``amr``/``acr`` their sign-in asserts)
and register the portal as a client through the provider's own dynamic registration.
``sign_in_at_provider`` fills in the provider's login form over HTTP, as a browser would, and
returns the URL the provider sends the person back to; ``sign_out_at_provider`` confirms its
sign-out page the same way. Given one ``requests.Session`` as the browser, both keep the
provider's own session cookies, so that a test can see whether the provider still remembers the
person.
"""

import json
import re
import shutil
import socket
import subprocess
import tempfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
import requests

SCRIPT = Path(__file__).parent / "sso" / "provider.mjs"
ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Provider:
    issuer: str

    def add_account(self, *, login: str, password: str, email: str, name: str = "Test Person",
                    amr: list[str] | None = None, acr: str | None = None, email_verified: bool = True) -> str:
        response = requests.post(f"{self.issuer}/test/accounts", timeout=10, data=json.dumps({
            "login": login, "password": password, "amr": amr, "acr": acr,
            "claims": {"email": email, "email_verified": email_verified, "name": name},
        }))
        response.raise_for_status()
        return login

    def register_client(self, redirect_uri: str, *, post_logout_redirect_uri: str | None = None) -> tuple[str, str]:
        """The portal as a client of the provider (RFC 7591): its id and secret. A provider sends a
        person back after signing out only to an address registered for the client."""
        response = requests.post(f"{self.issuer}/reg", timeout=10, json={
            "redirect_uris": [redirect_uri], "grant_types": ["authorization_code"], "response_types": ["code"],
            "token_endpoint_auth_method": "client_secret_basic",
            **({"post_logout_redirect_uris": [post_logout_redirect_uri]} if post_logout_redirect_uri else {}),
        })
        response.raise_for_status()
        body = response.json()
        return body["client_id"], body["client_secret"]

    def discovery_fetches(self) -> int:
        """How many times the provider's discovery document has been read since it started."""
        response = requests.get(f"{self.issuer}/test/discovery-fetches", timeout=10)
        response.raise_for_status()
        return response.json()["count"]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def oidc_provider():
    port = _free_port()
    node = shutil.which("node")
    assert node, "node is needed for the test OpenID Connect provider (make setup runs npm ci)"
    # The provider's warnings go to a file, read back only if it fails to start.
    with tempfile.TemporaryFile(mode="w+") as errors:
        process = subprocess.Popen(  # noqa: S603  (our own script)
            [node, str(SCRIPT), str(port)], cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True,
        )
        try:
            line = process.stdout.readline()
            if not line.startswith("listening "):
                process.kill()
                errors.seek(0)
                raise RuntimeError(f"the test OpenID Connect provider did not start: {line}{errors.read()}")
            yield Provider(issuer=line.split()[1])
        finally:
            process.terminate()
            process.wait(timeout=10)


def sign_in_at_provider(authorize_url: str, *, login: str, password: str, redirect_uri: str,
                        browser: requests.Session | None = None) -> str:
    """Follow the authorisation request, sign in on the provider's form, and return the redirect
    back to the portal (``redirect_uri?code=...&state=...``). A ``browser`` that is still signed in
    at the provider is sent straight back, without the form."""
    browser = browser or requests.Session()
    url, method, data = authorize_url, "GET", None
    for _ in range(10):
        response = browser.request(method, url, data=data, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url, method, data = urljoin(url, response.headers["Location"]), "GET", None
            if url.startswith(redirect_uri):
                return url
            continue
        assert response.status_code == 200, response.text
        assert 'name="login"' in response.text, response.text
        action = response.text.split('action="', 1)[1].split('"', 1)[0]
        url, method, data = urljoin(url, action), "POST", {"login": login, "password": password}
    raise AssertionError("the provider did not send the person back")


def asks_for_login(authorize_url: str, *, browser: requests.Session) -> bool:
    """Whether the provider shows its login form for this authorisation request (the person is not
    signed in there), rather than sending them straight back."""
    url = authorize_url
    provider = urlsplit(authorize_url).netloc
    for _ in range(10):
        response = browser.get(url, allow_redirects=False, timeout=10)
        if not response.is_redirect:
            return 'name="login"' in response.text
        url = urljoin(url, response.headers["Location"])
        if urlsplit(url).netloc != provider:
            return False  # sent straight back to the portal
    raise AssertionError("the provider kept redirecting")


def sign_out_at_provider(end_session_url: str, *, browser: requests.Session) -> str:
    """Follow the portal's redirect to the provider's end_session_endpoint, answer "Yes, sign me
    out" on its page, and return where the provider sends the person back to."""
    response = browser.get(end_session_url, allow_redirects=False, timeout=10)
    assert response.status_code == 200, response.text
    assert 'id="op.logoutForm"' in response.text, response.text
    form = response.text.split('<form id="op.logoutForm"', 1)[1].split("</form>", 1)[0]
    action = form.split('action="', 1)[1].split('"', 1)[0]
    fields = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    answer = browser.post(urljoin(end_session_url, action), data={**fields, "logout": "yes"},
                          allow_redirects=False, timeout=10)
    assert answer.is_redirect, answer.text
    return answer.headers["Location"]


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"
