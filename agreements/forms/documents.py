"""The verification page's upload: one PDF. The checks (empty, too big, not a PDF) are
``selectors.documents.signed_copy_matching``'s; this form only reads the input."""

from django import forms
from django.conf import settings

from ..selectors.documents import VERIFY_EMPTY, VERIFY_MISSING


class VerifyForm(forms.Form):
    file = forms.FileField(
        label="Upload the PDF",
        error_messages={
            "required": VERIFY_MISSING, "missing": VERIFY_MISSING, "invalid": VERIFY_MISSING,
            "empty": VERIFY_EMPTY,
        },
        widget=forms.FileInput(attrs={"accept": ".pdf,application/pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        megabytes = settings.SIGNATURE_SCAN_MAX_BYTES / (1024 * 1024)
        self.fields["file"].help_text = f"The signed copy as you received it: a PDF smaller than {megabytes:g}MB."
