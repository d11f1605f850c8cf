"""Who may reach which page: every named route, for every subject of the standard cast.

Each route has one or more rows (one per method or kind of object it is asked about) and each
row says, for every subject in ``tests.roles.SUBJECTS``, what they get: ``ALLOW`` (200),
``LOGIN`` (302 to the sign-in page, coming back to the page), ``DENY_404``, ``DENY_403``,
``NOT_ALLOWED`` (405) or ``Redirect("<url name or path>")``. Each cell is its own test, with an
id such as ``agreements:detail-draft-spoc``.

A named route with no row fails ``test_every_named_route_has_rows_in_the_matrix``, so a new view
cannot ship without saying who may reach it. A row that leaves a subject out fails at import.
The Django admin's routes (``admin:*``) are the admin's own business: one test below proves it
wants a verified staff user.

Adding a row::

    Row("agreements:sign", "partner_party",
        kwargs=lambda cast: {"pk": cast.partner_party.pk},
        expect=signed_in(DENY_404, lead_signatory=ALLOW)),

and for a form, ``method="post", data=lambda cast: {...}``.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

import pytest
from django.shortcuts import resolve_url
from django.urls import URLResolver, get_resolver, reverse

from .auth import sign_in
from .factories import UserFactory
from .roles import SUBJECTS, Cast


@dataclass(frozen=True)
class Outcome:
    name: str
    status: int

    def __repr__(self) -> str:
        return self.name


ALLOW = Outcome("ALLOW", 200)
LOGIN = Outcome("LOGIN", 302)
DENY_403 = Outcome("DENY_403", 403)
DENY_404 = Outcome("DENY_404", 404)
NOT_ALLOWED = Outcome("NOT_ALLOWED", 405)


@dataclass(frozen=True)
class Redirect:
    """A 302 to ``to``: a URL name (resolved without arguments) or a path."""

    to: str
    status: int = 302

    def __repr__(self) -> str:
        return f"Redirect({self.to!r})"


def everyone(outcome, **exceptions) -> dict:
    """``outcome`` for every subject, anonymous included, except those named."""
    unknown = set(exceptions) - set(SUBJECTS)
    if unknown:
        raise ValueError(f"Not subjects of the cast: {sorted(unknown)}")
    return {subject: exceptions.get(subject, outcome) for subject in SUBJECTS}


def signed_in(outcome, **exceptions) -> dict:
    """``outcome`` for every signed-in subject; anonymous visitors are sent to sign in."""
    return everyone(outcome, **{"anonymous": LOGIN, **exceptions})


@dataclass(frozen=True)
class Row:
    route: str
    variant: str
    expect: dict
    kwargs: Callable[[Cast], dict] = field(default=lambda cast: {})
    method: str = "get"
    data: Callable[[Cast], dict] | None = None

    def __post_init__(self):
        if set(self.expect) != set(SUBJECTS):
            missing = sorted(set(SUBJECTS) - set(self.expect))
            raise ValueError(f"Row {self.route} [{self.variant}] says nothing for {missing}.")


MATRIX = [
    Row("home", "page", signed_in(ALLOW)),
    Row("login", "page", everyone(ALLOW)),
    # Signing out is a POST (a link could be followed by a prefetcher); GET is refused.
    Row("logout", "get", signed_in(NOT_ALLOWED)),
    Row("logout", "post", signed_in(Redirect("login")), method="post"),
    Row("privacy", "page", everyone(ALLOW)),
    Row("accessibility", "page", everyone(ALLOW)),
    Row("agreements:list", "page", signed_in(ALLOW)),
    Row(
        "agreements:detail", "in_force",
        kwargs=lambda cast: {"pk": cast.agreement.pk},
        expect=signed_in(ALLOW, unrelated=DENY_404),
    ),
    Row(
        # The partner is invited to the draft, so its members hold a grant: the draft rule
        # alone keeps it from them.
        "agreements:detail", "draft",
        kwargs=lambda cast: {"pk": cast.draft.pk},
        expect=signed_in(DENY_404, practitioner=ALLOW, governance_manager=ALLOW, admin=ALLOW),
    ),
    Row(
        "agreements:detail", "unrelated_agreement",
        kwargs=lambda cast: {"pk": cast.unrelated_agreement.pk},
        expect=signed_in(DENY_404, unrelated=ALLOW, admin=ALLOW),
    ),
    Row(
        "agreements:detail", "missing",
        kwargs=lambda cast: {"pk": cast.unrelated_agreement.pk + 1000},
        expect=signed_in(DENY_404),
    ),
    Row("partners:organisation_list", "page", signed_in(ALLOW)),
    # The directory is open to everyone signed in: partners need each other's SPOCs.
    Row(
        "partners:organisation_detail", "owner",
        kwargs=lambda cast: {"pk": cast.owner.pk}, expect=signed_in(ALLOW),
    ),
    Row(
        "partners:organisation_detail", "unrelated_organisation",
        kwargs=lambda cast: {"pk": cast.unrelated_organisation.pk}, expect=signed_in(ALLOW),
    ),
    Row(
        "partners:organisation_detail", "missing",
        kwargs=lambda cast: {"pk": cast.host.pk + 1000}, expect=signed_in(DENY_404),
    ),
]

CELLS = [(row, subject) for row in MATRIX for subject in SUBJECTS]
CELL_IDS = [f"{row.route}-{row.variant}-{subject}" for row, subject in CELLS]


def named_routes(resolver=None, prefix: str = ""):
    """Every named route of the URLconf as ``namespace:name``."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            namespace = f"{prefix}{pattern.namespace}:" if pattern.namespace else prefix
            yield from named_routes(pattern, namespace)
        elif pattern.name:
            yield f"{prefix}{pattern.name}"


def login_redirect(url: str) -> str:
    return f"{reverse('login')}?{urlencode({'next': url}, safe='/')}"


def assert_outcome(response, expected, *, subject: str, method: str, url: str) -> None:
    got = f"{response.status_code} {response.get('Location', '')}".strip()
    message = f"{subject} {method.upper()} {url}: expected {expected!r}, got {got}"
    assert response.status_code == expected.status, message
    if expected is LOGIN:
        assert response["Location"] == login_redirect(url), message
    elif isinstance(expected, Redirect):
        assert response["Location"] == resolve_url(expected.to), message


def test_every_named_route_has_rows_in_the_matrix():
    routes = {name for name in named_routes() if not name.startswith("admin:")}
    covered = {row.route for row in MATRIX}

    missing = sorted(routes - covered)
    assert not missing, (
        "These named routes have no rows in the permission matrix; add them to MATRIX in "
        f"tests/test_permission_matrix.py: {', '.join(missing)}"
    )


def test_every_row_of_the_matrix_is_a_named_route():
    routes = set(named_routes())

    stale = sorted({row.route for row in MATRIX} - routes)
    assert not stale, f"The matrix has rows for routes that no longer exist: {', '.join(stale)}"


@pytest.mark.parametrize(("row", "subject"), CELLS, ids=CELL_IDS)
def test_permission_matrix(client, roles, row, subject):
    url = reverse(row.route, kwargs=row.kwargs(roles))
    user = roles.subject(subject)
    if user is not None:
        sign_in(client, user)

    data = row.data(roles) if row.data else None
    response = getattr(client, row.method)(url, data)

    assert_outcome(response, row.expect[subject], subject=subject, method=row.method, url=url)


@pytest.mark.parametrize("agreement", ["agreement", "draft"])
def test_unrelated_organisations_user_gets_404_not_403_on_another_organisations_agreement(
    client, roles, agreement,
):
    url = reverse("agreements:detail", kwargs={"pk": getattr(roles, agreement).pk})

    response = sign_in(client, roles.unrelated).get(url)

    assert response.status_code == 404


@pytest.mark.django_db
class TestAdminSite:
    """The Django admin wants a staff user with a verified second factor; anyone else is sent
    to the admin's own (two-factor) sign-in page."""

    url = "/admin/"

    def admin_sign_in(self):
        return f"{reverse('admin:login')}?next={self.url}"

    def test_verified_staff_user_may_enter(self, client):
        staff = UserFactory(is_staff=True)

        response = sign_in(client, staff).get(self.url)

        assert response.status_code == 200

    def test_staff_user_signed_in_with_a_password_alone_is_sent_to_sign_in(self, client):
        staff = UserFactory(is_staff=True)
        client.force_login(staff)

        response = client.get(self.url)

        assert response.status_code == 302
        assert response["Location"] == self.admin_sign_in()

    def test_verified_user_who_is_not_staff_is_sent_to_sign_in(self, client):
        user = UserFactory(is_staff=False)

        response = sign_in(client, user).get(self.url)

        assert response.status_code == 302
        assert response["Location"] == self.admin_sign_in()

    def test_anonymous_visitor_is_sent_to_sign_in(self, client):
        response = client.get(self.url)

        assert response.status_code == 302
        assert response["Location"] == self.admin_sign_in()
