"""Signing a hash-list document, and checking a signed one.

A signed document (an *envelope*) is::

    {"payload": {...the document...},
     "signature": {"algorithm": "ed25519", "key_id": "<16 hex>", "value": "<base64>"}}

The signature covers a fixed domain string followed by the canonical encoding of the payload
(:mod:`~sentinela.sharing.canonical`), so a signature made for something else can never pass
as a hash-list signature.
"""

from __future__ import annotations

import base64
import binascii
from typing import Any, Final

from sentinela.sharing.canonical import canonical_bytes
from sentinela.sharing.document import HashListDocument
from sentinela.sharing.errors import ReleaseVerificationError
from sentinela.sharing.keys import ReleasePublicKey, ReleaseSigningKey

ALGORITHM: Final = "ed25519"
SIGNATURE_DOMAIN: Final = b"sentinela-hash-list-signature-v1\n"


def sign_document(document: HashListDocument, key: ReleaseSigningKey) -> dict[str, Any]:
    """The signed envelope of ``document``."""
    payload = document.to_payload()
    signature = key.sign(SIGNATURE_DOMAIN + canonical_bytes(payload))
    return {
        "payload": payload,
        "signature": {
            "algorithm": ALGORITHM,
            "key_id": key.key_id,
            "value": base64.b64encode(signature).decode("ascii"),
        },
    }


def envelope_bytes(envelope: dict[str, Any]) -> bytes:
    """The envelope as it is served and saved: canonical JSON."""
    return canonical_bytes(envelope)


def open_envelope(envelope: Any, key: ReleasePublicKey) -> HashListDocument:
    """Check an envelope's signature with the published key and parse its document.

    Args:
        envelope: the parsed JSON of a signed document.
        key: the police's published release key.

    Returns:
        The document, once its signature checks out.

    Raises:
        ReleaseVerificationError: the envelope is malformed, signed by another key, or its
            signature does not match the payload (the document was altered).
    """
    if not isinstance(envelope, dict) or set(envelope) != {"payload", "signature"}:
        raise ReleaseVerificationError("a signed hash list has exactly 'payload' and 'signature'")
    signature = envelope["signature"]
    if not isinstance(signature, dict) or signature.get("algorithm") != ALGORITHM:
        raise ReleaseVerificationError(f"the signature algorithm must be {ALGORITHM}")
    if signature.get("key_id") != key.key_id:
        raise ReleaseVerificationError(
            f"signed by key {signature.get('key_id')!r}, not the published key {key.key_id}"
        )
    value = signature.get("value")
    try:
        raw = base64.b64decode(value if isinstance(value, str) else "", validate=True)
    except binascii.Error:
        raise ReleaseVerificationError("the signature is not valid base64") from None
    message = SIGNATURE_DOMAIN + canonical_bytes(envelope["payload"])
    if len(raw) != 64 or not key.verify(raw, message):
        raise ReleaseVerificationError("the signature does not match: the document was altered")
    return HashListDocument.from_payload(envelope["payload"])
