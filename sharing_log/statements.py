"""Signed statements of the chain's head (docs/decisions/0023): a small JSON document an
organisation downloads and keeps outside the portal. It names the last event of the chain and
its hash, and carries a detached signature by the portal's seal key (``agreements.seal``) with
the seal certificate, so anyone can check it and ``manage.py verify_log_chain --statement`` can
tell whether the chain still holds that head."""

import base64
import json

from django.conf import settings
from django.utils import timezone

from agreements.seal import SealNotConfigured

FORMAT = "isa-portal-log-chain-statement/1"


class StatementInvalid(ValueError):
    """The statement is malformed, or its signature is not the portal's seal's."""


def _body_bytes(body: dict) -> bytes:
    return json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _seal_files() -> tuple[bytes, bytes]:
    try:
        with open(settings.PDF_SEAL_CERT, "rb") as cert, open(settings.PDF_SEAL_KEY, "rb") as key:
            return cert.read(), key.read()
    except (OSError, TypeError) as error:
        raise SealNotConfigured("The seal's certificate or key could not be read") from error


def _sign(key, data: bytes) -> bytes:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(hashes.SHA256()))
    if isinstance(key, rsa.RSAPrivateKey):
        return key.sign(data, padding.PKCS1v15(), hashes.SHA256())
    raise SealNotConfigured("The seal key must be an EC or RSA key")


def _verify(public_key, signature: bytes, data: bytes) -> None:
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa

    if isinstance(public_key, ec.EllipticCurvePublicKey):
        public_key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
    elif isinstance(public_key, rsa.RSAPublicKey):
        public_key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
    else:
        raise StatementInvalid("The statement's certificate holds neither an EC nor an RSA key.")


def chain_statement(*, organisation_name: str, head_seq: int, head_hash: str, events: int) -> bytes:
    """The signed statement, as the bytes of a JSON document."""
    from cryptography.hazmat.primitives import serialization

    cert_pem, key_pem = _seal_files()
    password = settings.PDF_SEAL_KEY_PASSWORD
    key = serialization.load_pem_private_key(key_pem, password=password.encode() if password else None)
    body = {
        "format": FORMAT, "issued_at": timezone.now().replace(microsecond=0).isoformat(),
        "issued_to": organisation_name, "events": events, "head_seq": head_seq, "head_hash": head_hash,
    }
    document = {
        "statement": body,
        "signature": {
            "algorithm": "SHA-256 over the canonical JSON of 'statement' (sorted keys, no spaces)",
            "value": base64.b64encode(_sign(key, _body_bytes(body))).decode(),
            "certificate": cert_pem.decode(),
        },
    }
    return json.dumps(document, indent=2, ensure_ascii=False).encode()


def statement_verify(document: bytes) -> dict:
    """The statement's body if its signature is the portal's seal's (the configured certificate,
    not only the one it carries); ``StatementInvalid`` otherwise."""
    from cryptography import x509
    from cryptography.exceptions import InvalidSignature

    try:
        parsed = json.loads(document)
        body, signature = parsed["statement"], parsed["signature"]
        value = base64.b64decode(signature["value"], validate=True)
        carried = x509.load_pem_x509_certificate(signature["certificate"].encode())
        if body.get("format") != FORMAT or not isinstance(body["head_seq"], int):
            raise StatementInvalid("This is not a statement of the log's chain.")
        body["head_hash"].encode()
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        if isinstance(error, StatementInvalid):
            raise
        raise StatementInvalid("This is not a statement of the log's chain.") from error
    portal = x509.load_pem_x509_certificate(_seal_files()[0])
    if carried.fingerprint(carried.signature_hash_algorithm) != portal.fingerprint(portal.signature_hash_algorithm):
        raise StatementInvalid("The statement was not signed with the portal's seal certificate.")
    try:
        _verify(portal.public_key(), value, _body_bytes(body))
    except InvalidSignature:
        raise StatementInvalid("The statement's signature does not match what it says.") from None
    return body
