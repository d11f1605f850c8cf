"""The log form's choices: the received entries its "passing on" question lists (the most recent,
and the one chosen), and the labels of its answers in the reader's language."""


from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements.models import DataLevel, ProtectiveMarking, TransferMethod
from govuk_blocks.dates import long_date

# How many received entries the "passing on" question lists: the most recent, so that the form
# does not grow with everything the organisation ever received (issue 15; docs/PERFORMANCE.md).
RECEIVED_LISTED = 50


class _ListedIterator(ModelChoiceIterator):
    """The choices ``field.listed()`` gives, not the whole queryset (which still validates)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.listed():
            yield self.choice(obj)

    def __len__(self):
        return len(self.field.listed()) + (self.field.empty_label is not None)

    def __bool__(self):
        return True


class ReceivedEntryField(forms.ModelChoiceField):
    """An entry of information shared with the user's organisation, named without case detail.
    Any such entry is accepted; the most recent ``RECEIVED_LISTED`` (and the one chosen) are listed.

    ``entries``, when given, makes the queryset the first time it is asked for, so that a form
    which neither shows the question nor has an answer to it does not build it."""

    iterator = _ListedIterator
    entries = None

    def _get_queryset(self):
        if self._queryset is None and self.entries is not None:
            self.queryset = self.entries()
        return self._queryset

    queryset = property(_get_queryset, forms.ModelChoiceField.queryset.fset)

    def listed(self) -> list:
        return list(self.queryset[:RECEIVED_LISTED])

    def label_from_instance(self, obj) -> str:
        day = long_date(timezone.localdate(obj.occurred_at))
        return gettext("Entry %(pk)s: from %(organisation)s on %(day)s") % {
            "pk": obj.pk, "organisation": obj.disclosing_organisation, "day": day}


# The agreements' choices the log form offers, in the reader's language. Their models keep English
# labels: an agreement's version and PDF are written in the agreement's own language (decision 0058).
DATA_LEVEL_LABELS = {
    DataLevel.AGGREGATE: _("Aggregate (no one identifiable)"),
    DataLevel.MINIMUM: _("Minimum data (identifying details)"),
    DataLevel.DETAILED: _("Detailed"),
    DataLevel.SENSITIVE: _("Detailed and sensitive"),
}
PROTECTIVE_MARKING_LABELS = {
    ProtectiveMarking.NOT_MARKED: _("Not protectively marked"),
    ProtectiveMarking.OFFICIAL: _("OFFICIAL"),
    ProtectiveMarking.OFFICIAL_SENSITIVE: _("OFFICIAL-SENSITIVE"),
}
TRANSFER_METHOD_LABELS = {
    TransferMethod.SECURE_EMAIL: _("Secure e-mail (for example .gov.uk to .gov.uk or NHSmail)"),
    TransferMethod.ENCRYPTED_EMAIL: _("Encrypted e-mail attachment"),
    TransferMethod.SECURE_PORTAL: _("Secure case management system or portal"),
    TransferMethod.MEETING: _("In a meeting"),
    TransferMethod.TELEPHONE: _("Telephone"),
    TransferMethod.HAND_DELIVERY: _("By hand"),
    TransferMethod.POST: _("Recorded or special delivery post"),
    TransferMethod.FAX: _("Safe-haven fax"),
}


def _in_language(choices, labels: dict) -> list:
    """``choices`` with the labels of ``labels`` (translatable), any other kept as it is."""
    return [(value, labels.get(value, label)) for value, label in choices]
