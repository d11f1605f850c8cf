"""The parties of an agreement: who they are and where they stand, and the governance manager's
actions on them (invite, standing, contacts, data items, withdrawal).

An agreement outside the user's selector is a 404; a visible party the user may not change
is a 403 (rules in ``agreements.permissions``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from govuk_blocks.dates import long_date
from govuk_blocks.forms import submitted
from partners import imports
from partners.forms import DirectoryImportForm, InvitationForm
from partners.selectors import administrators_of, undelivered_notices_of, undelivered_summary
from partners.services import invitation_send

from .. import permissions
from ..forms.parties import (
    PartyContactForm,
    PartyDataForm,
    PartyFilterForm,
    PartyInviteForm,
    PartyStatusForm,
    PartyWithdrawForm,
)
from ..models import PartyStatus, WithdrawalHoldings
from ..selectors import parties as selectors
from ..selectors.browse import agreement_party_rows
from ..selectors.drafting import agreements_visible_to
from ..services import parties as services
from ..services.parties import may_record_status, may_withdraw, withdrawal_event_key

TEMPLATES = "agreements/parties/"


def _agreement(request, pk: int):
    return get_object_or_404(agreements_visible_to(request.user), pk=pk)


def _party(request, pk: int, party_pk: int, *, may) -> tuple:
    """The agreement and party, or 404 if the user cannot see them, 403 if ``may`` says no."""
    agreement = _agreement(request, pk)
    party = get_object_or_404(agreement.parties.select_related("organisation", "agreement"), pk=party_pk)
    if not may(request.user, party):
        raise PermissionDenied
    return agreement, party


def _manages(user, party) -> bool:
    return permissions.can_manage(user, party.agreement)






def _to_parties(agreement):
    return redirect("agreements:parties", pk=agreement.pk)


def _holdings(user, party) -> dict:
    """For a withdrawn party: what it did with what it holds, or whether ``user`` may now say."""
    if party.status != PartyStatus.WITHDRAWN:
        return {}
    holdings = WithdrawalHoldings.objects.filter(party=party).first()
    return {
        "withdrawn": True, "holdings": holdings,
        "confirm_holdings": holdings is None and permissions.can_confirm_holdings(user, party),
    }


def party_list(request, pk: int):
    """Every party as seed 001's Appendix 1 lists them, with where each stands on signing, and
    the actions the user may take on each; filtered by name and standing, and sortable."""
    agreement = _agreement(request, pk)
    manages = permissions.can_manage(request.user, agreement)
    parties = agreement_party_rows(agreement)
    form = PartyFilterForm(request.GET or None, statuses=PartyStatus.choices)
    rows = []
    for party in selectors.party_rows_filtered(parties, **form.filters()):
        rows.append({
            "party": party,
            "standing": manages and may_record_status(party),
            "contacts": permissions.can_edit_party_contacts(request.user, party),
            "withdraw": may_withdraw(party) and permissions.can_record_withdrawal(request.user, party),
            "first_person": permissions.can_invite_first_person(request.user, party),
            "act_for": permissions.can_act_for(request.user, party) and (
                party.acting_for_by_id is not None or not party.administered),
            **_holdings(request.user, party),
        })
    return render(request, f"{TEMPLATES}party_list.html", {
        "agreement": agreement, "rows": rows, "total": len(parties), "form": form, "manages": manages,
        # 001 Appendix 1's "ECINS users" column, where the register has one.
        "show_ecins": any(party.ecins_user is not None for party in parties),
    })


@require_http_methods(["GET", "POST"])
def party_invite(request, pk: int):
    agreement = _agreement(request, pk)
    if not permissions.can_manage(request.user, agreement):
        raise PermissionDenied
    form = PartyInviteForm(submitted(request), agreement=agreement)
    if form.is_valid():
        try:
            party = services.party_invite(agreement=agreement, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            missed = [*undelivered_notices_of(f"party-{party.pk}-invited"),
                      *undelivered_notices_of(f"party-{party.pk}-joining")]
            if missed:
                told = f"Not everyone could be told: {undelivered_summary(missed)}."
            elif not selectors.organisation_contacts(party.organisation).exists():
                # Nobody to tell is not everybody told: say so, and what to do next.
                told = (f"Nobody acts for {party.organisation} in the portal yet, so nobody has been told: "
                        "invite its first person from its row below.")
            else:
                told = "The people who act for it have been told."
            messages.success(request, f"{party.organisation} has been invited. {told}")
            return _to_parties(agreement)
    return render(request, f"{TEMPLATES}party_invite.html", {
        "agreement": agreement, "form": form,
        "ceased": selectors.organisations_ceased_with_successor(agreement),
    })


@require_http_methods(["GET", "POST"])
def party_status(request, pk: int, party_pk: int):
    agreement, party = _party(request, pk, party_pk, may=_manages)
    form = PartyStatusForm(submitted(request), party=party)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.party_record_status(
                party=party, status=data["status"], on=data["declined_on"], note=data["status_note"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{party.organisation} is now recorded as “{party.get_status_display()}”.")
            return _to_parties(agreement)
    return render(request, f"{TEMPLATES}party_status.html", {"agreement": agreement, "party": party, "form": form})


@require_http_methods(["GET", "POST"])
def party_contacts(request, pk: int, party_pk: int):
    agreement, party = _party(request, pk, party_pk, may=permissions.can_edit_party_contacts)
    form = PartyContactForm(submitted(request), party=party)
    if form.is_valid():
        try:
            link = services.party_contact_assign(party=party, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"{link.contact.name} is now named as {link.get_role_display()}.")
            return redirect("agreements:party_contacts", pk=agreement.pk, party_pk=party.pk)
    return render(request, f"{TEMPLATES}party_contacts.html", {
        "agreement": agreement, "party": party, "form": form,
        "links": party.contacts.select_related("contact"),
    })


@require_http_methods(["GET", "POST"])
def party_contact_remove(request, pk: int, party_pk: int, link_pk: int):
    agreement, party = _party(request, pk, party_pk, may=permissions.can_edit_party_contacts)
    link = get_object_or_404(party.contacts.select_related("contact"), pk=link_pk)
    if request.method == "POST":
        services.party_contact_remove(party_contact=link)
        messages.success(request, f"{link.contact.name} is no longer named as {link.get_role_display()}.")
        return redirect("agreements:party_contacts", pk=agreement.pk, party_pk=party.pk)
    return render(request, f"{TEMPLATES}party_contact_remove.html", {
        "agreement": agreement, "party": party, "link": link,
    })


@require_http_methods(["GET", "POST"])
def party_data(request, pk: int, party_pk: int):
    agreement, party = _party(request, pk, party_pk, may=_manages)
    form = PartyDataForm(submitted(request), party=party)
    if form.is_valid():
        try:
            services.party_data_set(party=party, data_items=form.cleaned_data["data_items"], by_user=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"The data {party.organisation} provides has been saved.")
            return _to_parties(agreement)
    return render(request, f"{TEMPLATES}party_data.html", {"agreement": agreement, "party": party, "form": form})


@require_http_methods(["GET", "POST"])
def party_withdraw(request, pk: int, party_pk: int):
    agreement, party = _party(request, pk, party_pk, may=permissions.can_record_withdrawal)
    form = PartyWithdrawForm(submitted(request))
    if form.is_valid():
        try:
            services.party_withdraw(party=party, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            missed = undelivered_notices_of(withdrawal_event_key(party))
            told = (
                f"Not every party could be told: {undelivered_summary(missed)}." if missed
                else "Every other party's SPOC, and its own, has been told."
            )
            messages.success(
                request, f"{party.organisation} withdraws on {long_date(party.withdrawal_effective_on)}. {told}",
            )
            return _to_parties(agreement)
    return render(request, f"{TEMPLATES}party_withdraw.html", {"agreement": agreement, "party": party, "form": form})


@require_http_methods(["GET", "POST"])
def party_first_person(request, pk: int, party_pk: int):
    """The agreement's manager invites the first person of a party with nobody in the portal."""
    agreement, party = _party(request, pk, party_pk, may=permissions.can_invite_first_person)
    form = InvitationForm(submitted(request), by_user=request.user)
    if form.is_valid():
        try:
            invitation = invitation_send(organisation=party.organisation, by_user=request.user,
                                         purpose=selectors.party_invitation_purpose(agreement), **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}, to join for {party.organisation}. "
                                      "The link works once, for 7 days.")
            return _to_parties(agreement)
    context = {"agreement": agreement, "party": party, "form": form}
    return render(request, f"{TEMPLATES}party_first_person.html", context)


@require_http_methods(["GET", "POST"])
def party_act_for(request, pk: int, party_pk: int):
    """The agreement's manager acts for a party with nobody to administer it, or stops (decision
    0063): a page that says what it means, and a button."""
    agreement, party = _party(request, pk, party_pk, may=permissions.can_act_for)
    error = ""
    if request.method == "POST":
        stopping = request.POST.get("action") == "stop"
        try:
            if stopping:
                services.party_stop_acting_for(party=party)
            else:
                services.party_act_for(party=party, by_user=request.user)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
        else:
            messages.success(request, (_("You no longer act for %(organisation)s.") if stopping
                                       else _("You now act for %(organisation)s.")) % {
                "organisation": party.organisation})
            return _to_parties(agreement)
    administered = administrators_of(party.organisation).exists()
    return render(request, f"{TEMPLATES}party_act_for.html", {
        "agreement": agreement, "party": party, "error": error, "administered": administered,
    }, status=400 if error else 200)


IMPORT_SESSION_KEY = "_agreements_parties_import"


@require_http_methods(["GET", "POST"])
def party_import(request, pk: int):
    """/agreements/<pk>/parties/import/: an Appendix 1 (partners, signatories, SPOCs) imported into
    the agreement: a dry run first (``partners.imports``), then the directory, the parties and
    their contacts, all or nothing."""
    agreement = _agreement(request, pk)
    if not permissions.can_manage(request.user, agreement):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("action") == "import":
        plans = request.session.pop(IMPORT_SESSION_KEY, {}).get(str(agreement.pk))
        if plans is None:
            messages.error(request, "Upload the spreadsheet again: its preview has expired.")
            return redirect("agreements:party_import", pk=agreement.pk)
        counts = services.agreement_parties_import(agreement=agreement, plans=plans, by_user=request.user)
        messages.success(request, (
            f"Imported: {counts['parties']} parties and {counts['contacts']} of their contacts added "
            f"({counts['organisations']} organisations and {counts['people']} people new to the directory); "
            f"{counts['skipped']} rows with problems left out."
        ))
        return _to_parties(agreement)
    form = DirectoryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            shape, rows = imports.read_upload(upload)
            if shape != imports.APPENDIX_1:
                raise ValidationError("Use an agreement's list of partners, signatories and points of contact "
                                      "(Appendix 1); import a contact list from the Partners page.")
        except ValidationError as error:
            form.add_error("file", error)
        else:
            plans = imports.plan(shape, rows)
            request.session[IMPORT_SESSION_KEY] = {str(agreement.pk): plans}
            return render(request, "partners/import_preview.html", {
                **imports.preview(plans, upload), "agreement": agreement,
            })
    return render(request, "partners/import.html", {"form": form, "agreement": agreement})
