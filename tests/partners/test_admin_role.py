"""Only a portal administrator makes someone a portal administrator (partners.permissions.can_grant_role).

A portal administrator's powers reach every organisation: they see every agreement, drafts
included, and manage the people of every organisation, so they could let anyone join any partner
and read its sharing log. An organisation's governance manager manages its people, but giving
one of them — or a second login of their own — the ``admin`` role would hand them all of that:
the invitation (for their organisation, or as the first person of a party to their agreement)
and the roles page do not offer it, refuse a forged choice with a GOV.UK error, and save nothing;
the services refuse it too.
"""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from partners.models import Invitation, Membership, Role
from partners.services import invitation_send, person_roles_set
from tests.agreements.helpers import error_summary

from ..factories import OrganisationFactory, PartyFactory

pytestmark = pytest.mark.django_db
REFUSED = "Only a portal administrator can make someone a portal administrator."


def _invitation(**changes) -> dict:
    return {"name": "Eve Example", "email": "eve.example@housing.example", "role": Role.ADMIN, **changes}


class TestInvitation:
    def test_a_governance_manager_cannot_invite_a_portal_administrator(self, client, sign_in, roles):
        url = reverse("partners:invite", args=[roles.unrelated_organisation.pk])

        response = sign_in(client, roles.unrelated).post(url, _invitation())

        assert response.status_code == 200
        assert "Select their role." in error_summary(response)
        assert not Invitation.objects.exists()

    def test_the_agreements_manager_cannot_invite_a_partys_first_person_as_portal_administrator(
        self, client, sign_in, roles,
    ):
        party = PartyFactory(agreement=roles.draft, organisation=OrganisationFactory(name="Ambridge Parish Council"))
        url = reverse("agreements:party_first_person", args=[roles.draft.pk, party.pk])

        response = sign_in(client, roles.governance_manager).post(url, _invitation())

        assert response.status_code == 200
        assert "Select their role." in error_summary(response)
        assert not Invitation.objects.exists()

    def test_the_choice_is_not_offered_to_a_governance_manager(self, client, sign_in, roles):
        url = reverse("partners:invite", args=[roles.unrelated_organisation.pk])

        response = sign_in(client, roles.unrelated).get(url)

        assert Role.ADMIN not in dict(response.context["form"].fields["role"].choices)
        assert Role.GOVERNANCE_MANAGER in dict(response.context["form"].fields["role"].choices)

    def test_a_portal_administrator_may_invite_one(self, client, sign_in, roles):
        url = reverse("partners:invite", args=[roles.host.pk])

        response = sign_in(client, roles.admin).post(url, _invitation(email="eve.example@shared.example"))

        assert response.status_code == 302
        assert Invitation.objects.get().role == Role.ADMIN

    def test_the_service_refuses_it_too(self, roles):
        with pytest.raises(ValidationError) as refused:
            invitation_send(organisation=roles.owner, by_user=roles.governance_manager, **_invitation())

        assert refused.value.message_dict == {"role": [REFUSED]}


class TestRoles:
    def url(self, roles, organisation, person):
        return reverse("partners:person_roles", args=[organisation.pk, person.pk])

    def test_a_governance_manager_cannot_make_a_colleague_a_portal_administrator(self, client, sign_in, roles):
        person = roles.practitioner

        response = sign_in(client, roles.governance_manager).post(
            self.url(roles, roles.owner, person), {"roles": [Role.PRACTITIONER, Role.ADMIN]},
        )

        assert response.status_code == 200
        assert "Select roles from the list." in error_summary(response)
        assert list(Membership.objects.filter(user=person).values_list("role", flat=True)) == [Role.PRACTITIONER]

    def test_a_governance_manager_keeps_a_portal_administrators_role_when_changing_their_others(
        self, client, sign_in, roles,
    ):
        colleague = roles.member(roles.owner, Role.ADMIN)

        response = sign_in(client, roles.governance_manager).post(
            self.url(roles, roles.owner, colleague), {"roles": [Role.ADMIN, Role.SPOC]},
        )

        assert response.status_code == 302
        assert sorted(Membership.objects.filter(user=colleague).values_list("role", flat=True)) == [
            Role.ADMIN, Role.SPOC,
        ]

    def test_a_portal_administrator_may_make_someone_one(self, client, sign_in, roles):
        person = roles.practitioner

        response = sign_in(client, roles.admin).post(
            self.url(roles, roles.owner, person), {"roles": [Role.PRACTITIONER, Role.ADMIN]},
        )

        assert response.status_code == 302
        assert sorted(Membership.objects.filter(user=person).values_list("role", flat=True)) == [
            Role.ADMIN, Role.PRACTITIONER,
        ]

    def test_the_service_refuses_it_too(self, roles):
        with pytest.raises(ValidationError) as refused:
            person_roles_set(user=roles.practitioner, organisation=roles.owner, by_user=roles.governance_manager,
                             roles=[Role.ADMIN])

        assert refused.value.message_dict == {"roles": [REFUSED]}
        assert list(Membership.objects.filter(user=roles.practitioner).values_list("role", flat=True)) == [
            Role.PRACTITIONER,
        ]
