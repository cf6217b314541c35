"""One pass of the takedown worker: deadlines, captures, notices, re-checks, ISP reminders.

Why a "tick" over persisted state rather than a queue of jobs in memory: every job the worker
has is a column on a row (``next_capture_at``, ``deadline_at``, ``next_notice_at``,
``next_recheck_at``, ``hold_until``, ``data_expires_at``) and each step stamps what it did,
so a pass after a crash or a restart picks up exactly what is due and does nothing twice.
``sentinela takedown tick`` runs one pass (from cron or a systemd timer);
``sentinela takedown worker`` runs passes in a loop.

The order matters: deadlines first (a default take-down makes a notice due), then captures
(a notice needs preserved evidence), then notices, then re-checks.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sentinela.services.context import ServiceContext
from sentinela.services.takedown_deadlines import DeadlineRun, run_deadlines
from sentinela.services.takedown_isp_requests import run_isp_reminders
from sentinela.services.takedown_notices import NoticeRun, send_due_notices
from sentinela.services.takedown_preservation import preserve_due
from sentinela.services.takedown_rechecks import recheck_due
from sentinela.services.takedown_runtime import TakedownRuntime
from sentinela.vault import Vault


@dataclass
class TickResult:
    """What one pass did."""

    deadlines: DeadlineRun = field(default_factory=DeadlineRun)
    captures: dict[str, int] = field(default_factory=dict)
    notices: NoticeRun = field(default_factory=NoticeRun)
    rechecks: dict[str, int] = field(default_factory=dict)
    isp_reminded: list[int] = field(default_factory=list)
    isp_lapsed: list[int] = field(default_factory=list)

    @property
    def idle(self) -> bool:
        """Whether the pass found nothing to do."""
        d, n = self.deadlines, self.notices
        return not (
            d.reminded or d.escalated or d.defaulted or d.holds_ended
            or self.captures or n.sent or n.not_preserved or n.no_contact or n.failed
            or self.rechecks or self.isp_reminded or self.isp_lapsed
        )  # fmt: skip


def _count(outcomes: list[str]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for outcome in outcomes:
        counts[outcome] = counts.get(outcome, 0) + 1
    return counts


def tick(ctx: ServiceContext, rt: TakedownRuntime, *, vault: Vault | None = None) -> TickResult:
    """Run everything that is due, once."""
    result = TickResult()
    result.deadlines = run_deadlines(ctx, rt)
    result.captures = _count([c.outcome for c in preserve_due(ctx, rt, vault=vault)])
    result.notices = send_due_notices(ctx, rt)
    result.rechecks = _count([r.outcome for r in recheck_due(ctx, rt)])
    result.isp_reminded, result.isp_lapsed = run_isp_reminders(ctx, rt)
    return result
