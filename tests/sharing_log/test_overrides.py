# ruff: noqa: S608 – the SQL is the test's own, aimed at the override tables on purpose.
"""Overrides authorised by a designated manager (sharing_log/services/overrides.py, issue 13
item 5): the entry names one of the disclosing party's designated managers, who is told and
confirms in the portal; the confirmation is a row of its own, never a change to the entry."""

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, connection, transaction

from partners.models import Notification
from sharing_log.forms.disclosures import DisclosureForm
from sharing_log.models import ConsentStatus, OverrideAuthorisation, OverrideConfirmation
from sharing_log.selectors.overrides import authorised_by_display
from sharing_log.services import disclosure_log, override_confirm
from tests.factories import DisclosureFactory
from tests.sharing_log.helpers.database import postgresql_only
from tests.sharing_log.helpers.overrides import designated_manager
from tests.sharing_log.test_disclosures import PINNED, law, refused, share  # noqa: F401 (fixtures)

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]

OVERRIDE = {"consent_status": ConsentStatus.REFUSED_OVERRIDDEN, "consent_reason": "Serious risk of harm to a child."}


@pytest.fixture
def make(request):
    """``test_disclosures``' ``share``: a valid routine share's keyword arguments, with changes."""
    return request.getfixturevalue("share")


def no_manager_message(roles) -> str:
    return (
        f"Borsetshire County Council has no designated manager for {roles.agreement} who can confirm an "
        "override in the portal. Name one on the agreement's parties page (they need a login), then log this share."
    )


class TestNaming:
    def test_a_typed_x_is_no_longer_a_designated_manager(self, roles, make):
        """Issue 13: the free-text authorised_by accepted "x"."""
        designated_manager(roles.owner_party)
        form = DisclosureForm({"override_designated_manager": "x", "consent_status": ConsentStatus.REFUSED_OVERRIDDEN},
                              user=roles.practitioner, today=PINNED.date())

        assert form.is_valid() is False
        assert form.errors["override_designated_manager"] == [
            "Choose one of your organisation's designated managers from the list",
        ]

    def test_with_nobody_named_the_list_says_so_before_anything_is_sent(self, roles):
        """A new partnership names no designated manager until someone does: the list, empty,
        said only "Choose a designated manager" (found trying a MARAC protocol through the pages)."""
        form = DisclosureForm(None, user=roles.practitioner, today=PINNED.date(),
                              initial={"agreement": roles.agreement.pk})

        assert list(form.fields["override_designated_manager"].choices) == [("", (
            "Nobody is named as designated manager for your organisation on this agreement: ask your "
            "governance manager to name one on its parties page"))]

        manager = designated_manager(roles.owner_party)
        form = DisclosureForm(None, user=roles.practitioner, today=PINNED.date(),
                              initial={"agreement": roles.agreement.pk})
        assert list(form.fields["breach_designated_manager"].choices) == [
            ("", "Choose a designated manager"), (manager.pk, "Alex Example, Head of Safeguarding")]

    def test_a_party_with_no_designated_manager_is_told_what_to_do_and_nothing_is_saved(self, roles, make):
        other = designated_manager(roles.partner_party, "Sam Example")

        problems = refused(**make(**OVERRIDE, designated_manager=other))

        assert problems["designated_manager"] == [no_manager_message(roles)]
        assert OverrideAuthorisation.objects.count() == 0

    def test_a_designated_manager_without_a_login_cannot_be_chosen(self, roles, make):
        manager = designated_manager(roles.owner_party, login=False)

        problems = refused(**make(**OVERRIDE, designated_manager=manager))

        assert problems["designated_manager"] == [no_manager_message(roles)]

    def test_someone_who_is_not_the_partys_designated_manager_is_refused(self, roles, make):
        designated_manager(roles.owner_party)
        partners = designated_manager(roles.partner_party, "Sam Example")

        problems = refused(**make(**OVERRIDE, designated_manager=partners))

        assert problems["designated_manager"] == [
            f"Choose one of Borsetshire County Council's designated managers for {roles.agreement}.",
        ]
        assert OverrideAuthorisation.objects.count() == 0

    def test_the_chosen_manager_is_recorded_and_told(self, roles, make):
        manager = designated_manager(roles.owner_party)

        entry = disclosure_log(**make(**OVERRIDE, designated_manager=manager))

        authorisation = OverrideAuthorisation.objects.get()
        assert (authorisation.disclosure, authorisation.designated_manager, authorisation.requested_by) == (
            entry, manager, roles.practitioner,
        )
        notice = Notification.objects.get(recipient=manager)
        assert notice.subject == "Confirm you authorised an override for Borsetshire County Council"
        assert notice.url == f"/log/overrides/{authorisation.pk}/confirm/"
        assert entry.case_reference not in notice.body

    def test_a_share_that_overrides_nothing_names_nobody(self, roles, make):
        manager = designated_manager(roles.owner_party)

        entry = disclosure_log(**make(designated_manager=manager))

        assert (entry.authorised_by, OverrideAuthorisation.objects.count()) == ("", 0)


class TestConfirming:
    @pytest.fixture
    def logged(self, roles, make):
        manager = designated_manager(roles.owner_party)
        entry = disclosure_log(**make(**OVERRIDE, designated_manager=manager))
        return entry, manager, entry.override_authorisation

    def test_the_entry_awaits_the_managers_confirmation(self, logged):
        entry, _, _ = logged

        assert authorised_by_display(entry) == (
            "Alex Example, Head of Safeguarding: awaiting confirmation by Alex Example"
        )

    def test_the_manager_confirms_and_the_entry_says_who_and_when(self, logged):
        entry, manager, authorisation = logged

        override_confirm(authorisation=authorisation, by_user=manager.user)

        confirmation = OverrideConfirmation.objects.get()
        assert (confirmation.authorisation, confirmation.confirmed_by) == (authorisation, manager.user)
        assert authorised_by_display(entry) == (
            "Alex Example, Head of Safeguarding: confirmed by Alex Example on 17 June 2026 at 10:00am"
        )
        entry.refresh_from_db()
        assert entry.authorised_by == "Alex Example, Head of Safeguarding"

    def test_nobody_else_may_confirm_and_nothing_is_saved(self, logged, roles):
        _, _, authorisation = logged

        with pytest.raises(PermissionDenied) as excinfo:
            override_confirm(authorisation=authorisation, by_user=roles.governance_manager)

        assert str(excinfo.value) == "Only Alex Example may confirm this authorisation."
        assert OverrideConfirmation.objects.count() == 0

    def test_confirming_twice_is_refused(self, logged):
        _, manager, authorisation = logged
        override_confirm(authorisation=authorisation, by_user=manager.user)

        with pytest.raises(ValidationError) as excinfo:
            override_confirm(authorisation=authorisation, by_user=manager.user)

        assert excinfo.value.messages == ["You confirmed this authorisation on 17 June 2026."]
        assert OverrideConfirmation.objects.count() == 1


class TestOldEntries:
    def test_free_text_authorised_by_stays_readable(self, roles):
        entry = DisclosureFactory(
            agreement=roles.agreement, disclosing_organisation=roles.owner, recipient_organisation=roles.partner,
            consent_status=ConsentStatus.REFUSED_OVERRIDDEN, consent_reason="Risk of serious harm to others.",
            authorised_by="Sam Example, designated manager",
        )

        assert authorised_by_display(entry) == "Sam Example, designated manager"


@postgresql_only
class TestAppendOnlyOnPostgreSQL:
    """Decision 0023: the authorisation and its confirmation are rows of their own that, like the
    entry, the application may add but never change or remove, and the triggers bind the owner."""

    @pytest.fixture
    def confirmed(self, roles, make):
        manager = designated_manager(roles.owner_party)
        entry = disclosure_log(**make(**OVERRIDE, designated_manager=manager))
        override_confirm(authorisation=entry.override_authorisation, by_user=manager.user)
        return entry

    @staticmethod
    def refused(sql: str, *, role: str | None = None) -> str:
        with pytest.raises(DatabaseError) as excinfo, transaction.atomic(), connection.cursor() as cursor:
            if role:
                cursor.execute(f"SET LOCAL ROLE {role}")
            cursor.execute(sql)
        return str(excinfo.value)

    @pytest.mark.parametrize("table", ["sharing_log_overrideauthorisation", "sharing_log_overrideconfirmation"])
    def test_the_applications_role_cannot_change_or_remove_them(self, confirmed, table):
        for sql in (f"UPDATE {table} SET id = id", f"DELETE FROM {table}"):
            assert "permission denied" in self.refused(sql, role=settings.DATABASE_APP_ROLE)

    @pytest.mark.parametrize("table", ["sharing_log_overrideauthorisation", "sharing_log_overrideconfirmation"])
    def test_the_triggers_refuse_the_owner_too(self, confirmed, table):
        assert "The sharing log is append-only" in self.refused(f"DELETE FROM {table}")

    def test_confirming_changes_nothing_in_the_entry(self, roles, make):
        manager = designated_manager(roles.owner_party)
        entry = disclosure_log(**make(**OVERRIDE, designated_manager=manager))
        before = (entry.history.count(), entry.authorised_by)

        override_confirm(authorisation=entry.override_authorisation, by_user=manager.user)

        entry.refresh_from_db()
        assert (entry.history.count(), entry.authorised_by) == before
