"""Export one case's audit events with the proof that they sit in an unbroken chain.

The export holds every event of the case in full, and the bare links ``(seq, prev_hash,
hash)`` of every event from the first case event to the head of the chain. A reader can
recompute each case event's hash, check that the links join up with no gap, and compare the
head with a head hash recorded independently. Links of other cases' events carry no content.
"""

from __future__ import annotations

import hashlib
import itertools
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit.chain import canonical_json, event_hash, format_time
from sentinela.db.audit import AuditEvent
from sentinela.errors import AuditChainError, FormatError

EXPORT_FORMAT = "sentinela.audit_export"
EXPORT_VERSION = 1


def _event_dict(event: AuditEvent) -> dict[str, Any]:
    return {
        "seq": event.seq,
        "occurred_at": format_time(event.occurred_at),
        "actor": event.actor,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "case_number": event.case_number,
        "details": event.details,
        "prev_hash": event.prev_hash,
        "hash": event.hash,
    }


def build_case_export(
    session: Session, case_number: str, *, exported_at: datetime, exported_by: str
) -> dict[str, Any]:
    """Build the export document for ``case_number``."""
    events = (
        session.execute(
            select(AuditEvent).where(AuditEvent.case_number == case_number).order_by(AuditEvent.seq)
        )
        .scalars()
        .all()
    )
    first = events[0].seq if events else None
    links: list[list[Any]] = []
    if first is not None:
        rows = session.execute(
            select(AuditEvent.seq, AuditEvent.prev_hash, AuditEvent.hash)
            .where(AuditEvent.seq >= first)
            .order_by(AuditEvent.seq)
        )
        links = [[r.seq, r.prev_hash, r.hash] for r in rows]
    doc: dict[str, Any] = {
        "format": EXPORT_FORMAT,
        "format_version": EXPORT_VERSION,
        "case_number": case_number,
        "exported_at": format_time(exported_at),
        "exported_by": exported_by,
        "head": {"seq": links[-1][0], "hash": links[-1][2]} if links else None,
        "events": [_event_dict(e) for e in events],
        "links": links,
    }
    doc["document_sha256"] = hashlib.sha256(canonical_json(doc).encode()).hexdigest()
    return doc


@dataclass(frozen=True)
class ExportCheck:
    """Outcome of checking an export document."""

    events: int
    head_seq: int | None
    head_hash: str | None


def verify_case_export(doc: dict[str, Any]) -> ExportCheck:
    """Check an export produced by :func:`build_case_export`.

    Raises:
        FormatError: the document is not an audit export of a known version.
        AuditChainError: an event or link does not check out.
    """
    if doc.get("format") != EXPORT_FORMAT or doc.get("format_version") != EXPORT_VERSION:
        raise FormatError("not a Sentinela audit export of a known version")
    body = {k: v for k, v in doc.items() if k != "document_sha256"}
    if hashlib.sha256(canonical_json(body).encode()).hexdigest() != doc.get("document_sha256"):
        raise AuditChainError("export document was modified after it was written")
    links = doc["links"]
    for prev, cur in itertools.pairwise(links):
        if cur[0] != prev[0] + 1 or cur[1] != prev[2]:
            raise AuditChainError(f"chain links break at event {cur[0]}")
    by_seq = {link[0]: link for link in links}
    for ev in doc["events"]:
        recomputed = event_hash(
            seq=ev["seq"],
            occurred_at=datetime.fromisoformat(ev["occurred_at"].replace("Z", "+00:00")),
            actor=ev["actor"],
            action=ev["action"],
            object_type=ev["object_type"],
            object_id=ev["object_id"],
            case_number=ev["case_number"],
            details=ev["details"],
            prev_hash=ev["prev_hash"],
        )
        link = by_seq.get(ev["seq"])
        if recomputed != ev["hash"] or link is None or link[1:] != [ev["prev_hash"], ev["hash"]]:
            raise AuditChainError(f"event {ev['seq']} does not match its hash or its link")
    head = doc.get("head")
    return ExportCheck(
        len(doc["events"]), head["seq"] if head else None, head["hash"] if head else None
    )


def dumps(doc: dict[str, Any]) -> str:
    """Pretty JSON for files."""
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"
