"""Who may change an organisation, and who counts as a portal administrator."""

import pytest
from django.contrib.auth.models import AnonymousUser, Permission

from partners.models import Role
from partners.permissions import (
    can_change_contact,
    can_change_organisation,
    can_confirm_contact,
    is_portal_admin,
    objects_granted,
    user_has_role,
    user_organisation_ids,
)
from tests.factories import ContactFactory, MembershipFactory, UserFactory
from tests.roles import SUBJECTS

pytestmark = pytest.mark.django_db


class TestCanChangeOrganisation:
    def test_governance_manager_may_change_their_organisation(self, roles):
        assert can_change_organisation(roles.governance_manager, roles.owner) is True

    def test_governance_manager_may_not_change_another_organisation(self, roles):
        assert can_change_organisation(roles.governance_manager, roles.partner) is False

    def test_admin_may_change_their_own_organisation(self, roles):
        assert can_change_organisation(roles.admin, roles.host) is True

    def test_admin_may_not_change_another_organisation_through_this_permission(self, roles):
        assert can_change_organisation(roles.admin, roles.owner) is False

    @pytest.mark.parametrize("subject", ["practitioner", "spoc", "lead_signatory", "auditor"])
    def test_other_roles_may_not_change_their_organisation(self, roles, subject):
        user = roles.subject(subject)
        organisation = user.memberships.get().organisation

        assert can_change_organisation(user, organisation) is False

    def test_anonymous_visitor_may_not(self, roles):
        assert can_change_organisation(AnonymousUser(), roles.owner) is False

    def test_model_level_permission_does_not_widen_to_every_organisation(self, roles):
        user = roles.practitioner
        user.user_permissions.add(Permission.objects.get(codename="change_organisation"))
        user = type(user).objects.get(pk=user.pk)  # a fresh object: no cached permissions

        assert can_change_organisation(user, roles.partner) is False

    def test_deactivated_governance_manager_may_not(self, roles):
        manager = roles.governance_manager
        manager.is_active = False
        manager.save()

        assert can_change_organisation(manager, roles.owner) is False

    def test_django_superuser_may_not_change_an_organisation(self, roles):
        superuser = UserFactory(is_superuser=True, is_staff=True)

        assert can_change_organisation(superuser, roles.owner) is False


class TestIsPortalAdmin:
    def test_admin_role_in_any_organisation_makes_a_portal_admin(self, roles):
        assert is_portal_admin(roles.admin) is True

    @pytest.mark.parametrize(
        "subject", ["practitioner", "spoc", "governance_manager", "lead_signatory", "auditor",
                    "unrelated"],
    )
    def test_no_other_role_does(self, roles, subject):
        assert is_portal_admin(roles.subject(subject)) is False

    def test_django_staff_flag_does_not(self):
        assert is_portal_admin(UserFactory(is_staff=True, is_superuser=True)) is False

    def test_anonymous_visitor_is_not(self):
        assert is_portal_admin(AnonymousUser()) is False


class TestUserOrganisations:
    def test_lists_the_organisations_a_user_acts_for(self, roles):
        user = roles.member(roles.owner, Role.SPOC)
        MembershipFactory(user=user, organisation=roles.partner, role=Role.AUDITOR)

        assert user_organisation_ids(user) == {roles.owner.pk, roles.partner.pk}
        assert user_organisation_ids(user, roles=[Role.AUDITOR]) == {roles.partner.pk}

    def test_anonymous_visitor_acts_for_nobody(self):
        assert user_organisation_ids(AnonymousUser()) == set()

    def test_role_may_be_asked_of_one_organisation(self, roles):
        assert user_has_role(roles.spoc, Role.SPOC, organisation=roles.partner) is True
        assert user_has_role(roles.spoc, Role.SPOC, organisation=roles.owner) is False


class TestCanConfirmContact:
    def test_person_may_confirm_their_own_details(self):
        user = UserFactory()
        contact = ContactFactory(user=user)

        assert can_confirm_contact(user, contact) is True

    def test_person_may_not_confirm_someone_elses(self):
        contact = ContactFactory(user=UserFactory())

        assert can_confirm_contact(UserFactory(), contact) is False

    def test_contact_without_a_login_is_confirmed_by_nobody_signed_in(self):
        assert can_confirm_contact(UserFactory(), ContactFactory(user=None)) is False


class TestCanChangeContact:
    def test_the_person_themselves(self, roles):
        contact = ContactFactory(organisation=roles.partner, user=roles.spoc)

        assert can_change_contact(roles.spoc, contact) is True

    def test_their_organisations_governance_manager(self, roles):
        contact = ContactFactory(organisation=roles.owner)

        assert can_change_contact(roles.governance_manager, contact) is True

    @pytest.mark.parametrize("subject", ["practitioner", "lead_signatory", "auditor", "admin", "unrelated"])
    def test_nobody_else(self, roles, subject):
        contact = ContactFactory(organisation=roles.owner if subject == "practitioner" else roles.partner)

        assert can_change_contact(roles.subject(subject), contact) is False

    def test_not_a_governance_manager_of_another_organisation(self, roles):
        contact = ContactFactory(organisation=roles.partner, user=roles.spoc)

        assert can_change_contact(roles.governance_manager, contact) is False


class TestMembershipsReadOncePerRequest:
    """The middleware reads the signed-in person's memberships once; the request's permission
    questions answer from that copy until any membership is written."""

    def test_a_kept_copy_answers_without_the_database(self, roles, django_assert_num_queries):
        from partners.permissions import memberships_keep

        user = roles.governance_manager
        memberships_keep(user)
        with django_assert_num_queries(0):
            assert user_organisation_ids(user) == {roles.owner.pk}
            assert user_has_role(user, Role.GOVERNANCE_MANAGER, organisation=roles.owner) is True
            assert user_has_role(user, Role.GOVERNANCE_MANAGER, organisation=roles.partner) is False
            assert is_portal_admin(user) is False

    def test_a_user_no_request_kept_anything_for_is_asked_each_time(self, roles, django_assert_num_queries):
        with django_assert_num_queries(2):
            is_portal_admin(roles.governance_manager)
            is_portal_admin(roles.governance_manager)

    def test_any_membership_written_makes_the_kept_copy_stale(self, roles):
        from partners.permissions import memberships_keep

        user = roles.governance_manager
        memberships_keep(user)
        membership = MembershipFactory(user=user, organisation=roles.host, role=Role.ADMIN)
        assert is_portal_admin(user) is True

        memberships_keep(user)
        membership.delete()
        assert is_portal_admin(user) is False

    def test_a_page_asks_for_memberships_once(self, roles, client, django_assert_max_num_queries):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from tests.auth import sign_in

        sign_in(client, roles.governance_manager)
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/").status_code == 200
        # Permission questions read memberships without their ids; the home page's own list of the
        # person's organisations (with ids) is not one of them.
        membership_reads = [
            q["sql"] for q in queries.captured_queries
            if 'FROM "partners_membership"' in q["sql"] and 'SELECT "partners_membership"."id"' not in q["sql"]
        ]
        assert len(membership_reads) == 1, membership_reads


class TestObjectsGranted:
    """``objects_granted`` gives what guardian's own builder gives, asked as the portal asks it."""

    GRANTS = (
        ("agreements.view_agreement", "agreements.Agreement"),
        ("agreements.manage_agreement", "agreements.Agreement"),
        ("agreements.sign_party", "agreements.Party"),
        ("partners.change_organisation", "partners.Organisation"),
    )

    @staticmethod
    def _both(user, perm, label):
        from django.apps import apps
        from guardian.shortcuts import get_objects_for_user

        model = apps.get_model(label)
        guardian = get_objects_for_user(user, perm, klass=model, accept_global_perms=False, with_superuser=False)
        return set(objects_granted(user, perm, model)), set(guardian)

    @pytest.mark.parametrize("subject", [name for name in SUBJECTS if name != "anonymous"])
    def test_every_member_of_the_cast_is_granted_what_guardian_grants(self, roles, subject):
        user = roles.subject(subject)
        granted = {perm: self._both(user, perm, label) for perm, label in self.GRANTS}

        assert {perm: ours for perm, (ours, _) in granted.items()} == {
            perm: theirs for perm, (_, theirs) in granted.items()
        }
        if subject == "governance_manager":  # not vacuous: the owner's managers hold each of the first two
            assert roles.agreement in granted["agreements.manage_agreement"][0]
            assert roles.draft in granted["agreements.view_agreement"][0]

    def test_a_grant_to_the_user_alone_counts_as_guardian_counts_it(self, roles):
        from guardian.shortcuts import assign_perm

        outsider = UserFactory()
        assign_perm("agreements.view_agreement", outsider, roles.unrelated_agreement)

        ours, theirs = self._both(outsider, "agreements.view_agreement", "agreements.Agreement")

        assert ours == theirs == {roles.unrelated_agreement}

    def test_a_queryset_is_narrowed_not_replaced(self, roles):
        from agreements.models import Agreement

        narrowed = objects_granted(roles.governance_manager, "agreements.view_agreement",
                                   Agreement.objects.filter(pk=roles.draft.pk))

        assert list(narrowed) == [roles.draft]

    def test_a_permission_of_another_app_is_refused(self, roles):
        from agreements.models import Agreement

        with pytest.raises(ValueError):
            objects_granted(roles.governance_manager, "partners.change_organisation", Agreement)
