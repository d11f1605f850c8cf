"""Drafting an agreement: starting one, a page per task, and its status (the task list:
``agreements.views.tasks``).

Only the owner's governance managers reach these pages (``permissions.can_manage``): someone
else who can see the agreement gets 403, anyone who cannot gets 404. An agreement that has
ended or been superseded can no longer be changed, so its task pages are 403 too.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from govuk_blocks.forms import submitted
from partners.models import Organisation, Role
from partners.permissions import user_organisation_ids

from .. import permissions
from ..forms import drafting as forms
from ..forms import kinds as kind_forms
from ..forms.breaches import BreachClocksForm
from ..forms.gateways import GatewaysForm
from ..forms.parties import DataItemForm
from ..forms.reviews import ReviewForm
from ..models import Agreement, Kind, Status
from ..selectors.drafting import agreements_visible_to
from ..selectors.kinds import KIND_TASK_TITLE
from ..selectors.versions import latest_version, next_version_label
from ..services import drafting as services
from ..services import kinds as kind_services
from ..services import sections as section_services
from ..services.lifecycle import ALLOWED_MOVES, STATES, MoveRefused, agreement_status_move, move_problems
from ..services.versions import VERSIONED_STATUSES

# -- Who may come in --------------------------------------------------------------------------


def managed_agreement(request, pk: int, *, to_change: bool = False) -> Agreement:
    """The agreement, if the user may manage it (else 404 or 403, see the module docstring)."""
    agreement = get_object_or_404(agreements_visible_to(request.user), pk=pk)
    if not permissions.can_manage(request.user, agreement):
        raise PermissionDenied
    if to_change and not services.is_editable(agreement):
        raise PermissionDenied
    return agreement


def substance_warning(agreement: Agreement) -> str:
    """What saving a change to the substance will do, once the agreement has a version."""
    if agreement.status not in VERSIONED_STATUSES:
        return ""
    latest = latest_version(agreement)
    state = f"This agreement is {agreement.get_status_display().lower()}."
    if latest is not None and not latest.signatures.exists():
        return (
            f"{state} Saving a change to its substance changes version {latest.label}, which no "
            "party has signed yet."
        )
    return (
        f"{state} Saving a change to its substance creates version "
        f"{next_version_label(agreement)} and every party must sign again."
    )


def _saved(request, agreement: Agreement, *, what: str, version_before: str):
    agreement.refresh_from_db()
    message = _("%(what)s saved.") % {"what": what}
    if agreement.version != version_before:
        message += " " + _("The agreement is now version %(version)s: every party must sign it again.") % {
            "version": agreement.version}
    messages.success(request, message)


# -- Starting ---------------------------------------------------------------------------------


def agreement_start(request):
    """/agreements/new/: a governance manager starts a draft for an organisation they manage for."""
    owners = Organisation.objects.filter(
        pk__in=user_organisation_ids(request.user, roles=[Role.GOVERNANCE_MANAGER]),
    ).order_by("name")
    if not owners.exists():
        raise PermissionDenied
    data = submitted(request)
    form = forms.AgreementStartForm(data, user=request.user, owners=owners)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            agreement = services.agreement_start(
                by_user=request.user, owner=data["owner"], title=data["title"], mode=data["mode"],
                source=data["source"], template=data.get("template") or "",
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"You have started “{agreement.title}”. Work through the tasks below.")
            return redirect("agreements:tasks", pk=agreement.pk)
    return render(request, "agreements/drafting/start.html", {"form": form})


# -- One page per task ------------------------------------------------------------------------


class TaskFormView(View):
    """A task that is one form: show it, save it through ``service``, back to the task list."""

    title = ""
    intro = ""
    hide_optional = False  # for pages whose every question is optional on its own
    form_class = None
    service = None  # staticmethod(services.<name>)
    template_name = "agreements/drafting/task_form.html"
    back_to = "agreements:tasks"

    def get_item(self, agreement: Agreement, item_pk):
        return None

    def form_kwargs(self, request, agreement, item) -> dict:
        kwargs = {"agreement": agreement, "user": request.user}
        if item is not None:
            kwargs["item"] = item
        return kwargs

    def call_service(self, request, agreement, item, form) -> None:
        extra = {"item": item} if item is not None else {}
        self.service(agreement=agreement, by_user=request.user, **form.service_kwargs(), **extra)

    def get(self, request, pk: int, item_pk: int | None = None):
        agreement = managed_agreement(request, pk, to_change=True)
        item = self.get_item(agreement, item_pk)
        form = self.form_class(**self.form_kwargs(request, agreement, item))
        return self.render(request, agreement, form, item)

    def post(self, request, pk: int, item_pk: int | None = None):
        agreement = managed_agreement(request, pk, to_change=True)
        item = self.get_item(agreement, item_pk)
        form = self.form_class(request.POST, **self.form_kwargs(request, agreement, item))
        if form.is_valid():
            version_before = agreement.version
            try:
                self.call_service(request, agreement, item, form)
            except ValidationError as error:
                agreement.refresh_from_db()
                form.add_service_errors(error)
            else:
                _saved(request, agreement, what=self.title, version_before=version_before)
                return redirect(self.back_to, pk=agreement.pk)
        return self.render(request, agreement, form, item)

    def render(self, request, agreement, form, item):
        return render(request, self.template_name, {
            "agreement": agreement, "form": form, "item": item, "title": self.title,
            "intro": self.intro, "hide_optional": self.hide_optional,
            "propose_gateway": self.form_class is GatewaysForm,
            "back_url": reverse(self.back_to, kwargs={"pk": agreement.pk}),
            "warning": substance_warning(agreement),
        })


class DetailsTask(TaskFormView):
    title = "Details"
    form_class = forms.DetailsForm
    service = staticmethod(services.agreement_details_update)


class PurposesTask(TaskFormView):
    title = "Purposes"
    intro = "Why the partners share information. Each disclosure logged names one of these purposes."
    form_class = forms.PurposesForm
    service = staticmethod(services.agreement_purposes_update)


class GatewaysTask(TaskFormView):
    title = "Legal gateways"
    intro = "The law the sharing relies on. Select every provision the agreement cites."
    hide_optional = True
    form_class = GatewaysForm
    service = staticmethod(services.agreement_gateways_set)


class TransferTask(TaskFormView):
    title = "Transfer and security"
    form_class = forms.TransferForm
    service = staticmethod(services.agreement_transfer_update)


class RetentionTask(TaskFormView):
    title = "Retention"
    intro = "How long partners keep the information they receive."
    form_class = forms.RetentionForm
    service = staticmethod(services.agreement_retention_update)
    template_name = "agreements/drafting/retention.html"


class BreachesTask(TaskFormView):
    title = "Breaches"
    intro = ("What the agreement says about the time after a breach. Leave a step blank if the "
             "agreement does not say: no deadline is then set for it. A personal data breach is "
             "reported to the ICO within 72 hours whatever the agreement says.")
    hide_optional = True
    form_class = BreachClocksForm
    service = staticmethod(services.agreement_breach_clocks_update)


class ReviewTask(TaskFormView):
    title = "Review"
    intro = "When the partners review the agreement. Reviews are due from the day it comes into force."
    form_class = ReviewForm
    service = staticmethod(services.agreement_review_update)


class DataItemTask(TaskFormView):
    """Add (no ``item_pk``) or change one row of the data to be shared."""

    form_class = DataItemForm
    service = staticmethod(services.data_item_save)
    back_to = "agreements:task_data"

    title = "Data to be shared"

    def get_item(self, agreement, item_pk):
        return get_object_or_404(agreement.data_items, pk=item_pk) if item_pk else None


class SectionTask(TaskFormView):
    """Add (no ``item_pk``) or change one numbered section."""

    title = "Section"
    form_class = forms.SectionForm
    service = staticmethod(section_services.section_save)
    back_to = "agreements:task_sections"

    def get_item(self, agreement, item_pk):
        return get_object_or_404(agreement.sections, pk=item_pk) if item_pk else None

    def call_service(self, request, agreement, item, form) -> None:
        section_services.section_save(
            agreement=agreement, by_user=request.user, section=item, **form.service_kwargs(),
        )


class KindTermsTask(TaskFormView):
    """What the agreement's kind records beyond its sections (decision 0065): the form is the
    kind's; a kind that records nothing more has no such page (404)."""

    def dispatch(self, request, pk: int, item_pk: int | None = None):
        agreement = managed_agreement(request, pk, to_change=True)
        if agreement.kind not in kind_forms.FORMS:
            raise Http404
        self.form_class = kind_forms.FORMS[agreement.kind]
        self.title = KIND_TASK_TITLE[agreement.kind]
        self.service = {
            Kind.JOINT_CONTROLLER: kind_services.joint_controller_essence_update,
            Kind.PROCESSING_CONTRACT: kind_services.processing_terms_update,
            Kind.DATA_DISCLOSURE: kind_services.disclosure_terms_update,
        }[agreement.kind]
        self.intro = KIND_INTROS[agreement.kind]
        return super().dispatch(request, pk, item_pk)

    def call_service(self, request, agreement, item, form) -> None:
        self.service(agreement=agreement, by_user=request.user, **form.service_kwargs())

    def render(self, request, agreement, form, item):
        if agreement.kind != Kind.PROCESSING_CONTRACT:
            return super().render(request, agreement, form, item)
        self.template_name = "agreements/drafting/processing_terms.html"  # with its sub-processors
        return super().render(request, agreement, form, item)


class SubProcessorTask(TaskFormView):
    """Add (no ``item_pk``) or change a sub-processor of a processing contract, with its approval."""

    title = gettext_lazy("Sub-processor")
    intro = gettext_lazy("A sub-processor may be used only once the controller has approved it "
                         "(UK GDPR Article 28(2)).")
    form_class = kind_forms.SubProcessorForm
    service = staticmethod(kind_services.sub_processor_save)
    back_to = "agreements:task_kind"
    template_name = "agreements/drafting/sub_processor.html"

    def get_item(self, agreement, item_pk):
        if agreement.kind != Kind.PROCESSING_CONTRACT:
            raise Http404
        return get_object_or_404(agreement.sub_processors, pk=item_pk) if item_pk else None


KIND_INTROS = {
    Kind.JOINT_CONTROLLER: gettext_lazy("The essence of the arrangement (UK GDPR Article 26(2)). It is shown on the "
                                        "agreement's page and in its PDF, and must be complete before it goes for "
                                        "signature."),
    Kind.PROCESSING_CONTRACT: gettext_lazy("The parties to the contract and the terms Article 28(3) requires it to "
                                           "contain."),
    Kind.DATA_DISCLOSURE: gettext_lazy("A data disclosure agreement has one discloser and one recipient."),
}


def data_items(request, pk: int):
    agreement = managed_agreement(request, pk, to_change=True)
    return render(request, "agreements/drafting/data_items.html", {
        "agreement": agreement,
        "items": agreement.data_items.prefetch_related("providers__organisation"),
        "warning": substance_warning(agreement),
    })


def sections(request, pk: int):
    """The numbered sections, in order; "Move up" and "Move down" post back here."""
    agreement = managed_agreement(request, pk, to_change=True)
    if request.method == "POST":
        form = forms.SectionMoveForm(request.POST)
        if form.is_valid():
            section = get_object_or_404(agreement.sections, pk=form.cleaned_data["section"])
            section_services.section_move(section=section, by_user=request.user,
                                  up=form.cleaned_data["direction"] == "up")
            messages.success(request, f"Section {section} moved {form.cleaned_data['direction']}.")
        return redirect("agreements:task_sections", pk=agreement.pk)
    return render(request, "agreements/drafting/sections.html", {
        "agreement": agreement, "sections": agreement.sections.all(),
        "warning": substance_warning(agreement),
    })


def _remove(request, pk, item_pk, *, related: str, service, back_to: str, what: str):
    agreement = managed_agreement(request, pk, to_change=True)
    item = get_object_or_404(getattr(agreement, related), pk=item_pk)
    if request.method == "POST":
        version_before = agreement.version
        name = str(item)
        if related == "sections":
            service(section=item, by_user=request.user)
        else:
            service(item=item, by_user=request.user)
        agreement.refresh_from_db()
        message = f"{what} “{name}” removed."
        if agreement.version != version_before:
            message += f" The agreement is now version {agreement.version}: every party must sign it again."
        messages.success(request, message)
        return redirect(back_to, pk=agreement.pk)
    return render(request, "agreements/drafting/remove.html", {
        "agreement": agreement, "item": item, "what": what,
        "back_url": reverse(back_to, kwargs={"pk": agreement.pk}),
        "warning": substance_warning(agreement),
    })


def data_item_remove(request, pk: int, item_pk: int):
    return _remove(request, pk, item_pk, related="data_items", service=services.data_item_remove,
                   back_to="agreements:task_data", what="Data to be shared")


def section_remove(request, pk: int, item_pk: int):
    return _remove(request, pk, item_pk, related="sections", service=section_services.section_remove,
                   back_to="agreements:task_sections", what="Section")


# -- Status -----------------------------------------------------------------------------------

# The button for each move, and what it means, in the words a governance manager uses.
MOVES = {
    Status.DRAFT: ("Return to draft", "Take it back to draft to change it before anyone signs."),
    Status.CONSULTATION: (
        "Send for consultation",
        "Partners can read the draft and comment before it goes for signature.",
    ),
    Status.AWAITING_SIGNATURES: (
        "Send for signature",
        "Freezes the text as a new version. Every party's lead signatory and SPOCs are told "
        "there is a version to sign.",
    ),
    Status.IN_FORCE: (
        "Bring into force",
        "Partners who have signed may share under it from today. Every party's SPOCs are told.",
    ),
    Status.UNDER_REVIEW: ("Start a review", "It stays binding while the partners review it."),
    Status.SUPERSEDED: ("Mark as superseded", "Another agreement has replaced it. This cannot be undone."),
    Status.ENDED: ("End the agreement", "No more sharing may be logged under it. This cannot be undone."),
}
# Moves with no way back ask "are you sure?" first.
IRREVERSIBLE = {
    Status.SUPERSEDED: "Are you sure this agreement has been superseded?",
    Status.ENDED: "Are you sure you want to end this agreement?",
}


def agreement_status(request, pk: int):
    """The agreement's status, the moves it may make now, and why the others are refused."""
    agreement = managed_agreement(request, pk)
    form = forms.MoveForm(submitted(request))
    if request.method == "POST" and form.is_valid():
        to = form.cleaned_data["to"]
        if to in IRREVERSIBLE and request.POST.get("confirm") != "yes" and to in ALLOWED_MOVES[agreement.status]:
            return render(request, "agreements/drafting/status_confirm.html", {
                "agreement": agreement, "form": form, "to": to, "label": MOVES[to][0],
                "question": IRREVERSIBLE[to],
            })
        if to not in Status.values:
            form.add_error(None, "Choose what should happen to the agreement.")
        else:
            try:
                agreement_status_move(agreement=agreement, to=to, by_user=request.user)
            except MoveRefused as refused:
                for problem in refused.problems:
                    form.add_error(None, problem)
            except ValidationError as error:
                form.add_service_errors(error)
            else:
                messages.success(request, f"“{agreement.title}” is now {STATES[agreement.status]}.")
                return redirect("agreements:status", pk=agreement.pk)
        agreement.refresh_from_db()
    moves = [
        {"to": to, "label": MOVES[to][0], "description": MOVES[to][1],
         "problems": move_problems(agreement, to), "warning": to in IRREVERSIBLE}
        for to in ALLOWED_MOVES[agreement.status]
    ]
    return render(request, "agreements/drafting/status.html", {
        "agreement": agreement, "form": form,
        "possible": [move for move in moves if not move["problems"]],
        "refused": [move for move in moves if move["problems"]],
        "version": latest_version(agreement),
    })
