"""What one generated entry says: a decision, its consent, lawful basis, categories and reasons,
in proportions like a county partnership's, and always within the log's database constraints
(``Disclosure.Meta.constraints``). No names: the case reference is pseudonymous and the summary
minimal, as the portal asks; the recipient's name is one of the fictional ones in ``parents``."""

import datetime
import random

from agreements.models import DataLevel, ProtectiveMarking, TransferMethod
from sharing_log.models import (
    ConsentStatus,
    DataCategory,
    Decision,
    FactOrOpinion,
    SpecialCategory,
    SubjectInformed,
    SubjectType,
)

from .parents import COMPETENT, FIRST_NAMES, LAST_NAMES

SUMMARIES = (
    "Address and tenancy status, to plan a joint visit.",
    "Dates of school attendance this term, for the team around the family.",
    "Outcome of the risk assessment, ahead of the multi-agency meeting.",
    "Whether the household is known to the service, and the lead worker's team.",
    "Police call-outs to the address in the last six months.",
    "Rent arrears and the tenancy warning issued.",
    "Attendance at appointments and the support offered.",
)
NECESSITY = (
    "The joint visit cannot be planned safely without it.",
    "Needed to assess the risk to the child before the strategy meeting.",
    "The tenancy enforcement decision depends on it.",
    "Without it the referral cannot be triaged.",
)
REFUSALS = {
    Decision.NOT_SHARED: ("Not necessary for the stated purpose: the recipient already holds it.",
                          "Sharing would not be proportionate to the concern raised."),
    Decision.REQUEST_REFUSED: ("The request did not say which purpose of the agreement it served.",
                               "The requester is not a signed party for this purpose."),
}
NOT_SOUGHT = ("Seeking consent would put the child at further risk.",
              "Seeking consent would prejudice the prevention of crime.")
JOB_TITLES = ("Neighbourhood officer", "Social worker", "Tenancy sustainment officer", "Safeguarding lead",
              "Early help practitioner", "Community safety officer", "Housing officer")
SUBJECT_WEIGHTS = {SubjectType.CHILD: 20, SubjectType.YOUNG_PERSON: 12, SubjectType.ADULT: 40,
                   SubjectType.FAMILY: 12, SubjectType.VICTIM: 6, SubjectType.OFFENDER: 8, SubjectType.LOCATION: 2}
LEVEL_WEIGHTS = {DataLevel.AGGREGATE: 2, DataLevel.MINIMUM: 50, DataLevel.DETAILED: 35, DataLevel.SENSITIVE: 13}
CATEGORIES = [value for value in DataCategory.values if value != DataCategory.OTHER]
SPECIAL = (SpecialCategory.HEALTH, SpecialCategory.HEALTH, SpecialCategory.ETHNICITY, SpecialCategory.RELIGION,
           SpecialCategory.SEXUAL_ORIENTATION)
TRANSFERS = (TransferMethod.SECURE_EMAIL, TransferMethod.SECURE_EMAIL, TransferMethod.SECURE_PORTAL,
             TransferMethod.MEETING, TransferMethod.TELEPHONE)


def _weighted(rng: random.Random, weights: dict):
    return rng.choices(list(weights), list(weights.values()))[0]


def entry_content(rng: random.Random, *, occurred: datetime.datetime, sector: str, gateways: dict,
                  statute_ids: list[int]) -> tuple[dict, list[int], list[int]]:
    """The entry's own fields (by attribute name), its legal gateways and its Article 9 conditions."""
    roll = rng.random()
    decision = Decision.SHARED if roll < 0.88 else Decision.NOT_SHARED if roll < 0.96 else Decision.REQUEST_REFUSED
    shared = decision == Decision.SHARED
    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
    fields = {
        "decision": decision, "subject_type": _weighted(rng, SUBJECT_WEIGHTS),
        "data_level": _weighted(rng, LEVEL_WEIGHTS),
        "data_categories": sorted(rng.sample(CATEGORIES, rng.randint(1, 3)), key=CATEGORIES.index),
        "recipient_name": f"{first} {last}", "recipient_job_title": rng.choice(JOB_TITLES),
        "recipient_contact": f"{first}.{last}@partner.example".lower(),
        "fact_or_opinion": FactOrOpinion.FACT if rng.random() < 0.7 else FactOrOpinion.BOTH,
        "protective_marking": ProtectiveMarking.OFFICIAL_SENSITIVE,
        "summary": rng.choice(SUMMARIES) if shared else "",
        "transfer_method": rng.choice(TRANSFERS) if shared else "",
        "necessity_reason": rng.choice(NECESSITY) if shared else "",
        "decision_reason": "" if shared else rng.choice(REFUSALS[decision]),
    }
    if rng.random() < 0.3:
        fields["request_received_on"] = (occurred - datetime.timedelta(days=rng.randint(0, 5))).date()
    # Consent: explicit or implied mostly; not sought (with the reason); now and then refused and
    # overridden by a designated manager; refused when not shared.
    consent_roll = rng.random()
    if not shared:
        fields["consent_status"] = ConsentStatus.REFUSED if consent_roll < 0.5 else ConsentStatus.EXPLICIT
    elif consent_roll < 0.35:
        fields["consent_status"] = ConsentStatus.EXPLICIT
    elif consent_roll < 0.5:
        fields["consent_status"] = ConsentStatus.IMPLIED
    elif consent_roll < 0.95:
        fields["consent_status"] = ConsentStatus.NOT_SOUGHT
        fields["consent_reason"] = rng.choice(NOT_SOUGHT)
    else:
        fields["consent_status"] = ConsentStatus.REFUSED_OVERRIDDEN
        fields["consent_reason"] = "The risk of serious harm outweighs the refusal."
        fields["confidentiality_breached"] = True
        fields["authorised_by"] = "Head of Safeguarding (designated manager)"
    informed = rng.random()
    if informed < 0.6:
        fields["subject_informed"] = SubjectInformed.YES
    elif informed < 0.85:
        fields["subject_informed"] = SubjectInformed.NOT_YET
        fields["subject_told_by"] = (occurred + datetime.timedelta(days=14)).date()
    else:
        fields["subject_informed"] = SubjectInformed.NO
        fields["subject_not_informed_reason"] = "Telling them would prejudice the investigation."
    art9, chosen = [], []
    if shared:
        if sector in COMPETENT and rng.random() < 0.4:
            fields["law_enforcement_basis_id"] = gateways["part3"].pk
        else:
            fields["art6_basis_id"] = gateways["art6"].pk
        if rng.random() < 0.2:
            fields["special_categories"] = sorted(set(rng.sample(SPECIAL, rng.randint(1, 2))))
            if "law_enforcement_basis_id" not in fields:
                pair = ("art9_h", "sch1_health") if SpecialCategory.HEALTH in fields["special_categories"] \
                    else ("art9_g", "sch1_safeguarding")
                art9 = [gateways[name].pk for name in pair]
        if rng.random() < 0.15:
            fields["criminal_offence_data"] = True
            if "law_enforcement_basis_id" not in fields:
                fields["criminal_offence_condition_id"] = gateways["sch1_crime"].pk
        chosen = sorted(rng.sample(statute_ids, min(len(statute_ids), rng.randint(1, 2))))
    return fields, chosen, sorted(art9)
