"""Signing in through /sign-in/ with a username, password and the current TOTP code."""

import pytest
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from agreements.models import Status
from partners.models import Role
from tests.auth import current_code, device_of, sign_in
from tests.factories import (
    PASSWORD,
    AgreementFactory,
    MembershipFactory,
    OrganisationFactory,
    PartyFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

REFUSED = "Enter a correct username, password and security code."


def wrong_code(device) -> str:
    """A code the device will not accept now, whatever the drift tolerance."""
    accepted = set()
    for drift in range(-device.tolerance - 1, device.tolerance + 2):
        device.drift, original = device.drift + drift, device.drift
        accepted.add(current_code(device))
        device.drift = original
    return next(code for code in ("000000", "111111", "222222") if code not in accepted)


def post_sign_in(client, *, username, password=PASSWORD, code, next_url=""):
    data = {"username": username, "password": password, "otp_token": code}
    if next_url:
        data["next"] = next_url
    return client.post(reverse("login"), data)


def is_signed_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_password_and_current_code_sign_the_user_in_verified(client):
    user = UserFactory()
    device = device_of(user)

    response = post_sign_in(client, username=user.username, code=current_code(device))

    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert client.get(reverse("home")).status_code == 200


def test_sign_in_returns_to_the_page_asked_for(client):
    user = UserFactory()

    response = post_sign_in(
        client, username=user.username, code=current_code(device_of(user)),
        next_url=reverse("agreements:list"),
    )

    assert response["Location"] == reverse("agreements:list")


def test_wrong_code_is_refused(client):
    user = UserFactory()

    response = post_sign_in(client, username=user.username, code=wrong_code(device_of(user)))

    assert response.status_code == 200
    assert response.context["form"].errors == {"__all__": [REFUSED]}
    assert is_signed_in(client) is False


def test_missing_code_is_refused_with_the_fields_message(client):
    user = UserFactory()

    response = post_sign_in(client, username=user.username, code="")

    assert response.context["form"].errors == {
        "otp_token": ["Enter the 6-digit code from your authenticator app."],
    }
    assert is_signed_in(client) is False


def test_current_code_of_another_users_device_is_refused(client):
    user, other = UserFactory(), UserFactory()

    response = post_sign_in(client, username=user.username, code=current_code(device_of(other)))

    assert response.context["form"].errors == {"__all__": [REFUSED]}
    assert is_signed_in(client) is False


def test_wrong_password_with_the_current_code_is_refused(client):
    user = UserFactory()

    response = post_sign_in(
        client, username=user.username, password="not-the-passphrase",
        code=current_code(device_of(user)),
    )

    assert response.context["form"].errors == {"__all__": [REFUSED]}
    assert is_signed_in(client) is False


def test_user_without_an_authenticator_app_cannot_sign_in(client):
    user = UserFactory(otp_device=False)

    response = post_sign_in(client, username=user.username, code="123456")

    assert response.context["form"].errors == {"__all__": [REFUSED]}
    assert is_signed_in(client) is False


def test_signing_out_ends_the_session(client):
    user = UserFactory()
    sign_in(client, user)

    client.post(reverse("logout"))

    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('login')}?next=/"


class TestDjangoAdminForPortalAdministrators:
    """Every model is registered in the admin; a portal administrator sees reference data and
    agreements there, with their history, but not the sharing log."""

    @pytest.fixture
    def admin_client(self, client, roles):
        return sign_in(client, roles.admin)

    @pytest.mark.parametrize("path", [
        "/admin/agreements/agreement/", "/admin/agreements/legalgateway/", "/admin/agreements/party/",
        "/admin/agreements/signature/", "/admin/agreements/breach/", "/admin/agreements/review/",
        "/admin/partners/organisation/", "/admin/partners/contact/", "/admin/partners/membership/",
    ])
    def test_admin_lists_reference_data(self, admin_client, path):
        assert admin_client.get(path).status_code == 200

    def test_admin_shows_an_agreements_history(self, admin_client, roles):
        response = admin_client.get(f"/admin/agreements/agreement/{roles.agreement.pk}/history/")
        assert response.status_code == 200

    @pytest.mark.parametrize("path", ["/admin/sharing_log/disclosure/", "/admin/sharing_log/amendment/"])
    def test_admin_cannot_open_the_sharing_log(self, admin_client, path):
        assert admin_client.get(path).status_code == 403


def test_every_model_of_the_apps_is_registered_in_the_admin():
    from django.apps import apps
    from django.contrib import admin

    for label in ("partners", "agreements", "sharing_log"):
        for model in apps.get_app_config(label).get_models():
            if model.__name__.startswith("Historical") or model.__name__.endswith("ObjectPermission"):
                continue
            assert admin.site.is_registered(model), f"{model.__name__} is not in the admin"


class TestHome:
    LOG = "Log a disclosure or a decision not to share"
    START = "Start a new agreement"

    @pytest.mark.parametrize(("subject", "logs", "starts"), [
        ("practitioner", True, False),
        ("spoc", True, False),
        ("governance_manager", True, True),
        ("lead_signatory", False, False),
        ("auditor", False, False),
    ])
    def test_each_role_starts_where_its_work_is(self, client, roles, subject, logs, starts):
        content = sign_in(client, getattr(roles, subject)).get("/").content.decode()

        assert (self.LOG in content, self.START in content) == (logs, starts)
        if logs:
            assert f'href="{reverse("sharing_log:create")}"' in content
        if starts:
            assert f'href="{reverse("agreements:create")}"' in content

    def test_an_organisation_invited_to_drafts_is_told_they_are_there(self, client):
        """A partner invited to an agreement still being drafted cannot read it yet: the home page
        says it is there, not that the organisation is party to nothing."""
        owner, charity = OrganisationFactory(name="South Cambridgeshire District Council"), OrganisationFactory()
        person = MembershipFactory(organisation=charity, role=Role.GOVERNANCE_MANAGER).user
        drafts = [AgreementFactory(owner=owner, status=Status.DRAFT) for _ in range(2)]
        own_draft = AgreementFactory(owner=charity, status=Status.DRAFT)
        for agreement in (*drafts, own_draft):
            PartyFactory(agreement=agreement, organisation=charity)

        content = sign_in(client, person).get("/").content.decode()

        assert "Your organisation is not party to any agreement yet." not in content
        assert "Your organisation has been invited to 2 agreements that are still being drafted." in content
        assert own_draft.title in content  # its own draft it sees, and is not counted

        drafts[1].status = Status.CONSULTATION
        drafts[1].save()
        content = sign_in(client, person).get("/").content.decode()
        assert "has been invited to an agreement that is still being drafted." in content

    def test_a_lead_signatory_is_asked_to_sign_only_what_is_out_for_signature(self, client, roles):
        # The Safe and Well trial (P10): a draft of the signatory's own organisation was listed as
        # "waiting for your signature", with nothing to sign.
        signatory = roles.member(roles.owner, Role.LEAD_SIGNATORY, username="owner-signatory")
        drafting = AgreementFactory(owner=roles.owner, status=Status.DRAFT, title="Still Being Drafted ISA")
        out = AgreementFactory(owner=roles.owner, status=Status.AWAITING_SIGNATURES, title="Out For Signature ISA")
        for agreement in (drafting, out):
            PartyFactory(agreement=agreement, organisation=roles.owner)

        content = sign_in(client, signatory).get("/").content.decode()
        waiting = content.split("Waiting for your signature", 1)[1].split("</ul>", 1)[0]

        assert "Out For Signature ISA" in waiting
        assert "Still Being Drafted ISA" not in waiting
