"""Cases and members, on both databases."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from sentinela.db.audit import AuditEvent
from sentinela.errors import AccessDenied, AlreadyExistsError, InvalidInputError
from sentinela.services import cases
from sentinela.services.context import ServiceContext


def _audit_count(ctx: ServiceContext) -> int:
    with ctx.transaction() as session:
        return int(session.execute(select(func.count(AuditEvent.seq))).scalar_one())


def test_create_list_show_close(ctx: ServiceContext) -> None:
    view = cases.create_case(ctx, "2026-0001", title="Op Test", unit="Unit A")
    assert view.members == (("alice", "lead"),)
    assert [c.number for c in cases.list_cases(ctx)] == ["2026-0001"]
    assert cases.list_cases(ctx.with_actor("bob")) == []
    assert cases.show_case(ctx, "2026-0001").status == "open"
    closed = cases.close_case(ctx, "2026-0001")
    assert closed.status == "closed" and closed.closed_at is not None


def test_need_to_know(ctx: ServiceContext) -> None:
    cases.create_case(ctx, "C-1", title="t", unit="Unit A")
    with pytest.raises(AccessDenied):
        cases.show_case(ctx.with_actor("bob"), "C-1")
    with pytest.raises(AccessDenied):  # same answer for a case that does not exist
        cases.show_case(ctx.with_actor("bob"), "C-404")
    cases.add_member(ctx, "C-1", "bob")
    assert cases.show_case(ctx.with_actor("bob"), "C-1").number == "C-1"
    with pytest.raises(AccessDenied):  # plain members cannot manage membership
        cases.add_member(ctx.with_actor("bob"), "C-1", "admin")
    cases.remove_member(ctx, "C-1", "bob")
    with pytest.raises(AccessDenied):
        cases.show_case(ctx.with_actor("bob"), "C-1")


def test_duplicate_and_malformed_numbers_write_nothing(ctx: ServiceContext) -> None:
    cases.create_case(ctx, "C-1", title="t", unit="Unit A")
    before = _audit_count(ctx)
    with pytest.raises(AlreadyExistsError):
        cases.create_case(ctx, "C-1", title="again", unit="Unit A")
    with pytest.raises(InvalidInputError):
        cases.create_case(ctx, "bad number!", title="t", unit="Unit A")
    assert _audit_count(ctx) == before


def test_prosecutor_cannot_open_cases(ctx: ServiceContext) -> None:
    from sentinela.services.users import add_user

    add_user(ctx.with_actor("admin"), "pros", roles=["prosecutor"])
    with pytest.raises(AccessDenied):
        cases.create_case(ctx.with_actor("pros"), "C-9", title="t", unit="u")
