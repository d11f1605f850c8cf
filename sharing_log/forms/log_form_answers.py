"""The log form to the service and back: its answers as ``disclosure_log`` takes them, from
the reveals that apply, and the service's problems placed on the questions they are about."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from partners.models import Contact

from ..models.disclosures import ConsentStatus, Decision, SubjectInformed
from ..services.disclosures import Problems

# The questions a decision not to share is not required to answer (DOMAIN.md rule 2 asks them
# of a share); of them it is asked only whether the person was told (decision 0040).
NOT_SHARING = (Decision.NOT_SHARED, Decision.REQUEST_REFUSED)


class LogFormAnswersMixin:
    """For ``DisclosureForm``: ``service_kwargs`` and ``add_service_errors``, the hand-over every
    form makes (STYLE.md), with the log form's mapping between answers and questions."""

    def _add_problems(self, problems: Problems) -> None:
        for name, messages in problems.items():
            field = self._field_for(name)
            if field is None or field in self.errors:
                continue
            for message in messages:
                self.add_error(field, message)

    @staticmethod
    def _designated_manager(cleaned: dict) -> Contact | None:
        """The designated manager chosen for the override or the breach of confidence (the
        same person when both apply: the override's choice stands)."""
        chosen = None
        if cleaned.get("consent_status") == ConsentStatus.REFUSED_OVERRIDDEN:
            chosen = cleaned.get("override_designated_manager")
        if chosen in (None, "") and cleaned.get("confidentiality_breached"):
            chosen = cleaned.get("breach_designated_manager")
        return Contact.objects.filter(pk=chosen).first() if chosen not in (None, "") else None

    def _answers(self, cleaned: dict) -> dict:
        """The answers as ``disclosure_log`` takes them, from the reveals that apply; a question
        that did not clean is missing (``None`` or empty)."""
        decision = cleaned.get("decision", "")
        consent = cleaned.get("consent_status", "")
        informed = cleaned.get("subject_informed", "")
        answers = {name: cleaned.get(name) for name in (
            "organisation", "agreement", "recipient_organisation", "occurred_at", "case_reference", "subject_type",
            "data_level", "data_categories", "purpose", "art6_basis", "fact_or_opinion", "transfer_method",
            "protective_marking", "recipient_name", "recipient_job_title", "recipient_contact", "summary",
            "summary_checked", "confidentiality_breached", "received_disclosure", "law_enforcement_basis",
        )}
        answers.update(self.record_answers(cleaned))
        answers.update(self.legal_basis_answers(cleaned))
        if decision in NOT_SHARING:
            # Consent refused is itself a reason not to share: kept when given. Whether the
            # person was told is asked, not required: it matters when they are to be told.
            consent = consent if consent == ConsentStatus.REFUSED else ""
            answers.update({"data_level": "", "data_categories": [], "special_categories": [], "art9_conditions": [],
                            "criminal_offence_data": False, "criminal_offence_condition": None,
                            "confidentiality_breached": False})
        answers.update({
            "decision": decision,
            "decision_reason": {
                Decision.NOT_SHARED: cleaned.get("not_shared_reason", ""),
                Decision.REQUEST_REFUSED: cleaned.get("refused_reason", ""),
            }.get(decision, ""),
            "consent_status": consent,
            "consent_reason": {
                ConsentStatus.NOT_SOUGHT: cleaned.get("consent_not_sought_reason", ""),
                ConsentStatus.REFUSED_OVERRIDDEN: cleaned.get("consent_override_reason", ""),
            }.get(consent, ""),
            "designated_manager": self._designated_manager(cleaned),
            "subject_informed": informed,
            "subject_not_informed_reason": {
                SubjectInformed.NOT_YET: cleaned.get("not_yet_told_reason", ""),
                SubjectInformed.NO: cleaned.get("not_told_reason", ""),
            }.get(informed, ""),
        })
        return answers

    def service_kwargs(self) -> dict:
        """The cleaned answers as ``disclosure_log`` takes them (``by_user`` aside)."""
        return self._answers(self.cleaned_data)

    def _field_for(self, name: str) -> str | None:
        """The form field where the service's error about ``name`` belongs."""
        cleaned = self.cleaned_data
        mapped = {
            "occurred_at": "occurred_on",
            "decision_reason": "refused_reason" if cleaned.get("decision") == Decision.REQUEST_REFUSED
            else "not_shared_reason",
            "consent_reason": "consent_override_reason"
            if cleaned.get("consent_status") == ConsentStatus.REFUSED_OVERRIDDEN else "consent_not_sought_reason",
            "designated_manager": "override_designated_manager"
            if cleaned.get("consent_status") == ConsentStatus.REFUSED_OVERRIDDEN else "breach_designated_manager",
            "subject_not_informed_reason": "not_told_reason",
        }.get(name, name)
        return mapped if mapped in self.fields else None

    def add_service_errors(self, error: ValidationError) -> None:
        for name, messages in error.message_dict.items():
            field = None if name == NON_FIELD_ERRORS else self._field_for(name)
            for message in messages:
                self.add_error(field, message)
