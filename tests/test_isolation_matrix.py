"""Isolation proven both ways (issue 12, item 7): a POST row for every route with an identifier in
its address, and a "child of another parent" row for every nested route.

The rows, outcomes and cell ids are those of ``tests/matrix_rows.py`` (``Row``,
``ALLOW``, ``DENY_404``...); each row here is a POST unless it says otherwise, and a cell whose
outcome is a refusal (sign-in, 403, 404, 405) or the page shown again (200: a form with its
errors, or a page that takes no POST) also proves that **nothing changed** in the database
(``tests.isolation_support.database_state``): refused means refused before any write. A cell
that is allowed must reach the form or the action — its exact outcome is asserted, so a 500
fails it; only a redirect after a valid form may have written.

- ``POST_ROWS``: each route whose address carries a value (``<int:pk>``, a token...) is posted to
  by every subject. A form gets data that would be valid where it can cheaply be, else nothing
  (an empty form still proves who is refused: the allowed get the form back with its errors).
  ``test_every_route_with_an_identifier_has_a_post_row`` reads the routes from the URL resolver,
  so a new one without a row fails.
- ``CHILD_ROWS``: each route with two or more identifiers (``/agreements/<pk>/parties/<party_pk>/``)
  is asked for with the child taken from **another parent the subject may see and act on** —
  mostly ``sibling``, a second agreement in force between the same owner and partner, built for
  this module — and must answer 404 (or the parent's own refusal, 403, for those who may not act
  on the parent at all): never act on the child. ``test_every_nested_route_has_a_child_row``
  keeps the list whole; ``NOT_NESTED`` names the few routes whose second value is not an object
  of its own, and why.
"""

from functools import cached_property

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse

from .auth import sign_in
from .isolation_support import build_sibling, database_state, routes_with_kwargs, state_changes
from .matrix_rows import (
    _API_CLIENT_MANAGERS,
    _COPY_CONFIRMER,
    _DRAFT_MANAGED,
    _ENTRY_AMENDED,
    _ENTRY_SEEN,
    _ESCALATION_RESOLVER,
    _ESCALATORS,
    _GATEWAY_DECIDER,
    _IN_FORCE_MANAGED,
    _INVITATION_TOKEN,
    _ONWARD_ASKERS,
    _ONWARD_DECIDER,
    _OVERRIDE_CONFIRMER,
    _PEOPLE_MANAGERS,
    ALLOW,
    DENY_403,
    DENY_404,
    LOGIN,
    NOT_ALLOWED,
    UNAUTHORISED,
    Redirect,
    Row,
    _api_token,
    _closure,
    _consultation_comment,
    _copy_to_confirm,
    _draft_data_item,
    _draft_of_kind,
    _draft_party_with_nobody,
    _draft_sub_processor,
    _escalation,
    _gateway_proposal,
    _invitation,
    _onward_request,
    _override_to_confirm,
    _owners_breach,
    _partner_party_link,
    _partners_notice,
    _refusal,
    _request,
    _review_action_kwargs,
    _signed_copy,
    _spocs_contact,
    _spocs_notification,
    _version,
    assert_outcome,
    everyone,
    signed_in,
)
from .roles import SUBJECTS, Cast, build_cast


def _memo(helper):
    """``helper(cast, ...)`` made once, in the module's cast, and shared by every cell.

    The rows' objects (reviews, breaches, versions, escalations...) take tens of milliseconds
    each to make; made in every cell they would cost more than the requests. The module's
    fixture asks each row for its address once (``_prepare``), which makes them all; a cell then
    finds them made, and anything it changes is rolled back after it, as the cast is.
    """
    def made(cast, *args, **kwargs):
        key = (helper.__name__, args, tuple(sorted(kwargs.items())))
        if key in cast.prepared:
            return cast.prepared[key]
        value = helper(cast, *args, **kwargs)
        if not cast.prepared_all:
            cast.prepared[key] = value
        return value

    made.__name__ = helper.__name__
    return made


_closure, _copy_to_confirm, _draft_data_item, _draft_party_with_nobody = map(
    _memo, (_closure, _copy_to_confirm, _draft_data_item, _draft_party_with_nobody))
_escalation, _gateway_proposal, _invitation, _onward_request = map(
    _memo, (_escalation, _gateway_proposal, _invitation, _onward_request))
_owners_breach, _partner_party_link, _partners_notice, _refusal, _request = map(
    _memo, (_owners_breach, _partner_party_link, _partners_notice, _refusal, _request))
_review_action_kwargs, _signed_copy, _spocs_contact, _spocs_notification, _version = map(
    _memo, (_review_action_kwargs, _signed_copy, _spocs_contact, _spocs_notification, _version))


@_memo
def _review_kwargs(cast) -> dict:
    """The review of the action (one review open at a time)."""
    kwargs = _review_action_kwargs(cast)
    return {"pk": kwargs["pk"], "review_pk": kwargs["review_pk"]}


def _invitation_token(cast) -> str:
    """The secret of the link the owner's open invitation e-mailed (one invitation, made once)."""
    _invitation(cast)
    return _INVITATION_TOKEN


@_memo
def _draft_section(cast) -> int:
    return cast.draft.sections.create(number="9", heading="H").pk


# Outcomes after which the database must be as it was: the refusals, and a page (or a form with
# its errors) shown again.
UNCHANGED = {LOGIN, DENY_403, DENY_404, NOT_ALLOWED, ALLOW, UNAUTHORISED}


def _agreement(cast) -> dict:
    return {"pk": cast.agreement.pk}


def _draft(cast) -> dict:
    return {"pk": cast.draft.pk}


def _partner_party(cast) -> dict:
    return {"pk": cast.agreement.pk, "party_pk": cast.partner_party.pk}


def _empty(cast) -> dict:
    return {}


def _post(route, variant, expect, kwargs, data=_empty):
    return Row(route, variant, expect, kwargs=kwargs, method="post", data=data)


# Who gets what when posting to a page that only shows something (it takes no POST of its own):
# those who may see it get the page again (200), and nothing changes.
_AGREEMENT_SEEN = signed_in(ALLOW, unrelated=DENY_404)
_OWNERS_BREACH_MANAGED = signed_in(DENY_404, governance_manager=ALLOW, spoc=DENY_403, auditor=DENY_403)
_BREACH_SEEN = signed_in(DENY_404, spoc=ALLOW, governance_manager=ALLOW, auditor=ALLOW)
_CASE_MANAGED = signed_in(DENY_404, governance_manager=ALLOW, practitioner=DENY_403)
_TO_PEOPLE = Redirect(lambda cast: f"/partners/{cast.owner.pk}/people/")
_TO_CONTACTS = Redirect(lambda cast: reverse("agreements:party_contacts", kwargs=_partner_party(cast)))
_TO_ESCALATION = Redirect(lambda cast: _latest("sharing_log", "Escalation"))


def _to(route: str, agreement: str = "agreement") -> Redirect:
    """Back to one of the agreement's (or the draft's) pages."""
    return Redirect(lambda cast: reverse(f"agreements:{route}", kwargs={"pk": getattr(cast, agreement).pk}))


def _latest(app_label: str, model_name: str):
    """The object the request made, whose page it redirects to."""
    from django.apps import apps

    return apps.get_model(app_label, model_name).objects.latest("pk")


_CONTACT = {"name": "Eve Example", "job_title": "Intruder", "email": "eve@example.com", "phone": "01632 960000"}

POST_ROWS = [
    # isa_portal
    _post("notification_open", "spocs_notification", signed_in(DENY_404, spoc=Redirect("notifications")),
          lambda cast: {"pk": _spocs_notification(cast)}),
    _post("join", "invited", everyone(ALLOW), lambda cast: {"token": _invitation_token(cast)},
          data=lambda cast: {"password": "correct horse", "password_again": "battery staple"}),
    _post("authenticator_reset_link", "altered", everyone(DENY_404), lambda cast: {"token": "not-a-token"}),
    _post("password_reset_confirm", "bad_link", everyone(ALLOW),
          lambda cast: {"uidb64": "MQ", "token": "not-a-token"},
          data=lambda cast: {"new_password1": "A new passphrase 1", "new_password2": "A new passphrase 1"}),
    # the public register: GET only, a 405 for everyone, nothing changes
    *(
        _post(route, "in_force", everyone(NOT_ALLOWED), _agreement)
        for route in ("register:detail", "register:pdf")
    ),
    # agreements: pages that show the agreement
    *(
        _post(f"agreements:{route}", "in_force", _AGREEMENT_SEEN, _agreement)
        for route in ("detail", "history", "parties", "signatures", "versions", "reviews")
    ),
    _post("agreements:pdf", "in_force_version", _AGREEMENT_SEEN, lambda cast: {"pk": _version(cast).agreement_id}),
    _post("agreements:organisation_roles", "partner", signed_in(ALLOW), lambda cast: {"pk": cast.partner.pk}),
    *(
        _post(f"agreements:{route}", "partner", signed_in(NOT_ALLOWED), lambda cast: {"pk": cast.partner.pk})
        for route in ("record_of_processing", "record_of_processing_pdf")
    ),
    _post("agreements:signed_copy", "frozen", _AGREEMENT_SEEN, lambda cast: {"pk": _signed_copy(cast), "number": 1}),
    _post("agreements:version_diff", "in_force", _AGREEMENT_SEEN,
          lambda cast: {"pk": cast.agreement.pk, "number": _version(cast, 2).number}),
    # agreements: managing it
    *(
        _post(f"agreements:{route}", "draft", _DRAFT_MANAGED, _draft)
        for route in (
            "tasks", "task_details", "task_purposes", "task_data", "data_item_add", "task_gateways",
            "task_transfer", "task_retention", "task_breaches", "task_review", "section_add", "record_existing",
            "party_import",
        )
    ),
    # The kind's own task (decision 0065), for a joint controller arrangement.
    _post("agreements:task_kind", "joint_controller", _DRAFT_MANAGED,
          lambda cast: {"pk": _draft_of_kind(cast, "joint_controller")}),
    _post("agreements:sub_processor_add", "processing_contract", _DRAFT_MANAGED,
          lambda cast: {"pk": _draft_of_kind(cast, "processing_contract")}),
    _post("agreements:sub_processor_edit", "processing_contract",
          {**_DRAFT_MANAGED, "governance_manager": _to("task_kind", "draft")},
          lambda cast: {"pk": cast.draft.pk, "item_pk": _draft_sub_processor(cast)},
          data=lambda cast: {"name": "Changed Ltd", "activity": "Hosting."}),
    # Putting the sections in order: nothing to order is done at once.
    _post("agreements:task_sections", "draft", {**_DRAFT_MANAGED, "governance_manager": _to("task_sections", "draft")},
          _draft),
    _post("agreements:status", "in_force", _IN_FORCE_MANAGED, _agreement,
          data=lambda cast: {"status": "terminated"}),
    _post("agreements:record_in_force", "in_force", _IN_FORCE_MANAGED, _agreement),
    _post("agreements:party_invite", "in_force", {**_IN_FORCE_MANAGED, "governance_manager": _to("parties")},
          _agreement,
          data=lambda cast: {"organisation": cast.unrelated_organisation.pk}),
    _post("agreements:data_item_edit", "draft", _DRAFT_MANAGED,
          lambda cast: {"pk": cast.draft.pk, "item_pk": _draft_data_item(cast)},
          data=lambda cast: {"provider_label": "Everyone", "description": "Everything."}),
    _post("agreements:data_item_remove", "draft", {**_DRAFT_MANAGED, "governance_manager": _to("task_data", "draft")},
          lambda cast: {"pk": cast.draft.pk, "item_pk": _draft_data_item(cast)}),
    _post("agreements:section_edit", "draft", {**_DRAFT_MANAGED, "governance_manager": _to("task_sections", "draft")},
          lambda cast: {"pk": cast.draft.pk, "item_pk": _draft_section(cast)},
          data=lambda cast: {"number": "9", "heading": "Changed", "body": "Changed."}),
    _post("agreements:section_remove", "draft", {**_DRAFT_MANAGED, "governance_manager": _to("task_sections", "draft")},
          lambda cast: {"pk": cast.draft.pk, "item_pk": _draft_section(cast)}),
    _post("agreements:gateway_proposal_decide", "proposal",
          {**_GATEWAY_DECIDER, "admin": Redirect("agreements:gateway_proposals")},
          lambda cast: {"pk": _gateway_proposal(cast)}, data=lambda cast: {"decision": "approve", "reason": "Fine."}),
    # agreements: parties and signing
    _post("agreements:party_first_person", "nobody_yet",
          signed_in(DENY_404, practitioner=DENY_403, governance_manager=ALLOW, admin=DENY_403),
          lambda cast: {"pk": cast.draft.pk, "party_pk": _draft_party_with_nobody(cast)},
          data=lambda cast: {"name": "Eve Example", "email": "eve@example.com"}),
    _post("agreements:party_status", "partner_party", _IN_FORCE_MANAGED, _partner_party,
          data=lambda cast: {"status": "declined", "status_note": "Said no."}),
    _post("agreements:party_contacts", "partner_party",
          signed_in(DENY_403, governance_manager=ALLOW, spoc=ALLOW, unrelated=DENY_404), _partner_party),
    _post("agreements:party_contact_remove", "partner_party",
          signed_in(DENY_403, governance_manager=_TO_CONTACTS, spoc=_TO_CONTACTS, unrelated=DENY_404),
          lambda cast: {**_partner_party(cast), "link_pk": _partner_party_link(cast)}),
    _post("agreements:party_data", "partner_party", {**_IN_FORCE_MANAGED, "governance_manager": _to("parties")},
          _partner_party),
    _post("agreements:party_withdraw", "partner_party", _IN_FORCE_MANAGED, _partner_party),
    _post("agreements:party_act_for", "partner_party", {**_IN_FORCE_MANAGED, "governance_manager": _to("parties")},
          _partner_party, data=lambda cast: {"action": "start"}),
    _post("agreements:party_holdings", "partner_party", signed_in(DENY_403, spoc=ALLOW, unrelated=DENY_404),
          _partner_party, data=lambda cast: {"outcome": "destroyed"}),
    _post("agreements:party_sign", "partner_party",
          signed_in(DENY_403, lead_signatory=ALLOW, unrelated=DENY_404),
          lambda cast: {"pk": _version(cast).agreement_id, "party_pk": cast.partner_party.pk}),
    _post("agreements:party_paper_signature", "partner_party", _IN_FORCE_MANAGED,
          lambda cast: {"pk": _version(cast).agreement_id, "party_pk": cast.partner_party.pk}),
    _post("agreements:signature_remind", "partner_party",
          {**_IN_FORCE_MANAGED, "governance_manager": _to("signatures")},
          lambda cast: {"pk": _version(cast).agreement_id, "party_pk": cast.partner_party.pk}),
    # a party's DPO review (decision 0062): the owner's governance manager reviews for the owner's
    # own party; the switch is the agreement's managers'
    _post("agreements:party_dpo_review", "owner_party",
          signed_in(DENY_403, governance_manager=ALLOW, unrelated=DENY_404),
          lambda cast: {"pk": _version(cast).agreement_id, "party_pk": cast.owner_party.pk}),
    _post("agreements:dpo_review_requirement", "in_force",
          {**_IN_FORCE_MANAGED, "governance_manager": _to("signatures")},
          lambda cast: {"pk": cast.agreement.pk}, data=lambda cast: {"required": "yes"}),
    # the QA review before coming into force (decision 0064): the agreement's managers ask for it
    _post("agreements:qa_review", "in_force",
          signed_in(DENY_403, governance_manager=_to("qa_review"), unrelated=DENY_404),
          lambda cast: {"pk": cast.agreement.pk}, data=lambda cast: {"action": "requirement", "required": "no"}),
    # a draft's consultation: no comment on an agreement in force; the managers answer
    _post("agreements:consultation", "in_force", signed_in(DENY_403, unrelated=DENY_404),
          lambda cast: {"pk": cast.agreement.pk}, data=lambda cast: {"text": "A comment."}),
    _post("agreements:consultation_answer", "comment", _IN_FORCE_MANAGED,
          lambda cast: {"pk": cast.agreement.pk, "comment_pk": _consultation_comment(cast)}),
    # the flow maps (isa_portal/reports): pages to read, GET only
    _post("reports:agreement_flows", "in_force", signed_in(NOT_ALLOWED), lambda cast: {"pk": cast.agreement.pk}),
    _post("reports:organisation_flows", "owner", signed_in(NOT_ALLOWED), lambda cast: {"pk": cast.owner.pk}),
    _post("agreements:signatures_export", "in_force", _AGREEMENT_SEEN,
          lambda cast: {"pk": _version(cast).agreement_id}),
    _post("agreements:signatures_export_xlsx", "in_force", _AGREEMENT_SEEN,
          lambda cast: {"pk": _version(cast).agreement_id}),
    _post("agreements:signature_scan", "partner_signature",
          signed_in(DENY_403, governance_manager=ALLOW, spoc=ALLOW, lead_signatory=ALLOW, auditor=ALLOW,
                    unrelated=DENY_404),
          lambda cast: {"pk": cast.agreement.pk, "signature_pk": _scanned_signature(cast)}),
    # agreements: the DPIA (a valid "not needed" screening is recorded by the governance manager)
    _post("agreements:dpia", "in_force", {**_IN_FORCE_MANAGED, "governance_manager": _to("dpia")}, _agreement,
          data=lambda cast: {"needed": "no", "not_needed_reason": "Aggregate figures only."}),
    _post("agreements:dpia_document", "none_uploaded",
          signed_in(DENY_403, governance_manager=DENY_404, unrelated=DENY_404), _agreement),
    # agreements: reviews
    _post("agreements:review_start", "in_force",
          {**_IN_FORCE_MANAGED, "governance_manager": Redirect(lambda cast: cast.agreement.reviews.latest("pk"))},
          _agreement,
          data=lambda cast: {"why": "chair_request", "reason": "Because."}),
    _post("agreements:review_detail", "review", _IN_FORCE_MANAGED, _review_kwargs),
    _post("agreements:review_action_add", "review", _IN_FORCE_MANAGED, _review_kwargs,
          data=lambda cast: {"description": "Do something."}),
    _post("agreements:review_action_done", "action", _IN_FORCE_MANAGED, _review_action_kwargs),
    _post("agreements:review_findings_reported", "review", _IN_FORCE_MANAGED, _review_kwargs),
    # breaches and requests
    _post("breaches:detail", "owners_breach", _BREACH_SEEN, lambda cast: {"pk": _owners_breach(cast)}),
    # An empty progress report is a report of no progress: it is recorded.
    _post("breaches:progress", "owners_breach",
          {**_OWNERS_BREACH_MANAGED, "governance_manager": Redirect(lambda cast: f"/breaches/{_owners_breach(cast)}/")},
          lambda cast: {"pk": _owners_breach(cast)}),
    *(
        _post(f"breaches:{route}", "owners_breach", _OWNERS_BREACH_MANAGED, lambda cast: {"pk": _owners_breach(cast)})
        for route in ("ico", "affected", "close")
    ),
    _post("breaches:acknowledge", "partners_notice",
          signed_in(DENY_404, spoc=Redirect(lambda cast: f"/breaches/{_owners_breach(cast)}/"),
                    governance_manager=DENY_403, auditor=DENY_403),
          _partners_notice),
    _post("requests:detail", "request", signed_in(DENY_404, spoc=ALLOW, governance_manager=DENY_403),
          lambda cast: {"pk": _request(cast)}),
    _post("requests:extend", "request", signed_in(DENY_404, spoc=ALLOW, governance_manager=DENY_403),
          lambda cast: {"pk": _request(cast)}),
    # partners
    _post("partners:organisation_detail", "owner", signed_in(ALLOW), lambda cast: {"pk": cast.owner.pk}),
    _post("partners:organisation_edit", "owner",
          signed_in(DENY_403, governance_manager=Redirect(lambda cast: cast.owner.get_absolute_url())),
          lambda cast: {"pk": cast.owner.pk}, data=lambda cast: {"name": "Taken Over", "sector": "other"}),
    _post("partners:people", "owner", _PEOPLE_MANAGERS, lambda cast: {"pk": cast.owner.pk}),
    # api (docs/decisions/0051): the pages of an organisation's API clients, and the API, which
    # answers a session with 401 whatever it asks, and a POST to a page that takes none with 405.
    _post("api_clients:list", "owner", _API_CLIENT_MANAGERS, lambda cast: {"pk": cast.owner.pk}),
    _post("api_clients:issue", "owner_empty", _API_CLIENT_MANAGERS, lambda cast: {"pk": cast.owner.pk}),
    _post("api_clients:revoke", "owners_token",
          signed_in(DENY_403, governance_manager=Redirect(lambda cast: f"/api-clients/{cast.owner.pk}/")),
          lambda cast: {"pk": _api_token(cast)}),
    _post("api:agreement", "in_force", everyone(NOT_ALLOWED), lambda cast: {"agreement_id": cast.agreement.pk}),
    _post("api:entry", "partners_entry", everyone(NOT_ALLOWED), lambda cast: {"entry_id": cast.disclosure.pk}),
    # Making someone a portal administrator is for portal administrators alone: the owner's
    # governance manager gets the form back, refused (partners.permissions.can_grant_role).
    _post("partners:invite", "owner_as_admin", {**_PEOPLE_MANAGERS, "admin": _TO_PEOPLE},
          lambda cast: {"pk": cast.owner.pk},
          data=lambda cast: {"name": "Eve Example", "email": "eve@example.com", "role": "admin"}),
    _post("partners:person_roles", "practitioner_as_admin", {**_PEOPLE_MANAGERS, "admin": _TO_PEOPLE},
          lambda cast: {"pk": cast.owner.pk, "user_pk": cast.practitioner.pk},
          data=lambda cast: {"roles": ["practitioner", "admin"]}),
    _post("partners:authenticator_reset", "practitioner",
          signed_in(DENY_403, governance_manager=_TO_PEOPLE, admin=_TO_PEOPLE),
          lambda cast: {"pk": cast.owner.pk, "user_pk": cast.practitioner.pk},
          data=lambda cast: {"password": "not the password"}),
    _post("partners:invitation_resend", "owners_invitation",
          signed_in(DENY_403, governance_manager=_TO_PEOPLE, admin=_TO_PEOPLE), lambda cast: {"pk": _invitation(cast)}),
    _post("partners:invitation_withdraw", "owners_invitation",
          signed_in(DENY_403, governance_manager=_TO_PEOPLE, admin=_TO_PEOPLE), lambda cast: {"pk": _invitation(cast)}),
    _post("partners:contact_edit", "spocs_contact", signed_in(DENY_403, spoc=ALLOW),
          lambda cast: {"pk": _spocs_contact(cast)}, data=lambda cast: {**_CONTACT, "email": "not an address"}),
    _post("partners:contact_confirm", "spocs_contact",
          signed_in(DENY_403, spoc=Redirect(lambda cast: cast.partner.get_absolute_url())),
          lambda cast: {"pk": _spocs_contact(cast)}),
    # the sharing log
    _post("sharing_log:can_i_share_question", "purpose", signed_in(
        ALLOW, lead_signatory=DENY_403, auditor=DENY_403, admin=DENY_403), lambda cast: {"step": "purpose"}),
    _post("sharing_log:detail", "disclosure", _ENTRY_SEEN, lambda cast: {"pk": cast.disclosure.pk}),
    _post("sharing_log:amend", "disclosure", _ENTRY_AMENDED, lambda cast: {"pk": cast.disclosure.pk}),
    _post("sharing_log:void", "disclosure",
          {**_ENTRY_AMENDED, "spoc": Redirect(lambda cast: f"/log/{cast.disclosure.pk}/")},
          lambda cast: {"pk": cast.disclosure.pk},
          data=lambda cast: {"reason": "Logged in error."}),
    _post("sharing_log:acknowledge", "disclosure_to_partner",
          signed_in(DENY_404, practitioner=DENY_403, spoc=Redirect("sharing_log:inbox"),
                    governance_manager=DENY_403, auditor=DENY_403),
          lambda cast: {"pk": cast.disclosure_to_partner.pk}, data=lambda cast: {"from": "inbox"}),
    _post("sharing_log:onward_request", "disclosure", _ONWARD_ASKERS, lambda cast: {"pk": cast.disclosure.pk}),
    _post("sharing_log:onward_decide", "request", _ONWARD_DECIDER, lambda cast: {"pk": _onward_request(cast)},
          data=lambda cast: {"decision": "granted"}),
    _post("sharing_log:inaccurate", "disclosure", _ENTRY_AMENDED, lambda cast: {"pk": cast.disclosure.pk}),
    _post("sharing_log:copy_confirm", "copy", _COPY_CONFIRMER, lambda cast: {"pk": _copy_to_confirm(cast)}),
    _post("sharing_log:override_confirm", "override",
          {**_OVERRIDE_CONFIRMER, "spoc": Redirect(lambda cast: _latest("sharing_log", "OverrideAuthorisation"))},
          lambda cast: {"pk": _override_to_confirm(cast)}, data=lambda cast: {"confirmed": "on"}),
    _post("sharing_log:escalate", "refusal",
          {**_ESCALATORS, "practitioner": _TO_ESCALATION, "governance_manager": _TO_ESCALATION},
          lambda cast: {"pk": _refusal(cast)},
          data=lambda cast: {"concern": "Needed."}),
    _post("sharing_log:escalation", "escalation", _ENTRY_SEEN, lambda cast: {"pk": _escalation(cast)}),
    _post("sharing_log:escalation_resolve", "escalation", _ESCALATION_RESOLVER, lambda cast: {"pk": _escalation(cast)},
          data=lambda cast: {"outcome": "upheld"}),
    _post("sharing_log:case", "closure", signed_in(DENY_404, practitioner=ALLOW, governance_manager=ALLOW),
          lambda cast: {"pk": _closure(cast)}),
    _post("sharing_log:case_change", "closure", _CASE_MANAGED, lambda cast: {"pk": _closure(cast)}),
    _post("sharing_log:case_reopen", "closure", _CASE_MANAGED, lambda cast: {"pk": _closure(cast)}),
]


@_memo
def _scanned_signature(cast, party=None, version=None) -> int:
    """A returned signature form, with its scan, of ``party`` (the partner's) on ``version``."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from agreements.services import signature_record_paper

    from .uploads import PDF

    return signature_record_paper(
        party=party or cast.partner_party, version=version or _version(cast), signatory_name="Sam Example",
        signatory_role="Chief Executive", scan=SimpleUploadedFile("form.pdf", PDF),
    ).pk


def _agreements_sub_processor(cast) -> int:
    """A sub-processor of the agreement in force, not the draft's."""
    from agreements.models import SubProcessor

    return SubProcessor.objects.create(agreement=cast.agreement, name="Other Ltd", activity="Printing").pk


# Children of the sibling agreement (made in the cell that asks) ---------------------------------


@_memo
def _sibling_party_with_nobody(cast) -> int:
    from .factories import OrganisationFactory, PartyFactory

    organisation = OrganisationFactory(name="Penny Hassett Parish Council")
    return PartyFactory(agreement=cast.sibling, organisation=organisation).pk


@_memo
def _sibling_link(cast) -> int:
    """A person the partner names for its place in the sibling agreement."""
    from agreements.models import ContactRole
    from agreements.services import party_contact_add

    from .factories import ContactFactory

    contact = ContactFactory(organisation=cast.partner, name="Sam Sibling")
    return party_contact_add(party=cast.sibling_partner_party, contact=contact, role=ContactRole.SPOC).pk


@_memo
def _sibling_signature(cast) -> int:
    from agreements.services import agreement_version_create

    version = agreement_version_create(agreement=cast.sibling, label="1.0")
    return _scanned_signature(cast, party=cast.sibling_partner_party, version=version)


@_memo
def _sibling_review(cast):
    from agreements.services import review_start

    return review_start(agreement=cast.sibling, by_user=cast.governance_manager, why="chair_request", reason="Asked.")


@_memo
def _sibling_action(cast, review=None) -> int:
    from agreements.services import review_action_add

    review = review or _sibling_review(cast)
    from .factories import ContactFactory

    return review_action_add(
        review=review, description="Check the SPOCs.", owner=ContactFactory(organisation=cast.partner),
        due_on=review.due_on,
    ).pk


@_memo
def _sibling_review_and_action(cast) -> dict:
    review = _sibling_review(cast)
    return {"pk": cast.agreement.pk, "review_pk": review.pk, "action_pk": _sibling_action(cast, review)}


@_memo
def _sibling_notice(cast) -> dict:
    """The partner's notice of an owner's breach of the sibling, asked for under the owner's breach of the agreement."""
    import datetime

    from django.utils import timezone

    from agreements.services import breach_record

    breach_pk = _owners_breach(cast)
    sibling_breach = breach_record(
        agreement=cast.sibling, reporting_organisation=cast.owner, kind="breach",
        discovered_at=timezone.now() - datetime.timedelta(days=1), description="A letter to the wrong address.",
        data_involved="A name.", personal_data_breach=True, by_user=cast.governance_manager,
    )
    return {"pk": breach_pk, "notification_pk": sibling_breach.notifications.get(party=cast.sibling_partner_party).pk}


@_memo
def _agreements_data_item(cast) -> int:
    from agreements.models import DataItem

    return DataItem.objects.create(agreement=cast.agreement, provider_label="Police", description="Names.").pk





def _sibling_party(cast) -> dict:
    return {"pk": cast.agreement.pk, "party_pk": cast.sibling_partner_party.pk}


# The child is not the parent's: not found, even for those who may act on the child under its own.
_NOT_FOUND = signed_in(DENY_404)
# The parent refuses first those who may not act on it; those who may are told the child is not found.
_MANAGED_THEN_NOT_FOUND = signed_in(DENY_403, governance_manager=DENY_404, unrelated=DENY_404)
_DRAFT_MANAGED_THEN_NOT_FOUND = signed_in(DENY_404, practitioner=DENY_403, admin=DENY_403)
_PEOPLE_MANAGED_THEN_NOT_FOUND = signed_in(DENY_403, governance_manager=DENY_404, admin=DENY_404)

CHILD_ROWS = [
    _post("agreements:party_first_person", "siblings_party", _NOT_FOUND,
          lambda cast: {"pk": cast.agreement.pk, "party_pk": _sibling_party_with_nobody(cast)},
          data=lambda cast: {"name": "Eve Example", "email": "eve@example.com"}),
    _post("agreements:party_status", "siblings_party", _NOT_FOUND, _sibling_party,
          data=lambda cast: {"status": "declined", "status_note": "Said no."}),
    _post("agreements:party_contacts", "siblings_party", _NOT_FOUND, _sibling_party,
          data=lambda cast: {"role": "spoc", **_CONTACT}),
    _post("agreements:party_data", "siblings_party", _NOT_FOUND, _sibling_party),
    _post("agreements:party_withdraw", "siblings_party", _NOT_FOUND, _sibling_party),
    _post("agreements:party_act_for", "siblings_party", _NOT_FOUND, _sibling_party,
          data=lambda cast: {"action": "start"}),
    _post("agreements:party_holdings", "siblings_party", _NOT_FOUND, _sibling_party),
    _post("agreements:party_sign", "siblings_party", _NOT_FOUND, _sibling_party),
    _post("agreements:party_paper_signature", "siblings_party", _NOT_FOUND, _sibling_party),
    _post("agreements:signature_remind", "siblings_party", _NOT_FOUND, _sibling_party),
    _post("agreements:party_dpo_review", "siblings_party", _NOT_FOUND, _sibling_party),
    # A comment on the sibling, under the agreement: not found, even for its managers.
    _post("agreements:consultation_answer", "siblings_comment", _NOT_FOUND,
          lambda cast: {"pk": cast.agreement.pk, "comment_pk": _consultation_comment(cast, "sibling")}),
    # The link of the partner's place in the sibling, under the partner's place in the agreement:
    # the partner's SPOC keeps both, and is told it is not found.
    _post("agreements:party_contact_remove", "siblings_link",
          signed_in(DENY_403, governance_manager=DENY_404, spoc=DENY_404, unrelated=DENY_404),
          lambda cast: {**_partner_party(cast), "link_pk": _sibling_link(cast)}),
    _post("agreements:party_contact_remove", "siblings_party", _NOT_FOUND,
          lambda cast: {**_sibling_party(cast), "link_pk": _sibling_link(cast)}),
    # The agreement's own rows and sections, under the draft.
    *(
        _post(f"agreements:{route}", "agreements_item", _DRAFT_MANAGED_THEN_NOT_FOUND,
              lambda cast, item=item: {"pk": cast.draft.pk, "item_pk": item(cast)})
        for route, item in (
            ("data_item_edit", _agreements_data_item), ("data_item_remove", _agreements_data_item),
            ("section_edit", lambda cast: cast.agreement.sections.get(number="1").pk),
            ("section_remove", lambda cast: cast.agreement.sections.get(number="1").pk),
        )
    ),
    # A sub-processor of another agreement, under the draft made a processing contract (decision 0065).
    _post("agreements:sub_processor_edit", "agreements_item", _DRAFT_MANAGED_THEN_NOT_FOUND,
          lambda cast: {"pk": _draft_of_kind(cast, "processing_contract"), "item_pk": _agreements_sub_processor(cast)},
          data=lambda cast: {"name": "Changed Ltd", "activity": "Hosting."}),
    Row("agreements:signature_scan", "siblings_signature", _NOT_FOUND,
        kwargs=lambda cast: {"pk": cast.agreement.pk, "signature_pk": _sibling_signature(cast)}),
    _post("agreements:review_detail", "siblings_review", _NOT_FOUND,
          lambda cast: {"pk": cast.agreement.pk, "review_pk": _sibling_review(cast).pk}),
    _post("agreements:review_action_add", "siblings_review", _MANAGED_THEN_NOT_FOUND,
          lambda cast: {"pk": cast.agreement.pk, "review_pk": _sibling_review(cast).pk},
          data=lambda cast: {"description": "Do something."}),
    _post("agreements:review_findings_reported", "siblings_review", _MANAGED_THEN_NOT_FOUND,
          lambda cast: {"pk": cast.agreement.pk, "review_pk": _sibling_review(cast).pk}),
    _post("agreements:review_action_done", "siblings_review", _MANAGED_THEN_NOT_FOUND, _sibling_review_and_action),
    _post("agreements:review_action_done", "siblings_action", _MANAGED_THEN_NOT_FOUND,
          lambda cast: {**_review_kwargs(cast), "action_pk": _sibling_action(cast)}),
    _post("breaches:acknowledge", "siblings_notice", _NOT_FOUND, _sibling_notice),
    # Someone of another organisation, under the owner's people.
    _post("partners:person_roles", "partners_spoc", _PEOPLE_MANAGED_THEN_NOT_FOUND,
          lambda cast: {"pk": cast.owner.pk, "user_pk": cast.spoc.pk},
          data=lambda cast: {"roles": ["governance_manager"]}),
    _post("partners:authenticator_reset", "partners_spoc", _PEOPLE_MANAGED_THEN_NOT_FOUND,
          lambda cast: {"pk": cast.owner.pk, "user_pk": cast.spoc.pk}),
]

# Routes with two values in their address of which the second is not an object of its own.
NOT_NESTED = {
    "agreements:version_diff": "the number is the version's place within its agreement, found only there",
    "agreements:signed_copy": "the number is the version's place within its agreement, found only there",
    "password_reset_confirm": "the user's id and the token are one signed link (a bad one is refused: POST_ROWS)",
}

CELLS = [(row, subject) for row in [*POST_ROWS, *CHILD_ROWS] for subject in SUBJECTS]
CELL_IDS = [
    f"{row.route}-{'child-' if row in CHILD_ROWS else 'post-'}{row.variant}-{subject}" for row, subject in CELLS
]


def test_every_route_with_an_identifier_has_a_post_row():
    routes = {name for name, _ in routes_with_kwargs()}
    posted = {row.route for row in POST_ROWS if row.method == "post"}

    assert not sorted(routes - posted), f"Routes with no POST row in {__name__}.POST_ROWS: {sorted(routes - posted)}"
    assert not sorted(posted - routes), f"POST rows for routes that no longer exist: {sorted(posted - routes)}"


def test_every_nested_route_has_a_child_row():
    nested = {name for name, kwargs in routes_with_kwargs() if len(kwargs) >= 2}
    covered = {row.route for row in CHILD_ROWS} | set(NOT_NESTED)

    missing = sorted(nested - covered)
    assert not missing, f"Nested routes with no child row in {__name__}.CHILD_ROWS: {missing}"
    assert not sorted(covered - nested), f"Child rows for routes that are not nested: {sorted(covered - nested)}"


@pytest.fixture(scope="module")
def isolation_cast(django_db_setup, django_db_blocker):
    """The standard cast and the sibling agreement, built once for the module and rolled back after."""
    with django_db_blocker.unblock(), transaction.atomic():
        cast = build_cast()
        for name, attribute in vars(Cast).items():
            if isinstance(attribute, cached_property):
                getattr(cast, name)
        cast.sibling, cast.sibling_partner_party = build_sibling(cast)
        _prepare(cast)
        # Each subject signed in once for the module, as in tests/test_permission_matrix.py: what a
        # cell's request does to its session is rolled back with the cell.
        cast.sessions = {
            subject: sign_in(Client(), cast.subject(subject)).cookies[settings.SESSION_COOKIE_NAME].value
            for subject in SUBJECTS if cast.subject(subject) is not None
        }
        yield cast
        transaction.set_rollback(True)


def _prepare(cast) -> None:
    """Make every row's objects once (``_memo``)."""
    cast.prepared, cast.prepared_all = {}, False
    for row in [*POST_ROWS, *CHILD_ROWS]:
        row.kwargs(cast)
    cast.prepared_all = True


@pytest.fixture
def roles(isolation_cast, db):
    return isolation_cast


@pytest.mark.parametrize(("row", "subject"), CELLS, ids=CELL_IDS)
def test_isolation_matrix(client, roles, row, subject):
    url = reverse(row.route, kwargs=row.kwargs(roles))
    if roles.subject(subject) is not None:
        client.cookies[settings.SESSION_COOKIE_NAME] = roles.sessions[subject]
    data = row.data(roles) if row.data else None
    expected = row.expect[subject]
    before = database_state() if expected in UNCHANGED else None

    response = getattr(client, row.method)(url, data)

    assert_outcome(response, expected, subject=subject, method=row.method, url=url, cast=roles)
    if before is not None:
        changes = state_changes(before, database_state())
        assert not changes, f"{subject} {row.method.upper()} {url} answered {expected!r} but changed: {changes}"
