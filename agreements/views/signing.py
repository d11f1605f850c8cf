"""Signing pages: sign in the portal, record a returned signature form and download its scan,
and the signature status of one agreement and of all a governance manager's agreements.

An agreement outside the user's selector is a 404; a visible one the user may not act on, a 403
(rules in ``agreements.permissions``).
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govuk_blocks.exports import CSV, download
from govuk_blocks.forms import submitted
from partners.access import access_event_record
from partners.models import AccessKind
from partners.selectors import undelivered_notices_of, undelivered_summary

from .. import exports, permissions
from ..forms.parties import PartyFilterForm
from ..forms.signing import PaperSignatureForm, SignForm
from ..models import ContactRole
from ..selectors import signing as selectors
from ..selectors.dpo_reviews import dpo_stages_attach
from ..selectors.drafting import agreements_visible_to
from ..selectors.parties import party_rows_filtered
from ..selectors.versions import latest_version, version_for_reading
from ..services import signing as services
from ..services.signing import (
    NOT_SENT_FOR_SIGNATURE,
    dpo_refusal,
    no_spoc_refusal,
    reminder_sent_message,
    scan_content_type,
    signature_reminder_event_key,
    signing_refusal,
)

TEMPLATES = "agreements/signing/"


def _agreement(request, pk: int):
    return get_object_or_404(agreements_visible_to(request.user), pk=pk)


def _party(agreement, party_pk: int):
    return get_object_or_404(agreement.parties.select_related("organisation", "agreement"), pk=party_pk)




def party_sign(request, pk: int, party_pk: int):
    agreement = _agreement(request, pk)
    party = _party(agreement, party_pk)
    if not permissions.can_sign(request.user, party):
        raise PermissionDenied
    version = latest_version(agreement)
    refusal = signing_refusal(party) or (None if version else NOT_SENT_FOR_SIGNATURE) or no_spoc_refusal(party)
    data = submitted(request)
    form = None if refusal else SignForm(data, party=party, version=version,
                                         job_title=selectors.signatory_job_title(request.user))
    if request.method == "POST" and form is not None and form.is_valid():
        shown = agreement.versions.filter(pk=form.cleaned_data["version"]).first()
        try:
            if shown is None:
                raise ValidationError(_("That version is not a version of this agreement."))
            services.signature_sign(
                party=party, version=shown, user=request.user,
                typed_name=form.cleaned_data["typed_name"], declaration=form.cleaned_data["declaration"],
                job_title=form.cleaned_data["job_title"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, _("You have signed version %(label)s for %(organisation)s.") % {
                "label": shown.label, "organisation": party.organisation})
            return redirect("agreements:party_sign", pk=agreement.pk, party_pk=party.pk)
    state = selectors.party_signature_state(party)
    # The DPO review awaited (decision 0062): said above the text; the form is shown only once
    # the DPO is content, or to show why a post from a page opened earlier was refused.
    dpo_notice = dpo_refusal(party, version) if version and not refusal and state.signature_status != "signed" else None
    return render(request, f"{TEMPLATES}sign.html", {
        "agreement": agreement, "party": state, "version": version,
        "content": version_for_reading(version) if version else None,
        "refusal": refusal, "form": form, "dpo_notice": dpo_notice,
        "show_form": form is not None and (not dpo_notice or form.is_bound),
    })


def party_paper_signature(request, pk: int, party_pk: int):
    agreement = _agreement(request, pk)
    party = _party(agreement, party_pk)
    if not permissions.can_manage(request.user, agreement):
        raise PermissionDenied
    versions = list(agreement.versions.filter(text_held=True).order_by("-number"))  # not those only on file
    refusal = signing_refusal(party) or (None if versions else NOT_SENT_FOR_SIGNATURE)
    named = party.contacts.filter(role=ContactRole.LEAD_SIGNATORY).select_related("contact").first()
    initial = {"signatory_name": named.contact.name, "signatory_role": named.contact.job_title} if named else {}
    posted = request.method == "POST"
    form = None if refusal else PaperSignatureForm(
        request.POST if posted else None, request.FILES if posted else None, versions=versions, initial=initial,
    )
    if request.method == "POST" and form is not None and form.is_valid():
        version = next(v for v in versions if v.pk == form.cleaned_data["version"])
        try:
            services.signature_record_paper(
                party=party, version=version, signatory_name=form.cleaned_data["signatory_name"],
                signatory_role=form.cleaned_data["signatory_role"], signed_on=form.cleaned_data["signed_on"],
                recorded_by=request.user, scan=form.cleaned_data["scan"],
            )
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(
                request, f"The signature form of {party.organisation} for version {version.label} has been recorded.",
            )
            return redirect("agreements:signatures", pk=agreement.pk)
    return render(request, f"{TEMPLATES}paper_signature.html", {
        "agreement": agreement, "party": selectors.party_signature_state(party), "refusal": refusal, "form": form,
    })


def signature_scan(request, pk: int, signature_pk: int):
    """The scan of a returned signature form, as a download that is never cached."""
    agreement = _agreement(request, pk)
    signature = get_object_or_404(selectors.agreement_signatures(agreement), pk=signature_pk)
    if not permissions.can_download_scan(request.user, signature):
        raise PermissionDenied
    if not signature.scan:
        raise Http404
    try:
        scan = signature.scan.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    access_event_record(
        request=request, kind=AccessKind.SIGNATURE_SCAN, object_type="agreements.signature", object_id=signature.pk,
        object_organisation_ids=(agreement.owner_id, signature.party.organisation_id),
    )
    extension = signature.scan.name.rsplit(".", 1)[-1]
    name = f"signature-form-{slugify(signature.party.organisation.name)}-version-{signature.version.label}.{extension}"
    response = FileResponse(scan, as_attachment=True, filename=name, content_type=scan_content_type(signature))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store"
    return response


def _signatures_filtered(request, agreement):
    """The agreement's signature matrix, and its rows narrowed by the page's filter form."""
    matrix = selectors.signature_matrix(agreement)
    form = PartyFilterForm(request.GET or None, statuses=selectors.SignatureStatus.choices)
    rows = party_rows_filtered(matrix.rows, **form.filters(), status_field="signature_status")
    return matrix, form, rows


def signatures(request, pk: int):
    """Whom to chase first (for those who manage the agreement, with a reminder each), then the
    counts, then every party, filtered and sortable."""
    agreement = _agreement(request, pk)
    matrix, form, rows = _signatures_filtered(request, agreement)
    can_manage = permissions.can_manage(request.user, agreement)
    latest = latest_version(agreement)
    if agreement.dpo_review_required:  # every row, so the chase list shows each party's stage too
        dpo_stages_attach(matrix.rows, latest, user=request.user)
    return render(request, f"{TEMPLATES}signatures.html", {
        "agreement": agreement, "matrix": matrix, "form": form, "rows": selectors.signatories_attach(rows),
        "chase": selectors.reminders_attach(matrix.chase) if can_manage else [],
        "latest": latest, "can_manage": can_manage,
    })


def signatures_export(request, pk: int, fmt: str = CSV):
    """The signatures table, with the page's filters, as a CSV or XLSX file."""
    agreement = _agreement(request, pk)
    _, _, rows = _signatures_filtered(request, agreement)
    columns = exports.SIGNATURE_COLUMNS
    if agreement.dpo_review_required:  # each party's stage, as the page shows it (decision 0062)
        latest = latest_version(agreement)
        dpo_stages_attach(rows, latest)
        columns += exports.signature_dpo_columns(latest)
    name = f"signatures-{slugify(agreement.reference or agreement.title)[:60]}-{timezone.localdate():%Y-%m-%d}"
    return download(columns=columns, objects=rows, fmt=fmt, filename=name, title="Signatures")


@require_POST
def signature_remind(request, pk: int, party_pk: int):
    """Send a party still to sign a reminder, once a day at most (``signature_reminder_send``)."""
    agreement = _agreement(request, pk)
    party = _party(agreement, party_pk)
    if not permissions.can_manage(request.user, agreement):
        raise PermissionDenied
    try:
        reminder = services.signature_reminder_send(party=party, sent_by=request.user)
    except ValidationError as error:
        messages.info(request, " ".join(error.messages))
    else:
        missed = undelivered_notices_of(signature_reminder_event_key(party, reminder.sent_on))
        told = f" Not everyone could be told: {undelivered_summary(missed)}." if missed else ""
        messages.success(request, f"{reminder_sent_message(reminder)}{told}")
    return redirect("agreements:signatures", pk=agreement.pk)


def signature_overview(request):
    if not permissions.can_oversee_signatures(request.user):
        raise PermissionDenied
    return render(request, f"{TEMPLATES}overview.html", {
        "matrices": selectors.signature_overview(request.user),
        "statuses": selectors.SignatureStatus,
    })
