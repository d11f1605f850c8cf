"""Every form in the portal, given hostile posts (issue 12, bad input): no exception, and no write.

12,876 generated posts at the form layer (``form.is_valid()``): 148 for each of the 87 forms
below (tests/fuzzing.py says what they hold), and tests/test_views_fuzz.py sends 360 more
through the real pages (13,236 in all). ``test_every_form_of_the_portal_is_fuzzed`` fails when
a form is added without a line here, so "every form" stays true.
"""

import copy
import datetime
import importlib
import pkgutil

import pytest
from django import forms
from django.apps import apps
from django.db import connection
from hypothesis import given

from agreements.forms import (
    breaches,
    browse,
    documents,
    dpias,
    dpo_reviews,
    drafting,
    existing,
    gateways,
    parties,
    qa_reviews,
    requests,
    reviews,
)
from agreements.forms import consultation as consultation_forms
from agreements.forms import holdings as holdings_forms
from agreements.forms import kinds as kind_forms
from agreements.forms import signing as signing_forms
from agreements.models import Breach, PartyStatus, Review
from api.forms import ApiTokenForm
from isa_portal import forms as portal_forms
from isa_portal.reports import forms as report_forms
from isa_portal.search import forms as search_forms
from partners import forms as partner_forms
from partners.models import Organisation
from sharing_log.forms import amendments, can_i_share, closures, disclosures, escalations, lists, onward, quality
from sharing_log.forms import decision_record as decision_record_forms
from sharing_log.forms import legal_basis as legal_basis_forms
from sharing_log.forms import overrides as override_forms
from sharing_log.forms import retention as retention_forms
from sso import forms as sso_forms
from tests.factories import AgreementVersionFactory
from tests.fuzzing import fuzz_settings, posts

pytestmark = pytest.mark.django_db

EXAMPLES_PER_FORM = 148
PORTAL_APPS = ("govuk_blocks", "partners", "agreements", "sharing_log", "isa_portal", "api", "sso")

# Forms left out, and why.
NOT_FUZZED = {
    # Its clean() authenticates, which belongs to the sign-in and throttling work (django-axes
    # needs the request); its page is fuzzed by that work's own tests.
    portal_forms.SignInForm: "sign-in",
    # The base of the "Can I share?" questions; each question's form is fuzzed.
    can_i_share.QuestionForm: "abstract",
    # The decision-record fields DisclosureForm inherits (issue 13, item 6); fuzzed through it.
    decision_record_forms.DecisionRecordForm: "abstract",
    # The legal-basis fields DisclosureForm inherits; fuzzed through it.
    legal_basis_forms.LegalBasisForm: "abstract",
    # The base of the kinds' terms forms; each is fuzzed.
    kind_forms._TermsForm: "abstract",
}


def _version(cast):
    return cast.agreement.versions.first() or AgreementVersionFactory(agreement=cast.agreement)


def _question(step):
    def make(cast, data, files):
        purposes = {str(p.pk): (p.text, str(p.agreement)) for p in cast.agreement.purposes.all()}
        return can_i_share.question_form(step, data, answers={}, purposes=purposes)
    return can_i_share.FORMS[step], make


def _simple(form_class, **kwargs_of_cast):
    def make(cast, data, files):
        kwargs = {name: build(cast) for name, build in kwargs_of_cast.items()}
        return form_class(data, files, **kwargs)
    return form_class, make


def _qa_review_form(cast, data, files):
    """With the checklist the migration loads (the test databases are built from the models), so
    each point's fields are fuzzed too."""
    importlib.import_module("agreements.migrations.0022_qa_checklist").load(apps, None)
    return qa_reviews.QaReviewForm(data, files)


TODAY = datetime.date(2026, 3, 27)
owners = Organisation.objects.all

# (form class, make(cast, data, files) -> the form as its view makes it)
FORMS = dict([
    # partners
    _simple(partner_forms.OrganisationFilterForm),
    _simple(partner_forms.ContactForm),
    _simple(partner_forms.OrganisationForm, organisation=lambda cast: cast.partner),
    _simple(partner_forms.InvitationForm),
    _simple(ApiTokenForm),
    _simple(partner_forms.JoinForm),
    _simple(partner_forms.JoinResumeForm),  # the Safe and Well trial's P1
    _simple(partner_forms.AuthenticatorForm),
    _simple(partner_forms.PasswordCheckForm),
    _simple(partner_forms.PersonRolesForm),
    _simple(partner_forms.DirectoryImportForm),
    _simple(partner_forms.AccessLogFilterForm),
    # agreements
    _simple(drafting.AgreementStartForm, user=lambda cast: cast.governance_manager, owners=lambda cast: owners()),
    _simple(drafting.DetailsForm, agreement=lambda cast: cast.draft, user=lambda cast: cast.governance_manager),
    _simple(drafting.PurposesForm, agreement=lambda cast: cast.draft),
    _simple(parties.DataItemForm, agreement=lambda cast: cast.draft),
    _simple(gateways.GatewaysForm, agreement=lambda cast: cast.draft),
    _simple(drafting.TransferForm, agreement=lambda cast: cast.draft),
    _simple(drafting.RetentionForm, agreement=lambda cast: cast.draft),
    _simple(reviews.ReviewForm, agreement=lambda cast: cast.draft),
    _simple(breaches.BreachClocksForm, agreement=lambda cast: cast.draft),
    _simple(drafting.SectionForm, agreement=lambda cast: cast.draft),
    # the kinds' own terms (decision 0065)
    _simple(kind_forms.JointControllerForm, agreement=lambda cast: cast.draft),
    _simple(kind_forms.ProcessingTermsForm, agreement=lambda cast: cast.draft),
    _simple(kind_forms.DisclosureForm, agreement=lambda cast: cast.draft),
    _simple(kind_forms.SubProcessorForm, agreement=lambda cast: cast.draft),
    _simple(drafting.SectionMoveForm),
    _simple(drafting.MoveForm),
    _simple(documents.VerifyForm),
    _simple(requests.InformationRequestForm, user=lambda cast: cast.governance_manager),
    _simple(requests.InformationRequestResponseForm),
    _simple(requests.InformationRequestExtensionForm),
    _simple(reviews.ReviewStartForm, waiting=lambda cast: [], scheduled_on=lambda cast: TODAY),
    _simple(reviews.ReviewCompleteForm, review=lambda cast: Review(agreement=cast.agreement, due_on=TODAY)),
    _simple(reviews.ReviewActionForm, review=lambda cast: Review(agreement=cast.agreement, due_on=TODAY)),
    _simple(reviews.ReviewActionDoneForm),
    _simple(reviews.FindingsReportedForm),
    _simple(dpias.DpiaForm),
    _simple(existing.ExistingAgreementForm),
    _simple(existing.InForceSinceForm),
    _simple(browse.AgreementFilterForm, owners=lambda cast: owners()),
    _simple(browse.HistoryFilterForm),
    _simple(parties.PartyInviteForm, agreement=lambda cast: cast.draft),
    _simple(parties.PartyFilterForm, statuses=lambda cast: PartyStatus.choices),
    _simple(parties.PartyStatusForm, party=lambda cast: cast.partner_party),
    _simple(parties.PartyContactForm, party=lambda cast: cast.partner_party),
    _simple(parties.PartyDataForm, party=lambda cast: cast.partner_party),
    _simple(parties.PartyWithdrawForm),
    _simple(holdings_forms.PartyHoldingsForm),
    _simple(consultation_forms.ConsultationCommentForm),  # the MARAC trial's P10
    _simple(consultation_forms.ConsultationAnswerForm),
    _simple(signing_forms.SignForm, party=lambda cast: cast.partner_party, version=_version),
    _simple(signing_forms.PaperSignatureForm, versions=lambda cast: [_version(cast)]),
    _simple(dpo_reviews.DpoReviewForm),  # issue 17, item 2
    _simple(qa_reviews.QaRequirementForm),  # issue 17, item 4
    (qa_reviews.QaReviewForm, _qa_review_form),
    _simple(breaches.BreachForm, user=lambda cast: cast.governance_manager),
    _simple(breaches.BreachProgressForm, breach=lambda cast: Breach(agreement=cast.agreement)),
    _simple(breaches.BreachIcoForm),
    _simple(breaches.BreachAffectedForm, breach=lambda cast: Breach(agreement=cast.agreement)),
    _simple(breaches.BreachCloseForm),
    _simple(gateways.GatewayProposalForm),
    _simple(gateways.GatewayDecisionForm),
    # sharing_log
    _simple(escalations.EscalationForm),
    _simple(escalations.EscalationResolveForm),
    _simple(onward.OnwardRequestForm, disclosure=lambda cast: cast.disclosure),
    _simple(onward.OnwardDecisionForm),
    _simple(lists.LogFilterForm, user=lambda cast: cast.auditor),
    *(_question(step) for step in can_i_share.FORMS),
    _simple(closures.CaseCloseForm, user=lambda cast: cast.practitioner),
    _simple(closures.CaseChangeForm),
    _simple(closures.CaseReopenForm),
    _simple(disclosures.DisclosureForm, user=lambda cast: cast.practitioner, today=lambda cast: TODAY),
    _simple(quality.InaccurateForm, disclosure=lambda cast: cast.disclosure),
    _simple(quality.ConfirmCopyForm),
    _simple(amendments.AmendmentForm, disclosure=lambda cast: cast.disclosure),
    _simple(amendments.VoidForm),
    _simple(retention_forms.ConfirmDestroyedForm),
    _simple(override_forms.OverrideConfirmForm),
    # isa_portal (the sign-in form: NOT_FUZZED)
    _simple(portal_forms.ResetRequestForm),
    _simple(report_forms.ReportFilterForm, user=lambda cast: cast.governance_manager),
    # sso (issue 17, item 1)
    _simple(sso_forms.OrganisationEmailForm),
    _simple(sso_forms.SecurityCodeForm),
    _simple(search_forms.SearchForm, log_too=lambda cast: True),
    _simple(report_forms.FlowFilterForm, user=lambda cast: cast.governance_manager),
])
# The set-password form takes the person first.
FORMS[portal_forms.ResetPasswordForm] = lambda cast, data, files: portal_forms.ResetPasswordForm(
    cast.practitioner, data,
)


def _portal_form_classes() -> set[type]:
    for app in PORTAL_APPS:
        package = importlib.import_module(app)
        for module in pkgutil.walk_packages(package.__path__, f"{app}."):
            if ".forms" in module.name or module.name.endswith("forms"):
                importlib.import_module(module.name)
    found, stack = set(), [forms.Form]
    while stack:
        for subclass in stack.pop().__subclasses__():
            stack.append(subclass)
            if subclass.__module__.split(".")[0] in PORTAL_APPS:
                found.add(subclass)
    return found


def test_every_form_of_the_portal_is_fuzzed():
    assert _portal_form_classes() - set(FORMS) - set(NOT_FUZZED) == set()
    assert len(FORMS) * EXAMPLES_PER_FORM >= 10_000


# Writes a form makes by design when it validates: a wrong security code counts against the
# person's authenticator (django-otp's throttling), and its history records that.
WRITES_BY_DESIGN = {portal_forms.ResetPasswordForm: {"partners.HistoricalTOTPDevice", "otp_totp.TOTPDevice"}}


def _rebound(blank, data, files):
    """``blank`` (the form as its view builds it, unbound) bound to ``data`` and ``files`` as
    Django's ``BaseForm.__init__`` binds a form, with fields of its own: building the form once
    keeps 10,000 posts to the cost of validating them, not of the view's set-up queries."""
    form = copy.copy(blank)
    form.fields = copy.deepcopy(blank.fields)
    form.data, form.files, form.is_bound = data, files, True
    form._errors = None
    form._bound_fields_cache = {}
    return form


def _row_counts() -> dict[str, int]:
    with connection.cursor() as cursor:
        counts = {}
        for model in apps.get_models():
            cursor.execute(f'SELECT COUNT(*) FROM "{model._meta.db_table}"')  # noqa: S608 — table names from the models
            counts[model._meta.label] = cursor.fetchone()[0]
        return counts


@pytest.mark.parametrize("form_class", list(FORMS), ids=lambda form_class: form_class.__name__)
def test_a_form_survives_148_hostile_posts_and_writes_nothing(roles, form_class):
    """148 generated posts per form; 12,876 across the 87 forms."""
    make = FORMS[form_class]
    foreign_ids = [roles.unrelated_agreement.pk, roles.unrelated_organisation.pk, roles.unrelated.pk,
                   roles.draft.pk, roles.agreement.pk, 0, 2 ** 31, 2 ** 63]
    blank = make(roles, None, None)  # makes what the form needs (a version, an entry) first
    before = _row_counts()

    @fuzz_settings(EXAMPLES_PER_FORM)
    @given(posts(blank, foreign_ids))
    def survives(post):
        data, files = post
        form = _rebound(blank, data, files)
        form.is_valid()  # raises nothing
        assert isinstance(form.errors.get_json_data(), dict)

    survives()
    ignored = WRITES_BY_DESIGN.get(form_class, set())
    assert {k: v for k, v in _row_counts().items() if k not in ignored} == {
        k: v for k, v in before.items() if k not in ignored
    }
