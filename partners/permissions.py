"""Who may do what with organisations, contacts and memberships — and the mechanism other apps use.

Rules
-----
- Anyone signed in may read the directory: organisations, sectors, ICO registration, and the
  work contact details of the people named there. Partners need each other's SPOCs.
- A governance manager or a portal administrator *of an organisation* may change that
  organisation's record and its contacts (guardian permission ``partners.change_organisation``).
- Any governance manager or portal administrator may add an organisation to the directory, and
  may change the record of one that has nobody in the portal yet (no membership at all): the
  partner they have just added, or a small body with nobody to administer it. Once someone
  belongs to it, its own governance managers keep it.
  The directory import follows the same rule: it adds people only to an organisation the
  importer may change (a row naming one they may not is shown with the problem and left out).
- A person may confirm that their own contact details are current, and change them (name, job
  title, e-mail, phone); so may their organisation's governance managers and administrators.
  Someone else who can see the directory entry gets 403.
- A portal administrator is a user with the ``admin`` role in any organisation. Administrators
  manage users, memberships and reference data (legal gateways); being an administrator gives
  no sight of case-level entries in the sharing log.
- Portal administrators use the Django admin (``/admin/``) through the group
  ``Portal administrators``: users, memberships, organisations, contacts, agreements and the
  legal gateway catalogue. The group holds no permission on the sharing log's models, so the
  admin shows them no case-level entry either.
- **People** (``partners:people`` and the pages under it): an organisation's own governance
  managers and administrators, and portal administrators, invite people to join for it, resend
  or withdraw an invitation (``can_manage_people``); its other members, and everyone else, get
  403. A governance manager elsewhere may keep the directory record of a partner with nobody in
  the portal, but not invite its people: that would let them grant themselves its agreements.
  (docs/decisions/0019.)
- **Only a portal administrator makes someone a portal administrator** (``can_grant_role``): by
  invitation, as a party's first person, or by changing their roles. A portal administrator sees
  every agreement and manages every organisation's people, so a governance manager who could
  give the role to a colleague, or to a second login of their own, could reach any partner's
  sharing log. Whoever manages the people keeps an administrator's role when changing the others.
- **API clients** (``api_clients:*``; docs/decisions/0051): an organisation's own governance
  managers and administrators issue, list and revoke the tokens its case systems use
  (``can_manage_api_clients``). Not a portal administrator of another organisation: a token reads
  its organisation's sharing log, and being an administrator gives no case-level sight.
- Accepting an invitation and enrolling an authenticator are for the invitee alone: the link is
  the proof, and an authenticator is enrolled only by someone who has none yet.
- Anonymous visitors see nothing here yet.
- **An organisation's record of processing** (UK GDPR Art 30; ``agreements:record_of_processing``,
  linked from the organisation's page): its own governance managers and auditors, and portal
  administrators (``can_read_record_of_processing``). Anyone else signed in gets 403: the record
  names its DPO and every partner it shares with.
- **The access log** (``partners:access_log``; docs/decisions/0025): an organisation's auditors
  and governance managers read the events of its people and those on its records (an entry it
  made or received, an agreement it owns, its signature's scan). Everyone else gets 403 —
  portal administrators too: the log names entries, and administrators have no case-level sight.

Mechanism
---------
Roles are held per organisation: a ``Membership`` (user, organisation, role), and memberships
are the one source of truth for what a person may do. Each (organisation, role) pair has one
Django group, named ``org-<pk>-<role>``; a user's place in those groups, in the portal
administrators' group and their ``is_staff`` flag are *derived* from their memberships by
``grants_sync``, whichever door the membership came through: a portal page, the Django admin, an
import or the shell (``partners.signals`` calls it on every save and delete of a membership).
``manage.py check`` reports any drift between memberships and the grants derived from them
(``partners.checks``: a bulk update or raw SQL bypasses the signals), and ``manage.py
grants_sync`` repairs it. A session whose person has since lost a membership ends at its next
request (``partners.middleware.MembershipSessionMiddleware``).

Object permissions (django-guardian, direct foreign-key permission models) are granted to those
groups, never to users one by one, so adding someone to an organisation gives them exactly what
that organisation's role may do, and removing them takes it away. Guardian is always queried
with ``accept_global_perms=False`` and ``with_superuser=False``: a model-level permission never
widens what a user sees.
"""

from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from guardian.shortcuts import assign_perm
from guardian.utils import get_group_obj_perms_model, get_user_obj_perms_model

from .models import Membership, Organisation, Role

ORGANISATION_EDITORS = (Role.GOVERNANCE_MANAGER, Role.ADMIN)


def organisation_group(*, organisation: Organisation, role: str) -> Group:
    """The group of ``organisation``'s members in ``role``, made (with its grants) on first use."""
    group, created = Group.objects.get_or_create(name=f"org-{organisation.pk}-{role}")
    if created and role in ORGANISATION_EDITORS:
        assign_perm("partners.change_organisation", group, organisation)
    return group


PORTAL_ADMIN_GROUP = "Portal administrators"
# Django admin permissions of portal administrators, by app. Nothing from sharing_log.
PORTAL_ADMIN_APPS = ("auth", "partners", "agreements", "otp_totp")


def portal_admin_group() -> Group:
    """The Django-admin group of portal administrators, with its model permissions."""
    from django.contrib.auth.models import Permission

    group, _ = Group.objects.get_or_create(name=PORTAL_ADMIN_GROUP)
    group.permissions.set(Permission.objects.filter(content_type__app_label__in=PORTAL_ADMIN_APPS))
    return group


def is_derived_group(name: str) -> bool:
    """Whether membership of the group called ``name`` is derived from memberships."""
    return name == PORTAL_ADMIN_GROUP or name.startswith("org-")


def grants_expected(memberships) -> tuple[set[str], bool]:
    """The derived group names and staff flag that ``memberships`` (of one person) call for."""
    names = {f"org-{m.organisation_id}-{m.role}" for m in memberships}
    admin = any(m.role == Role.ADMIN for m in memberships)
    if admin:
        names.add(PORTAL_ADMIN_GROUP)
    return names, admin


def grants_sync(user) -> None:
    """Make ``user``'s derived grants exactly what their memberships call for.

    Idempotent. Groups that are not derived (none are made today) are left alone, and so is the
    staff flag of a superuser (``createsuperuser``), who needs no membership to use /admin/.
    """
    memberships = list(Membership.objects.filter(user=user).select_related("organisation"))
    wanted = {organisation_group(organisation=m.organisation, role=m.role) for m in memberships}
    _names, admin = grants_expected(memberships)
    if admin:
        wanted.add(portal_admin_group())
    held = {group for group in user.groups.all() if is_derived_group(group.name)}
    if held - wanted:
        user.groups.remove(*(held - wanted))
    if wanted - held:
        user.groups.add(*(wanted - held))
    staff = admin or user.is_superuser
    if user.is_staff != staff and not (user.is_superuser and user.is_staff):
        user.is_staff = staff
        user.save(update_fields=["is_staff"])
    # Django and guardian cache a user's permissions on the object: forget them.
    for cache in ("_perm_cache", "_user_perm_cache", "_group_perm_cache"):
        user.__dict__.pop(cache, None)


def organisation_groups(*, organisation: Organisation, roles=None) -> list[Group]:
    return [organisation_group(organisation=organisation, role=role) for role in (roles or Role.values)]


# A person's memberships, read once per request --------------------------------------------------
#
# Most pages ask several of these questions (the navigation alone asks four). The membership
# middleware reads the signed-in person's memberships once per request and keeps them on
# ``request.user`` (``memberships_keep``); the questions below answer from that copy. Any save or
# delete of any membership (``partners.signals``) makes every kept copy stale, so a page that
# changes someone's roles asks the database again afterwards. A user object that no request made
# (a test's, a command's) keeps nothing and is answered from the database each time.

_KEPT = "_partners_memberships_kept"
_membership_writes = [0]  # bumped by partners.signals on every membership save and delete


def memberships_written() -> None:
    """A membership was saved or deleted: every kept copy is stale."""
    _membership_writes[0] += 1


def _memberships_read(user) -> frozenset[tuple[int, str]]:
    return frozenset(Membership.objects.filter(user=user).order_by().values_list("organisation_id", "role"))


def memberships_keep(user) -> frozenset[tuple[int, str]]:
    """Read ``user``'s memberships and keep them on the user object for the rest of its request."""
    held = _memberships_read(user)
    setattr(user, _KEPT, (_membership_writes[0], held))
    return held


def roles_held(user) -> frozenset[tuple[int, str]]:
    """``user``'s memberships as ``(organisation_id, role)`` pairs: the request's copy if current."""
    if not user.is_authenticated:
        return frozenset()
    kept = getattr(user, _KEPT, None)
    if kept is not None and kept[0] == _membership_writes[0]:
        return kept[1]
    return _memberships_read(user)


def user_organisation_ids(user, *, roles=None) -> set[int]:
    return {organisation_id for organisation_id, role in roles_held(user) if roles is None or role in roles}


def user_has_role(user, role: str, *, organisation: Organisation | None = None) -> bool:
    return any(
        held == role and (organisation is None or organisation_id == organisation.pk)
        for organisation_id, held in roles_held(user)
    )


def is_portal_admin(user) -> bool:
    return user_has_role(user, Role.ADMIN)


def has_object_perm(user, perm: str, obj) -> bool:
    """Whether ``user`` holds ``perm`` on ``obj`` through an object grant.

    Not ``user.has_perm``: Django and guardian both answer yes to a superuser for everything.
    """
    if not (user.is_authenticated and user.is_active):
        return False
    return objects_granted(user, perm, type(obj)._default_manager.filter(pk=obj.pk)).exists()


def objects_granted(user, perm: str, objects: type[Model] | QuerySet) -> QuerySet:
    """``objects`` (a model's, or a queryset) on which ``user`` holds ``perm`` through an object
    grant, to the user or to a group they are in: what guardian's ``get_objects_for_user(user,
    perm, klass=objects, accept_global_perms=False, with_superuser=False)`` gives, as the same
    two subqueries, for the direct foreign-key permission models every app uses. Built here
    because guardian's general builder took five times as long as the query it built, on every
    page that reads agreements (issue 15); ``tests/partners/test_permissions.py`` holds the two
    equal."""
    queryset = objects if isinstance(objects, QuerySet) else objects._default_manager.all()
    model = queryset.model
    app_label, codename = perm.split(".", 1)
    content_type = ContentType.objects.get_for_model(model)
    if content_type.app_label != app_label:
        raise ValueError(f"{perm} is not a permission of {model._meta.label}")
    granted = {"permission__content_type": content_type, "permission__codename": codename}
    by_user = get_user_obj_perms_model(model).objects.filter(user=user, **granted)
    by_group = get_group_obj_perms_model(model).objects.filter(group__user=user, **granted)
    return queryset.filter(
        Q(pk__in=by_user.values("content_object_id")) | Q(pk__in=by_group.values("content_object_id"))
    )


def can_add_organisation(user) -> bool:
    return user.is_authenticated and user.is_active and bool(user_organisation_ids(user, roles=ORGANISATION_EDITORS))


def can_change_organisation(user, organisation: Organisation) -> bool:
    if has_object_perm(user, "partners.change_organisation", organisation):
        return True
    return can_add_organisation(user) and not organisation.memberships.exists()


def can_manage_people(user, organisation: Organisation) -> bool:
    return has_object_perm(user, "partners.change_organisation", organisation) or is_portal_admin(user)


def can_manage_api_clients(user, organisation: Organisation) -> bool:
    return has_object_perm(user, "partners.change_organisation", organisation)


def can_read_record_of_processing(user, organisation: Organisation) -> bool:
    return is_portal_admin(user) or any(
        user_has_role(user, role, organisation=organisation) for role in (Role.GOVERNANCE_MANAGER, Role.AUDITOR)
    )


def can_grant_role(user, role: str) -> bool:
    """Whether ``user``, who manages some organisation's people, may give someone ``role`` there."""
    return role != Role.ADMIN or is_portal_admin(user)


def can_confirm_contact(user, contact) -> bool:
    return user.is_authenticated and contact.user_id == user.pk


def can_change_contact(user, contact) -> bool:
    """The person themselves, or whoever may change their organisation's record."""
    return can_confirm_contact(user, contact) or can_change_organisation(user, contact.organisation)


# The access log (docs/decisions/0025) ------------------------------------------------------------

ACCESS_LOG_READERS = (Role.AUDITOR, Role.GOVERNANCE_MANAGER)


def access_log_organisation_ids(user) -> set[int]:
    """The organisations whose access log ``user`` reads."""
    if not (user.is_authenticated and user.is_active):
        return set()
    return user_organisation_ids(user, roles=ACCESS_LOG_READERS)


def can_read_access_log(user) -> bool:
    return bool(access_log_organisation_ids(user))
