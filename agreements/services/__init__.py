"""Writes for agreements: every change to an agreement, its parties and signatures goes here.

One module per feature, with the same name as its models, selectors, views, forms and urls;
``lifecycle`` holds the moves from status to status. Callers outside the app import from here;
modules inside it import from the feature module.
"""

from .breaches import (
    breach_acknowledge,
    breach_affected_record,
    breach_close,
    breach_ico_record,
    breach_progress_update,
    breach_record,
)
from .documents import signed_copies_freeze_outstanding, signed_copy_freeze
from .dpias import dpia_record
from .drafting import (
    agreement_breach_clocks_update,
    agreement_create,
    agreement_details_update,
    agreement_gateways_set,
    agreement_purposes_set,
    agreement_purposes_update,
    agreement_retention_update,
    agreement_review_update,
    agreement_start,
    agreement_transfer_update,
    data_item_create,
    data_item_remove,
    data_item_save,
)
from .existing import agreement_record_existing, agreement_record_in_force
from .gateways import gateway_proposal_approve, gateway_proposal_reject, gateway_propose, gateway_save
from .holdings import holdings_refusal, party_holdings_confirm, party_withdrawals_complete
from .kinds import joint_controller_essence_update as joint_controller_essence_update
from .lifecycle import agreement_status_move
from .parties import (
    agreement_parties_import,
    party_add,
    party_contact_add,
    party_contact_assign,
    party_contact_remove,
    party_data_set,
    party_invite,
    party_partnerships_set,
    party_record_status,
    party_withdraw,
)
from .requests import (
    information_request_extend,
    information_request_record,
    information_request_respond,
    routed_event_key,
)
from .reviews import (
    review_action_add,
    review_action_done,
    review_complete,
    review_findings_reported,
    review_start,
    reviews_due_create,
)
from .sections import section_create, section_move, section_remove, section_save
from .signing import resigning_notify, signature_record_paper, signature_reminder_send, signature_sign
from .versions import agreement_substance_changed, agreement_version_create

__all__ = [
    "holdings_refusal",
    "party_holdings_confirm",
    "dpia_record",
    "signed_copy_freeze",
    "signed_copies_freeze_outstanding",
    "agreement_create",
    "agreement_purposes_set",
    "section_create",
    "data_item_create",
    "agreement_parties_import",
    "party_add",
    "party_contact_add",
    "party_partnerships_set",
    "agreement_version_create",
    "signature_record_paper",
    "gateway_proposal_approve",
    "gateway_proposal_reject",
    "gateway_propose",
    "gateway_save",
    "agreement_substance_changed",
    "party_invite",
    "party_record_status",
    "party_contact_assign",
    "party_contact_remove",
    "party_data_set",
    "party_withdraw",
    "party_withdrawals_complete",
    "agreement_start",
    "agreement_details_update",
    "agreement_purposes_update",
    "data_item_save",
    "data_item_remove",
    "agreement_gateways_set",
    "agreement_transfer_update",
    "agreement_breach_clocks_update",
    "agreement_retention_update",
    "agreement_review_update",
    "section_save",
    "section_remove",
    "section_move",
    "agreement_record_existing",
    "agreement_record_in_force",
    "agreement_status_move",
    "signature_reminder_send",
    "signature_sign",
    "resigning_notify",
    "breach_record",
    "breach_acknowledge",
    "breach_progress_update",
    "breach_ico_record",
    "breach_close",
    "breach_affected_record",
    "information_request_record",
    "information_request_respond",
    "routed_event_key",
    "information_request_extend",
    "review_start",
    "reviews_due_create",
    "review_complete",
    "review_action_add",
    "review_action_done",
    "review_findings_reported",
]
