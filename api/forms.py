import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govuk_blocks.forms import DateField, ServiceErrorsMixin

DEFAULT_LIFETIME_DAYS = 90


class ApiTokenForm(ServiceErrorsMixin, forms.Form):
    """The case system a token is for, and the day it stops working."""

    name = forms.CharField(
        label="Name of the case system", max_length=100,
        help_text="For example Mosaic (children’s services). It is shown in the log as who logged each entry.",
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": "Enter the name of the case system.",
            "max_length": "Name of the case system must be 100 characters or fewer.",
        },
    )
    expires_on = DateField(
        label="Expiry date", noun=_("the expiry date"),
        help_text="The token stops working at the end of this day. No more than a year from today.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial["expires_on"] = timezone.localdate() + datetime.timedelta(days=DEFAULT_LIFETIME_DAYS)
