"""The search box of ``/search/``: the words, read from the query string."""

from django import forms

from .selectors import MAX_LENGTH


class SearchForm(forms.Form):
    q = forms.CharField(
        label="Search agreements, organisations, contacts and legal gateways", required=False,
        max_length=MAX_LENGTH, strip=True,
        help_text="Put a phrase in quotes to find those words together; a minus sign before a word leaves it out.",
        error_messages={"max_length": f"Search must be {MAX_LENGTH} characters or fewer"},
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false", "autocomplete": "off"}),
    )

    def __init__(self, *args, log_too: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if log_too:
            self.fields["q"].label = (
                "Search agreements, organisations, contacts, legal gateways and sharing log case references")
            self.fields["q"].help_text += " Sharing log entries are found by their whole case reference only."

    def query(self) -> str:
        """The words asked for, spaces made single; "" when none, or when the search is not valid."""
        if not self.is_bound or not self.is_valid():
            return ""
        return " ".join(self.cleaned_data["q"].split())
