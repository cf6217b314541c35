"""The canonical encoding that the audit hash is computed over.

The encoding is JSON with sorted keys, no insignificant whitespace, UTF-8, and timestamps
as ISO 8601 UTC with microseconds. It is versioned: ``CHAIN_VERSION`` is part of every
hashed payload, so a future change of encoding cannot be confused with tampering.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

CHAIN_VERSION = 1
GENESIS_HASH = "0" * 64


def canonical_json(value: Any) -> str:
    """Deterministic JSON text for ``value``."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def format_time(value: datetime) -> str:
    """ISO 8601 in UTC with microseconds and a ``Z`` suffix."""
    if value.tzinfo is None:
        raise ValueError("audit times must be aware")
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def event_hash(
    *,
    seq: int,
    occurred_at: datetime,
    actor: str,
    action: str,
    object_type: str,
    object_id: str,
    case_number: str | None,
    details: str,
    prev_hash: str,
) -> str:
    """SHA-256 (hex) of the canonical encoding of one event."""
    payload = {
        "v": CHAIN_VERSION,
        "seq": seq,
        "occurred_at": format_time(occurred_at),
        "actor": actor,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "case_number": case_number,
        "details": details,
        "prev_hash": prev_hash,
    }
    return hashlib.sha256(canonical_json(payload).encode("utf-8")).hexdigest()
