"""The demo data holds the seeds' agreements as the documents have them, with fictional people."""

import datetime
import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command

from agreements.models import Agreement, GatewayStatus, LegalGateway, PartyStatus, SignatureMethod, Status
from isa_portal.demo import DEMO_LOGINS
from partners.models import Contact, Membership, Role
from tests.auth import sign_in

User = get_user_model()

# Seed 001, Appendix 1: every row, its "CSP Board Member?" column, and the standing its
# "Lead Signatory Name & Role" column gives it.
SIGNED, AWAITING, AWAIT_CASE, INVITED = (
    PartyStatus.SIGNED, PartyStatus.AWAITING_DETAILS, PartyStatus.AWAIT_CASE, PartyStatus.INVITED,
)
SEED_001_APPENDIX_1 = [
    ("South Cambridgeshire District Council", True, SIGNED),
    ("Cambridgeshire County Council", True, SIGNED),
    ("Cambridgeshire Fire & Rescue Service", True, SIGNED),
    ("The Bedfordshire, Northamptonshire, Cambridgeshire and Hertfordshire Community "
     "Rehabilitation Company Limited (BeNCH CRC)", True, SIGNED),
    ("Cambridgeshire Constabulary", True, INVITED),
    ("Cambridgeshire and Peterborough Clinical Commissioning Group", False, INVITED),
    ("Voluntary Sector Representative (South Cambridgeshire)", False, INVITED),
    ("Abbeyfield", False, AWAITING),
    ("Accent Housing", False, SIGNED),
    ("BPHA", False, SIGNED),
    ("Cambridge Cottage Housing", False, SIGNED),
    ("Cambridge Housing Society", False, SIGNED),
    ("Clarion Housing Group", False, SIGNED),
    ("Cotman Housing Association", False, SIGNED),
    ("Flagship", False, AWAITING),
    ("Hanover Housing", False, SIGNED),
    ("Hastoe Housing", False, AWAITING),
    ("Hundred Housing Association", False, AWAITING),
    ("Guinness Trust", False, AWAITING),
    ("King Street Housing Society (Part of Aldwyck Housing Group)", False, SIGNED),
    ("Luminus Group", False, AWAIT_CASE),
    ("Metropolitan Housing Trust", False, SIGNED),
    ("Papworth Trust", False, SIGNED),
    ("Paradigm Housing", False, SIGNED),
    ("Sanctuary Housing", False, AWAITING),
    ("Stonewater Housing", False, SIGNED),
    ("Suffolk Housing Society", False, SIGNED),
    ("Cottenham Village College", False, INVITED),
    ("Linton Village College", False, SIGNED),
    ("Sawston Village College", False, AWAITING),
    ("Swavesey Village College (part of Cambridge Meridian Academies Trust)", False, SIGNED),
    ("John Huntingdon's Charity", False, SIGNED),
    ("Romsey Mill", False, SIGNED),
    ("CENTRA", False, AWAITING),
    ("Counting Every Adult", False, SIGNED),
    ("Inclusion", False, AWAIT_CASE),
    ("MIND", False, AWAITING),
    ("CPFT District Nursing Team", False, AWAITING),
    ("Riverside Floating Support", False, AWAITING),
    ("National Probation Service", False, AWAITING),
]

# Seed 001, Appendix 3: the legislative powers it relies on.
SEED_001_APPENDIX_3 = [
    ("Data Protection Act 2018", "Sch 2"),
    ("UK GDPR", "Art 6(1)(c)"),
    ("UK GDPR", "Art 9(2)(g)"),
    ("UK GDPR", "Art 23"),
    ("Human Rights Act 1998", "Art 8"),
    ("Crime and Disorder Act 1998", "s17"),
    ("Crime and Disorder Act 1998", "s115"),
    ("Common law duty of confidence", ""),
    ("Children Act 2004", "s10"),
    ("Children Act 2004", "s11"),
    ("Police Act 1996", "s30"),
    ("Police and Justice Act 2006", ""),
]

# Real people named in the seeds; none may appear in the demo data.
REAL_NAMES = [
    "Brooks", "Hawkes", "Chapman", "Matthews", "Moloney", "Rogerson", "Osborne", "Bowman",
    "Parkinson", "Spratley", "Oldfield", "Rustem", "Whipp", "Tonks", "Tuckwood", "Scarfe",
    "Parnell", "Woolley", "Seymour", "Cayton", "Rosser", "Janice Blake", "Maxwell", "Kelly Fox",
    "Ann Brookes", "Cunningham", "Tattershall", "Whitbread", "Blackmore", "Swainland", "Longfoot",
    "Banham", "Christine Brown", "Matatazzo", "Addley", "Hannah Turner", "Williamson", "Hayden",
    "Babla", "Farrington", "Jon Sanders", "Tallon", "Ludlam", "Ryder", "Jan Doust", "Ed Miller",
]




@pytest.fixture
def csp_isa(demo):
    return Agreement.objects.get(reference="CSP ISA")


def test_every_appendix_1_organisation_is_a_party_with_its_seed_status(csp_isa):
    parties = {
        party.organisation.name: (party.board_member, party.status)
        for party in csp_isa.parties.select_related("organisation")
    }
    expected = {name: (board, status) for name, board, status in SEED_001_APPENDIX_1}
    assert parties == expected


def test_signed_appendix_1_parties_returned_a_paper_form_for_version_1(csp_isa):
    version = csp_isa.versions.get()
    signed = csp_isa.parties.filter(status=PartyStatus.SIGNED)
    assert signed.count() == 22
    for party in signed:
        signature = party.signatures.get()
        assert signature.method == SignatureMethod.PAPER
        assert signature.version == version
        assert signature.content_hash == version.content_hash


def test_every_appendix_3_gateway_is_linked_to_the_csp_isa(csp_isa):
    gateways = list(csp_isa.gateways.all())
    for instrument, provision in SEED_001_APPENDIX_3:
        assert any(
            instrument.lower() in g.instrument.lower() and provision in g.provision for g in gateways
        ), f"{instrument} {provision} is not linked to the CSP ISA"


def test_csp_isa_keeps_the_seed_rules_and_sits_under_the_charter(csp_isa):
    assert csp_isa.retention_months_after_closure == 18
    assert csp_isa.review_every_months == 24
    assert csp_isa.parent.title == "Cambridgeshire Information Sharing Charter"
    assert csp_isa.purposes.filter(text__icontains="re-offending").exists()
    assert csp_isa.data_items.filter(providers__organisation__name="Accent Housing").exists()


def test_haringey_protocol_cites_repealed_dpa_1998_with_its_replacement(demo):
    protocol = Agreement.objects.get(kind="individual_protocol", title__icontains="Haringey")
    assert protocol.parent.kind == "general_protocol"
    assert protocol.parties.count() == 3
    assert protocol.review_first_after_months == 6
    assert protocol.review_every_months == 12
    assert protocol.data_items.filter(level="minimum").exists()
    assert protocol.data_items.filter(level__in=["detailed", "sensitive"]).exists()
    assert protocol.breach_notify_working_days == 5
    assert protocol.breach_meeting_working_days == 20
    dpa_1998 = protocol.gateways.get(instrument="Data Protection Act 1998", provision="")
    assert dpa_1998.status == GatewayStatus.REPEALED
    assert dpa_1998.replaced_by.instrument == "Data Protection Act 2018"
    assert protocol.cites_repealed_law is True


def test_gateway_catalogue_holds_every_article_6_and_9_basis(demo):
    art6 = set(LegalGateway.objects.filter(category="art6").values_list("key", flat=True))
    art9 = set(LegalGateway.objects.filter(category="art9").values_list("key", flat=True))
    assert art6 == {f"ukgdpr-art6-1-{letter}" for letter in "abcdef"}
    assert art9 == {f"ukgdpr-art9-2-{letter}" for letter in "abcdefghij"}
    assert LegalGateway.objects.filter(category="dpa2018_sch1", provision__icontains="para 18").exists()


def test_stockport_and_berkshire_protocols_have_their_partners(demo):
    assert Agreement.objects.get(title="Stockport Health and Social Care Protocol").parties.count() == 5
    # 004 §3.2: four partnerships, and the nine statutory partners of their MASA documents.
    assert Agreement.objects.get(title__startswith="Berkshire").parties.count() == 13


def test_no_real_person_from_the_seeds_is_in_the_demo(demo):
    text = " ".join(Contact.objects.values_list("name", flat=True))
    sections = " ".join(" ".join(a.sections.values_list("body", flat=True)) for a in Agreement.objects.all())
    for name in REAL_NAMES:
        assert name not in text, name
        assert name not in sections, name


def test_loading_twice_changes_nothing(demo):
    counts = (Agreement.objects.count(), Contact.objects.count(), Membership.objects.count())
    call_command("load_demo", stdout=io.StringIO())
    assert (Agreement.objects.count(), Contact.objects.count(), Membership.objects.count()) == counts


def test_haringeys_governance_manager_sees_the_warning_about_dpa_1998(demo, client):
    haringey = Agreement.objects.get(kind="individual_protocol", title__icontains="Haringey")
    sign_in(client, User.objects.get(username="haringey"))

    response = client.get(haringey.get_absolute_url())

    page = " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())
    assert "provisions of law that have been repealed or superseded" in page
    assert "Data Protection Act 1998: repealed, replaced by Data Protection Act 2018" in page


def test_one_demo_login_per_role_each_enrolled_in_two_factor(demo):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    csp_isa_logins = [login for login in DEMO_LOGINS if login.username != "haringey"]
    assert {login.role for login in csp_isa_logins} == set(Role)
    assert len(csp_isa_logins) == len(Role)
    for login in DEMO_LOGINS:
        membership = Membership.objects.get(user__username=login.username)
        assert membership.role == login.role
        assert membership.user.check_password(login.password)
        assert TOTPDevice.objects.filter(user=membership.user, confirmed=True).exists()


def test_csp_isa_signature_matrix_shows_appendix_1_as_it_stands(csp_isa):
    from agreements.selectors import SignatureStatus, signature_matrix

    matrix = signature_matrix(csp_isa)

    assert (matrix.signed, matrix.total) == (22, 40)
    assert {status: count for status, count in matrix.counts.items() if count} == {
        SignatureStatus.SIGNED: 22, SignatureStatus.AWAITING_DETAILS: 12, SignatureStatus.AWAIT_CASE: 2,
        SignatureStatus.INVITED: 4,
    }
    # 18 have not signed; two of them, the CCG and the National Probation Service, no longer exist.
    assert len(matrix.chase) == 16
    assert not [row for row in matrix.chase if row.organisation.ceased_on]


def test_demo_sharing_log_is_lived_in_and_identifies_no_one(csp_isa):
    from dateutil.relativedelta import relativedelta

    from sharing_log import privacy
    from sharing_log.models import CaseClosure, Decision, Disclosure, Escalation

    entries = Disclosure.objects.filter(agreement=csp_isa)
    assert entries.count() >= 24
    assert set(entries.values_list("decision", flat=True)) == set(Decision.values)
    assert entries.filter(acknowledgement__isnull=False).exists()
    assert sorted(Escalation.objects.values_list("status", flat=True)) == ["open", "resolved"]
    closure = CaseClosure.objects.get(case_reference="SCDC-ASB-2026-0142")
    closed = entries.filter(case_reference=closure.case_reference)
    assert {entry.retention_due_on for entry in closed} == {closure.closed_on + relativedelta(months=18)}
    assert entries.exclude(case_reference__in=[c.case_reference for c in CaseClosure.objects.all()]).filter(
        retention_due_on__isnull=False).exists() is False
    free_text = [*entries.values_list("case_reference", "summary", "decision_reason", "recipient_name"),
                 *Escalation.objects.values_list("concern", "resolution_note")]
    for texts in free_text:
        for text in texts:
            assert privacy.identifier_kinds(text) == [], text
            assert not any(name in text for name in REAL_NAMES), text


def test_demo_entries_carry_the_record_of_the_decision(csp_isa):
    """Issue 13, item 6: each demo share says why it was necessary and what it included; a person
    not yet told has a date to be told by; requests have the day they came in."""
    from django.utils import timezone

    from sharing_log.models import CanIShareOutcome, Decision, Disclosure, SubjectInformed

    entries = Disclosure.objects.filter(agreement=csp_isa)
    shared = entries.filter(decision=Decision.SHARED)
    assert not shared.filter(necessity_reason="").exists()
    assert all(entry.summary or entry.data_categories for entry in shared)
    not_yet = entries.filter(subject_informed=SubjectInformed.NOT_YET)
    assert not_yet.exists()
    assert all(entry.subject_told_by and entry.subject_told_by >= timezone.localdate() for entry in not_yet)
    assert not entries.filter(decision=Decision.REQUEST_REFUSED, request_received_on__isnull=True).exists()
    assert set(entries.values_list("can_i_share_outcome", flat=True)) == {"", *CanIShareOutcome.values}
    for entry in entries.exclude(request_received_on=None):
        assert entry.request_received_on <= timezone.localdate(entry.occurred_at)
    for text in entries.values_list("necessity_reason", "late_logging_reason", "against_advice_reason"):
        assert not any(name in part for part in text for name in REAL_NAMES)


def test_demo_shares_rest_on_the_agreements_basis_or_say_why_not(csp_isa):
    """Issue 13: every demo share cited 6(1)(e) under an agreement citing only 6(1)(c), silently."""
    from agreements.services.legal_basis import schedule1_missing
    from sharing_log.models import Decision, Disclosure

    cited = set(csp_isa.gateways.filter(category="art6"))
    shares = Disclosure.objects.filter(agreement=csp_isa, decision=Decision.SHARED)
    assert shares.exists()
    for entry in shares:
        assert entry.art6_basis in cited or entry.art6_departure_reason, entry.case_reference
        if entry.special_categories:
            conditions = list(entry.art9_conditions.all())
            assert any(c.category == "art9" for c in conditions) and schedule1_missing(conditions) == []
    assert {str(entry.art6_basis) for entry in shares} == {"UK GDPR Art 6(1)(e)"}


def test_demo_logins_have_something_to_do_in_the_sharing_log(demo):
    from django.contrib.auth import get_user_model

    from sharing_log.permissions import can_resolve_escalation
    from sharing_log.selectors import disclosures_awaiting_acknowledgement, escalations_visible_to

    users = get_user_model().objects
    governance, spoc = users.get(username="governance"), users.get(username="spoc")
    open_escalation = escalations_visible_to(governance).get(status="open")
    assert can_resolve_escalation(governance, open_escalation) is True
    assert disclosures_awaiting_acknowledgement(spoc).exists()


def test_a_retention_rule_only_where_the_seed_states_one(demo):
    """Only 001 §5.15 states a period (18 months from the case being closed); no other seed
    does, and the demo invents none: the others show that they have no rule. The demo's fictional
    joint controller arrangement for the CSP's case records takes the CSP ISA's rule (001 §5.15)."""
    from agreements.models import NO_RETENTION_RULE

    rules = {agreement.reference or agreement.title: (
        agreement.retention_months_after_closure, agreement.retention_months_from_disclosure,
        agreement.retention_summary,
    ) for agreement in Agreement.objects.all()}

    assert len(rules) == 9
    assert rules.pop("CSP ISA") == (18, None, "Destroyed 18 months after the case is closed")
    assert rules.pop("CSP JCA (demo)") == (18, None, "Destroyed 18 months after the case is closed")
    assert set(rules.values()) == {(None, None, NO_RETENTION_RULE)}


def test_no_demo_entry_is_left_without_a_due_date_or_a_flag(csp_isa):
    """Issue 13's finding: retention was set for one agreement of eight, and 22 of the demo's 29
    entries had no due date with nothing ever to give them one. Now each undated entry waits for
    its case to close under a rule after closure, and its case is flagged once it has been open
    for the agreement's limit."""
    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    from partners.models import Organisation
    from sharing_log.models import Disclosure
    from sharing_log.selectors import cases_open_too_long

    entries = Disclosure.objects.select_related("agreement")
    waiting = [entry for entry in entries if entry.retention_due_on is None]
    assert (entries.count(), entries.filter(retention_due_on__isnull=False).count(), len(waiting)) == (29, 7, 22)
    assert {entry.agreement.retention_basis for entry in waiting} == {"after_closure"}

    everyone = Organisation.objects.values_list("pk", flat=True)
    assert cases_open_too_long(organisation_ids=everyone, on=timezone.localdate()) == []
    later = timezone.localdate() + relativedelta(months=csp_isa.case_open_limit_months)
    assert sum(case.entries for case in cases_open_too_long(organisation_ids=everyone, on=later)) == 22


# Issue 13, item 8 ("lets logging continue under an agreement whose review has been overdue since
# 2022") and item 11 ("true to the seeds"): no seed sets a grace period, so the CSP ISA keeps the
# portal's default; its fictional log stands on a fictional review recorded through the review
# services, dated before the log's first entry, and marked as a demonstration.
FICTIONAL_REVIEW = "Demonstration: a fictional review, so that the fictional sharing log below can be kept."


def test_the_csp_isa_keeps_the_default_grace_for_an_overdue_review(csp_isa):
    assert csp_isa.review_overdue_grace_days == Agreement._meta.get_field("review_overdue_grace_days").default == 90


def test_a_fictional_review_before_the_first_log_entry_keeps_the_csp_isa_in_review(csp_isa):
    from dateutil.relativedelta import relativedelta
    from django.utils import timezone

    from agreements.models import ReviewOutcome, ReviewTrigger
    from agreements.selectors.staleness import review_overdue
    from sharing_log.models import Disclosure
    from sharing_log.services.staleness import review_overdue_warning

    review = csp_isa.reviews.get()
    first_entry = timezone.localdate(Disclosure.objects.filter(agreement=csp_isa).earliest("occurred_at").occurred_at)
    assert review.trigger == ReviewTrigger.SCHEDULED
    assert review.due_on == datetime.date(2022, 2, 1)  # the seed's own next review
    assert review.completed_on < first_entry
    assert review.findings.startswith(FICTIONAL_REVIEW)
    assert review.outcome == ReviewOutcome.NO_CHANGE
    assert [contact.name for contact in review.reviewers.all()] == ["Meera Ashworth"]  # the fictional demo login
    assert review.findings_reported_on is not None
    assert (csp_isa.last_review_on, csp_isa.next_review_due) == (
        review.completed_on, review.completed_on + relativedelta(months=24))
    today = timezone.localdate()
    assert review_overdue(csp_isa, on=today) is None
    assert review_overdue_warning(csp_isa, on=today) is None
    # The seed's own dates stay in the agreement's history, before the review.
    first = csp_isa.history.earliest("history_date")
    assert (first.last_review_on, first.next_review_due) == (datetime.date(2020, 2, 1), datetime.date(2022, 2, 1))
    assert not csp_isa.history.filter(history_change_reason__isnull=True).exists()


def test_a_demo_agreement_overdue_longer_than_its_grace_refuses_logging(demo):
    """004 is in force with a review due six months after 1 September 2024 and no review since:
    overdue since 1 March 2025, longer than its 90 days. None of its parties has signed, so the
    refusal is read through the staleness selector and its message."""
    from django.utils import timezone

    from agreements.selectors.staleness import review_overdue
    from sharing_log.services.staleness import review_overdue_refusal

    berkshire = Agreement.objects.get(title__startswith="Berkshire")
    assert berkshire.status == "in_force" and not berkshire.reviews.exists()
    assert berkshire.review_overdue_grace_days == 90

    overdue = review_overdue(berkshire, on=timezone.localdate())

    assert (overdue.due_on, overdue.grace_ends_on, overdue.refused) == (
        datetime.date(2025, 3, 1), datetime.date(2025, 5, 30), True)
    assert review_overdue_refusal(overdue) == (
        f"The review of {berkshire} has been overdue since 1 March 2025, longer than the 90 days the agreement "
        "allows: nothing more may be shared under it until its review is completed. Ask its governance "
        "manager to complete the review. A decision not to share may still be logged."
    )


def test_the_demo_shows_the_fictional_review_as_a_demonstration_and_logs_without_a_warning(csp_isa, client):
    from django.urls import reverse

    sign_in(client, User.objects.get(username="practitioner"))

    logging = " ".join(re.sub(r"<[^>]+>", " ", client.get(reverse("sharing_log:create")).content.decode()).split())

    assert csp_isa.title in logging  # the form, offering the CSP ISA
    assert "has been overdue since" not in logging
    review = csp_isa.reviews.get()
    sign_in(client, User.objects.get(username="governance"))
    page = " ".join(re.sub(r"<[^>]+>", " ", client.get(review.get_absolute_url()).content.decode()).split())
    assert FICTIONAL_REVIEW in page
    assert "Meera Ashworth" in page


def test_the_demos_agreements_in_force_wait_on_whats_due_for_their_dpia_screening(demo):
    """Issue 13, item 2: no seed records a DPIA screening, so each demo agreement in force is
    flagged for the governance managers who manage it (where the demo has one) until one is recorded."""
    from agreements.selectors import agreements_managed_by
    from isa_portal.due import due_for

    flagged = set()
    for user in get_user_model().objects.order_by("pk"):
        managed = agreements_managed_by(user).filter(status__in=[Status.IN_FORCE, Status.UNDER_REVIEW])
        if not managed.exists():
            continue
        whats = [item.what for item in due_for(user).coming_up]
        for agreement in managed:
            assert f"Record whether {agreement.reference or agreement.title} needs a DPIA" in whats
            flagged.add(agreement.reference or agreement.title)
    assert {"CSP ISA", "Haringey General Information Sharing Protocol"} <= flagged


def test_whats_due_puts_the_demos_open_escalation_first_for_those_who_decide_it(demo):
    """Issue 14, item 2: the open "refusal to share to keep a child safe" escalation is overdue at
    once on "What's due" for the lead's SPOCs and governance managers, and for no other demo login."""
    from isa_portal.due import due_for
    from sharing_log.models import Escalation, EscalationStatus
    from sharing_log.permissions import can_resolve_escalation

    escalations = list(Escalation.objects.select_related("disclosure__agreement"))
    waiting = [escalation for escalation in escalations if escalation.status == EscalationStatus.OPEN]
    assert len(escalations) == 2 and len(waiting) == 1
    deciders = set()
    for user in get_user_model().objects.order_by("pk"):
        due = due_for(user)
        shown = {item.url for item in due.overdue if item.kind == "Escalation"}
        assert {item.url for item in due.overdue[:len(shown)]} == shown
        assert [item for item in due.coming_up if item.kind == "Escalation"] == []
        expected = {escalation.get_absolute_url() for escalation in waiting if can_resolve_escalation(user, escalation)}
        assert shown == expected, user.username
        if shown:
            deciders.add(user.username)
    assert deciders == {"governance", "demo-scdc-spoc"}




def test_whats_due_shows_the_demos_overdue_review_before_the_scheduler_has_run(demo):
    """Issue 14, item 2: the Berkshire protocol's review, due six months after it came into force
    and never held, is overdue on "What's due" for a governance manager of its owner although the
    daily scheduler has opened no review row; the (fictionally) reviewed CSP ISA's is not."""
    from django.utils import timezone

    from agreements.models import Review
    from isa_portal.due import due_for
    from partners.models import Role
    from tests.factories import MembershipFactory, UserFactory

    berkshire = Agreement.objects.get(title="Berkshire Safeguarding Children Partnerships Information Sharing Protocol")
    manager = UserFactory(username="berkshire-governance")
    MembershipFactory(user=manager, organisation=berkshire.owner, role=Role.GOVERNANCE_MANAGER)
    assert not Review.objects.filter(agreement=berkshire).exists()

    overdue = {item.key: item for item in due_for(manager).overdue}

    item = overdue[f"review-{berkshire.pk}-scheduled"]
    assert (item.what, item.due) == (f"Carry out the review of {berkshire.title}", datetime.date(2025, 3, 1))
    assert item.due < timezone.localdate()
    governance = get_user_model().objects.get(username="governance")
    assert [item for item in due_for(governance).overdue if item.kind == "Review"] == []
