from django import forms

from govuk_blocks.forms import ServiceErrorsMixin


class OrganisationEmailForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(
        label="Your work e-mail address", max_length=254,
        help_text="If your organisation signs in to ISA Portal with its own accounts, you go to its sign-in page.",
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
        error_messages={
            "required": "Enter your work e-mail address.",
            "invalid": "Enter an e-mail address in the correct format, like name@example.gov.uk.",
        },
    )


class SecurityCodeForm(ServiceErrorsMixin, forms.Form):
    otp_token = forms.CharField(
        label="Security code", max_length=8,
        help_text="The 6-digit code from your authenticator app, or one of your backup codes.",
        widget=forms.TextInput(attrs={
            "autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false",
            "class": "govuk-input--width-5",
        }),
        error_messages={"required": "Enter the 6-digit code from your authenticator app."},
    )
