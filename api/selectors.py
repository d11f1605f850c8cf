"""Reads for the API and its clients' pages: every read goes through the apps' own selectors, as
the client's service account, so the API sees exactly what that account would see on the pages."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils import timezone

from agreements.models import Agreement, LegalGateway, Party, Purpose
from agreements.selectors import agreements_visible_to
from govuk_blocks.forms import date_out_of_range
from partners.models import Contact, Organisation
from sharing_log.models import Disclosure
from sharing_log.selectors import disclosures_visible_to

from .models import ApiToken, ApiUse


def api_token_by_prefix(prefix: str) -> ApiToken | None:
    return ApiToken.objects.select_related("service_user", "organisation").filter(prefix=prefix[:16]).first()


def api_tokens_of(organisation: Organisation) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(organisation=organisation).select_related("issued_by", "revoked_by")


def api_uses_of(organisation: Organisation) -> QuerySet[ApiUse]:
    return ApiUse.objects.filter(token__organisation=organisation).select_related("token")


# The client's reads ---------------------------------------------------------------------------


def agreements_for_client(user) -> QuerySet[Agreement]:
    return agreements_visible_to(user).select_related("owner").prefetch_related(
        Prefetch("parties", queryset=Party.objects.select_related("organisation").order_by("organisation__name")),
        "purposes", "gateways",
    ).order_by("title", "pk")


def agreement_for_client(user, pk: int) -> Agreement:
    found = agreements_for_client(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def entries_for_client(user) -> QuerySet[Disclosure]:
    return disclosures_visible_to(user).select_related(
        "disclosing_organisation", "recipient_organisation", "disclosed_by",
    ).prefetch_related("gateways").order_by("-occurred_at", "-pk")


def entry_for_client(user, pk: int) -> Disclosure:
    found = entries_for_client(user).filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def _organisation(organisation: Organisation) -> dict:
    return {"id": organisation.pk, "name": organisation.name}


def agreement_out(agreement: Agreement) -> dict:
    return {
        "id": agreement.pk, "title": agreement.title, "reference": agreement.reference, "status": agreement.status,
        "version": agreement.version, "effective_date": agreement.effective_date, "ended_on": agreement.ended_on,
        "owner": _organisation(agreement.owner),
        "parties": [{"organisation": _organisation(party.organisation), "status": party.status,
                     "joined_on": party.joined_on} for party in agreement.parties.all()],
        "purposes": [{"id": purpose.pk, "text": purpose.text} for purpose in agreement.purposes.all()],
        "gateways": [{
            "id": gateway.pk, "key": gateway.key, "title": gateway.title, "instrument": gateway.instrument,
            "provision": gateway.provision, "status": gateway.status,
        } for gateway in agreement.gateways.all()],
    }


def entry_out(disclosure: Disclosure) -> dict:
    by = disclosure.disclosed_by
    return {
        "id": disclosure.pk, "agreement": disclosure.agreement_id,
        "organisation": _organisation(disclosure.disclosing_organisation),
        "recipient_organisation": _organisation(disclosure.recipient_organisation),
        "logged_by": (by.get_full_name() or by.get_username()) if by else "",
        "recorded_at": disclosure.recorded_at, "occurred_at": disclosure.occurred_at,
        "decision": disclosure.decision, "decision_reason": disclosure.decision_reason,
        "case_reference": disclosure.case_reference, "subject_type": disclosure.subject_type,
        "data_level": disclosure.data_level, "data_categories": list(disclosure.data_categories),
        "special_categories": list(disclosure.special_categories), "purpose": disclosure.purpose_id,
        "gateways": [gateway.pk for gateway in disclosure.gateways.all()],
        "consent_status": disclosure.consent_status, "consent_reason": disclosure.consent_reason,
        "subject_informed": disclosure.subject_informed,
        "subject_not_informed_reason": disclosure.subject_not_informed_reason, "summary": disclosure.summary,
    }


# What a client sends, as disclosure_log takes it ------------------------------------------------

_FOUND_BY_ID = {
    # field: (how to find it, what to say when it is not there)
    "organisation": (lambda user, agreement: Organisation.objects.all(), "Choose an organisation in the directory."),
    "recipient_organisation": (lambda user, agreement: Organisation.objects.all(),
                               "Choose an organisation in the directory."),
    "purpose": (lambda user, agreement: Purpose.objects.filter(agreement=agreement),
                "Choose one of the purposes of the agreement."),
    "art6_basis": (lambda user, agreement: LegalGateway.objects.all(), "Choose a legal gateway from the catalogue."),
    "criminal_offence_condition": (lambda user, agreement: LegalGateway.objects.all(),
                                   "Choose a legal gateway from the catalogue."),
    "law_enforcement_basis": (lambda user, agreement: LegalGateway.objects.all(),
                              "Choose a legal gateway from the catalogue."),
    "designated_manager": (lambda user, agreement: Contact.objects.all(), "Choose a designated manager."),
}
_MANY_BY_ID = {"gateways", "art9_conditions"}


def entry_answers(user, payload) -> tuple[dict, dict[str, list[str]]]:
    """``payload``'s answers as ``disclosure_log`` takes them, its ids made into objects; with the
    problems of ids that name nothing the client may use (an agreement it may not see is not there)."""
    answers = payload.model_dump()
    problems: dict[str, list[str]] = {}
    _moments(answers, problems)
    agreement = agreements_visible_to(user).filter(pk=answers["agreement"]).first()
    if agreement is None:
        problems["agreement"] = ["Choose an agreement your organisation is party to."]
    answers["agreement"] = agreement
    for name, (found_in, message) in _FOUND_BY_ID.items():
        if answers[name] is None:
            continue
        found = found_in(user, agreement).filter(pk=answers[name]).first() if agreement or name != "purpose" else None
        if found is None:
            problems.setdefault(name, []).append(message)
        answers[name] = found
    for name in _MANY_BY_ID:
        ids = list(dict.fromkeys(answers[name]))
        found = list(LegalGateway.objects.filter(pk__in=ids))
        if len(found) != len(ids):
            problems.setdefault(name, []).append("Choose legal gateways from the catalogue.")
        answers[name] = found
    return answers, problems


def _moments(answers: dict, problems: dict[str, list[str]]) -> None:
    """The dates as the form takes them: a time without an offset is UK time, and each date is
    between 1900 and 2099 (the form's range; beyond it date arithmetic overflows)."""
    occurred_at = answers["occurred_at"]
    if timezone.is_naive(occurred_at):
        occurred_at = answers["occurred_at"] = occurred_at.replace(tzinfo=timezone.get_current_timezone())
    days = {"occurred_at": (occurred_at.date(), "the date and time it happened"),
            "request_received_on": (answers["request_received_on"], "the date the request was received"),
            "subject_told_by": (answers["subject_told_by"], "the date the person will be told by")}
    for name, (day, noun) in days.items():
        message = day and date_out_of_range(day, noun=noun)
        if message:
            problems[name] = [f"{message}."]


def error_fields(error: ValidationError) -> dict[str, list[str]]:
    """A service's ``ValidationError`` by field; its errors about no one field under ``entry``."""
    return {("entry" if name == NON_FIELD_ERRORS else name): list(messages)
            for name, messages in error.message_dict.items()}
