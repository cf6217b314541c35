"""Append events to the chain inside the caller's transaction.

The writer never commits: the service that changes state calls :func:`record` in the same
transaction, so the change and its audit event are committed together or not at all.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from sentinela.audit.chain import GENESIS_HASH, canonical_json, event_hash
from sentinela.clock import Clock, utc_now
from sentinela.db.audit import AuditEvent

# Any constant works; it only has to be the same for every writer.
_PG_AUDIT_LOCK = 0x5E47_1AE1


def _lock_chain(session: Session) -> None:
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_AUDIT_LOCK})
    # SQLite: every transaction starts with BEGIN IMMEDIATE, so writers are serialised.


def record(
    session: Session,
    *,
    actor: str,
    action: str,
    object_type: str,
    object_id: str | int,
    details: dict[str, Any] | None = None,
    case_number: str | None = None,
    clock: Clock = utc_now,
    at: datetime | None = None,
) -> AuditEvent:
    """Append one event to the audit chain, in the session's open transaction.

    Args:
        session: the caller's session; its transaction must also hold the change recorded.
        actor: who acted (a user name, ``system:...`` or ``provider:...``).
        action: a dotted verb, e.g. ``exhibit.add``.
        object_type: the kind of object acted on.
        object_id: its identifier.
        details: JSON-able details.
        case_number: the case this event belongs to, for per-case export.
        clock: the time source.
        at: an explicit time (overrides ``clock``).

    Returns:
        The new event, flushed.
    """
    _lock_chain(session)
    head = session.execute(
        select(AuditEvent.seq, AuditEvent.hash).order_by(AuditEvent.seq.desc()).limit(1)
    ).first()
    seq = 1 if head is None else head.seq + 1
    prev_hash = GENESIS_HASH if head is None else head.hash
    occurred_at = at or clock()
    details_text = canonical_json(details or {})
    event = AuditEvent(
        seq=seq,
        occurred_at=occurred_at,
        actor=actor,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        case_number=case_number,
        details=details_text,
        prev_hash=prev_hash,
        hash=event_hash(
            seq=seq,
            occurred_at=occurred_at,
            actor=actor,
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            case_number=case_number,
            details=details_text,
            prev_hash=prev_hash,
        ),
    )
    session.add(event)
    session.flush()
    return event
