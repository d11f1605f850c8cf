"""The partner directory: organisations, their people, and keeping both current."""

import base64

import qrcode
import qrcode.image.svg
from django.contrib import messages
from django.contrib.auth import get_user_model, login
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST
from django_otp import login as otp_login

from govuk_blocks.dates import long_date
from govuk_blocks.exports import CSV, download
from govuk_blocks.forms import submitted

from . import access, exports, imports, permissions, selectors, services
from .forms import (
    AccessLogFilterForm,
    AuthenticatorForm,
    ContactForm,
    DirectoryImportForm,
    InvitationForm,
    JoinForm,
    JoinResumeForm,
    OrganisationFilterForm,
    OrganisationForm,
    PasswordCheckForm,
    PersonRolesForm,
)
from .models import Invitation, Organisation
from .permissions import access_log_organisation_ids
from .throttle import failure_record, is_locked, lockout_response

ORGANISATIONS_PER_PAGE = 25


def _organisations_filtered(request):
    """The directory's filter form and the organisations it selects."""
    form = OrganisationFilterForm(request.GET)
    return form, selectors.organisations_filtered(
        selectors.organisations_visible_to(request.user).select_related("successor"), **form.filters(),
    ).order_by("name", "pk")


def organisation_list(request):
    """The directory, a page at a time, narrowed by the search and sector filters. A page number
    that is not a number shows the first page; one past the end, the last."""
    form, organisations = _organisations_filtered(request)
    page = Paginator(organisations, ORGANISATIONS_PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(organisation, selectors.ico_renewal_state(organisation, on=today)) for organisation in page]
    return render(request, "partners/organisation_list.html", {
        "form": form, "rows": rows, "page": page, "count": page.paginator.count,
        "may_add": permissions.can_add_organisation(request.user),
        "may_read_access_log": permissions.can_read_access_log(request.user),
    })


def directory_export(request, fmt: str = CSV):
    """The directory, with the list's filters, and the people at each organisation, as a CSV or
    XLSX file."""
    _, organisations = _organisations_filtered(request)
    return download(columns=exports.DIRECTORY_COLUMNS, objects=exports.directory_rows(organisations), fmt=fmt,
                    filename=f"directory-{timezone.localdate():%Y-%m-%d}", title="Directory")


def organisation_detail(request, pk: int):
    organisation = get_object_or_404(
        selectors.organisations_visible_to(request.user).select_related("successor"), pk=pk,
    )
    may_change = permissions.can_change_organisation(request.user, organisation)
    contacts = []
    for contact in selectors.contacts_of(organisation):
        own = permissions.can_confirm_contact(request.user, contact)
        contacts.append((contact, own, own or may_change))
    return render(request, "partners/organisation_detail.html", {
        "organisation": organisation,
        "renewal": selectors.ico_renewal_state(organisation),
        "dspt_lapsed": selectors.DSPT_LAPSED in selectors.assurance_lapses(organisation),
        "ico_warning": selectors.ico_registration_warning(organisation),
        "contacts": contacts,
        "may_change": may_change,
        "may_manage_people": permissions.can_manage_people(request.user, organisation),
        "may_manage_api_clients": permissions.can_manage_api_clients(request.user, organisation),
        "may_read_record_of_processing": permissions.can_read_record_of_processing(request.user, organisation),
    })


def organisation_create(request):
    """/partners/new/: a governance manager adds an organisation, seeing first any already in the
    directory under a nearly matching name."""
    if not permissions.can_add_organisation(request.user):
        raise PermissionDenied
    form = OrganisationForm(submitted(request))
    near_matches, name = [], ""
    if request.method == "POST" and form.is_valid():
        name = " ".join(form.cleaned_data["name"].split())
        near_matches = selectors.organisations_like(name)
        if not near_matches or request.POST.get("near_matches_seen") == name:
            try:
                organisation = services.organisation_create(**form.cleaned_data)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"{organisation.name} has been added to the directory.")
                return redirect(organisation)
    return render(request, "partners/organisation_create.html", {
        "form": form, "near_matches": near_matches, "near_matches_seen": name if near_matches else "",
    })


def organisation_edit(request, pk: int):
    organisation = get_object_or_404(selectors.organisations_visible_to(request.user), pk=pk)
    if not permissions.can_change_organisation(request.user, organisation):
        raise PermissionDenied
    form = OrganisationForm(
        submitted(request), initial=OrganisationForm.initial_for(organisation), organisation=organisation,
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update(organisation=organisation, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("%(organisation)s’s details have been updated.") % {
                "organisation": organisation.name})
            return redirect(organisation)
    return render(request, "partners/organisation_edit.html", {"organisation": organisation, "form": form})


def contact_edit(request, pk: int):
    contact = get_object_or_404(selectors.contacts_visible_to(request.user), pk=pk)
    if not permissions.can_change_contact(request.user, contact):
        raise PermissionDenied
    own = contact.user_id == request.user.pk
    form = ContactForm(submitted(request), initial=ContactForm.initial_for(contact))
    if request.method == "POST" and form.is_valid():
        try:
            services.contact_update(contact=contact, by_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, "Your details have been updated." if own else f"{contact.name}’s details have been updated.",
            )
            return redirect(contact.organisation)
    return render(request, "partners/contact_edit.html", {"contact": contact, "own": own, "form": form})


def contact_confirm(request, pk: int):
    """The person confirms their directory entry is current (001 §6.5); nobody else may."""
    contact = get_object_or_404(selectors.contacts_visible_to(request.user), pk=pk)
    if not permissions.can_confirm_contact(request.user, contact):
        raise PermissionDenied
    if request.method == "POST":
        services.contact_confirm_details(contact=contact, on=timezone.localdate())
        messages.success(
            request,
            f"You confirmed your details are current on {long_date(contact.details_confirmed_on)}.",
        )
        return redirect(contact.organisation)
    return render(request, "partners/contact_confirm.html", {"contact": contact})




# People: invitations, joining, the authenticator ---------------------------------------------


def _people_managed(request, pk: int) -> Organisation:
    """The organisation, if the user manages its people (404 if they cannot see it, else 403)."""
    organisation = get_object_or_404(selectors.organisations_visible_to(request.user), pk=pk)
    if not permissions.can_manage_people(request.user, organisation):
        raise PermissionDenied
    return organisation


def _member(organisation: Organisation, user_pk: int):
    """A person with a membership of ``organisation``, or 404 (a case system's service account too:
    it is managed with its API token)."""
    return get_object_or_404(
        get_user_model().objects.filter(
            memberships__organisation=organisation, memberships__service_account=False,
        ).distinct(), pk=user_pk,
    )


def people(request, pk: int):
    """/partners/<pk>/people/: who is in the portal for the organisation, and who is invited."""
    organisation = _people_managed(request, pk)
    return render(request, "partners/people.html", {
        "organisation": organisation, "people": selectors.people_of(organisation),
        "invitations": selectors.invitations_open(organisation).select_related("invited_by"), "now": timezone.now(),
    })


@require_http_methods(["GET", "POST"])
def invite(request, pk: int):
    organisation = _people_managed(request, pk)
    form = InvitationForm(submitted(request), by_user=request.user)
    if form.is_valid():
        try:
            invitation = services.invitation_send(organisation=organisation, by_user=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"Invitation sent to {invitation.email}. The link works once, for 7 days.")
            return redirect("partners:people", pk=organisation.pk)
    return render(request, "partners/invite.html", {"organisation": organisation, "form": form})


@require_POST
def invitation_change(request, pk: int, action: str):
    """Resend (a new link, the old one dead) or withdraw an open invitation."""
    invitation = get_object_or_404(Invitation.objects.select_related("organisation"), pk=pk)
    if not permissions.can_manage_people(request.user, invitation.organisation):
        raise PermissionDenied
    try:
        if action == "resend":
            services.invitation_resend(invitation=invitation, by_user=request.user)
            messages.success(request, f"Invitation sent again to {invitation.email}. The earlier link no longer works.")
        else:
            services.invitation_withdraw(invitation=invitation, by_user=request.user)
            messages.success(request, f"Invitation to {invitation.email} withdrawn. Its link no longer works.")
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("partners:people", pk=invitation.organisation_id)


@require_http_methods(["GET", "POST"])
def person_roles(request, pk: int, user_pk: int):
    """A people manager changes a member's roles at the organisation, or removes them from it."""
    organisation = _people_managed(request, pk)
    person = _member(organisation, user_pk)
    held = list(person.memberships.filter(organisation=organisation).values_list("role", flat=True))
    form = PersonRolesForm(submitted(request), initial={"roles": held}, by_user=request.user, held=held)
    if form.is_valid():
        try:
            left = services.person_roles_set(user=person, organisation=organisation, by_user=request.user,
                                             roles=form.cleaned_data["roles"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            name = person.get_full_name() or person.get_username()
            messages.success(request, f"{name}’s roles have been changed." if left
                             else f"{name} no longer acts for {organisation}; they have been signed out.")
            return redirect("partners:people", pk=organisation.pk)
    return render(request, "partners/person_roles.html", {"organisation": organisation, "person": person, "form": form})


@login_not_required
@require_http_methods(["GET", "POST"])
def join(request, token: str):
    """/join/<token>/: the invitee chooses a password; then their authenticator."""
    if is_locked(request):
        return lockout_response(request)
    invitation = selectors.invitation_by_token(token)
    if invitation is None and failure_record(request):  # a guessed link counts against the address
        return lockout_response(request)
    if invitation is not None and selectors.invitation_resumable(invitation):
        return _join_resumed(request, invitation)
    problem = _invitation_problem(invitation)
    if problem:
        status = 404 if invitation is None else 410
        return render(request, "partners/join_refused.html", {"problem": problem}, status=status)
    form = JoinForm(submitted(request))
    if form.is_valid():
        try:
            user = services.invitation_accept(invitation=invitation, password=form.cleaned_data["password"])
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("authenticator")
    return render(request, "partners/join.html", {"invitation": invitation, "form": form})


def _join_resumed(request, invitation):
    """Step 2 of 3 again, for someone who chose a password and stopped: the password, then on to
    the authenticator app. A wrong password counts against the address as at sign-in."""
    username = invitation.user.get_username()
    if request.method == "POST" and is_locked(request, username=username):
        return lockout_response(request)
    form = JoinResumeForm(submitted(request))
    if form.is_valid():
        try:
            user = services.invitation_resume(invitation=invitation, password=form.cleaned_data["password"])
        except ValidationError as error:
            if failure_record(request, username=username):
                return lockout_response(request)
            form.add_service_errors(error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("authenticator")
    return render(request, "partners/join.html", {"invitation": invitation, "form": form, "resumed": True})


def _invitation_problem(invitation) -> str:
    if invitation is None:
        return "This link is not a valid invitation. Check you copied all of it, or ask for a new one."
    if invitation.accepted_at is not None:
        return "This invitation has been used already. Sign in with your e-mail address and password."
    if invitation.withdrawn_at is not None:
        return "This invitation was withdrawn. Ask the person who invited you for a new one."
    if invitation.expires_at <= timezone.now():
        return "This invitation has expired. Ask the person who invited you to send it again."
    return ""


@login_not_required
@require_http_methods(["GET", "POST"])
def authenticator(request):
    """/account/authenticator/: scan the QR code, confirm with a code; backup codes follow."""
    if not request.user.is_authenticated:
        return redirect("login")
    try:
        device = services.authenticator_begin(user=request.user)
    except ValidationError:
        return redirect("home")  # enrolled already: a second app is not added without the first
    username = request.user.get_username()
    if request.method == "POST" and is_locked(request, username=username):
        return lockout_response(request)
    form = AuthenticatorForm(submitted(request))
    if form.is_valid():
        try:
            codes = services.authenticator_confirm(device=device, token=form.cleaned_data["token"])
        except ValidationError as error:
            if failure_record(request, username=username):
                return lockout_response(request)
            form.add_service_errors(error)
        else:
            otp_login(request, device)
            request.session[BACKUP_CODES_SESSION_KEY] = codes
            return redirect("backup_codes")
    return render(request, "partners/authenticator.html", {
        "form": form, "qr_svg": _qr_svg(device.config_url), "secret": _secret_in_groups(device),
    })


@require_http_methods(["GET", "POST"])
def authenticator_reset(request, pk: int, user_pk: int):
    """A people manager withdraws a member's authenticator (after a page asking them to be sure);
    the member is e-mailed a link to enrol a new one."""
    organisation = _people_managed(request, pk)
    person = _member(organisation, user_pk)
    name = person.get_full_name() or person.get_username()
    if request.method == "GET":
        context = {"organisation": organisation, "person": person}
        return render(request, "partners/authenticator_reset_confirm.html", context)
    try:
        services.authenticator_reset(user=person, by_user=request.user)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, f"{name}’s authenticator app and backup codes have been reset. They have been "
                                  "e-mailed a link to set up the app again.")
    return redirect("partners:people", pk=organisation.pk)


@login_not_required
@require_http_methods(["GET", "POST"])
def authenticator_reset_link(request, token: str):
    """/account/authenticator/reset/<token>/: the person's password, then a new authenticator."""
    if is_locked(request):
        return lockout_response(request)
    reset = selectors.authenticator_reset_by_token(token)
    if reset is None and failure_record(request):  # a guessed link counts against the address
        return lockout_response(request)
    if reset is None or reset.used_at is not None or reset.expires_at <= timezone.now():
        problem = ("This link is not valid." if reset is None
                   else "This link has been used already or has expired. Ask for your authenticator to be reset again.")
        return render(request, "partners/join_refused.html", {"problem": problem}, status=404 if reset is None else 410)
    username = reset.user.get_username()
    if request.method == "POST" and is_locked(request, username=username):
        return lockout_response(request)
    form = PasswordCheckForm(submitted(request))
    if form.is_valid():
        try:
            user = services.authenticator_reset_use(reset=reset, password=form.cleaned_data["password"])
        except ValidationError as error:
            if "password" in getattr(error, "error_dict", {}) and failure_record(request, username=username):
                return lockout_response(request)
            form.add_service_errors(error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            return redirect("authenticator")
    return render(request, "partners/authenticator_reset.html", {"reset": reset, "form": form})


def _qr_svg(text: str) -> str:
    image = qrcode.make(text, image_factory=qrcode.image.svg.SvgPathImage, box_size=8, border=2)
    return image.to_string(encoding="unicode")


def _secret_in_groups(device) -> str:
    secret = base64.b32encode(device.bin_key).decode().rstrip("=")
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


BACKUP_CODES_SESSION_KEY = "_partners_backup_codes"


def backup_codes(request):
    """/account/backup-codes/: shown once, straight after the authenticator is confirmed."""
    codes = request.session.pop(BACKUP_CODES_SESSION_KEY, None)
    if not codes:
        return redirect("home")
    return render(request, "partners/backup_codes.html", {"codes": codes})


IMPORT_SESSION_KEY = "_partners_directory_import"


@require_http_methods(["GET", "POST"])
def directory_import(request):
    """/partners/import/: upload a directory, see what each row would do and what is wrong with
    it (a dry run, nothing saved), then import the rows without problems, all or nothing."""
    if not permissions.can_add_organisation(request.user):
        raise PermissionDenied
    if request.method == "POST" and request.POST.get("action") == "import":
        plans = request.session.pop(IMPORT_SESSION_KEY, None)
        if plans is None:
            messages.error(request, "Upload the spreadsheet again: its preview has expired.")
            return redirect("partners:directory_import")
        try:
            counts = services.directory_import(plans=plans, by_user=request.user)
        except ValidationError as error:  # the directory changed since the preview: all or nothing
            messages.error(request, _("Nothing was imported: %(reason)s Upload the spreadsheet again to check it.")
                           % {"reason": " ".join(error.messages)})
            return redirect("partners:directory_import")
        messages.success(request, f"Imported: {counts['organisations']} organisations and {counts['people']} people "
                                  f"added; {counts['skipped']} rows with problems left out."
                                  + (ngettext(" %(count)d organisation’s assurance details updated.",
                                              " %(count)d organisations’ assurance details updated.",
                                              counts["assurance"]) % {"count": counts["assurance"]}
                                     if counts["assurance"] else ""))
        return redirect("partners:organisation_list")
    form = DirectoryImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            shape, rows = imports.read_upload(upload)
        except ValidationError as error:
            form.add_error("file", error)
        else:
            plans = imports.plan(shape, rows, by_user=request.user)
            request.session[IMPORT_SESSION_KEY] = plans
            return render(request, "partners/import_preview.html", imports.preview(plans, upload))
    return render(request, "partners/import.html", {"form": form})


def access_log(request):
    """The access log of the organisations whose log the user reads, newest first, filtered."""
    if not permissions.can_read_access_log(request.user):
        raise PermissionDenied("The access log is for an organisation's auditors and governance managers.")
    form = AccessLogFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()
    events = selectors.access_events_filtered(selectors.access_events_visible_to(request.user), **form.filters())
    events, newer, older = selectors.access_events_page(
        events, after=_whole_number(request.GET.get("after")), before=_whole_number(request.GET.get("before")),
    )
    return render(request, "partners/access_log.html", {
        "form": form, "rows": selectors.access_event_rows(events), "newer": newer, "older": older,
        "retention_days": access.retention_days(),
        "readable": sorted(selectors.organisation_names_of(access_log_organisation_ids(request.user)).values()),
    })


def _whole_number(value: str | None) -> int | None:
    return int(value) if value and value.isascii() and value.isdigit() and len(value) < 19 else None
