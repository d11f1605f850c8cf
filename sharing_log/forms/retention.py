"""A recipient's confirmation that its copy of a destroyed entry is destroyed too (001 §5.15)."""

from django import forms

from govuk_blocks.forms import ServiceErrorsMixin


class ConfirmDestroyedForm(ServiceErrorsMixin, forms.Form):
    # Destroying is the only answer the retention rule allows, so it is a declaration, not a choice.
    destroyed = forms.BooleanField(
        label="My organisation has destroyed its copy",
        error_messages={"required": "Confirm that your organisation destroyed its copy"},
    )
