"""Who may reach which page: every named route, for every subject of the standard cast.

The rows are in tests/matrix_rows.py (its docstring says how to add one); each cell here is its
own test, with an id such as ``agreements:detail-draft-spoc``. A named route with no row fails
``test_every_named_route_has_rows_in_the_matrix``, so a new view cannot ship without saying who
may reach it. The Django admin's routes (``admin:*``) are the admin's own business: one test below
proves it wants a verified staff user.
"""

from functools import cached_property

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from .auth import sign_in
from .factories import UserFactory
from .matrix_rows import CELL_IDS, CELLS, MATRIX, assert_outcome, named_routes
from .roles import SUBJECTS, Cast, build_cast


def test_every_named_route_has_rows_in_the_matrix():
    routes = {name for name in named_routes() if not name.startswith("admin:")}
    covered = {row.route for row in MATRIX}

    missing = sorted(routes - covered)
    assert not missing, (
        "These named routes have no rows in the permission matrix; add them to MATRIX in "
        f"tests/matrix_rows.py: {', '.join(missing)}"
    )


def test_every_row_of_the_matrix_is_a_named_route():
    routes = set(named_routes())

    stale = sorted({row.route for row in MATRIX} - routes)
    assert not stale, f"The matrix has rows for routes that no longer exist: {', '.join(stale)}"


@pytest.fixture(scope="module")
def matrix_cast(django_db_setup, django_db_blocker):
    """The standard cast, built once for the module's thousand cells and rolled back after.

    Each cell still runs in its own transaction (``db``), rolled back to this cast, so a POST in
    one cell changes nothing another cell sees.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        cast = build_cast()
        # Objects the cast makes on first use are made now, or a cell's rollback would leave
        # the next cell holding a row that no longer exists.
        for name, attribute in vars(Cast).items():
            if isinstance(attribute, cached_property):
                getattr(cast, name)
        # Each subject signed in once for the module (``tests.auth.sign_in``: the session row and
        # its record); a cell's client is handed that session's cookie. Whatever a cell's request
        # does to the session (a new activity time, a token, signing out) is rolled back with the
        # cell, so each cell starts from the session a fresh sign-in makes.
        sessions = {
            subject: sign_in(Client(), cast.subject(subject)).cookies[settings.SESSION_COOKIE_NAME].value
            for subject in SUBJECTS if cast.subject(subject) is not None
        }
        yield cast, sessions
        transaction.set_rollback(True)


@pytest.fixture
def roles(matrix_cast, db):
    return matrix_cast[0]


@pytest.fixture
def signed_in(matrix_cast, client):
    """``signed_in(subject)``: the test client holds ``subject``'s session made for the module."""
    def hand_session(subject):
        client.cookies[settings.SESSION_COOKIE_NAME] = matrix_cast[1][subject]
    return hand_session


@pytest.mark.parametrize(("row", "subject"), CELLS, ids=CELL_IDS)
def test_permission_matrix(client, roles, signed_in, row, subject):
    url = reverse(row.route, kwargs=row.kwargs(roles))
    if roles.subject(subject) is not None:
        signed_in(subject)

    data = row.data(roles) if row.data else None
    response = getattr(client, row.method)(url, data)

    assert_outcome(response, row.expect[subject], subject=subject, method=row.method, url=url, cast=roles)


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
