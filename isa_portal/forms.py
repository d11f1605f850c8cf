from django import forms
from django.contrib.auth import authenticate
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm, SetPasswordForm
from django.utils.translation import gettext_lazy as _
from django_otp import match_token

from partners.forms import security_code_field
from partners.throttle import failure_record


class SignInForm(AuthenticationForm):
    """Username, password and the 6-digit code from an authenticator app, on one page."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("Enter a correct username, password and security code."),
    }

    otp_token = security_code_field(
        label=_("Security code"), help_text=_("The 6-digit code from your authenticator app."),
        required_message=_("Enter the 6-digit code from your authenticator app."),
    )

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].error_messages["required"] = _("Enter your username.")
        self.fields["password"].error_messages["required"] = _("Enter your password.")
        self.otp_device = None

    def clean(self):
        """One answer for any wrong username, password or code, the same whether or not the
        password was right.

        A missing field is reported for what it is before anything is checked, so that answer
        cannot depend on the password either. A door that is locked (``partners.throttle``) checks
        nothing: django-axes' backend refuses inside ``authenticate`` and its middleware answers
        429. A wrong code after a right password counts as a failure like a wrong password.
        """
        cleaned = self.cleaned_data
        username, password = cleaned.get("username"), cleaned.get("password")
        token = (cleaned.get("otp_token") or "").replace(" ", "")
        if self.errors or not (username and password and token):
            return cleaned
        self.user_cache = authenticate(self.request, username=username, password=password)
        if self.user_cache is not None:
            self.otp_device = match_token(self.user_cache, token)
            if self.otp_device is None:
                failure_record(self.request, username=username)
        if self.user_cache is None or self.otp_device is None:
            self.user_cache = None
            raise self.get_invalid_login_error()
        self.confirm_login_allowed(self.user_cache)
        return cleaned


class ResetRequestForm(PasswordResetForm):
    """The e-mail address a password reset link goes to (nothing says whether it has a login)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].label = "Your work e-mail address"
        self.fields["email"].error_messages = {
            "required": "Enter your work e-mail address.",
            "invalid": "Enter an e-mail address in the correct format, like name@example.gov.uk.",
        }


class ResetPasswordForm(SetPasswordForm):
    """A new password, and still the second factor: a code from the authenticator app or one of
    the backup codes. A reset link alone (someone who reads the person's e-mail) is not enough."""

    otp_token = security_code_field(
        help_text="The 6-digit code from your authenticator app, or one of your backup codes.",
        required_message="Enter the code from your authenticator app, or a backup code.",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].label = "New password"
        self.fields["new_password1"].error_messages["required"] = "Enter a new password."
        self.fields["new_password2"].label = "Type the new password again"
        self.fields["new_password2"].error_messages["required"] = "Type the new password again."
        self.error_messages = {**self.error_messages, "password_mismatch": "The passwords do not match."}

    def clean(self):
        cleaned = super().clean()
        # Checked last, and only when all else is right: a backup code is used up by the check.
        token = (cleaned.get("otp_token") or "").replace(" ", "")
        if token and not self.errors and match_token(self.user, token) is None:
            self.add_error("otp_token", forms.ValidationError(
                "Enter the code your authenticator app shows now, or an unused backup code.", code="wrong_code",
            ))
        return cleaned
