"""Issue 17, item 1: signing in through an organisation's own OpenID Connect provider, against a
real provider (the Node.js ``oidc-provider`` package) started on 127.0.0.1 by the suite
(tests/oidc_provider.py). The portal's side is the Django test client; the provider's login form
is filled in over HTTP."""

import socket

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django_otp import DEVICE_ID_SESSION_KEY

from partners.models import Contact, Invitation, Membership, Role
from partners.services import invitation_send
from sso.models import ExternalIdentity, IdentityProvider, ProviderSignIn, SecondFactor
from sso.views import SIGNED_IN_WITH_KEY
from tests.auth import current_code, device_of
from tests.factories import ContactFactory, MembershipFactory, OrganisationFactory, UserFactory
from tests.oidc_provider import sign_in_at_provider, unique

from .helpers import CALLBACK, PROVIDER_PASSWORD, sso_sign_in

pytestmark = pytest.mark.django_db(transaction=False)

User = get_user_model()


def invite(organisation, email: str, role: str = Role.SPOC) -> Invitation:
    inviter = MembershipFactory(organisation=organisation, role=Role.GOVERNANCE_MANAGER).user
    return invitation_send(organisation=organisation, name="Ruth Archer", email=email, role=role, by_user=inviter)


def test_an_invited_person_whose_provider_asserts_mfa_lands_in_their_membership(oidc_provider, configure):
    provider = configure("ambridge.example")
    invitation = invite(provider.organisation, "ruth.archer@ambridge.example", role=Role.SPOC)
    login = oidc_provider.add_account(login=unique("ruth"), password=PROVIDER_PASSWORD,
                                      email="ruth.archer@ambridge.example", amr=["pwd", "mfa"])
    client = Client()

    response = sso_sign_in(client, email="ruth.archer@ambridge.example", login=login)

    assert response.status_code == 302 and response["Location"] == reverse("home")
    user = User.objects.get(email="ruth.archer@ambridge.example")
    assert not user.has_usable_password()
    assert list(Membership.objects.filter(user=user).values_list("organisation", "role")) == [
        (provider.organisation.pk, Role.SPOC)]
    invitation.refresh_from_db()
    assert invitation.accepted_at is not None and invitation.user == user
    assert ExternalIdentity.objects.get(user=user).subject == login
    record = ProviderSignIn.objects.get(user=user)
    assert (record.second_factor, record.account_created, record.amr) == (SecondFactor.PROVIDER, True, "pwd mfa")
    assert client.session[SIGNED_IN_WITH_KEY] == "provider"
    assert client.session[DEVICE_ID_SESSION_KEY].startswith("sso.providerdevice/")
    home = client.get(reverse("home"))
    assert home.status_code == 200 and provider.organisation.name in home.content.decode()


def test_a_contact_without_an_invitation_gets_the_providers_contact_role_and_sets_up_the_portals_code(
    oidc_provider, configure,
):
    provider = configure("borchester.example", contact_role=Role.AUDITOR)
    contact = ContactFactory(organisation=provider.organisation, name="Jazzer McCreary",
                             email="Jazzer.McCreary@borchester.example")
    login = oidc_provider.add_account(login=unique("jazzer"), password=PROVIDER_PASSWORD,
                                      email="jazzer.mccreary@borchester.example", amr=["pwd"])
    client = Client()

    response = sso_sign_in(client, email="jazzer.mccreary@borchester.example", login=login)

    # No second factor from the provider, and no authenticator yet: set one up first.
    assert response.status_code == 302 and response["Location"] == reverse("authenticator")
    contact.refresh_from_db()
    assert contact.user is not None and contact.user.first_name == "Jazzer"
    assert list(Membership.objects.filter(user=contact.user).values_list("role", flat=True)) == [Role.AUDITOR]
    assert ProviderSignIn.objects.get(user=contact.user).second_factor == SecondFactor.PORTAL
    assert client.get(reverse("home"))["Location"].startswith(reverse("login"))  # not verified yet


def test_without_mfa_from_the_provider_the_portals_own_code_is_asked(oidc_provider, configure):
    provider = configure("loxley.example")
    user = UserFactory(username="usha.franks", email="usha.franks@loxley.example")
    MembershipFactory(user=user, organisation=provider.organisation, role=Role.GOVERNANCE_MANAGER)
    login = oidc_provider.add_account(login=unique("usha"), password=PROVIDER_PASSWORD,
                                      email="usha.franks@loxley.example", amr=["pwd"])
    client = Client()

    response = sso_sign_in(client, email="usha.franks@loxley.example", login=login)

    assert response["Location"] == reverse("sso_code")
    assert client.get(reverse("home")).status_code == 302
    wrong = client.post(reverse("sso_code"), {"otp_token": "000000"})
    assert wrong.status_code == 200 and "govuk-error-summary" in wrong.content.decode()
    device = device_of(user)
    device.throttle_reset()  # django-otp's own back-off after the wrong code, not what is tested here
    right = client.post(reverse("sso_code"), {"otp_token": current_code(device)})
    assert right.status_code == 302 and right["Location"] == reverse("home")
    assert client.session[SIGNED_IN_WITH_KEY] == "provider+code"
    assert client.get(reverse("home")).status_code == 200
    # Linked: the next sign-in finds the person by the provider's subject.
    assert ExternalIdentity.objects.get(provider=provider, subject=login).user == user


def test_an_acr_the_administrator_names_counts_as_multi_factor(oidc_provider, configure):
    provider = configure("penny-hassett.example", mfa_amr_values="", mfa_acr_values="urn:test:mfa")
    user = UserFactory(email="kenton@penny-hassett.example")
    MembershipFactory(user=user, organisation=provider.organisation)
    mfa = oidc_provider.add_account(login=unique("kenton"), password=PROVIDER_PASSWORD,
                                    email="kenton@penny-hassett.example", amr=["mfa"], acr="urn:test:mfa")
    client = Client()
    assert sso_sign_in(client, email="kenton@penny-hassett.example", login=mfa)["Location"] == reverse("home")
    assert ProviderSignIn.objects.get(user=user).acr == "urn:test:mfa"

    # amr "mfa" alone is not enough once the administrator has emptied the amr list.
    password_only = oidc_provider.add_account(login=unique("kenton"), password=PROVIDER_PASSWORD,
                                              email="kenton@penny-hassett.example", amr=["mfa"],
                                              acr="urn:test:password")
    other = Client()
    assert sso_sign_in(other, email="kenton@penny-hassett.example", login=password_only)["Location"] == reverse(
        "sso_code")


@pytest.mark.parametrize("case", ["stranger", "other organisation's domain", "member elsewhere", "unverified"])
def test_anyone_not_invited_or_listed_is_refused_and_nothing_is_created(oidc_provider, configure, case):
    provider = configure("felpersham.example")
    other_org = OrganisationFactory()
    email = {
        "stranger": "nobody@felpersham.example",
        "other organisation's domain": "someone@elsewhere.example",
        "member elsewhere": "member@felpersham.example",
        "unverified": "listed@felpersham.example",
    }[case]
    if case == "other organisation's domain":
        ContactFactory(organisation=provider.organisation, email=email)
    if case == "member elsewhere":
        MembershipFactory(user=UserFactory(username=email, email=email), organisation=other_org)
    if case == "unverified":
        ContactFactory(organisation=provider.organisation, email=email)
    login = oidc_provider.add_account(login=unique("x"), password=PROVIDER_PASSWORD, email=email, amr=["mfa"],
                                      email_verified=case != "unverified")
    users_before, memberships_before = User.objects.count(), Membership.objects.count()
    client = Client()

    response = sso_sign_in(client, email="anyone@felpersham.example", login=login)

    assert response.status_code == 403
    assert "You cannot sign in with your organisation" in response.content.decode()
    assert (User.objects.count(), Membership.objects.count()) == (users_before, memberships_before)
    assert not ExternalIdentity.objects.exists() and not ProviderSignIn.objects.exists()
    assert "_auth_user_id" not in client.session
    assert not Contact.objects.filter(user__isnull=False, organisation=provider.organisation).exists()


def test_an_address_at_a_domain_without_a_provider_goes_to_the_portals_own_sign_in(configure):
    configure("grey-gables.example")
    response = Client().post(reverse("sso_sign_in"), {"email": "lynda@ambridge-hall.example"})
    assert response["Location"] == reverse("login") + "?organisation=none"
    page = Client().get(response["Location"]).content.decode()
    assert "does not sign in to ISA Portal with its own accounts" in page


def test_a_bad_address_shows_the_error_summary():
    response = Client().post(reverse("sso_sign_in"), {"email": "not an address"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_a_callback_whose_state_does_not_match_signs_nobody_in(oidc_provider, configure):
    provider = configure("hollerton.example")
    user = UserFactory(email="tom@hollerton.example")
    MembershipFactory(user=user, organisation=provider.organisation)
    login = oidc_provider.add_account(login=unique("tom"), password=PROVIDER_PASSWORD,
                                      email="tom@hollerton.example", amr=["mfa"])
    client = Client()
    response = client.post(reverse("sso_sign_in"), {"email": "tom@hollerton.example"})
    back = sign_in_at_provider(response["Location"], login=login, password=PROVIDER_PASSWORD, redirect_uri=CALLBACK)
    forged = back.replace("state=", "state=x")

    answer = client.get(forged.removeprefix("http://testserver"))

    assert answer.status_code == 403
    assert "_auth_user_id" not in client.session and not ProviderSignIn.objects.exists()


def test_a_wrong_password_at_the_provider_never_comes_back(oidc_provider, configure):
    configure("edgeley.example")
    login = oidc_provider.add_account(login=unique("joe"), password=PROVIDER_PASSWORD, email="joe@edgeley.example")
    client = Client()
    response = client.post(reverse("sso_sign_in"), {"email": "joe@edgeley.example"})
    with pytest.raises(AssertionError, match="did not send the person back"):
        sign_in_at_provider(response["Location"], login=login, password="wrong", redirect_uri=CALLBACK)


def test_a_deactivated_login_is_refused_even_when_linked(oidc_provider, configure):
    provider = configure("ten-acres.example")
    user = UserFactory(email="fallon@ten-acres.example")
    MembershipFactory(user=user, organisation=provider.organisation)
    login = oidc_provider.add_account(login=unique("fallon"), password=PROVIDER_PASSWORD,
                                      email="fallon@ten-acres.example", amr=["mfa"])
    assert sso_sign_in(Client(), email="fallon@ten-acres.example", login=login).status_code == 302
    user.is_active = False
    user.save()

    response = sso_sign_in(Client(), email="fallon@ten-acres.example", login=login)

    assert response.status_code == 403 and "deactivated" in response.content.decode()


def test_two_providers_cannot_claim_one_domain(configure):
    configure("home-farm.example")
    other = IdentityProvider(organisation=OrganisationFactory(), email_domains="Home-Farm.example brookfield.example",
                             issuer="https://login.example/", client_id="x", client_secret_variable="SSO_X")
    with pytest.raises(ValidationError) as error:
        other.full_clean()
    assert "home-farm.example" in str(error.value.message_dict["email_domains"])


def test_the_page_asked_for_is_where_the_person_lands_and_a_callback_cannot_be_replayed(oidc_provider, configure):
    provider = configure("brookfield.example")
    user = UserFactory(email="david@brookfield.example")
    MembershipFactory(user=user, organisation=provider.organisation)
    login = oidc_provider.add_account(login=unique("david"), password=PROVIDER_PASSWORD,
                                      email="david@brookfield.example", amr=["otp"])
    client = Client()
    response = client.post(reverse("sso_sign_in") + "?next=/agreements/", {"email": "david@brookfield.example"})
    back = sign_in_at_provider(response["Location"], login=login, password=PROVIDER_PASSWORD, redirect_uri=CALLBACK)

    assert client.get(back.removeprefix("http://testserver"))["Location"] == "/agreements/"
    assert ProviderSignIn.objects.count() == 1

    replay = Client().get(back.removeprefix("http://testserver"))
    assert replay.status_code == 400 and ProviderSignIn.objects.count() == 1


def test_a_provider_that_does_not_answer_gives_a_page_not_an_error(monkeypatch):
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        closed = sock.getsockname()[1]
    monkeypatch.setenv("SSO_SECRET_DOWN", "x")
    IdentityProvider.objects.create(organisation=OrganisationFactory(), email_domains="grange-farm.example",
                                    issuer=f"http://127.0.0.1:{closed}", client_id="x",
                                    client_secret_variable="SSO_SECRET_DOWN")

    response = Client().post(reverse("sso_sign_in"), {"email": "clarrie@grange-farm.example"})

    assert response.status_code == 502 and "not answering" in response.content.decode()


@pytest.mark.parametrize(("claims", "mfa"), [
    ({"amr": ["pwd", "mfa"]}, True),
    ({"amr": "hwk"}, True),
    ({"amr": ["pwd"]}, False),
    ({"amr": ["pwd"], "acr": "urn:test:mfa"}, True),
    ({"acr": "urn:test:password"}, False),
    ({}, False),
])
def test_what_counts_as_multi_factor(claims, mfa):
    provider = IdentityProvider(mfa_amr_values="mfa otp hwk", mfa_acr_values="urn:test:mfa")
    assert provider.asserts_mfa(claims) is mfa


def test_only_the_email_page_lets_its_form_go_on_to_the_providers(oidc_provider, configure):
    configure("glebe-cottage.example")

    def form_action(path: str) -> list[str]:
        header = Client().get(path)["Content-Security-Policy"]
        return next(part.split()[1:] for part in header.split(";") if part.split()[0] == "form-action")

    assert form_action(reverse("sso_sign_in")) == ["'self'", oidc_provider.issuer]
    assert form_action(reverse("login")) == ["'self'"]


def test_wrong_codes_at_the_portals_second_step_lock_it(oidc_provider, configure):
    provider = configure("willow-farm.example")
    user = UserFactory(email="neil@willow-farm.example")
    MembershipFactory(user=user, organisation=provider.organisation)
    login = oidc_provider.add_account(login=unique("neil"), password=PROVIDER_PASSWORD,
                                      email="neil@willow-farm.example", amr=["pwd"])
    client = Client()
    assert sso_sign_in(client, email="neil@willow-farm.example", login=login)["Location"] == reverse("sso_code")

    statuses = [client.post(reverse("sso_code"), {"otp_token": "000000"}).status_code for _ in range(6)]

    assert statuses[-1] == 429 and 200 in statuses
    device = device_of(user)
    device.throttle_reset()
    assert client.post(reverse("sso_code"), {"otp_token": current_code(device)}).status_code == 429
    assert client.get(reverse("home")).status_code == 302
