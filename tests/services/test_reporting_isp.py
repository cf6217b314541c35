"""ISP preservation requests: legal deadline, data expiry, reminders, lapse."""

from __future__ import annotations

from datetime import timedelta

import pytest

from sentinela.clock import FakeClock
from sentinela.errors import AccessDenied, InvalidInputError
from sentinela.reporting.config import TakedownConfig
from sentinela.services.context import ServiceContext
from sentinela.services.takedown_isp_requests import (
    IspRequestInput,
    list_requests,
    mark_answered,
    request_preservation,
    run_isp_reminders,
)
from sentinela.services.takedown_runtime import TakedownRuntime
from tests.services.reporting_helpers import INVESTIGATOR, OPERATOR, actions, add_takedown_users

DAY = timedelta(days=1)


def _input(clock: FakeClock, expires_in: int, **kw: object) -> IspRequestInput:
    return IspRequestInput(
        isp=str(kw.get("isp", "ISP")),
        subject="198.51.100.7:443 2026-02-01T10:00Z/PT1H",
        legal_basis="Lei 32/2008",
        reference="INQ-1",
        legal_deadline_at=clock.now + 10 * DAY,
        data_expires_at=clock.now + expires_in * DAY,
    )


def test_reminder_before_expiry_then_lapse(ctx: ServiceContext, clock: FakeClock) -> None:
    add_takedown_users(ctx)
    rt = TakedownRuntime.build(ctx.settings, TakedownConfig(preservation_remind_days=14))
    police = ctx.with_actor(INVESTIGATOR)
    soon = request_preservation(police, _input(clock, 30, isp="Soon"))
    later = request_preservation(police, _input(clock, 300, isp="Later"))
    answered = request_preservation(police, _input(clock, 20, isp="Answered"))
    mark_answered(police, answered.id)
    assert run_isp_reminders(ctx, rt) == ([], [])
    clock.advance(17 * DAY)
    assert run_isp_reminders(ctx, rt) == ([soon.id], [])
    assert run_isp_reminders(ctx, rt) == ([], [])
    clock.advance(14 * DAY)
    assert run_isp_reminders(ctx, rt) == ([], [soon.id])
    states = {v.isp: v.status for v in list_requests(ctx.with_actor(OPERATOR))}
    assert states == {"Soon": "lapsed", "Later": "open", "Answered": "answered"}
    assert later.data_expires_at > soon.data_expires_at
    assert actions(ctx, "isp_preservation.") == [
        "isp_preservation.request",
        "isp_preservation.request",
        "isp_preservation.request",
        "isp_preservation.answered",
        "isp_preservation.reminder",
        "isp_preservation.lapsed",
    ]


def test_rules(sqlite_ctx: ServiceContext, clock: FakeClock) -> None:
    ctx = sqlite_ctx
    add_takedown_users(ctx)
    with pytest.raises(AccessDenied):
        request_preservation(ctx.with_actor(OPERATOR), _input(clock, 30))
    with pytest.raises(InvalidInputError, match="future"):
        request_preservation(ctx.with_actor(INVESTIGATOR), _input(clock, -1))
    view = request_preservation(ctx.with_actor(INVESTIGATOR), _input(clock, 30))
    mark_answered(ctx.with_actor(INVESTIGATOR), view.id)
    with pytest.raises(InvalidInputError, match="answered"):
        mark_answered(ctx.with_actor(INVESTIGATOR), view.id)
