from django import forms
from django.utils.translation import gettext_lazy as _

from govuk_blocks.forms import ServiceErrorsMixin
from partners.forms import security_code_field


class OrganisationEmailForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(
        label=_("Your work e-mail address"), max_length=254,
        help_text=_("If your organisation signs in to ISA Portal with its own accounts, you go to its sign-in page."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter your work e-mail address."),
            "invalid": _("Enter an e-mail address in the correct format, like name@example.gov.uk."),
        },
    )


class SecurityCodeForm(ServiceErrorsMixin, forms.Form):
    otp_token = security_code_field(
        label=_("Security code"),
        help_text=_("The 6-digit code from your authenticator app, or one of your backup codes."),
        required_message=_("Enter the 6-digit code from your authenticator app."),
    )
