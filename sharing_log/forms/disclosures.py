"""Forms of the sharing log. They check input is well formed; the rules are the services'.

``DisclosureForm`` is the one page a practitioner fills in to log a disclosure. Its questions
with conditional reveals (the GOV.UK "conditionally revealing a related question" pattern)
are written out by hand in the template from ``choice_options``; the rest use the shared
``govuk_blocks/includes/field.html``.
"""

import datetime
import functools
import re

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from agreements.models import (
    DataLevel,
    GatewayCategory,
    GatewayStatus,
    LegalGateway,
    ProtectiveMarking,
    TransferMethod,
)
from govuk_blocks.forms import DateField, ReadModelChoiceField, RevealMixin
from govuk_blocks.glossary import glossary_hint

from .. import selectors
from ..models.disclosures import (
    ConsentStatus,
    DataCategory,
    Decision,
    FactOrOpinion,
    SubjectInformed,
    SubjectType,
)
from ..services.disclosures import Problems, reason_problems, summary_warning
from ..services.legal_basis import art6_departure_problems, lawful_basis_problems
from ..services.overrides import designated_manager_problems
from .decision_record import DecisionRecordForm
from .legal_basis import BASIS_FIELDS, SENSITIVE_FIELDS, LegalBasisForm
from .log_form_answers import NOT_SHARING, LogFormAnswersMixin
from .log_form_choices import (
    DATA_LEVEL_LABELS,
    PROTECTIVE_MARKING_LABELS,
    RECEIVED_LISTED,
    TRANSFER_METHOD_LABELS,
    ReceivedEntryField,
    _in_language,
)
from .log_scope import LogScopeMixin
from .reveals import TEXTAREA, WIDTH_20, _required

# What a share must answer and a decision not to share need not (``NOT_SHARING``).
SHARED_ONLY = {"data_level": _("Select how much was shared"), "consent_status": _("Select the consent position"),
               "subject_informed": _("Select whether the person was told")}


class DisclosureForm(LogFormAnswersMixin, LogScopeMixin, RevealMixin, DecisionRecordForm, LegalBasisForm):
    """Log a disclosure, or a decision not to share: one page, one submit (decision 0040).

    The agreement comes first: ``/log/new/`` lists the agreements the person may log under
    (straight to the form when there is one, or with ``remember_agreement`` when the person's last
    entry's agreement is one; ``?agreement=`` lists them anyway) and ``?agreement=<pk>`` offers only that
    agreement's partners, purposes, gateways and bases. Without an agreement chosen (a post that
    lacks it) every agreement's are offered, grouped.

    Initial answers from the address: ``params`` (the view passes ``request.GET``) may answer any
    question by its field name, ``?case_reference=ASB-2026-0042&decision=not_shared&data_categories=asb
    &data_categories=housing`` — so "Can I share?" and "Log another for this case" hand their
    answers over this way. Each value is cleaned by its field and ignored if refused (a choice not
    offered, a partner that cannot receive); a question answered several times takes the last
    (lists take all). Not from the address: ``organisation`` and ``summary_checked``; dates (their
    three boxes) are not carried. The field names are a contract: keep them.
    """

    # The page's order of the questions before the decision record is placed among them
    # (``_record_init``): the inherited legal-basis questions sit after "What did it include?",
    # with the purpose between the sensitive data and the lawful basis.
    field_order = [
        "organisation", "agreement", "recipient_organisation", "received_disclosure", "decision",
        "not_shared_reason", "refused_reason", "occurred_on", "occurred_time", "case_reference", "subject_type",
        "data_level", "data_categories", *SENSITIVE_FIELDS, "purpose", *BASIS_FIELDS,
    ]

    organisation = ReadModelChoiceField(
        queryset=None, label=_("Your organisation"), empty_label=_("Choose your organisation"),
        error_messages=_required(_("Select the organisation you are logging for")),
    )
    agreement = ReadModelChoiceField(
        queryset=None, label=_("Agreement"), empty_label=_("Choose an agreement"),
        error_messages=_required(_("Select the agreement it was shared under")),
    )
    recipient_organisation = forms.TypedChoiceField(
        coerce=int, label=_("Partner organisation"),
        error_messages=_required(_("Select the partner organisation")),
    )
    received_disclosure = ReceivedEntryField(
        queryset=None, required=False, label=_("Are you passing on information another organisation shared with you?"),
        empty_label=_("No, it is not information we received through the log"),
        help_text=_("Choose the entry it came in (the 50 most recent are listed). Passing it to anyone but the "
                    "organisation that shared it needs that organisation's consent."),
    )
    decision = forms.ChoiceField(
        choices=Decision.choices, widget=forms.RadioSelect, initial=Decision.SHARED, label=_("What happened?"),
        error_messages=_required(_("Select what happened")),
    )
    not_shared_reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs=TEXTAREA), label=_("Why did you decide not to share?"),
        max_length=2000,
    )
    refused_reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs=TEXTAREA), label=_("Why was the request refused?"),
        max_length=2000,
    )
    occurred_on = DateField(
        noun=_("the date it happened"), label=_("Date it happened"), help_text=_("For example, 27 3 2026"),
    )
    occurred_time = forms.CharField(
        required=False, label=_("Time it happened"), help_text=_("Use the 24-hour clock, for example 14:30."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5", "inputmode": "numeric"}),
    )
    case_reference = forms.CharField(
        max_length=60, label=_("Case reference (never a name)"),
        help_text=_("For example ASB-2026-0042."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-20", "spellcheck": "false"}),
        error_messages={"required": _("Enter the case reference"),
                        "max_length": _("The case reference must be 60 characters or fewer")},
    )
    subject_type = forms.ChoiceField(
        choices=SubjectType.choices, widget=forms.RadioSelect, label=_("Who is the information about?"),
        error_messages=_required(_("Select who the information is about")),
    )
    data_level = forms.ChoiceField(
        required=False, choices=_in_language(DataLevel.choices, DATA_LEVEL_LABELS), widget=forms.RadioSelect,
        label=_("How much was shared?"),
        error_messages=_required(_("Select how much was shared")),
    )
    data_categories = forms.MultipleChoiceField(
        choices=DataCategory.choices, widget=forms.CheckboxSelectMultiple, required=False,
        label=_("What did it include?"), help_text=_("Select all that apply."),
        error_messages={"invalid_choice": _("Select data categories from the list")},
    )
    purpose = forms.TypedChoiceField(
        coerce=int, label=_("Purpose"),
        error_messages=_required(_("Select the purpose it served")),
    )
    consent_status = forms.ChoiceField(
        required=False, choices=ConsentStatus.choices, widget=forms.RadioSelect, label=_("Consent"),
        error_messages=_required(_("Select the consent position")),
    )
    consent_not_sought_reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs=TEXTAREA), label=_("Why was consent not sought?"),
        help_text=_("For example: risk of harm, it would prejudice an investigation, or a legal duty."),
        max_length=2000,
    )
    consent_override_reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs=TEXTAREA), label=_("Why was the refusal overridden?"),
        max_length=2000,
    )
    override_designated_manager = forms.TypedChoiceField(
        coerce=int, required=False, label=_("Designated manager who authorised it"),
        help_text=glossary_hint(_("One of your organisation's designated managers for the agreement. They are "
                                  "asked to confirm it in the portal."), "designated-manager"),
        error_messages={"invalid_choice": _("Choose one of your organisation's designated managers from the list")},
    )
    confidentiality_breached = forms.BooleanField(
        required=False, label=_("Confidential information was shared without consent"),
    )
    breach_designated_manager = forms.TypedChoiceField(
        coerce=int, required=False, label=_("Designated manager who authorised it"),
        help_text=glossary_hint(_("One of your organisation's designated managers for the agreement. They are "
                                  "asked to confirm it in the portal."), "designated-manager"),
        error_messages={"invalid_choice": _("Choose one of your organisation's designated managers from the list")},
    )
    subject_informed = forms.ChoiceField(
        required=False, choices=SubjectInformed.choices, widget=forms.RadioSelect, label=_("Was the person told?"),
        error_messages=_required(_("Select whether the person was told")),
    )
    not_yet_told_reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs=TEXTAREA), label=_("When and how will they be told?"),
        max_length=2000,
    )
    not_told_reason = forms.CharField(
        required=False, widget=forms.Textarea(attrs=TEXTAREA), label=_("Why were they not told?"),
        max_length=2000,
    )
    fact_or_opinion = forms.ChoiceField(
        choices=FactOrOpinion.choices, widget=forms.RadioSelect, initial=FactOrOpinion.FACT,
        label=_("Fact or opinion?"), error_messages=_required(_("Select whether it was fact or opinion")),
    )
    transfer_method = forms.ChoiceField(
        required=False, label=_("How was it sent?"),
        error_messages=_required(_("Select how it was sent from the list")),
    )
    protective_marking = forms.ChoiceField(
        choices=_in_language(ProtectiveMarking.choices, PROTECTIVE_MARKING_LABELS), widget=forms.RadioSelect,
        label=_("Protective marking"),
        error_messages=_required(_("Select the protective marking")),
    )
    recipient_name = forms.CharField(
        required=False, max_length=200, label=_("Name"), widget=forms.TextInput(attrs=WIDTH_20),
        error_messages={"max_length": _("The recipient's name must be 200 characters or fewer")},
    )
    recipient_job_title = forms.CharField(
        required=False, max_length=200, label=_("Job title"), widget=forms.TextInput(attrs=WIDTH_20),
        error_messages={"max_length": _("The recipient's job title must be 200 characters or fewer")},
    )
    recipient_contact = forms.CharField(
        required=False, max_length=200, label=_("Work e-mail or phone"), widget=forms.TextInput(attrs=WIDTH_20),
        error_messages={"max_length": _("The recipient's contact details must be 200 characters or fewer")},
    )
    summary = forms.CharField(
        required=False, max_length=1000, widget=forms.Textarea(attrs={"rows": 4}), label=_("Summary"),
        help_text=_("No names, dates of birth, addresses or NHS numbers. Use the case reference."),
        error_messages={"max_length": _("The summary must be 1,000 characters or fewer")},
    )
    summary_checked = forms.BooleanField(
        required=False, label=_("I have checked the summary holds no identifying details"),
    )

    REVEALS = {
        "decision": {Decision.SHARED: ["necessity_reason"], Decision.NOT_SHARED: ["not_shared_reason"],
                     Decision.REQUEST_REFUSED: ["refused_reason"]},
        "consent_status": {
            ConsentStatus.NOT_SOUGHT: ["consent_not_sought_reason"],
            ConsentStatus.REFUSED_OVERRIDDEN: ["consent_override_reason", "override_designated_manager"],
        },
        "subject_informed": {SubjectInformed.NOT_YET: ["subject_told_by", "not_yet_told_reason"],
                             SubjectInformed.NO: ["not_told_reason"]},
    }

    def __init__(self, *args, user, today: datetime.date, now: datetime.datetime | None = None,
                 can_i_share_outcome: str = "", params=None, remember_agreement: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today
        self._record_init(now=now, can_i_share_outcome=can_i_share_outcome)
        # Each choice is read once, here: the fields clean an answer by finding it among what
        # was read (``ReadChoicesMixin``), not by asking the database again (issue 15).
        # Each queryset is built once: the field keeps it (unread) for its model and its choices.
        organisations_read = selectors.logging_organisations(user)
        agreements_read = selectors.agreements_to_log_under(user, on=today)
        organisations = list(organisations_read)
        agreements = list(agreements_read)
        self.agreements = agreements
        # Step one chooses the agreement; then only its partners, purposes, bases and gateways
        # are offered. Until one is chosen (a post without it), every agreement's are.
        self.chosen = self._choose_agreement(agreements, user=user, remember=remember_agreement)
        scope = [self.chosen] if self.chosen else agreements
        self.fields["organisation"].queryset = organisations_read
        self.fields["organisation"].read = organisations
        # Part 3 of the DPA 2018 is offered only to those who may rely on it.
        self.offers_part3 = any(organisation.is_competent_authority for organisation in organisations)
        if not self.offers_part3:
            del self.fields["law_enforcement_basis"]
        if len(organisations) == 1:
            self.fields["organisation"].widget = forms.HiddenInput()
            self.fields["organisation"].initial = organisations[0].pk
        self.fields["agreement"].queryset = agreements_read
        self.fields["agreement"].read = agreements
        if self.chosen:
            self.fields["agreement"].widget = forms.HiddenInput()
            self.fields["agreement"].initial = self.chosen.pk
        # The agreement the address asked for has done its work: the one chosen stands.
        self.initial.pop("agreement", None)
        received = self.fields["received_disclosure"]
        # Built when first asked for (shown, or an answer to clean): most posts leave it blank.
        received.entries = lambda: selectors.disclosures_received(user).filter(
            decision=Decision.SHARED, recipient_organisation__in=organisations,
        ).select_related("disclosing_organisation").order_by("-occurred_at", "-pk")
        received.listed = functools.cache(lambda: self._received_listed(received.queryset))
        self.fields["recipient_organisation"].choices = self._recipient_choices(scope, today, organisations)
        # Read only when shown, or when one is chosen: most entries need no designated manager.
        managers = functools.cache(lambda: self._manager_choices(scope, organisations))
        for name in ("override_designated_manager", "breach_designated_manager"):
            self.fields[name].choices = managers
        purposes = [purpose for agreement in scope for purpose in agreement.purposes.all()]
        self.purposes = purposes
        self.fields["purpose"].choices = [("", gettext("Choose a purpose")), *self._grouped(
            (purpose.agreement, purpose.pk, purpose.text) for purpose in purposes
        )]
        self.fields["art6_basis"].choices = self._basis_choices(scope)
        relied_on = {gateway.pk: gateway for agreement in scope for gateway in agreement.gateways.all()}
        # Repealed or superseded law is not offered: a disclosure made now cannot rely on it.
        self.fields["gateways"].queryset = LegalGateway.objects.filter(pk__in=relied_on).filter(
            category__in=[GatewayCategory.STATUTE, GatewayCategory.COMMON_LAW, GatewayCategory.CONVENTION],
            status=GatewayStatus.CURRENT,
        )
        permitted = set()
        for agreement in scope:
            permitted |= set(agreement.transfer_methods) if agreement.transfer_methods else set(TransferMethod.values)
        self.fields["transfer_method"].choices = [("", gettext("Choose how it was sent"))] + [
            (value, label) for value, label in _in_language(TransferMethod.choices, TRANSFER_METHOD_LABELS)
            if value in permitted
        ]
        self._set_initial(scope, purposes, relied_on, now or timezone.localtime())
        self._offer_consent_refused(args[0] if args else kwargs.get("data"), params)
        if not self.is_bound:
            self._remembered(user, permitted)
        self._from_address(params)
        self._recipient_person()
        self._last_share_answers()

    def _manager_choices(self, scope, organisations) -> list:
        """The designated managers who may authorise an override, by agreement; with nobody named
        yet, the one option says so and who can name one (a new partnership names them on its
        parties' contacts, and until then the question cannot be answered)."""
        named = self._grouped(
            (agreement, contact.pk, f"{contact.name}, {contact.job_title}" if contact.job_title else contact.name)
            for agreement in scope for organisation in organisations
            for contact in selectors.designated_managers_of(agreement=agreement, organisation=organisation)
        )
        if not named:
            return [("", gettext("Nobody is named as designated manager for your organisation on this agreement: "
                                 "ask your governance manager to name one on its parties page"))]
        return [("", gettext("Choose a designated manager")), *named]

    def _received_listed(self, queryset) -> list:
        """The most recent received entries, and the one chosen (from the post or the address) if
        it is older: one query, made only when the question is shown. Only what an option shows
        is read (``ReceivedEntryField.label_from_instance``); an answer is cleaned against the whole
        entry, read by the field."""
        queryset = queryset.select_related(None).select_related("disclosing_organisation").only(
            "pk", "occurred_at", "disclosing_organisation__name")
        listed = list(queryset[:RECEIVED_LISTED])
        chosen = self.data.get(self.add_prefix("received_disclosure")) or self.initial.get("received_disclosure")
        chosen = str(getattr(chosen, "pk", chosen) or "")
        # Only a plain number that fits the key: anything else the field itself refuses on a post.
        if re.fullmatch(r"[0-9]{1,9}", chosen) and all(entry.pk != int(chosen) for entry in listed):
            listed += list(queryset.filter(pk=int(chosen)))
        return listed

    @property
    def offers_passing_on(self) -> bool:
        return bool(self.fields["received_disclosure"].listed())

    def _offer_consent_refused(self, data, params=None) -> None:
        """"Consent refused (not shared)" describes a decision not to share, which is not asked
        the consent position: it is offered only when already given (by "Can I share?", in the
        address)."""
        given = (data.get("consent_status") if data is not None
                 else self.initial.get("consent_status") or (params or {}).get("consent_status"))
        if given != ConsentStatus.REFUSED:
            self.fields["consent_status"].choices = [
                choice for choice in ConsentStatus.choices if choice[0] != ConsentStatus.REFUSED
            ]

    @staticmethod
    def _grouped(items) -> list:
        """(agreement, value, label) as choices, in an <optgroup> per agreement when there are several."""
        groups: dict = {}
        for agreement, value, label in items:
            groups.setdefault(agreement, []).append((value, label))
        if len(groups) == 1:
            return next(iter(groups.values()))
        return [(str(agreement), choices) for agreement, choices in groups.items()]

    def _set_initial(self, agreements, purposes, relied_on, now) -> None:
        """Defaults for a quick entry: now, and whatever the user's one agreement settles."""
        self.fields["occurred_on"].initial = now.date()
        self.fields["occurred_time"].initial = f"{now:%H:%M}"
        self.fields["protective_marking"].initial = ProtectiveMarking.OFFICIAL_SENSITIVE
        if len(agreements) != 1:
            return
        agreement = agreements[0]
        self.fields["protective_marking"].initial = agreement.protective_marking
        if len(self.recipients) == 1:
            self.fields["recipient_organisation"].initial = self.recipients[0].organisation.pk
        if len(purposes) == 1:
            self.fields["purpose"].initial = purposes[0].pk
        bases = [gateway for gateway in relied_on.values() if gateway.category == GatewayCategory.ART6]
        if len(bases) == 1:
            self.fields["art6_basis"].initial = bases[0].pk
        if len(agreement.transfer_methods) == 1:
            self.fields["transfer_method"].initial = agreement.transfer_methods[0]

    @property
    def can_log(self) -> bool:
        """Whether the user has an agreement and a partner to log to today."""
        return bool(self.agreements and self.recipients)

    @property
    def show_summary_check(self) -> bool:
        """The confirmation is asked for only once a summary looked identifying."""
        return self.is_bound and bool(summary_warning(self.data.get("summary", "")))

    # Cleaning ---------------------------------------------------------------------------

    def clean_recipient_organisation(self):
        value = self.cleaned_data["recipient_organisation"]
        for party in self.recipients:
            if party.organisation.pk == value:
                return party.organisation
        raise self._unable_error(value) or ValidationError(_("Select the partner organisation"))

    def clean_purpose(self):
        value = self.cleaned_data["purpose"]
        purpose = next((purpose for purpose in self.purposes if purpose.pk == value), None)
        if purpose is None:
            raise ValidationError(_("Select the purpose it served"))
        return purpose

    def clean_occurred_time(self):
        value = self.cleaned_data["occurred_time"].strip().replace(".", ":")
        if not value:
            raise ValidationError(_("Enter the time it happened, for example 14:30"))
        match = re.fullmatch(r"(\d{1,2}):?(\d{2})", value)
        if not match or int(match[1]) > 23 or int(match[2]) > 59:
            raise ValidationError(_("Enter the time using the 24-hour clock, for example 14:30"))
        return datetime.time(int(match[1]), int(match[2]))

    def clean(self):
        cleaned = super().clean()
        # Asked only when information was shared (or it is not yet said what happened).
        if cleaned.get("decision") not in NOT_SHARING:
            for name, message in SHARED_ONLY.items():
                if not cleaned.get(name) and name not in self.errors:
                    self.add_error(name, message)
        day, time = cleaned.get("occurred_on"), cleaned.get("occurred_time")
        if day and time:
            cleaned["occurred_at"] = timezone.make_aware(datetime.datetime.combine(day, time))
        if cleaned.get("has_special_categories") and not cleaned.get("special_categories"):
            self.add_error("special_categories", _("Select which special category data was shared"))
        answers = self._answers(cleaned)
        self._add_rule_problems(answers)
        self._add_record_problems(answers)
        return cleaned

    def _add_rule_problems(self, answers: dict) -> None:
        """The service's rules that need no database, and whether the party has a designated
        manager to name, asked now so that every problem shows in one round; the service asks
        them again whoever calls it."""
        problems = Problems()
        lawful_basis_problems(problems, **{key: answers[key] for key in (
            "decision", "special_categories", "criminal_offence_data", "art6_basis", "art9_conditions",
            "criminal_offence_condition", "consent_status", "law_enforcement_basis",
        )}, organisation=answers["organisation"])
        if answers["agreement"] is not None:
            art6_departure_problems(problems, **{key: answers[key] for key in (
                "decision", "agreement", "art6_basis", "art6_departure_reason",
            )})
        reason_problems(problems, **{key: answers[key] for key in (
            "decision", "decision_reason", "consent_status", "consent_reason", "confidentiality_breached",
            "designated_manager", "subject_informed", "subject_not_informed_reason",
        )})
        if answers["agreement"] is not None and answers["organisation"] is not None:
            designated_manager_problems(
                problems, agreement=answers["agreement"], organisation=answers["organisation"],
                designated_manager=answers["designated_manager"],
                overridden=answers["consent_status"] == ConsentStatus.REFUSED_OVERRIDDEN
                or bool(answers["confidentiality_breached"]),
            )
        self._add_problems(problems)
