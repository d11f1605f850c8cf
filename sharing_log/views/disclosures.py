"""Pages of the sharing log. Entries are reached only through ``sharing_log.selectors``: one the
user may not read is a 404; one they may read but not change is a 403."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from django.views.decorators.http import require_POST

from govuk_blocks import once
from govuk_blocks.exports import CSV
from govuk_blocks.forms import submitted
from partners.access import access_event_record
from partners.models import AccessKind, Role
from partners.permissions import user_has_role, user_organisation_ids
from partners.selectors import undelivered_notices_of, undelivered_summary

from .. import exports, selectors, services
from ..forms.disclosures import DisclosureForm
from ..forms.lists import LogFilterForm
from ..models.disclosures import Decision
from ..permissions import (
    can_acknowledge,
    can_acknowledge_any,
    can_amend,
    can_log,
    can_read_log,
    chain_witness_organisation_ids,
)
from ..services.legal_basis import departure_event_key
from ..services.retention_dates import no_retention_rule_warning
from ..services.staleness import logged_warnings, stale_notices
from . import closures, escalations, onward, quality, retention
from .can_i_share import guided_finish, guided_outcome, guided_start

# The one-time tokens of the log page (govuk_blocks.once), and what a second sending is told.
LOG_FORM = "sharing_log:create"
ALREADY_LOGGED = gettext_noop("This form was sent more than once. The entry was logged once: this is it")


def _require_reader(user) -> None:
    if not can_read_log(user):
        raise PermissionDenied("The sharing log is for practitioners, SPOCs, governance managers and auditors.")


def _entry(user, pk: int):
    return get_object_or_404(selectors.disclosure_for_page(user, pk))


def _log_list(request, *, received: bool):
    _require_reader(request.user)
    # log_page reads what the rows show itself: the entries without _with_state's extras.
    lister = selectors.disclosures_received if received else selectors.disclosures_made
    entries = lister(request.user, state=False)
    form = LogFilterForm(request.GET or None, user=request.user)
    # A filter that is not valid lists nothing, rather than every entry under a caption that says
    # "filtered": the error summary says what to correct.
    if form.is_bound and not form.is_valid():
        page = selectors.LogPage(entries=[], newer=None, older=None)
    else:
        page = selectors.log_page(selectors.disclosures_filtered(entries, form.filters()),
                                  after=request.GET.get("after", ""), before=request.GET.get("before", ""))
    return render(request, "sharing_log/disclosure_list.html", {
        "form": form, "page": page, "received": received, "can_log": can_log(request.user),
        "current": "received" if received else "list", "show_inbox": can_acknowledge_any(request.user),
        "auditing": user_has_role(request.user, Role.AUDITOR),
        "chain_witness": bool(chain_witness_organisation_ids(request.user)),
        "export_query": urlencode([(key, value) for key, value in request.GET.items() if key in form.fields]
                                  + ([("list", "received")] if received else [])),
    })


def disclosure_list(request):
    """What my organisation shared and decided."""
    return _log_list(request, received=False)


def received_list(request):
    """What was shared with my organisation."""
    return _log_list(request, received=True)


def export(request, fmt: str = CSV):
    """The entries the user may see, with the list's filters, as a CSV (streamed) or XLSX file,
    every detail their pages show included (``sharing_log.exports``)."""
    _require_reader(request.user)
    received = request.GET.get("list") == "received"
    entries = selectors.disclosures_received(request.user) if received else selectors.disclosures_made(request.user)
    form = LogFilterForm(request.GET or None, user=request.user)
    if form.is_bound and not form.is_valid():
        # Never the whole log for a filter mistyped: back to the list, which says what to correct.
        listing = reverse("sharing_log:received" if received else "sharing_log:list")
        return redirect(f"{listing}?{urlencode([(k, v) for k, v in request.GET.items() if k != 'list'])}")
    entries = selectors.disclosures_filtered(entries, form.filters())
    access_event_record(request=request, kind=AccessKind.LOG_EXPORTED, object_type="sharing_log.export",
                        object_organisation_ids=user_organisation_ids(request.user))
    name = f"sharing-log-{'received' if received else 'shared'}-{timezone.localdate():%Y-%m-%d}"
    return exports.download(columns=exports.LOG_COLUMNS, objects=exports.export_entries(entries), fmt=fmt,
                            filename=name, title="Sharing log")


def disclosure_create(request):
    """Log a disclosure or a decision not to share: one page, one submit. The page carries a
    one-time token (``govuk_blocks.once``): sent twice, it makes one entry and the second sending
    shows the entry the first made."""
    if not can_log(request.user):
        raise PermissionDenied("Only practitioners, SPOCs and governance managers log disclosures.")
    data = submitted(request)
    token = once.posted(request) if data is not None else ""
    made = once.made_by(request, LOG_FORM, token)
    if made is not None:
        return _already_logged(request, made)
    # Answers brought from "Can I share?" are kept with the entry; they, and any other answers
    # in the address, pre-fill the page under the form's field names (DisclosureForm's docstring).
    guided = guided_start(request)
    initial = {}
    if request.GET.get("agreement"):
        initial["agreement"] = request.GET["agreement"]
    form = DisclosureForm(data, user=request.user, today=timezone.localdate(), initial=initial,
                          can_i_share_outcome=guided_outcome(guided), params=request.GET,
                          remember_agreement="agreement" not in request.GET)
    if data is None and form.chosen is None and len(form.agreements) > 1:
        return _choose_agreement(request, form)
    if request.method == "POST" and form.is_valid():
        disclosure, made = _log_once(request, form, guided, token)
        if made is not None:
            return _already_logged(request, made)
        if disclosure is not None:
            if guided:
                guided_finish(request)
            # Only an entry departing from the agreement's Article 6 basis sends a notice.
            missed = (list(undelivered_notices_of(departure_event_key(disclosure)))
                      if disclosure.art6_departure_reason else [])
            extra = [_("Not everyone could be told: %(who)s.") % {"who": undelivered_summary(missed)}] if missed else []
            extra += filter(None, [no_retention_rule_warning(disclosure.agreement)])
            told = ". " + " ".join(extra) if extra else ""
            logged = (_("Disclosure to %(organisation)s logged") if disclosure.decision == Decision.SHARED
                      else _("Decision not to share with %(organisation)s logged"))
            messages.success(request, logged % {"organisation": disclosure.recipient_organisation} + told)
            day = timezone.localdate(disclosure.occurred_at)
            for warning in logged_warnings(agreement=disclosure.agreement, on=day, decision=disclosure.decision,
                                           recipient_organisation=disclosure.recipient_organisation,
                                           recipient_party=disclosure.recipient_party):
                messages.warning(request, warning)
            return redirect("sharing_log:detail", pk=disclosure.pk)
    return render(request, "sharing_log/disclosure_form.html", {
        "form": form, "guided": guided, "submission_token": once.token_for(request, LOG_FORM),
        "stale_notices": [
            *stale_notices([form.chosen] if form.chosen else form.agreements, on=timezone.localdate()),
            *filter(None, map(no_retention_rule_warning, [form.chosen] if form.chosen else form.agreements)),
        ],
    })


def _choose_agreement(request, form):
    """Step one of the log page: the agreements the person may log under, their last one first.
    Each is a link to the form for it (``?agreement=<pk>``), keeping the rest of the address."""
    last = selectors.last_entry_by(request.user)
    last_pk = last.agreement_id if last else None
    choices = []
    for agreement in sorted(form.agreements, key=lambda agreement: agreement.pk != last_pk):
        query = request.GET.copy()
        query["agreement"] = agreement.pk
        choices.append({"agreement": agreement, "query": query.urlencode(), "last": agreement.pk == last_pk})
    return render(request, "sharing_log/disclosure_agreement.html", {"choices": choices})


def log_another_query(user, disclosure) -> str:
    """The address query of "Log another for this case": the same agreement and case reference,
    when ``user`` may log for the entry's organisation under that agreement today."""
    if not can_log(user) or disclosure.disclosing_organisation_id not in selectors.logging_organisation_ids(user):
        return ""
    loggable = getattr(disclosure, "loggable", None)  # read with the entry by disclosure_for_entry_page
    if loggable is None:
        loggable = selectors.agreements_to_log_under(user, on=timezone.localdate()).filter(
            pk=disclosure.agreement_id).exists()
    if not loggable:
        return ""
    return urlencode({"agreement": disclosure.agreement_id, "case_reference": disclosure.case_reference})


def _log_once(request, form, guided, token: str):
    """The entry logged under the one-time ``token``: ``(entry, None)``; ``(None, pk)`` when an
    earlier sending of the token made entry ``pk``; ``(None, None)`` with the form's errors
    saying why nothing was logged (a token the session did not issue, or the service's refusal)."""
    try:
        with once.claimed(request, LOG_FORM, token) as claim:
            if claim.unknown:
                form.add_error(None, once.FORM_EXPIRED)
                return None, None
            if claim.made is not None:
                return None, claim.made
            disclosure = services.disclosure_log(
                by_user=request.user, **form.service_kwargs(),
                can_i_share_answers=guided.record if guided else None,
            )
            claim.spend(request, LOG_FORM, token, disclosure.pk)
            return disclosure, None
    except ValidationError as error:
        form.add_service_errors(error)
        return None, None


def _already_logged(request, pk):
    messages.info(request, _(ALREADY_LOGGED))
    return redirect("sharing_log:detail", pk=pk)


def disclosure_detail(request, pk: int):
    """An entry with everything pointing at it. Each part is read once and handed to every part
    of the page that shows it (issue 15: at most 15 queries whatever the entry holds)."""
    disclosure = get_object_or_404(selectors.disclosure_for_entry_page(request.user, pk, on=timezone.localdate()))
    access_event_record(
        request=request, kind=AccessKind.ENTRY_OPENED, object_type="sharing_log.disclosure", object_id=disclosure.pk,
        object_organisation_ids=(disclosure.disclosing_organisation_id, disclosure.recipient_organisation_id),
    )
    amendments = list(selectors.amendments_of(disclosure))
    selectors.amendments_keep(disclosure, amendments)
    selectors.legal_gateways_keep(disclosure)
    acknowledgement = selectors.entry_acknowledgement(disclosure)
    destruction = selectors.entry_destruction(disclosure)
    onward_requests = list(selectors.onward_requests_of(disclosure)) if disclosure.has_onward_requests else []
    confirmations = selectors.entry_confirmations(disclosure, disclosure.prefetched_inaccurate)
    return render(request, "sharing_log/disclosure_detail.html", {
        "disclosure": disclosure,
        "rows": selectors.entry_rows(disclosure, amendments),
        "amendments": amendments,
        "void": disclosure.prefetched_void,
        "acknowledgement": acknowledgement,
        "timeline": selectors.disclosure_timeline(
            disclosure, amendments=amendments, acknowledgement=acknowledgement,
            onward_requests=onward_requests, confirmations=confirmations,
        ),
        "can_amend": can_amend(request.user, disclosure),
        "can_acknowledge": can_acknowledge(request.user, disclosure),
        "log_another_query": "" if disclosure.prefetched_void else log_another_query(request.user, disclosure),
        **onward.entry_context(request.user, disclosure, onward_requests),
        **quality.entry_context(request.user, disclosure, confirmations),
        **escalations.entry_context(request.user, disclosure),
        **closures.entry_context(request.user, disclosure),
        **retention.entry_context(request.user, disclosure, destruction=destruction, confirmations=confirmations),
    })


# Receipts to acknowledge a page, oldest first.
INBOX_PER_PAGE = 50


def inbox(request):
    """Information shared with the SPOC's organisations, waiting for acknowledgement."""
    if not can_acknowledge_any(request.user):
        raise PermissionDenied("Only a SPOC acknowledges information received.")
    # Counted without the joins the rows need; the page's rows read as plain values.
    page = Paginator(selectors.disclosures_awaiting_acknowledgement(request.user), INBOX_PER_PAGE).get_page(
        request.GET.get("page"),
    )
    rows = selectors.inbox_page_rows(selectors.inbox_rows(page.object_list))
    return render(request, "sharing_log/inbox.html", {"page": page, "entries": rows})


@require_POST
def acknowledge(request, pk: int):
    disclosure = _entry(request.user, pk)
    if not can_acknowledge(request.user, disclosure):
        raise PermissionDenied("Only a SPOC of the organisation it was shared with may acknowledge receipt.")
    try:
        services.disclosure_acknowledge(disclosure=disclosure, by_user=request.user)
    except ValidationError as error:
        for message in error.messages:
            messages.warning(request, message)
    else:
        messages.success(request, f"Receipt from {disclosure.disclosing_organisation} acknowledged")
    if request.POST.get("from") == "inbox":
        page = request.POST.get("page", "")
        return redirect(reverse("sharing_log:inbox") + (f"?{urlencode({'page': page})}" if page.isdigit() else ""))
    return redirect("sharing_log:detail", pk=disclosure.pk)
