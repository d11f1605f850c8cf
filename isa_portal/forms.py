from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django_otp import match_token


class SignInForm(AuthenticationForm):
    """Username, password and the 6-digit code from an authenticator app, on one page."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": "Enter a correct username, password and security code.",
    }

    otp_token = forms.CharField(
        label="Security code",
        help_text="The 6-digit code from your authenticator app.",
        max_length=8,
        widget=forms.TextInput(attrs={
            "autocomplete": "one-time-code", "inputmode": "numeric", "spellcheck": "false",
            "class": "govuk-input--width-5",
        }),
        error_messages={"required": "Enter the 6-digit code from your authenticator app."},
    )

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username."
        self.fields["password"].error_messages["required"] = "Enter your password."
        self.otp_device = None

    def clean(self):
        cleaned = super().clean()
        user = self.get_user()
        token = (cleaned.get("otp_token") or "").replace(" ", "")
        if user is not None and token:
            self.otp_device = match_token(user, token)
        if user is not None and self.otp_device is None and "otp_token" not in self.errors:
            raise self.get_invalid_login_error()
        return cleaned
