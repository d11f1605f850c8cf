"""A designated manager confirms, in the portal, the override an entry says they authorised.

The page is reachable only by the designated manager the entry names: anyone else gets 404
(``sharing_log.permissions.can_confirm_override``).
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render

from govuk_blocks.forms import submitted

from .. import selectors, services
from ..forms.overrides import OverrideConfirmForm


def override_confirm(request, pk: int):
    authorisation = selectors.override_authorisation_for(request.user, pk)
    if authorisation is None:
        raise Http404
    confirmation = getattr(authorisation, "confirmation", None)
    form = OverrideConfirmForm(submitted(request))
    if request.method == "POST" and confirmation is None and form.is_valid():
        try:
            services.override_confirm(authorisation=authorisation, by_user=request.user)
        except ValidationError as error:
            form.add_service_errors(error)
        else:
            messages.success(request, f"You confirmed that you authorised the override on entry "
                                      f"{authorisation.disclosure_id}")
            return redirect("sharing_log:override_confirm", pk=authorisation.pk)
    readable = selectors.disclosures_visible_to(request.user).filter(pk=authorisation.disclosure_id).exists()
    return render(request, "sharing_log/overrides/override_confirm.html", {
        "form": form, "authorisation": authorisation, "disclosure": authorisation.disclosure,
        "confirmation": confirmation,
        "may_read_entry": readable,
    })
