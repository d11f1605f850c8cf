"""Forms of the signing journey: signing in the portal, and recording a returned signature form.

The rules (the name typed must be the signatory's own, the version shown must still be the
latest, a scan must be a PDF, PNG or JPEG by its content) are the services'; these forms only
read the input. Dates use the parties journey's GOV.UK date input (``DateField``).
"""

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from govuk_blocks.forms import DateField, ServiceErrorsMixin

from ..models import AgreementVersion, Party
from ..services.signing import SCAN_EMPTY, declaration_text

TOO_LONG = "{label} must be {limit} characters or fewer"


class SignForm(ServiceErrorsMixin, forms.Form):
    """The declaration and the typed name. ``version`` carries the id of the version shown,
    so a version replaced while the page was open is not signed unseen."""

    version = forms.IntegerField(
        widget=forms.HiddenInput,
        error_messages={"required": _("Read the agreement again and sign it."),
                        "invalid": _("Read the agreement again and sign it.")},
    )
    # Not required here: signature_sign checks both and words the messages.
    declaration = forms.BooleanField(required=False)
    typed_name = forms.CharField(
        required=False, max_length=200, label=_("Your full name"),
        help_text=_("Type your name as it appears on your account, to sign."),
        error_messages={"max_length": _("Your full name must be 200 characters or fewer")},
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )

    # The role the signature records (the Safe and Well trial, P12: every online signature read
    # "Lead signatory", the portal's word, where a paper form has "Chief Fire Officer").
    job_title = forms.CharField(
        required=False, max_length=200, label=_("Your job title"),
        help_text=_("As the signature will record it, for example Chief Executive or Chair of Trustees."),
        error_messages={"max_length": _("Your job title must be 200 characters or fewer")},
        widget=forms.TextInput(attrs={"autocomplete": "organization-title"}),
    )

    def __init__(self, *args, party: Party, version: AgreementVersion, job_title: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["declaration"].label = declaration_text(party, version)
        self.fields["job_title"].initial = job_title


class PaperSignatureForm(ServiceErrorsMixin, forms.Form):
    """A returned signature form: who signed, when, which version, and the scan."""

    files_again = {"scan": "Select the scanned signature form again: a file is not kept when something "
                           "else on the page needs correcting"}

    signatory_name = forms.CharField(
        max_length=200, label="Name of the person who signed",
        error_messages={
            "required": "Enter the name of the person who signed the form",
            "max_length": TOO_LONG.format(label="Name", limit=200),
        },
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    signatory_role = forms.CharField(
        max_length=200, label="Their role", help_text="For example, Chief Executive or Head of Service.",
        error_messages={
            "required": "Enter the role of the person who signed the form",
            "max_length": TOO_LONG.format(label="Role", limit=200),
        },
    )
    signed_on = DateField(
        noun=_("the date the form was signed"), label="Date signed",
        help_text="As written on the form, for example 27 3 2026.",
    )
    version = forms.TypedChoiceField(
        coerce=int, widget=forms.RadioSelect, label="Which version did they sign?",
        error_messages={
            "required": "Select the version that was signed",
            "invalid_choice": "Select the version that was signed",
        },
    )
    scan = forms.FileField(
        label="Upload the signed form",
        error_messages={
            "required": "Select the scanned signature form",
            "missing": "Select the scanned signature form",
            "empty": SCAN_EMPTY,
            "invalid": "Select the scanned signature form",
        },
        widget=forms.FileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"}),
    )

    def __init__(self, *args, versions: list[AgreementVersion], **kwargs):
        super().__init__(*args, **kwargs)
        latest = versions[0] if versions else None
        self.fields["version"].choices = [
            (version.pk, f"Version {version.label}{' (the latest)' if version is latest else ''}")
            for version in versions
        ]
        if latest is not None:
            self.fields["version"].initial = latest.pk
        megabytes = settings.SIGNATURE_SCAN_MAX_BYTES / (1024 * 1024)
        self.fields["scan"].help_text = (
            f"A scan or photo of the signed form: a PDF, PNG or JPEG, smaller than {megabytes:g}MB."
        )
        if latest is not None and latest.issued_on is not None:
            # Signed before the portal: the form may survive only in a file the partnership keeps.
            self.fields["scan"].required = False
            self.fields["scan"].help_text += " Leave it out if no scan survives of this form, signed before the portal."
