"""The partner directory: organisations, their people, and keeping both current."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone

from govuk_blocks.dates import long_date
from govuk_blocks.forms import submitted

from . import permissions, selectors, services
from .forms import ContactForm, OrganisationFilterForm, OrganisationForm


def organisation_list(request):
    form = OrganisationFilterForm(request.GET)
    organisations = selectors.organisations_filtered(
        selectors.organisations_visible_to(request.user).select_related("successor"), **form.filters(),
    )
    today = timezone.localdate()
    rows = [(organisation, selectors.ico_renewal_state(organisation, on=today)) for organisation in organisations]
    return render(request, "partners/organisation_list.html", {
        "form": form, "rows": rows, "count": len(rows), "may_add": permissions.can_add_organisation(request.user),
    })


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
        "contacts": contacts,
        "may_change": may_change,
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
            messages.success(request, f"{organisation.name}’s details have been updated.")
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


