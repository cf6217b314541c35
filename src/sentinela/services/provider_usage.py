"""Daily usage counters per provider, and the report the police read.

Only counts are kept: how many calls, how many hashes examined and matched (remotely, or
locally as the provider reports after a scan), how many list downloads. Never the hashes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from sentinela.db.industry import Provider, ProviderUsage
from sentinela.services.context import ServiceContext
from sentinela.services.permissions import require_role

#: The counters of :class:`ProviderUsage`, in report order.
COUNTERS = (
    "match_requests",
    "hashes_examined",
    "hashes_matched",
    "local_examined",
    "local_matched",
    "downloads",
)


@dataclass(frozen=True)
class UsageRow:
    """One provider's counts on one day."""

    provider: str
    day: date
    match_requests: int
    hashes_examined: int
    hashes_matched: int
    local_examined: int
    local_matched: int
    downloads: int


def add_usage(session: Session, provider_id: int, day: date, **counts: int) -> None:
    """Add to a provider's counters for ``day``, in the caller's transaction.

    Two server processes may create the day's row at the same moment; the loser of that
    race retries as an update.
    """
    unknown = set(counts) - set(COUNTERS)
    if unknown:
        raise ValueError(f"unknown usage counters {sorted(unknown)}")
    columns = {name: getattr(ProviderUsage, name) + n for name, n in counts.items()}
    bump = (
        update(ProviderUsage)
        .where(ProviderUsage.provider_id == provider_id, ProviderUsage.day == day)
        .values(columns)
    )
    if session.execute(bump).rowcount:  # type: ignore[attr-defined]
        return
    try:
        with session.begin_nested():
            row = ProviderUsage(provider_id=provider_id, day=day, **dict.fromkeys(COUNTERS, 0))
            for name, n in counts.items():
                setattr(row, name, n)
            session.add(row)
    except IntegrityError:
        session.execute(bump)


def usage_report(
    ctx: ServiceContext, *, days: int = 30, provider: str | None = None
) -> list[UsageRow]:
    """Counts per provider per day over the last ``days`` days (administrators only)."""
    with ctx.transaction() as session:
        require_role(ctx.actor(session), "admin")
        since = ctx.clock().date() - timedelta(days=max(days, 1) - 1)
        query = (
            select(ProviderUsage, Provider.name)
            .join(Provider, Provider.id == ProviderUsage.provider_id)
            .where(ProviderUsage.day >= since)
        )
        if provider is not None:
            query = query.where(Provider.name == provider)
        rows = session.execute(query.order_by(ProviderUsage.day, Provider.name)).all()
        return [UsageRow(name, u.day, *(int(getattr(u, c)) for c in COUNTERS)) for u, name in rows]


@dataclass(frozen=True)
class ProviderTotals:
    """One provider's sums over the report period."""

    provider: str
    match_requests: int
    hashes_examined: int
    hashes_matched: int
    local_examined: int
    local_matched: int
    downloads: int


@dataclass(frozen=True)
class UsageOverview:
    """What the providers did over the last ``days`` days: per day, and summed."""

    days: int
    totals: list[ProviderTotals]
    rows: list[UsageRow]


def usage_overview(ctx: ServiceContext, *, days: int = 30) -> UsageOverview:
    """Per-day rows and per-provider totals (administrators only)."""
    rows = usage_report(ctx, days=days)
    sums: dict[str, list[int]] = {}
    for row in rows:
        acc = sums.setdefault(row.provider, [0] * len(COUNTERS))
        for i, name in enumerate(COUNTERS):
            acc[i] += getattr(row, name)
    totals = [ProviderTotals(name, *values) for name, values in sorted(sums.items())]
    return UsageOverview(days, totals, rows)
