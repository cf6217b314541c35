"""Recompute the chain and name the first broken event.

The verifier detects an edited row (its hash no longer matches its content), a deleted row
(a gap in ``seq`` or a ``prev_hash`` that points at nothing), and reordered rows (a
``prev_hash`` that does not equal the previous row's hash). Deleting the newest rows leaves
a shorter but consistent chain; that is caught by comparing the head hash with one recorded
elsewhere (reports and exports print it; ``--expect-head`` checks it).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.audit.chain import GENESIS_HASH, event_hash
from sentinela.db.audit import AuditEvent


@dataclass(frozen=True)
class ChainReport:
    """Outcome of a verification."""

    ok: bool
    events: int
    head_hash: str
    first_broken_seq: int | None = None
    reason: str = ""


def recompute(event: AuditEvent) -> str:
    """The hash ``event`` should carry, given its content."""
    return event_hash(
        seq=event.seq,
        occurred_at=event.occurred_at,
        actor=event.actor,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        case_number=event.case_number,
        details=event.details,
        prev_hash=event.prev_hash,
    )


def verify_events(events: Iterable[AuditEvent], *, expect_head: str | None = None) -> ChainReport:
    """Verify a complete chain given in ``seq`` order."""
    expected_seq = 1
    prev = GENESIS_HASH
    count = 0
    for event in events:
        count += 1
        if event.seq != expected_seq:
            return ChainReport(
                False,
                count,
                prev,
                event.seq,
                f"expected event {expected_seq} but found {event.seq}: an event was deleted"
                " or reordered",
            )
        if event.prev_hash != prev:
            return ChainReport(
                False,
                count,
                prev,
                event.seq,
                "prev_hash does not match the previous event: events were deleted or reordered",
            )
        if recompute(event) != event.hash:
            return ChainReport(
                False, count, prev, event.seq, "content does not match its hash: event was edited"
            )
        prev = event.hash
        expected_seq += 1
    if expect_head is not None and expect_head != prev:
        return ChainReport(
            False,
            count,
            prev,
            None,
            f"head hash {prev} differs from the expected {expect_head}: newest events missing",
        )
    return ChainReport(True, count, prev)


def verify_chain(session: Session, *, expect_head: str | None = None) -> ChainReport:
    """Verify the whole audit chain in the database."""
    rows = session.execute(
        select(AuditEvent).order_by(AuditEvent.seq).execution_options(yield_per=2000)
    ).scalars()
    return verify_events(rows, expect_head=expect_head)
