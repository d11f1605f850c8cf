"""Forms of the sharing log, one module per journey. They check input is well formed; the rules
are the services'. Import from ``sharing_log.forms``."""

from .amendments import CorrectionForm, VoidForm
from .disclosures import DisclosureForm
from .lists import LogFilterForm

__all__ = ["CorrectionForm", "DisclosureForm", "LogFilterForm", "VoidForm"]
