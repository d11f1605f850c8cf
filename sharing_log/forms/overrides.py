"""A designated manager's confirmation that they authorised an override (002 §4.6–4.7)."""

from django import forms

from govuk_blocks.forms import ServiceErrorsMixin


class OverrideConfirmForm(ServiceErrorsMixin, forms.Form):
    confirmed = forms.BooleanField(
        label="I authorised this override",
        error_messages={"required": "Confirm that you authorised this override"},
    )
