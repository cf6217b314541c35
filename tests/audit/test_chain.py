"""The audit chain detects rows edited, deleted or reordered directly in the database."""

from __future__ import annotations

from sqlalchemy import text

from sentinela.audit.verifier import verify_chain
from sentinela.services.cases import create_case
from sentinela.services.context import ServiceContext


def _events(ctx: ServiceContext, n: int = 3) -> None:
    for i in range(n):
        create_case(ctx, f"C-{i}", title=f"case {i}", unit="Unit A")


def _verify(ctx: ServiceContext) -> tuple[bool, int | None, str]:
    with ctx.transaction() as session:
        report = verify_chain(session)
    return report.ok, report.first_broken_seq, report.reason


def test_intact_chain_verifies(ctx: ServiceContext) -> None:
    _events(ctx)
    ok, seq, _ = _verify(ctx)
    assert ok and seq is None


def test_edited_row_is_named(ctx: ServiceContext) -> None:
    _events(ctx)
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET actor = 'mallory' WHERE seq = 5"))
    ok, seq, reason = _verify(ctx)
    assert not ok and seq == 5 and "edited" in reason


def test_edited_details_are_detected(ctx: ServiceContext) -> None:
    _events(ctx)
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET details = '{}' WHERE seq = 4"))
    assert _verify(ctx)[:2] == (False, 4)


def test_deleted_row_is_named(ctx: ServiceContext) -> None:
    _events(ctx)
    with ctx.engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_events WHERE seq = 4"))
    ok, seq, reason = _verify(ctx)
    assert not ok and seq == 5 and "deleted" in reason


def test_reordered_rows_are_detected(ctx: ServiceContext) -> None:
    _events(ctx)
    with ctx.engine.begin() as conn:
        conn.execute(text("UPDATE audit_events SET seq = 1000 WHERE seq = 4"))
        conn.execute(text("UPDATE audit_events SET seq = 4 WHERE seq = 5"))
        conn.execute(text("UPDATE audit_events SET seq = 5 WHERE seq = 1000"))
    ok, seq, _ = _verify(ctx)
    assert not ok and seq == 4


def test_rehashed_edit_still_breaks_the_next_link(ctx: ServiceContext) -> None:
    """An attacker who edits a row and recomputes its hash breaks the following link."""
    from sentinela.audit.verifier import recompute
    from sentinela.db.audit import AuditEvent

    _events(ctx)
    with ctx.transaction() as session:
        event = session.get(AuditEvent, 4)
        assert event is not None
        event.actor = "mallory"
        event.hash = recompute(event)
    ok, seq, _ = _verify(ctx)
    assert not ok and seq == 5


def test_deleting_newest_events_is_caught_with_expected_head(ctx: ServiceContext) -> None:
    _events(ctx)
    with ctx.transaction() as session:
        head = verify_chain(session).head_hash
    with ctx.engine.begin() as conn:
        conn.execute(
            text("DELETE FROM audit_events WHERE seq = (SELECT MAX(seq) FROM audit_events)")
        )
    with ctx.transaction() as session:
        assert verify_chain(session).ok
        assert not verify_chain(session, expect_head=head).ok
