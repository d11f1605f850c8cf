"""The signed statement of the log's chain (issue 12, item 4; sharing_log/views/ledger.py): a
governance manager or auditor downloads it, and its signature checks against the portal's seal
certificate. Who else may is in tests/test_permission_matrix.py."""

import base64
import json

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from django.urls import reverse

from sharing_log.models import LogEvent
from sharing_log.statements import statement_verify
from tests.auth import sign_in
from tests.sharing_log.helpers.database import chain_factory_rows
from tests.sharing_log.helpers.retention import PINNED

pytestmark = [pytest.mark.django_db, pytest.mark.pinned_clock(PINNED)]


@pytest.mark.parametrize("who", ["governance_manager", "auditor"])
def test_the_statement_names_the_chains_head_and_its_signature_checks(client, roles, who):
    assert roles.disclosure_to_partner.pk  # the cast's entries are made when first asked for
    chain_factory_rows()
    head = LogEvent.objects.order_by("-seq").first()
    sign_in(client, getattr(roles, who))

    response = client.get(reverse("sharing_log:chain_statement"))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="sharing-log-chain-statement-2026-06-17.json"'
    assert response["Cache-Control"] == "no-store"
    document = json.loads(response.content)
    body = document["statement"]
    assert (body["head_seq"], body["head_hash"], body["events"]) == (head.seq, head.hash, head.seq)
    # Checked as anyone outside the portal would: the seal certificate's key over the canonical body.
    with open(settings.PDF_SEAL_CERT, "rb") as cert:
        public_key = x509.load_pem_x509_certificate(cert.read()).public_key()
    public_key.verify(base64.b64decode(document["signature"]["value"]),
                      json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(),
                      ec.ECDSA(hashes.SHA256()))
    assert statement_verify(response.content) == body


def test_a_statement_signed_with_another_key_is_refused(client, roles, tmp_path, settings):
    from agreements.seal import local_certificate_write
    from sharing_log.statements import StatementInvalid, chain_statement

    local_certificate_write(tmp_path / "cert.pem", tmp_path / "key.pem")
    portal_cert = settings.PDF_SEAL_CERT
    settings.PDF_SEAL_CERT, settings.PDF_SEAL_KEY = str(tmp_path / "cert.pem"), str(tmp_path / "key.pem")
    forged = chain_statement(organisation_name="Nobody", head_seq=1, head_hash="0" * 64, events=1)
    settings.PDF_SEAL_CERT = portal_cert

    with pytest.raises(StatementInvalid, match="^The statement was not signed with the portal's seal certificate.$"):
        statement_verify(forged)


def test_without_a_seal_the_page_says_so_and_signs_nothing(client, roles, settings):
    settings.PDF_SEAL_CERT = ""
    sign_in(client, roles.governance_manager)

    response = client.get(reverse("sharing_log:chain_statement"))

    assert response.status_code == 503
    assert response.content.decode() == "The portal's seal is not configured: statements cannot be signed."


@pytest.mark.parametrize(("who", "offered"), [("governance_manager", True), ("auditor", True), ("practitioner", False)])
def test_the_log_page_offers_the_statement_to_those_who_may_have_it(client, roles, who, offered):
    page = sign_in(client, getattr(roles, who)).get(reverse("sharing_log:list")).content.decode()

    assert (reverse("sharing_log:chain_statement") in page) is offered
