from django.urls import path

from .views import amendments, can_i_share, closures, disclosures, escalations, ledger, onward, overrides, quality

app_name = "sharing_log"

urlpatterns = [
    path("", disclosures.disclosure_list, name="list"),
    path("received/", disclosures.received_list, name="received"),
    path("export/", disclosures.export, name="export"),
    path("export/xlsx/", disclosures.export, {"fmt": "xlsx"}, name="export_xlsx"),
    path("new/", disclosures.disclosure_create, name="create"),
    path("inbox/", disclosures.inbox, name="inbox"),
    path("can-i-share/", can_i_share.start, name="can_i_share"),
    path("can-i-share/check-your-answers/", can_i_share.check, name="can_i_share_check"),
    path("can-i-share/do-not-share/", can_i_share.do_not_share, name="can_i_share_do_not_share"),
    path("can-i-share/<slug:step>/", can_i_share.question, name="can_i_share_question"),
    path("<int:pk>/", disclosures.disclosure_detail, name="detail"),
    path("<int:pk>/amend/", amendments.disclosure_amend, name="amend"),
    path("<int:pk>/void/", amendments.disclosure_void, name="void"),
    path("<int:pk>/acknowledge/", disclosures.acknowledge, name="acknowledge"),
    # Onward disclosure (001 §5.7), and data quality (001 §5.6): an entry marked inaccurate, and each
    # recipient's confirmation of what it did with its copy (asked too when an entry is destroyed, 001 §5.15).
    path("<int:pk>/pass-on/", onward.onward_request, name="onward_request"),
    path("pass-on/", onward.onward_list, name="onward_list"),
    path("pass-on/export/", onward.onward_export, name="onward_export"),
    path("pass-on/export/xlsx/", onward.onward_export, {"fmt": "xlsx"}, name="onward_export_xlsx"),
    path("pass-on/<int:pk>/", onward.onward_decide, name="onward_decide"),
    path("<int:pk>/inaccurate/", quality.mark_inaccurate, name="inaccurate"),
    path("copies/", quality.copy_list, name="copies"),
    path("copies/<int:pk>/", quality.copy_confirm, name="copy_confirm"),
    # Escalation of a refusal to share (004 §6.4) and case closure (001 §5.15).
    path("<int:pk>/escalate/", escalations.escalation_raise, name="escalate"),
    path("escalations/", escalations.escalation_list, name="escalations"),
    path("escalations/<int:pk>/", escalations.escalation_detail, name="escalation"),
    path("escalations/<int:pk>/resolve/", escalations.escalation_resolve, name="escalation_resolve"),
    path("cases/", closures.case_list, name="cases"),
    path("cases/close/", closures.case_close, name="case_close"),
    path("cases/<int:pk>/", closures.case_detail, name="case"),
    path("cases/<int:pk>/change/", closures.case_change, name="case_change"),
    path("cases/<int:pk>/reopen/", closures.case_reopen, name="case_reopen"),
    # A designated manager confirms the override an entry says they authorised (002 §4.6–4.7).
    path("overrides/<int:pk>/confirm/", overrides.override_confirm, name="override_confirm"),
    # A signed statement of the chain's head, to keep outside the portal (docs/decisions/0023).
    path("chain-statement/", ledger.chain_statement_download, name="chain_statement"),
]
