"""Host scorecards: how fast each host removes content once told, and how often it returns.

Definitions (version 1; the statistics area may publish its own, versioned, from the same
stage timestamps):

* **removal time**: ``removed_at - first_notice_at`` for reports that were notified and then
  removed; p50 and p90 by the nearest-rank method, in hours;
* **still up**: reports notified and not yet removed;
* **re-uploads**: reports on the same host whose preserved content SHA-256 equals that of an
  earlier report on that host which had been removed before the later one was reported.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from sentinela.db.reporting import Report
from sentinela.services.context import ServiceContext
from sentinela.services.takedown_access import require_queue

DEFINITIONS_VERSION = 1


@dataclass(frozen=True)
class HostScorecard:
    """One host's numbers."""

    host: str
    hosting_name: str
    country: str
    reports: int
    notified: int
    removed_after_notice: int
    still_up: int
    removal_hours_p50: float | None
    removal_hours_p90: float | None
    reuploads: int


def percentile(values: list[float], q: float) -> float | None:
    """The nearest-rank percentile ``q`` (0-100) of ``values``, or None when empty."""
    if not values:
        return None
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def _reuploads(reports: list[Report]) -> int:
    removed: list[tuple[str, datetime]] = [
        (r.content_sha256, r.removed_at)
        for r in reports
        if r.content_sha256 and r.removed_at is not None
    ]
    count = 0
    for r in reports:
        if r.content_sha256 and any(
            sha == r.content_sha256 and at < r.first_reported_at for sha, at in removed
        ):
            count += 1
    return count


def scorecard(host: str, reports: list[Report]) -> HostScorecard:
    """The scorecard of one host's reports."""
    durations = [
        (r.removed_at - r.first_notice_at).total_seconds() / 3600
        for r in reports
        if r.removed_at is not None and r.first_notice_at is not None
    ]
    named = next((r for r in reports if r.hosting_name), reports[0])
    notified = [r for r in reports if r.first_notice_at is not None]
    return HostScorecard(
        host=host,
        hosting_name=named.hosting_name,
        country=named.country,
        reports=len(reports),
        notified=len(notified),
        removed_after_notice=len(durations),
        still_up=sum(1 for r in notified if r.removed_at is None),
        removal_hours_p50=percentile(durations, 50),
        removal_hours_p90=percentile(durations, 90),
        reuploads=_reuploads(reports),
    )


def host_scorecards(ctx: ServiceContext) -> list[HostScorecard]:
    """Every host's scorecard, slowest p90 first (police and hotline operators).

    Raises:
        AccessDenied: the actor holds no queue role.
    """
    with ctx.transaction() as session:
        require_queue(ctx.actor(session))
        by_host: dict[str, list[Report]] = {}
        for report in session.execute(select(Report).order_by(Report.id)).scalars():
            by_host.setdefault(report.host, []).append(report)
        cards = [scorecard(host, items) for host, items in by_host.items()]
    return sorted(cards, key=lambda c: (-(c.removal_hours_p90 or -1), c.host))
