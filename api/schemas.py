"""What the API reads and writes, as pydantic schemas (django-ninja): its OpenAPI schema is made
from these."""

import datetime
from typing import Annotated

from ninja import Schema
from pydantic import Field, StringConstraints

# No NUL character (PostgreSQL refuses one in text); the service trims and judges the rest.
Text = Annotated[str, StringConstraints(max_length=5000, pattern=r"^[^\x00]*$")]
ShortText = Annotated[str, StringConstraints(max_length=200, pattern=r"^[^\x00]*$")]
Id = Annotated[int, Field(ge=1, le=2_147_483_647)]


class Message(Schema):
    detail: str


class Problems(Schema):
    """Every problem found, by field, worded as the browser form words it."""

    detail: str
    errors: dict[str, list[str]]


class OrganisationOut(Schema):
    id: int
    name: str


class PartyOut(Schema):
    organisation: OrganisationOut
    status: str
    joined_on: datetime.date | None


class PurposeOut(Schema):
    id: int
    text: str


class GatewayOut(Schema):
    id: int
    key: str
    title: str
    instrument: str
    provision: str
    status: str


class AgreementOut(Schema):
    id: int
    title: str
    reference: str
    status: str
    version: str
    effective_date: datetime.date | None
    ended_on: datetime.date | None
    owner: OrganisationOut
    parties: list[PartyOut]
    purposes: list[PurposeOut]
    gateways: list[GatewayOut]


class AgreementPage(Schema):
    count: int
    items: list[AgreementOut]


class EntryIn(Schema):
    """An entry to log: the answers of the browser's log form, organisations, agreement, purpose
    and legal gateways by their ids."""

    organisation: Id
    agreement: Id
    recipient_organisation: Id
    purpose: Id
    occurred_at: datetime.datetime
    decision: ShortText
    case_reference: ShortText
    subject_type: ShortText
    data_level: ShortText
    consent_status: ShortText
    subject_informed: ShortText
    decision_reason: Text = ""
    data_categories: list[ShortText] = Field(default_factory=list, max_length=20)
    special_categories: list[ShortText] = Field(default_factory=list, max_length=20)
    criminal_offence_data: bool = False
    art6_basis: Id | None = None
    art9_conditions: list[Id] = Field(default_factory=list, max_length=20)
    criminal_offence_condition: Id | None = None
    law_enforcement_basis: Id | None = None
    art6_departure_reason: Text = ""
    gateways: list[Id] = Field(default_factory=list, max_length=20)
    consent_reason: Text = ""
    confidentiality_breached: bool = False
    designated_manager: Id | None = None
    subject_not_informed_reason: Text = ""
    fact_or_opinion: ShortText = "fact"
    transfer_method: ShortText = ""
    protective_marking: ShortText = "official_sensitive"
    recipient_name: ShortText = ""
    recipient_job_title: ShortText = ""
    recipient_contact: ShortText = ""
    summary: Text = ""
    summary_checked: bool = False
    request_received_on: datetime.date | None = None
    necessity_reason: Text = ""
    can_i_share_outcome: ShortText = ""
    against_advice_reason: Text = ""
    late_logging_reason: Text = ""
    subject_told_by: datetime.date | None = None


class EntryOut(Schema):
    id: int
    agreement: int
    organisation: OrganisationOut
    recipient_organisation: OrganisationOut
    logged_by: str
    recorded_at: datetime.datetime
    occurred_at: datetime.datetime
    decision: str
    decision_reason: str
    case_reference: str
    subject_type: str
    data_level: str
    data_categories: list[str]
    special_categories: list[str]
    purpose: int
    gateways: list[int]
    consent_status: str
    consent_reason: str
    subject_informed: str
    subject_not_informed_reason: str
    summary: str


class EntryPage(Schema):
    count: int
    items: list[EntryOut]
