"""Writes for the sharing log: every change to an entry goes through here, one module per journey.
Import from ``sharing_log.services``."""

from .disclosures import (
    Problems,
    case_reference_problem,
    disclosure_acknowledge,
    disclosure_correct,
    disclosure_log,
    disclosure_void,
    lawful_basis_problems,
    reason_problems,
    summary_warning,
)

__all__ = [
    "Problems",
    "case_reference_problem",
    "disclosure_acknowledge",
    "disclosure_correct",
    "disclosure_log",
    "disclosure_void",
    "lawful_basis_problems",
    "reason_problems",
    "summary_warning",
]
