"""The signed statement of the log's chain (docs/decisions/0023), for an organisation to keep."""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.http import require_safe

from agreements.seal import SealNotConfigured

from ..permissions import chain_witness_organisation_ids
from ..selectors.ledger import log_chain_head, organisation_names
from ..statements import chain_statement


@require_safe
def chain_statement_download(request):
    """A JSON statement of the chain's head, signed with the portal's seal; 403 for those who may
    not have one, 503 while the seal is not configured."""
    organisation_ids = chain_witness_organisation_ids(request.user)
    if not organisation_ids:
        raise PermissionDenied("Only a governance manager or auditor may download a statement of the log's chain.")
    head = log_chain_head()
    names = "; ".join(organisation_names(organisation_ids))
    try:
        document = chain_statement(organisation_name=names, head_seq=head.seq if head else 0,
                                   head_hash=head.hash if head else "0" * 64, events=head.seq if head else 0)
    except SealNotConfigured:
        return HttpResponse("The portal's seal is not configured: statements cannot be signed.", status=503,
                            content_type="text/plain; charset=utf-8")
    response = HttpResponse(document, content_type="application/json; charset=utf-8")
    name = f"sharing-log-chain-statement-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "no-store"
    return response
