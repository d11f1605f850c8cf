"""Reads for agreements. Views reach agreements only through these."""

import hashlib
import json

from django.db.models import Count, Prefetch, Q, QuerySet
from guardian.shortcuts import get_objects_for_user

from partners.permissions import is_portal_admin, user_organisation_ids

from .models import Agreement, AgreementVersion, Party, PartyContact, Status


def agreements_visible_to(user) -> QuerySet[Agreement]:
    """Every agreement ``user`` may see (rules in ``agreements.permissions``)."""
    if not user.is_authenticated:
        return Agreement.objects.none()
    if is_portal_admin(user):
        return Agreement.objects.all()
    granted = get_objects_for_user(
        user, "agreements.view_agreement", klass=Agreement,
        accept_global_perms=False, with_superuser=False,
    )
    own = user_organisation_ids(user)
    return granted.filter(~Q(status=Status.DRAFT) | Q(owner_id__in=own))


def agreements_for_home(user) -> QuerySet[Agreement]:
    """The agreements the user's organisations own or are party to, with party counts."""
    own = user_organisation_ids(user)
    party_to = Party.objects.filter(organisation_id__in=own).values("agreement_id")
    return (
        agreements_visible_to(user)
        .filter(Q(owner_id__in=own) | Q(pk__in=party_to))
        .select_related("owner")
        .annotate(party_count=Count("parties", distinct=True))
        .order_by("title")
    )


def user_parties(user, *, agreement: Agreement) -> QuerySet[Party]:
    """The user's own organisations' places in ``agreement``."""
    return agreement.parties.filter(organisation_id__in=user_organisation_ids(user))


def agreement_parties(agreement: Agreement) -> QuerySet[Party]:
    contacts = PartyContact.objects.select_related("contact")
    return agreement.parties.select_related("organisation").prefetch_related(
        Prefetch("contacts", queryset=contacts), "signatures",
    )


def parties_user_may_sign(user) -> QuerySet[Party]:
    if not user.is_authenticated:
        return Party.objects.none()
    return get_objects_for_user(
        user, "agreements.sign_party", klass=Party,
        accept_global_perms=False, with_superuser=False,
    ).filter(agreement__in=agreements_visible_to(user)).select_related("agreement", "organisation")


def agreement_content(agreement: Agreement) -> dict:
    """The substance of an agreement: what a signatory signs and a new version freezes.

    Contact details of SPOCs are deliberately absent: updating them is not a substantive
    change (001 §6.5).
    """
    return {
        "title": agreement.title,
        "reference": agreement.reference,
        "kind": agreement.kind,
        "parent": agreement.parent.title if agreement.parent_id else None,
        "owner": agreement.owner.name,
        "protective_marking": agreement.protective_marking,
        "purposes": [purpose.text for purpose in agreement.purposes.all()],
        "sections": [
            {"number": s.number, "heading": s.heading, "body": s.body} for s in agreement.sections.all()
        ],
        "data_items": [
            {"provider": item.provider_label, "level": item.level, "description": item.description}
            for item in agreement.data_items.all()
        ],
        "gateways": sorted(agreement.gateways.values_list("key", flat=True)),
        "parties": sorted(agreement.parties.values_list("organisation__name", flat=True)),
        "transfer_methods": sorted(agreement.transfer_methods),
        "consent_position": agreement.consent_position,
        "retention_months_after_closure": agreement.retention_months_after_closure,
        "retention_rule": agreement.retention_rule,
        "review_first_after_months": agreement.review_first_after_months,
        "review_every_months": agreement.review_every_months,
    }


def content_hash(content: dict) -> str:
    """SHA-256 of the canonical JSON form of ``content``."""
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def latest_version(agreement: Agreement) -> AgreementVersion | None:
    return agreement.versions.order_by("-number").first()


def next_version_label(agreement: Agreement) -> str:
    """1.0 for the first version sent for signature, then 2.0, 3.0…"""
    version = latest_version(agreement)
    if version is None:
        return "1.0"
    major = version.label.split(".", 1)[0]
    return f"{int(major) + 1}.0" if major.isdigit() else f"{version.number + 1}.0"
