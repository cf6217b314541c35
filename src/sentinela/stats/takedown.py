"""Takedown: how long each stage takes (p50, p90), removal within 72 h, still up after 42 days.

Read from the stage timestamps of ``db/reporting.py``'s :class:`Report`, which are set once
and never overwritten: first reported, decided, first notice, removed. Each reported URL is
one report (submissions of the same URL are deduplicated into it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from sentinela.db.reporting import Report
from sentinela.stats.arithmetic import nearest_rank, share
from sentinela.stats.catalogue import Change, Definition, Metric, in_window
from sentinela.stats.period import Scope
from sentinela.stats.results import ChartSpec, Column, Figure, MetricResult, Table

FAST = timedelta(hours=72)
STILL_UP = timedelta(days=42)
#: (stage, label, start field, end field). Stable names: they appear in exports.
STAGES: tuple[tuple[str, str, str, str], ...] = (
    ("decision", "Reported to decision", "first_reported_at", "decided_at"),
    ("notice", "Decision to first notice", "decided_at", "first_notice_at"),
    ("removal", "First notice to removal", "first_notice_at", "removed_at"),
    ("total", "Reported to removal", "first_reported_at", "removed_at"),
)
UNKNOWN = "(unknown)"


@dataclass(frozen=True)
class _Flow:
    """One report's stage times, with anything after the as-of instant treated as not yet."""

    host: str
    country: str
    times: dict[str, datetime | None]
    closed: bool


def _hours(delta: timedelta) -> float:
    return delta.total_seconds() / 3600


def _flows(session: Session, scope: Scope) -> list[_Flow]:
    rows = session.execute(select(Report).where(in_window(Report.first_reported_at, scope)))
    flows = []
    for report in rows.scalars():
        times: dict[str, datetime | None] = {}
        for field in ("first_reported_at", "decided_at", "first_notice_at", "removed_at"):
            value: datetime | None = getattr(report, field)
            times[field] = value if value is not None and value <= scope.as_of else None
        closed = report.closed_at is not None and report.closed_at <= scope.as_of
        flows.append(_Flow(report.host or UNKNOWN, report.country or UNKNOWN, times, closed))
    return flows


def _duration(flow: _Flow, start: str, end: str) -> float | None:
    a, b = flow.times[start], flow.times[end]
    return _hours(b - a) if a is not None and b is not None else None


def _outcomes(flows: Iterable[_Flow], as_of: datetime) -> dict[str, Any]:
    """Removal outcomes of the notified reports among ``flows``."""
    notified = [f for f in flows if f.times["first_notice_at"] is not None]
    removal = [
        d for f in notified if (d := _duration(f, "first_notice_at", "removed_at")) is not None
    ]
    fast = known_fast = up = known_up = still_open = 0
    for f in notified:
        notice, removed = f.times["first_notice_at"], f.times["removed_at"]
        if notice is None:  # pragma: no cover - filtered above
            continue
        gone = removed - notice if removed is not None else None
        if gone is not None or notice + FAST <= as_of:
            known_fast += 1
            fast += gone is not None and gone <= FAST
        if (gone is not None and gone <= STILL_UP) or notice + STILL_UP <= as_of:
            known_up += 1
            up += not (gone is not None and gone <= STILL_UP)
        still_open += removed is None
    return {
        "notified": len(notified),
        "removed": len(removal),
        "p50": nearest_rank(removal, 50),
        "p90": nearest_rank(removal, 90),
        "share_72h": share(fast, known_fast),
        "share_42d": share(up, known_up),
        "still_up": still_open,
    }


def _grouped(
    flows: list[_Flow], key: Callable[[_Flow], str], as_of: datetime
) -> list[tuple[Any, ...]]:
    groups: dict[str, list[_Flow]] = defaultdict(list)
    for f in flows:
        groups[key(f)].append(f)
    rows = []
    for name, members in groups.items():
        o = _outcomes(members, as_of)
        rows.append(
            (
                name,
                len(members),
                o["notified"],
                o["removed"],
                o["p50"],
                o["p90"],
                o["share_72h"],
                o["share_42d"],
                o["still_up"],
            )
        )
    # Slowest first: by p90 removal time (undefined last), then by name.
    rows.sort(key=lambda r: (r[5] is None, -(r[5] or 0.0), r[0]))
    return rows


def _group_columns(first: Column) -> tuple[Column, ...]:
    return (
        first,
        Column("reports", "Reports"),
        Column("notified", "Notified"),
        Column("removed", "Removed"),
        Column("removal_p50_hours", "Removal p50", "hours"),
        Column("removal_p90_hours", "Removal p90", "hours"),
        Column("share_removed_72h", "Removed within 72 h", "share"),
        Column("share_up_42d", "Still up after 42 days", "share"),
        Column("still_up", "Not removed yet"),
    )


class TakedownStages(Metric):
    """Stage durations as p50 and p90, removal within 72 h, still up after 42 days."""

    name = "takedown_stages"
    definition = Definition(
        title="Takedown stages",
        family="takedown",
        version=1,
        counts="Reported URLs (reports) first reported in the period. For each stage "
        "(reported to decision, decision to first notice, first notice to removal, reported "
        "to removal) the durations of the reports that completed it by the as-of instant, "
        "as p50 and p90 in hours; 'open' counts reports that started the stage and neither "
        "finished it nor were closed by then. Removal is the time removal was confirmed (a "
        "404/410 or a changed content hash at a re-check), so it is an upper bound. "
        "'Removed within 72 h': notified reports removed at most 72 h after the first "
        "notice, out of those whose 72 h had passed or that were removed. 'Still up after "
        "42 days': notified reports not removed within 42 days of the first notice, out of "
        "those whose 42 days had passed or that were removed within them. Reports never "
        "notified (not illegal, referred abroad, still held) are in no share.",
        date_basis="The first time the URL was reported (first_reported_at) places a report "
        "in a period; its later stages are followed up to the as-of instant, also past the "
        "end of the period. A report still open at the end of the period is counted as open "
        "(and as 'not removed yet'), never as a duration.",
        deduplication="One report per URL: repeated submissions of the same URL are one "
        "report, and its first report time is the start.",
        unit="None: takedown is national. With a unit filter the figures are not shown.",
        history=(Change(1, "2026-11-29", "First definition."),),
        limitations=(
            "A hold decision counts its whole hold in the decision-to-notice stage.",
            "Hosts and countries are as the hosting trace found them at preservation.",
        ),
    )

    def compute(self, session: Session, scope: Scope) -> MetricResult:
        if scope.unit is not None:
            return self.result(scope, [], [], ["Takedown is national: no figures per unit."])
        flows = _flows(session, scope)
        stages = []
        for key, label, start, end in STAGES:
            done = [d for f in flows if (d := _duration(f, start, end)) is not None]
            still = sum(
                1
                for f in flows
                if f.times[start] is not None and f.times[end] is None and not f.closed
            )
            stages.append(
                (key, label, len(done), nearest_rank(done, 50), nearest_rank(done, 90), still)
            )
        overall = _outcomes(flows, scope.as_of)
        group_rows = {
            "by_host": _grouped(flows, lambda f: f.host, scope.as_of),
            "by_country": _grouped(flows, lambda f: f.country, scope.as_of),
        }
        chart = ChartSpec("hbar", "host", ("removal_p50_hours", "removal_p90_hours"), "hours")
        return self.result(
            scope,
            [
                Figure("reports", "URLs reported", len(flows)),
                Figure("notified", "Notified to hosts", overall["notified"]),
                Figure("removed", "Removed", overall["removed"]),
                Figure(
                    "removal_p50_hours", "Removal p50 (notice to removal)", overall["p50"], "hours"
                ),
                Figure("removal_p90_hours", "Removal p90", overall["p90"], "hours"),
                Figure("share_removed_72h", "Removed within 72 h", overall["share_72h"], "share"),
                Figure("share_up_42d", "Still up after 42 days", overall["share_42d"], "share"),
            ],
            [
                Table(
                    "stages",
                    "Duration of each stage",
                    (
                        Column("stage", "Stage", "text"),
                        Column("label", "From, to", "text"),
                        Column("completed", "Completed"),
                        Column("p50_hours", "p50", "hours"),
                        Column("p90_hours", "p90", "hours"),
                        Column("open", "Open"),
                    ),
                    tuple(stages),
                    ChartSpec("hbar", "label", ("p50_hours", "p90_hours"), "hours"),
                ),
                Table(
                    "by_host",
                    "By host, slowest first",
                    _group_columns(Column("host", "Host", "text")),
                    tuple(group_rows["by_host"]),
                    chart,
                ),
                Table(
                    "by_country",
                    "By hosting country, slowest first",
                    _group_columns(Column("country", "Country", "text")),
                    tuple(group_rows["by_country"]),
                    ChartSpec("hbar", "country", chart.y, "hours"),
                ),
            ],
        )
